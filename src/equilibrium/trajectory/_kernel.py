"""The right-hand side of :class:`~equilibrium.trajectory.engine.Dynamics` compiled with numba (one fused loop
over the batch instead of ~100 numpy passes). Same equations, same order of operations as the numpy version,
which stays the reference (tests compare the two). Units SI. Importing this module compiles nothing; the first
call compiles (cached on disk by numba) and :func:`available` says whether numba can be used.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from equilibrium.trajectory.atmosphere import _STEP_M, TOP_M, _uniform

_KERNEL: Any = None
_TRIED = False


def available() -> bool:
    """True when numba is importable (the kernel is then built on first use)."""
    return _get() is not None


def _get() -> Any:
    global _KERNEL, _TRIED
    if not _TRIED:
        _TRIED = True
        try:
            import numba  # noqa: F401
        except ImportError:  # pragma: no cover - numba is a declared dependency
            _KERNEL = None
        else:
            _KERNEL = _build()
    return _KERNEL


def _build() -> Any:
    from numba import njit

    @njit(cache=True, nogil=True)
    def rhs(t: Any, y: Any, out: Any, t_on: Any, t_off: Any, mdot: Any, f_vac: Any, ae: Any, dry: Any,
            prop: Any, area: Any, payload: Any, shroud: Any, t_jet: Any, cd_scale: Any, beta_rv: Any,
            up: Any, hdir: Any, t_vert: Any, t_kick: Any, kick: Any, bias: Any, a_e: float, b_e: float,
            gm: float, j2: float, omega: float, atm_on: bool, lr: Any, dlr: Any, lp: Any, dlp: Any,
            cs: Any, dcs: Any, step: float, top: float, cd_mach: Any, cd_value: Any) -> None:
        n = y.shape[1]
        ns = t_on.shape[1]
        nm = cd_mach.shape[0]
        ng = lr.shape[0]
        for i in range(n):
            ti = t[i]
            x, yy, z = y[0, i], y[1, i], y[2, i]
            vx, vy, vz = y[3, i], y[4, i], y[5, i]
            r2 = x * x + yy * yy + z * z
            r = math.sqrt(r2)
            # height above the ellipsoid (fast form, see EarthModel.altitude)
            if b_e == a_e:
                h = r - a_e
            else:
                s2 = z * z / r2
                c2 = 1.0 - s2
                h = r - a_e * b_e / math.sqrt(b_e * b_e * c2 + a_e * a_e * s2)
            # gravity: point mass + J2
            mu_r3 = gm / (r2 * r)
            if j2 == 0.0:
                gx, gy, gz = -mu_r3 * x, -mu_r3 * yy, -mu_r3 * z
            else:
                k2 = 1.5 * j2 * a_e * a_e / r2
                q = 5.0 * z * z / r2
                cxy = mu_r3 * (1.0 + k2 * (1.0 - q))
                gx, gy, gz = -cxy * x, -cxy * yy, -mu_r3 * (1.0 + k2 * (3.0 - q)) * z
            # atmosphere (uniform grid, log-linear density and pressure)
            xg = min(max(h, 0.0), top) / step
            ig = min(int(xg), ng - 2)
            fg = xg - ig
            a_snd = cs[ig] + fg * dcs[ig]
            if atm_on and h <= top:
                rho = math.exp(lr[ig] + fg * dlr[ig])
                pres = math.exp(lp[ig] + fg * dlp[ig])
            else:
                rho = 0.0
                pres = 0.0
            vrx, vry, vrz = vx + omega * yy, vy - omega * x, vz
            vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
            # mass, thrust, reference area
            m = payload[i] + (shroud[i] if ti < t_jet[i] else 0.0)
            thrust = 0.0
            dropped = 0
            for k in range(ns):
                attached = ti < t_off[i, k]
                if k == ns - 1 and not math.isfinite(beta_rv[i]):
                    attached = True
                burn = min(max(ti - t_on[i, k], 0.0), t_off[i, k] - t_on[i, k]) * mdot[i, k]
                if attached:
                    m += dry[i, k] + prop[i, k] - burn
                else:
                    dropped += 1
                if ti >= t_on[i, k] and ti < t_off[i, k]:
                    thrust += max(f_vac[i, k] - pres * ae[i, k], 0.0)
            low = min(dropped, ns - 1)
            ax, ay, az = gx, gy, gz
            if atm_on:
                mach = vr / a_snd
                if mach <= cd_mach[0]:
                    cd = cd_value[0]
                elif mach >= cd_mach[nm - 1]:
                    cd = cd_value[nm - 1]
                else:
                    j = 1
                    while cd_mach[j] < mach:
                        j += 1
                    w = (mach - cd_mach[j - 1]) / (cd_mach[j] - cd_mach[j - 1])
                    cd = cd_value[j - 1] + w * (cd_value[j] - cd_value[j - 1])
                cd *= cd_scale[i]
                kd = 0.5 * rho * vr * cd * area[i, low] / m
                if ti >= t_off[i, ns - 1] and math.isfinite(beta_rv[i]):
                    kd = 0.5 * rho * vr / beta_rv[i]
                ax -= kd * vrx
                ay -= kd * vry
                az -= kd * vrz
            if thrust > 0.0:
                th = omega * ti
                c, s = math.cos(th), math.sin(th)
                upx, upy, upz = c * up[0, i] - s * up[1, i], s * up[0, i] + c * up[1, i], up[2, i]
                hx, hy, hz = c * hdir[0, i] - s * hdir[1, i], s * hdir[0, i] + c * hdir[1, i], hdir[2, i]
                frac = (ti - t_vert[i]) / max(t_kick[i] - t_vert[i], 1e-9)
                frac = min(max(frac, 0.0), 1.0)
                ang = kick[i] * frac
                ca, sa = math.cos(ang), math.sin(ang)
                ux, uy, uz = ca * upx + sa * hx, ca * upy + sa * hy, ca * upz + sa * hz
                if ti >= t_kick[i] and vr > 1.0:
                    ux, uy, uz = vrx / vr, vry / vr, vrz / vr
                    bi = bias[i] if ti >= t_off[i, 0] else 0.0
                    if bi != 0.0:
                        rx, ry, rz = x / r, yy / r, z / r
                        d = rx * ux + ry * uy + rz * uz
                        nx, ny, nz = rx - d * ux, ry - d * uy, rz - d * uz
                        nn = math.sqrt(nx * nx + ny * ny + nz * nz)
                        if nn <= 1e-12:
                            nn = 1.0
                        cb, sb = math.cos(bi), math.sin(bi)
                        ux, uy, uz = cb * ux + sb * nx / nn, cb * uy + sb * ny / nn, cb * uz + sb * nz / nn
                fm = thrust / m
                ax += fm * ux
                ay += fm * uy
                az += fm * uz
            out[0, i] = vx
            out[1, i] = vy
            out[2, i] = vz
            out[3, i] = ax
            out[4, i] = ay
            out[5, i] = az

    return rhs


def rhs(dyn: Any, t: np.ndarray, y: np.ndarray, p: Any) -> np.ndarray:
    """dY/dt (6, n) through the compiled kernel (``dyn`` a Dynamics, ``p`` its Params)."""
    kern = _get()
    lr, dlr, lp, dlp, cs, dcs = _uniform()
    e = dyn.earth
    out = np.empty((6, y.shape[1]))
    kern(np.ascontiguousarray(t, dtype=np.float64), np.ascontiguousarray(y), out, p.t_on, p.t_off, p.mdot,
         p.f_vac, p.ae, p.dry, p.prop, p.area, p.payload, p.shroud, p.t_jet, p.cd_scale, p.beta_rv,
         np.ascontiguousarray(p.up), np.ascontiguousarray(p.hdir), p.t_vert, p.t_kick, p.kick, p.bias,
         float(e.a), float(e.b), float(e.gm), float(e.j2), float(e.omega), bool(dyn.atm.enabled), lr, dlr, lp, dlp,
         cs, dcs, _STEP_M, TOP_M, np.ascontiguousarray(dyn.cd_mach, dtype=np.float64),
         np.ascontiguousarray(dyn.cd_value, dtype=np.float64))
    return out
