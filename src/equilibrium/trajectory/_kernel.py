"""The compiled (numba) form of the engine, as seen from Python: packing of the parameters, the batch right-hand
side (:func:`rhs`, for the numpy stepping loop), a one-state right-hand side for ``solve_ivp`` (:func:`point_rhs`) and
the fused stepping loop (:func:`fly`: the adaptive Dormand–Prince 5(4) of ``engine.integrate`` with impact and
apogee location, one trajectory at a time in compiled code, the batch split over threads). The compiled functions
live in ``_jit`` (the equations in one function, ``_jit.rhs_one``, used by all three), imported on first use.

Same equations, same order of operations as the numpy form ``Dynamics.numpy_rhs``, which stays the reference (tests
compare the two). Units SI. Importing this module imports neither numba nor compiles anything; the first use compiles
(5–10 s, then cached on disk by numba, so later processes load it in under a second) and :func:`available` says
whether numba can be used.

Each trajectory's result depends only on its own parameters: the threads split the batch, never a trajectory, so
results do not change with the number of threads or with the batch a trajectory is flown in.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from equilibrium.trajectory.atmosphere import _STEP_M, TOP_M, _uniform

Array = NDArray[np.float64]

_JIT: ModuleType | None = None
_TRIED = False


def available() -> bool:
    """True when numba is importable (the compiled functions then load from numba's cache or compile on first
    call)."""
    return _get() is not None


def _get() -> ModuleType | None:
    global _JIT, _TRIED
    if not _TRIED:
        _TRIED = True
        try:
            from equilibrium.trajectory import _jit
        except ImportError:  # pragma: no cover - numba is a declared dependency
            _JIT = None
        else:
            _JIT = _jit
    return _JIT


def _jit() -> ModuleType:
    mod = _get()
    if mod is None:  # pragma: no cover - numba is a declared dependency
        raise RuntimeError("numba is not installed: the compiled engine is unavailable")
    return mod


def env(dyn: Any) -> tuple[Array, Array, Array, Array]:
    """The environment of Dynamics ``dyn`` packed for the kernels: ``g`` (Earth and atmosphere constants), the
    atmosphere table ``tab`` (6, grid: ln ρ, slope, ln p, slope, a, slope) and the Cd(Mach) table. Cached on
    ``dyn``."""
    cached: tuple[Array, Array, Array, Array] | None = getattr(dyn, "_kernel_env", None)
    if cached is None:
        e = dyn.earth
        g = np.array([e.a, e.b, e.gm, e.j2, e.omega, 1.0 if dyn.atm.enabled else 0.0, _STEP_M, TOP_M], float)
        tab = np.ascontiguousarray(np.vstack(_uniform()), dtype=np.float64)
        cached = (g, tab, np.ascontiguousarray(dyn.cd_mach, dtype=np.float64),
                  np.ascontiguousarray(dyn.cd_value, dtype=np.float64))
        dyn._kernel_env = cached
    return cached


def pack(p: Any) -> tuple[Array, Array, Array]:
    """Params ``p`` packed for the kernels: ``st`` (n, S, 8) stage columns ST_*, ``sc`` (n, 22) per-trajectory
    columns SC_*, ``ev`` (n, E) event times (s). Cached on ``p``."""
    cached: tuple[Array, Array, Array] | None = getattr(p, "_packed", None)
    if cached is None:
        st = np.ascontiguousarray(np.stack([p.t_on, p.t_off, p.mdot, p.f_vac, p.ae, p.dry, p.prop, p.area],
                                           axis=2), dtype=np.float64)
        sc = np.ascontiguousarray(np.column_stack([p.payload, p.shroud, p.t_jet, p.cd_scale, p.beta_rv, p.up.T,
                                                   p.hdir.T, p.t_vert, p.t_kick, p.kick, p.bias, p.t_bias,
                                                   p.r0.T, p.v0.T]), dtype=np.float64)
        cached = (st, sc, np.ascontiguousarray(p.events, dtype=np.float64))
        p._packed = cached
    return cached


def rhs(dyn: Any, t: Array, y: Array, p: Any) -> Array:
    """dY/dt (6, n) through the compiled kernel (``dyn`` a Dynamics, ``p`` its Params)."""
    rhs_batch = _jit().rhs_batch
    g, tab, cdm, cdv = env(dyn)
    st, sc, _ = pack(p)
    out = np.empty((6, y.shape[1]))
    rhs_batch(np.ascontiguousarray(t, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64), out, st, sc,
              g, tab, cdm, cdv)
    return out


def point_rhs(dyn: Any, p: Any) -> Any:
    """A function ``f(t, y) -> dY/dt`` (s; (6,) m, m/s) for trajectory 0 of ``p``, everything packed once (the
    right-hand side given to ``solve_ivp``: one compiled call per evaluation)."""
    rhs_point = _jit().rhs_point
    g, tab, cdm, cdv = env(dyn)
    st, sc, _ = pack(p)
    st, sc = st[:1].copy(), sc[:1].copy()

    def f(t: float, y: Array) -> Array:
        out: Array = rhs_point(float(t), y, st, sc, g, tab, cdm, cdv)
        return out

    return f


def default_threads() -> int:
    """Threads the fused loop uses by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Fused:
    """Results of the fused loop (arrays over the batch, SI): ``status`` (engine.BatchResult's codes), impact time
    ``t_imp`` (s), position ``pos_imp`` (3, n; m, ECI) and speed ``spd_imp`` (m/s), ``apogee`` (m), burnout time and
    state ``bo`` (7, n), ``steps`` step attempts and ``nfev`` right-hand-side evaluations per flight, the time each
    flight reached ``t_stop`` (s), and for flights stopped because the step fell below the minimum, ``h_stop`` (s;
    NaN otherwise)."""

    status: NDArray[np.int8]
    t_imp: Array
    pos_imp: Array
    spd_imp: Array
    apogee: Array
    bo: Array
    steps: Array
    nfev: Array
    t_stop: Array
    h_stop: Array


def fly(dyn: Any, p: Any, opt: Any, threads: int = 0) -> Fused:
    """Fly every trajectory of Params ``p`` with the fused loop (options ``opt``, an engine.Options); ``threads``
    0: :func:`default_threads`."""
    jit = _jit()
    fly_range = jit.fly_range
    g, tab, cdm, cdv = env(dyn)
    st, sc, ev = pack(p)
    n = p.n
    o = np.array([opt.rtol, opt.atol_m, opt.atol_m_s, opt.t_max_s, opt.h0_s, opt.h_max_s, float(opt.max_steps),
                  opt.h_min_s], float)
    f = np.empty((n, jit.N_OUT))
    status = np.empty(n, np.int8)
    threads = threads or default_threads()
    chunk = max(4, -(-n // (8 * threads)))  # ~8 slices per thread: flights differ in cost
    if threads <= 1 or n <= chunk:
        fly_range(0, n, st, sc, ev, g, tab, cdm, cdv, o, f, status)
    else:
        bounds = [(a, min(a + chunk, n)) for a in range(0, n, chunk)]
        with ThreadPoolExecutor(max_workers=min(threads, len(bounds))) as pool:
            for _ in pool.map(lambda b: fly_range(b[0], b[1], st, sc, ev, g, tab, cdm, cdv, o, f, status), bounds):
                pass
    h_stop = np.where(f[:, jit.F_WHY] == 2.0, f[:, jit.F_H_STOP], np.nan)
    return Fused(status=status, t_imp=f[:, jit.F_T_IMP].copy(), pos_imp=np.ascontiguousarray(f[:, 1:4].T),
                 spd_imp=f[:, jit.F_SPD].copy(), apogee=f[:, jit.F_APOGEE].copy(),
                 bo=np.ascontiguousarray(f[:, jit.F_BO:jit.F_BO + 7].T), steps=f[:, jit.F_STEPS].copy(),
                 nfev=f[:, jit.F_NFEV].copy(), t_stop=f[:, jit.F_T_STOP].copy(), h_stop=h_stop)


__all__ = ["Fused", "available", "default_threads", "env", "fly", "pack", "point_rhs", "rhs"]
