"""Reference integration of the same physics with ``scipy.integrate.solve_ivp``, one trajectory at a time.

Used to check the batched engine (tests) and as the baseline of ``benchmarks/bench_trajectory.py``. The right-hand
side is the engine's own :class:`~equilibrium.trajectory.engine.Dynamics` called with a batch of one; the flight
is integrated piecewise between the discontinuities (guidance phases, ignitions, burnouts, jettison) with DOP853 at
tight tolerances (the accuracy reference) or RK45 at the engine's own (the speed baseline: the same right-hand side,
the same tolerances, scipy's stepping), and impact is a terminal event on the ellipsoid height. With numba the
right-hand side is the compiled one, packed once per flight (``_kernel.point_rhs``: one compiled call per
evaluation). Units SI; results in a :class:`~equilibrium.trajectory.engine.BatchResult` of length one, with
``nfev`` the right-hand-side evaluations scipy made.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from equilibrium.trajectory import _kernel
from equilibrium.trajectory.atmosphere import Atmosphere
from equilibrium.trajectory.earth import WGS84, EarthModel
from equilibrium.trajectory.engine import (
    BatchResult,
    Dynamics,
    Launch,
    VehicleArrays,
    _finish,
    build_params,
)


def fly_reference(va: VehicleArrays, launch: Launch, *, kick_deg: float, bias_deg: float = 0.0,
                  vertical_s: float | None = None, kick_s: float = 5.0, earth: EarthModel = WGS84,
                  atmosphere: Atmosphere | None = None, method: str = "DOP853", rtol: float = 1e-10,
                  atol_m: float = 1e-4, atol_m_s: float | None = None, t_max_s: float = 14_400.0) -> BatchResult:
    """Fly vehicle 0 of ``va`` with solve_ivp (``method`` "DOP853" or "RK45", relative tolerance ``rtol``, absolute
    tolerances ``atol_m`` (m) on position and ``atol_m_s`` (m/s; default ``atol_m`` × 1e-3 /s) on velocity)."""
    if method not in ("DOP853", "RK45"):
        raise ValueError(f"method must be 'DOP853' or 'RK45', not {method!r}")
    atm = atmosphere or Atmosphere()
    one = va.take(np.array([0]))
    p = build_params(one, launch, earth, kick_deg=kick_deg, bias_deg=bias_deg, vertical_s=vertical_s,
                     kick_s=kick_s)
    dyn = Dynamics(earth, atm, one.cd_mach, one.cd_value)

    if dyn.compiled:
        rhs = _kernel.point_rhs(dyn, p)
    else:
        def rhs(t: float, y: np.ndarray) -> np.ndarray:
            return dyn(np.array([t]), y.reshape(6, 1), p)[:, 0]

    def ground(t: float, y: np.ndarray) -> float:
        return float(earth.altitude(y[0], y[1], y[2])) if t > 1.0 else 1.0

    ground.terminal = True  # type: ignore[attr-defined]
    ground.direction = -1  # type: ignore[attr-defined]

    events = np.unique(np.concatenate([p.events[0][np.isfinite(p.events[0])], [t_max_s]]))
    events = events[(events > 0) & (events <= t_max_s)]
    y = np.concatenate([p.r0[:, 0], p.v0[:, 0]])
    t0 = 0.0
    atol = np.array([atol_m] * 3 + [atol_m * 1e-3 if atol_m_s is None else atol_m_s] * 3)
    nfev = 0
    apogee = 0.0
    bo = np.full(7, np.nan)
    status = np.array([1], np.int8)
    t_imp = np.array([np.nan])
    pos_imp = np.full((3, 1), np.nan)
    spd = np.array([np.nan])
    for t1 in events:
        if t1 <= t0:
            continue
        # Integrate to just before the discontinuity so the right-hand side stays smooth on each piece.
        sol = solve_ivp(rhs, (t0, t1 - 1e-9), y, method=method, rtol=rtol, atol=atol, events=ground,
                        dense_output=True)
        nfev += int(sol.nfev)
        ts = np.linspace(t0, sol.t[-1], 400)
        zs = sol.sol(ts)
        apogee = max(apogee, float(np.max(earth.altitude(zs[0], zs[1], zs[2]))))
        if sol.status == 1 and len(sol.t_events[0]):
            te = sol.t_events[0][0]
            ye = sol.y_events[0][0]
            status[0], t_imp[0] = 0, te
            pos_imp[:, 0] = ye[:3]
            spd[0] = float(np.linalg.norm(ye[3:]))
            break
        y = sol.y[:, -1]
        t0 = t1
        if abs(t1 - p.t_off[0, -1]) < 1e-6:
            bo[0], bo[1:] = t1, y
    res = _finish(status, t_imp, pos_imp, spd, np.array([apogee]), bo[:, None], p, launch, earth, None)
    res.nfev = np.array([float(nfev)])
    return res
