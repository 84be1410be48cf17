"""US Standard Atmosphere 1976, tabulated once from the maintained ``ussa1976`` package and interpolated.

``ussa1976`` (NASA-TM-X-74335 / NOAA-S/T-76-1562) computes the full model from 0 to 1,000 km but takes about a
second per call, far too slow inside an integrator; :func:`table` evaluates it once per process on a grid
(100 m steps to 100 km, 2 km steps above) and :class:`Atmosphere` interpolates log-density and log-pressure
linearly (exact at the grid points; the model's layers are exponential in between) and the speed of sound
linearly. Above 1,000 km density and pressure are zero. Below 0 m the sea-level values hold.

The 1976 standard does not define a speed of sound above 86 km (``ussa1976`` returns NaN there); we use
√(γ R T) with the sea-level air constants (γ = 1.4, R = 287.053 J/(kg K)) of the standard's lower layers;
drag above 86 km is negligible for ballistic flight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from equilibrium.errors import MissingDependency

Array = NDArray[np.float64]
TOP_M = 1_000_000.0
"""Top of the tabulated atmosphere (m); above it density and pressure are zero."""


@lru_cache(maxsize=1)
def table() -> tuple[Array, Array, Array, Array]:
    """``(altitude m, ln density kg/m³, ln pressure Pa, speed of sound m/s)`` on the interpolation grid."""
    try:
        import ussa1976
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MissingDependency("the ussa1976 package is needed for the atmosphere (pip install ussa1976)") from exc
    z = np.unique(np.concatenate([np.arange(0.0, 100_000.0, 100.0), np.arange(100_000.0, TOP_M + 1.0, 2_000.0)]))
    ds = ussa1976.compute(z=z, variables=["t", "p", "rho", "cs"])
    t = np.asarray(ds["t"].values, float)
    cs = np.asarray(ds["cs"].values, float)
    cs = np.where(np.isfinite(cs), cs, np.sqrt(1.4 * 287.053 * t))
    return z, np.log(np.asarray(ds["rho"].values, float)), np.log(np.asarray(ds["p"].values, float)), cs


_STEP_M = 100.0
"""Spacing (m) of the uniform lookup grid built from :func:`table` for the integrator."""


@lru_cache(maxsize=1)
def _uniform() -> tuple[Array, Array, Array, Array, Array, Array]:
    """Uniform 100 m grid 0–1,000 km: ln ρ, its slope per cell, ln p, slope, a, slope (interpolated from
    :func:`table`, which is exact at its own nodes)."""
    z, lrho, lp, cs = table()
    grid = np.arange(0.0, TOP_M + _STEP_M, _STEP_M)
    out = []
    for col in (lrho, lp, cs):
        v = np.interp(grid, z, col)
        out += [v, np.append(np.diff(v), 0.0)]
    return out[0], out[1], out[2], out[3], out[4], out[5]


@dataclass(frozen=True)
class Atmosphere:
    """Density (kg/m³), pressure (Pa) and speed of sound (m/s) at geometric altitude (m).

    ``enabled=False`` gives a vacuum (for drag-free checks; the speed of sound stays defined).
    """

    enabled: bool = True

    def __call__(self, h_m: Array) -> tuple[Array, Array, Array]:
        """``(rho kg/m³, p Pa, a m/s)`` at altitudes ``h_m`` (m): one index computation on a uniform 100 m grid
        for all three quantities (ln ρ and ln p linear in each cell, i.e. exponential between nodes)."""
        lr, dlr, lp, dlp, cs, dcs = _uniform()
        h = np.asarray(h_m, float)
        x = np.clip(h, 0.0, TOP_M) / _STEP_M
        i = np.minimum(x.astype(np.intp), len(lr) - 2)
        f = x - i
        a = cs[i] + f * dcs[i]
        if not self.enabled:
            zero = np.zeros_like(h)
            return zero, zero, a
        rho = np.exp(lr[i] + f * dlr[i])
        p = np.exp(lp[i] + f * dlp[i])
        above = h > TOP_M
        if above.any():
            rho = np.where(above, 0.0, rho)
            p = np.where(above, 0.0, p)
        return rho, p, a

    @property
    def sea_level_pressure_pa(self) -> float:
        """Sea-level pressure of the standard (Pa): 101,325."""
        return 101325.0
