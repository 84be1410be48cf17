"""Compiled (numba) functions of the engine, imported only by ``_kernel`` on first use (importing this module
imports numba and compiles nothing; each function compiles on its first call, then numba's disk cache serves later
processes).

- ``rhs_one``: the right-hand side of :class:`~equilibrium.trajectory.engine.Dynamics` for one trajectory — the one
  compiled copy of the equations (``Dynamics.numpy_rhs`` is their reference form in numpy; tests compare);
- ``rhs_batch`` / ``rhs_point``: that right-hand side over a batch (6, n), or for one state (solve_ivp);
- ``fly_range``: the fused stepping loop — the adaptive Dormand–Prince 5(4) of ``engine.integrate``, impact and
  apogee location and the burnout state, one trajectory after another; it releases the GIL so that
  ``_kernel.fly`` can run slices of a batch on several threads.

Packed inputs (built by ``_kernel.pack`` and ``_kernel.env``; units SI): ``st`` (n, S, 8) per stage: ignition,
burnout (s), mass flow (kg/s), vacuum thrust (N), exit area (m²), dry and propellant mass (kg), drag reference area
(m²); ``sc`` (n, 22) per trajectory: payload, shroud (kg), jettison time (s), drag factor (–), re-entry ballistic
coefficient (kg/m², NaN: none), up (3) and launch-azimuth (3) unit vectors (ECEF), vertical-rise end, pitch-over end
(s), kick, bias (rad), bias start (s), initial position (3, m) and velocity (3, m/s), ECI; ``ev`` (n, E) event
times (s); ``g``: a, b (m), GM (m³/s²), J2 (–), ω (rad/s), atmosphere on (1/0), grid step and top (m); ``tab`` (6,
grid): ln ρ, its slope per cell, ln p, slope, speed of sound, slope; ``cd_mach``/``cd_value`` the Cd(Mach) table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

# Columns of fly_range's float output f_out (n, N_OUT): impact time (s), impact position (3, m, ECI), impact speed
# (m/s), apogee (m), burnout time (s) and state (6), step attempts, right-hand-side evaluations, time reached (s),
# the step (s) that fell below the minimum, why a flight stopped (1 step count, 2 step size).
F_T_IMP, F_POS, F_SPD, F_APOGEE, F_BO, F_STEPS, F_NFEV, F_T_STOP, F_H_STOP, F_WHY = 0, 1, 4, 5, 6, 13, 14, 15, 16, 17
N_OUT = 18


def _jit(f: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True)(f))


def _jit_inline(f: F) -> F:
    """Compiled and inlined at each call site (the right-hand side: a call per evaluation costs as much as half of
    its arithmetic)."""
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(f))


@_jit_inline
def rhs_one(i: Any, ti: float, s: Any, out: Any, st: Any, sc: Any, g: Any, tab: Any, cd_mach: Any,
            cd_value: Any) -> None:
    """dY/dt of trajectory ``i`` at time ``ti`` (s), state ``s`` (6: m, m/s) into ``out`` (6)."""
    a_e, b_e, gm, j2, omega = g[0], g[1], g[2], g[3], g[4]
    atm_on = g[5] != 0.0
    step, top = g[6], g[7]
    ns = st.shape[1]
    nm = cd_mach.shape[0]
    ng = tab.shape[1]
    x, yy, z = s[0], s[1], s[2]
    vx, vy, vz = s[3], s[4], s[5]
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
    a_snd = tab[4, ig] + fg * tab[5, ig]
    burning = False
    for k in range(st.shape[1]):
        if ti >= st[i, k, 0] and ti < st[i, k, 1]:
            burning = True
    if atm_on and h <= top:
        rho = math.exp(tab[0, ig] + fg * tab[1, ig])
        pres = math.exp(tab[2, ig] + fg * tab[3, ig]) if burning else 0.0  # pressure acts on thrust only
    else:
        rho = 0.0
        pres = 0.0
    vrx, vry, vrz = vx + omega * yy, vy - omega * x, vz
    vr = math.sqrt(vrx * vrx + vry * vry + vrz * vrz)
    # mass, thrust, reference area
    beta_rv = sc[i, 4]
    m = sc[i, 0] + (sc[i, 1] if ti < sc[i, 2] else 0.0)
    thrust = 0.0
    dropped = 0
    for k in range(ns):
        t_on, t_off = st[i, k, 0], st[i, k, 1]
        attached = ti < t_off
        if k == ns - 1 and not math.isfinite(beta_rv):
            attached = True
        burn = min(max(ti - t_on, 0.0), t_off - t_on) * st[i, k, 2]
        if attached:
            m += st[i, k, 5] + st[i, k, 6] - burn
        else:
            dropped += 1
        if ti >= t_on and ti < t_off:
            thrust += max(st[i, k, 3] - pres * st[i, k, 4], 0.0)
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
        cd *= sc[i, 3]
        kd = 0.5 * rho * vr * cd * st[i, low, 7] / m
        if ti >= st[i, ns - 1, 1] and math.isfinite(beta_rv):
            kd = 0.5 * rho * vr / beta_rv
        ax -= kd * vrx
        ay -= kd * vry
        az -= kd * vrz
    if thrust > 0.0:
        th = omega * ti
        c, sn = math.cos(th), math.sin(th)
        upx, upy, upz = c * sc[i, 5] - sn * sc[i, 6], sn * sc[i, 5] + c * sc[i, 6], sc[i, 7]
        hx, hy, hz = c * sc[i, 8] - sn * sc[i, 9], sn * sc[i, 8] + c * sc[i, 9], sc[i, 10]
        t_vert, t_kick = sc[i, 11], sc[i, 12]
        frac = (ti - t_vert) / max(t_kick - t_vert, 1e-9)
        frac = min(max(frac, 0.0), 1.0)
        ang = sc[i, 13] * frac
        ca, sa = math.cos(ang), math.sin(ang)
        ux, uy, uz = ca * upx + sa * hx, ca * upy + sa * hy, ca * upz + sa * hz
        if ti >= t_kick and vr > 1.0:
            ux, uy, uz = vrx / vr, vry / vr, vrz / vr
            bi = sc[i, 14] if ti >= sc[i, 15] else 0.0
            if bi != 0.0:
                # tilt in the vertical plane, toward the upward normal of the velocity; never past the local
                # vertical (a vertical velocity has no "above": the tilt then fades out, or for a negative tilt
                # turns toward the launch azimuth)
                rx, ry, rz = x / r, yy / r, z / r
                d = min(max(rx * ux + ry * uy + rz * uz, -1.0), 1.0)
                bi = min(bi, 0.5 * math.pi - math.asin(d))
                nx, ny, nz = rx - d * ux, ry - d * uy, rz - d * uz
                nn = math.sqrt(nx * nx + ny * ny + nz * nz)
                if nn <= 1e-9:
                    nx, ny, nz, nn = -hx, -hy, -hz, 1.0
                cb, sb = math.cos(bi), math.sin(bi)
                ux, uy, uz = cb * ux + sb * nx / nn, cb * uy + sb * ny / nn, cb * uz + sb * nz / nn
        fm = thrust / m
        ax += fm * ux
        ay += fm * uy
        az += fm * uz
    out[0] = vx
    out[1] = vy
    out[2] = vz
    out[3] = ax
    out[4] = ay
    out[5] = az

@_jit
def rhs_batch(t: Any, y: Any, out: Any, st: Any, sc: Any, g: Any, tab: Any, cd_mach: Any,
              cd_value: Any) -> None:
    """dY/dt (6, n) of a batch: ``rhs_one`` for every column."""
    s = np.empty(6)
    o = np.empty(6)
    for i in range(y.shape[1]):
        for c in range(6):
            s[c] = y[c, i]
        rhs_one(i, t[i], s, o, st, sc, g, tab, cd_mach, cd_value)
        for c in range(6):
            out[c, i] = o[c]

@_jit
def rhs_point(t: float, y: Any, st: Any, sc: Any, g: Any, tab: Any, cd_mach: Any, cd_value: Any) -> Any:
    """dY/dt (6,) of trajectory 0 at time ``t`` (s), state ``y`` (6,)."""
    s = np.empty(6)
    for c in range(6):
        s[c] = y[c]
    out = np.empty(6)
    rhs_one(0, t, s, out, st, sc, g, tab, cd_mach, cd_value)
    return out

@_jit
def altitude(x: float, y: float, z: float, a_e: float, b_e: float) -> float:
    """Height (m) above the ellipsoid, fast form (see EarthModel.altitude)."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    if b_e == a_e:
        return r - a_e
    s2 = z * z / r2
    c2 = 1.0 - s2
    return r - a_e * b_e / math.sqrt(b_e * b_e * c2 + a_e * a_e * s2)

@_jit
def hermite(y0: Any, y1: Any, h: float, s: float, pos: Any, vel: Any) -> None:
    """Cubic Hermite position (m) and velocity (m/s) at fraction ``s`` of a step of ``h`` s (engine._hermite)."""
    s2 = s * s
    s3 = s2 * s
    h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
    d00, d10, d01, d11 = 6 * s2 - 6 * s, 3 * s2 - 4 * s + 1, -6 * s2 + 6 * s, 3 * s2 - 2 * s
    for c in range(3):
        p0, p1, v0, v1 = y0[c], y1[c], y0[c + 3], y1[c + 3]
        pos[c] = h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1
        vel[c] = (d00 * p0 + d01 * p1) / h + d10 * v0 + d11 * v1

# Dormand–Prince 5(4) tableau (as engine._C, _A, _B5, _E); row 6 of A holds the fifth-order weights.
c_dp = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0])
a_dp = np.zeros((7, 7))
a_dp[1, :1] = (1 / 5,)
a_dp[2, :2] = (3 / 40, 9 / 40)
a_dp[3, :3] = (44 / 45, -56 / 15, 32 / 9)
a_dp[4, :4] = (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729)
a_dp[5, :5] = (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656)
a_dp[6, :6] = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)
e_dp = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])  # b5 − b4

@_jit
def fly_range(lo: int, hi: int, st: Any, sc: Any, ev: Any, g: Any, tab: Any, cd_mach: Any, cd_value: Any,
              opt: Any, f_out: Any, status: Any) -> None:
    """Integrate trajectories ``lo``…``hi − 1`` from lift-off to impact (engine.integrate, one at a time).

    ``opt``: rtol, atol_m, atol_m_s, t_max_s, h0_s, h_max_s, max_steps, h_min_s. Writes ``status`` (0 impact,
    1 none before t_max, 2 non-finite, 3 stopped) and ``f_out`` rows (columns F_*)."""
    rtol, atol_p, atol_v, t_max, h0, h_max = opt[0], opt[1], opt[2], opt[3], opt[4], opt[5]
    max_steps = int(opt[6])
    h_min = opt[7]
    a_e, b_e = g[0], g[1]
    eps = 1e-9
    ns = st.shape[1]
    ne = ev.shape[1]
    k = np.empty((7, 6))
    y = np.empty(6)
    yt = np.empty(6)
    y_old = np.empty(6)
    pos = np.empty(3)
    vel = np.empty(3)
    alt_s = np.empty(65)
    for i in range(lo, hi):
        for c in range(3):
            y[c] = sc[i, 16 + c]
            y[c + 3] = sc[i, 19 + c]
        t = 0.0
        h = h0
        t_last_bo = st[i, ns - 1, 1]
        apogee = 0.0
        stat = 1
        steps = 0
        nfev = 0
        fresh = True  # k[0] must be evaluated at (t, y)
        for c in range(F_T_IMP, N_OUT):
            f_out[i, c] = np.nan
        f_out[i, F_WHY] = 0.0
        while True:
            steps += 1
            nxt = np.inf
            for j in range(ne):
                e = ev[i, j]
                if e > t + eps and e < nxt:
                    nxt = e
            limit = min(nxt, t_max)
            h = min(min(h, h_max), limit - t)
            clamp = h >= (limit - t) - 1e-12
            t_end = t + h - eps  # left limit at the step's end: a discontinuity there is not crossed
            # stages 0…6 (0 only when not carried over from the last step; 6 is the fifth-order solution)
            for sg in range(0 if fresh else 1, 7):
                for c in range(6):
                    acc = 0.0
                    for j in range(sg):
                        acc += a_dp[sg, j] * k[j, c]
                    yt[c] = y[c] + h * acc
                rhs_one(i, min(t + c_dp[sg] * h, t_end), yt, k[sg], st, sc, g, tab, cd_mach, cd_value)
                nfev += 1
            y5 = yt  # the fifth-order solution (stage 6's state)
            acc = 0.0
            for c in range(6):
                ec = 0.0
                for j in range(7):
                    ec += e_dp[j] * k[j, c]
                ec *= h
                sc_c = (atol_p if c < 3 else atol_v) + rtol * max(abs(y[c]), abs(y5[c]))
                acc += (ec / sc_c) ** 2
            err = math.sqrt(acc / 6.0)
            if not math.isfinite(err):
                stat = 2
                break
            accept = err <= 1.0
            fac = 0.9 * max(err, 1e-10) ** -0.2 if err > 0 else 5.0
            h_next = h * min(max(fac, 0.2), 5.0)
            h_used = h
            if not accept:
                h = min(h_next, h_used * 0.5)
                fresh = False
                if h_used <= h_min:
                    stat = 3
                    f_out[i, F_WHY] = 2.0
                    f_out[i, F_H_STOP] = h_used
                    break
                if steps >= max_steps:
                    stat = 3
                    f_out[i, F_WHY] = 1.0
                    break
                continue
            t_old = t
            t = limit if clamp else t + h
            for c in range(6):
                y_old[c] = y[c]
                y[c] = y5[c]
            if clamp:
                h = max(h_next, h_used)
                fresh = True  # a discontinuity may lie at the new t: evaluate its right limit
            else:
                h = h_next
                for c in range(6):
                    k[0, c] = k[6, c]  # first same as last (evaluated ε before t: no discontinuity there)
                fresh = False
            if t == t_last_bo:
                f_out[i, F_BO] = t
                for c in range(6):
                    f_out[i, F_BO + 1 + c] = y[c]
            alt = altitude(y[0], y[1], y[2], a_e, b_e)
            apogee = max(apogee, alt)
            rd0 = y_old[0] * y_old[3] + y_old[1] * y_old[4] + y_old[2] * y_old[5]
            rd1 = y[0] * y[3] + y[1] * y[4] + y[2] * y[5]
            if rd0 > 0 and rd1 <= 0:
                # apogee inside the step: Hermite samples, then the parabola through the highest three
                best = -np.inf
                jb = 0
                for j in range(65):
                    hermite(y_old, y, h_used, j / 64.0, pos, vel)
                    alt_s[j] = altitude(pos[0], pos[1], pos[2], a_e, b_e)
                    if alt_s[j] > best:
                        best = alt_s[j]
                        jb = j
                jc = min(max(jb, 1), 63)
                p0, p1, p2 = alt_s[jc - 1], alt_s[jc], alt_s[jc + 1]
                den = p0 - 2 * p1 + p2
                peak = p1 - (p2 - p0) ** 2 / (8 * den) if den < 0 else p1
                apogee = max(apogee, max(peak, best))
            if alt < 0.0 and t > 1.0:
                # impact: first sign change among 65 Hermite samples, then Newton kept in that interval
                first = 64
                for j in range(65):
                    hermite(y_old, y, h_used, j / 64.0, pos, vel)
                    alt_s[j] = altitude(pos[0], pos[1], pos[2], a_e, b_e)
                    if alt_s[j] < 0.0:
                        first = j
                        break
                first = max(first, 1)
                s0, s1 = (first - 1) / 64.0, first / 64.0
                q0, q1 = alt_s[first - 1], alt_s[first]
                sr = s0 + (s1 - s0) * q0 / (q0 - q1) if q0 != q1 else s1
                for _ in range(4):
                    hermite(y_old, y, h_used, sr, pos, vel)
                    f = altitude(pos[0], pos[1], pos[2], a_e, b_e)
                    rn = math.sqrt(pos[0] * pos[0] + pos[1] * pos[1] + pos[2] * pos[2])
                    df = h_used * (pos[0] * vel[0] + pos[1] * vel[1] + pos[2] * vel[2]) / rn
                    sr = min(max(sr - f / (df if df != 0 else -1.0), s0), s1)
                hermite(y_old, y, h_used, sr, pos, vel)
                f_out[i, F_T_IMP] = t_old + sr * h_used
                for c in range(3):
                    f_out[i, F_POS + c] = pos[c]
                f_out[i, F_SPD] = math.sqrt(vel[0] * vel[0] + vel[1] * vel[1] + vel[2] * vel[2])
                stat = 0
                break
            if t >= t_max:
                break
            if steps >= max_steps:
                stat = 3
                f_out[i, F_WHY] = 1.0
                break
        status[i] = stat
        f_out[i, F_APOGEE] = apogee
        f_out[i, F_STEPS] = steps
        f_out[i, F_NFEV] = nfev
        f_out[i, F_T_STOP] = t



