"""Global sensitivity of the scenario model with SALib: Sobol indices (Saltelli/Sobol' sampler and the matching
analyser; first-order S1 and total ST with bootstrap confidence intervals) and the Morris elementary-effects screen.

Factors: every scenario parameter given as an interval (uniform over [min, max], its unit as in
:data:`equilibrium.dynamics.model.PARAMETERS`) and the marginal quantile q ∈ [0, 1] of every effort coefficient
whose draws vary (``q_<column>``: the coefficient is the q-quantile of its bootstrap draws, the correlation between
coefficients ignored). Parameters given as one value, and coefficients not among the factors, stay at that value /
their median. The noise is common to all rows (one draw from the seed), so the model is a deterministic function of
the factors, as Sobol analysis needs.

Outputs (in the target year, default the last of the horizon, e.g. 2053 for 30 years from 2023):
``ln_milex_ratio`` (ln of India / Pakistan military expenditure: the ratio itself is heavy-tailed under explosive
coefficient draws), ``alignment`` (–), ``cost_pct_gdp`` (% of GDP), ``china_share`` (–).

An index whose confidence interval reaches zero or below (``S − conf ≤ 0``) is flagged ``unreliable``: numerically
indistinguishable from zero (SALib's own advice: raise N, or read it as zero). Scenario discovery (PRIM) is not
offered: the maintained implementation (EMA Workbench) would add ema_workbench, Platypus-Opt, seaborn and tqdm to
the dependencies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from equilibrium.dynamics.model import (
    COEF_COLUMNS,
    N_NOISE,
    PARAM_NAMES,
    PARAMETERS,
    Coefficients,
    Inputs,
    Scenario,
    calibrate,
    check_years,
    integrate,
    load_scenario,
    split_coefficients,
)
from equilibrium.errors import InvalidInput

SENSITIVITY_OUTPUTS: dict[str, str] = {
    "ln_milex_ratio": "ln of India / Pakistan military expenditure (–)",
    "alignment": "Pakistan's alignment, 0 = United States … 1 = China (–)",
    "cost_pct_gdp": "cumulative cost of sanctions to Pakistan (% of GDP)",
    "china_share": "China's share of Pakistan's arms imports (–)",
}
MIN_SOBOL_N = 64
"""Smallest Sobol base sample (a power of two): with fewer the bootstrap intervals are as wide as the indices."""
MIN_MORRIS_TRAJECTORIES = 10
"""Fewest Morris trajectories."""


def _none(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True)
class Factor:
    """A factor of the analysis: its name, kind (``scenario`` parameter or ``coefficient`` quantile), interval and
    unit."""

    name: str
    kind: str
    lo: float
    hi: float
    unit: str


def factors(scenario: Scenario, coeffs: Coefficients, *, coefficients: bool = True) -> list[Factor]:
    """The scenario's interval parameters, then the quantiles of the coefficients whose draws vary."""
    out = [Factor(n, "scenario", scenario.params[n].low, scenario.params[n].high, PARAMETERS[n].unit)
           for n in scenario.uncertain()]
    if coefficients:
        spread = coeffs.draws.max(axis=0) - coeffs.draws.min(axis=0)
        out += [Factor(f"q_{c}", "coefficient", 0.0, 1.0, "quantile") for i, c in enumerate(COEF_COLUMNS)
                if spread[i] > 0]
    return out


def evaluate(x: np.ndarray, fac: Sequence[Factor], scenario: Scenario, coeffs: Coefficients, years: int,
             *, seed: int = 0) -> dict[str, np.ndarray]:
    """The model's :data:`SENSITIVITY_OUTPUTS` in the last year for each row of ``x`` (rows, factors), in the
    factors' units; other parameters at their value (or interval midpoint), other coefficients at their median;
    one noise path (from ``seed``) shared by every row."""
    check_years(years)
    x = np.atleast_2d(np.asarray(x, dtype=float))
    rows = x.shape[0]
    col = {f.name: i for i, f in enumerate(fac)}
    params: dict[str, np.ndarray] = {}
    for n in PARAM_NAMES:
        p = scenario.params[n]
        params[n] = x[:, col[n]] if n in col else np.full(rows, 0.5 * (p.low + p.high))
    q = np.full((rows, len(COEF_COLUMNS)), 0.5)
    for i, c in enumerate(COEF_COLUMNS):
        if f"q_{c}" in col:
            q[:, i] = x[:, col[f"q_{c}"]]
    g, alpha, k, sigma = split_coefficients(coeffs.quantiles(q))
    z1 = np.random.default_rng(np.random.SeedSequence(seed)).standard_normal((years, N_NOISE))
    z = np.broadcast_to(z1, (rows, years, N_NOISE))
    out = integrate(coeffs.initial_log_milex, Inputs(params, g, alpha, k, sigma, z))
    return {"ln_milex_ratio": np.log(out["milex_ratio"][:, -1]), "alignment": out["alignment"][:, -1],
            "cost_pct_gdp": out["cost_pct_gdp"][:, -1], "china_share": out["china_share"][:, -1]}


@dataclass(frozen=True)
class SobolIndex:
    """First-order (S1) and total (ST) Sobol indices of one factor with their 95 % confidence half-widths (–)."""

    factor: str
    kind: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float

    @property
    def unreliable(self) -> bool:
        """True when the S1 or ST interval reaches zero or below (indistinguishable from zero)."""
        return bool(self.s1 - self.s1_conf <= 0 or self.st - self.st_conf <= 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (no NaN)."""
        return {"factor": self.factor, "kind": self.kind, "s1": _none(self.s1), "s1_conf": _none(self.s1_conf),
                "st": _none(self.st), "st_conf": _none(self.st_conf), "unreliable": self.unreliable}


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices per output (factors sorted by ST, largest first) and the sample used."""

    scenario: str
    n: int
    evaluations: int
    year: int | None
    indices: dict[str, list[SobolIndex]]
    factors: list[Factor]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"scenario": self.scenario, "n": self.n, "evaluations": self.evaluations, "year": self.year,
                "factors": [f.__dict__ for f in self.factors],
                "outputs": {k: {"meaning": SENSITIVITY_OUTPUTS.get(k, k),
                                "sum_s1": _none(float(sum(i.s1 for i in v))),
                                "indices": [i.to_dict() for i in v]} for k, v in self.indices.items()},
                "method": ("SALib Sobol' sampler (scrambled, N·(D+2) rows, no second order) and sobol.analyze; "
                           "95 % bootstrap intervals; 'unreliable' where the interval reaches zero")}


def sobol_analysis(fac: Sequence[Factor], fn: Callable[[np.ndarray], dict[str, np.ndarray]], n: int, *,
                   seed: int = 0, num_resamples: int = 100, label: str = "", year: int | None = None
                   ) -> SobolResult:
    """Sobol indices of ``fn`` (rows × factors → {output: values (rows,)}) over the factors' intervals, base
    sample ``n`` (a power of two ≥ :data:`MIN_SOBOL_N`)."""
    if not (isinstance(n, int) and n >= MIN_SOBOL_N and n & (n - 1) == 0):
        raise InvalidInput(f"the Sobol base sample n must be a power of two of at least {MIN_SOBOL_N} (e.g. 64, "
                           f"256, 1024), not {n!r}")
    if len(fac) < 2:
        raise InvalidInput("a Sobol analysis needs at least two uncertain factors (give parameters as min/max)")
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(fac), "names": [f.name for f in fac], "bounds": [[f.lo, f.hi] for f in fac]}
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    ys = fn(x)
    out: dict[str, list[SobolIndex]] = {}
    for key, y in ys.items():
        y = np.asarray(y, dtype=float)
        if np.ptp(y) == 0:  # a constant output: every index is zero
            out[key] = [SobolIndex(f.name, f.kind, 0.0, 0.0, 0.0, 0.0) for f in fac]
            continue
        r = sobol_analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples, seed=seed)
        idx = [SobolIndex(f.name, f.kind, float(r["S1"][i]), float(r["S1_conf"][i]), float(r["ST"][i]),
                          float(r["ST_conf"][i])) for i, f in enumerate(fac)]
        out[key] = sorted(idx, key=lambda s: -s.st if math.isfinite(s.st) else math.inf)
    return SobolResult(label, n, int(x.shape[0]), year, out, list(fac))


def sobol(scenario: Scenario | str, n: int = 1024, years: int = 30, *, seed: int = 0,
          coeffs: Coefficients | None = None, data_path: str | Path | None = None, coefficients: bool = True,
          num_resamples: int = 100) -> SobolResult:
    """Sobol indices of the scenario model's outputs in the last year of ``years`` (see the module docstring)."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    check_years(years)
    c = coeffs if coeffs is not None else calibrate(data_path, seed=seed)
    fac = factors(sc, c, coefficients=coefficients)
    return sobol_analysis(fac, lambda x: evaluate(x, fac, sc, c, years, seed=seed), n, seed=seed,
                          num_resamples=num_resamples, label=sc.id, year=c.base_year + years)


@dataclass(frozen=True)
class MorrisIndex:
    """Morris elementary effects of one factor: μ* (mean absolute effect, the output's unit) with its 95 %
    interval half-width, μ (mean effect) and σ (spread: interaction or non-linearity)."""

    factor: str
    kind: str
    mu_star: float
    mu_star_conf: float
    mu: float
    sigma: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (no NaN)."""
        return {"factor": self.factor, "kind": self.kind, "mu_star": _none(self.mu_star),
                "mu_star_conf": _none(self.mu_star_conf), "mu": _none(self.mu), "sigma": _none(self.sigma)}


@dataclass(frozen=True)
class MorrisResult:
    """Morris screen per output (factors sorted by μ*, largest first)."""

    scenario: str
    trajectories: int
    evaluations: int
    year: int | None
    indices: dict[str, list[MorrisIndex]]
    factors: list[Factor]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"scenario": self.scenario, "trajectories": self.trajectories, "evaluations": self.evaluations,
                "year": self.year, "factors": [f.__dict__ for f in self.factors],
                "outputs": {k: {"meaning": SENSITIVITY_OUTPUTS.get(k, k), "indices": [i.to_dict() for i in v]}
                            for k, v in self.indices.items()},
                "method": "SALib morris.sample (4 levels) and morris.analyze; μ* with 95 % bootstrap interval"}


def morris_analysis(fac: Sequence[Factor], fn: Callable[[np.ndarray], dict[str, np.ndarray]], trajectories: int,
                    *, seed: int = 0, levels: int = 4, label: str = "", year: int | None = None) -> MorrisResult:
    """Morris screen of ``fn`` with ``trajectories`` (≥ :data:`MIN_MORRIS_TRAJECTORIES`) trajectories."""
    if not (isinstance(trajectories, int) and trajectories >= MIN_MORRIS_TRAJECTORIES):
        raise InvalidInput(f"the Morris screen needs at least {MIN_MORRIS_TRAJECTORIES} trajectories, not "
                           f"{trajectories!r}")
    if len(fac) < 1:
        raise InvalidInput("a Morris screen needs at least one uncertain factor (give parameters as min/max)")
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = {"num_vars": len(fac), "names": [f.name for f in fac], "bounds": [[f.lo, f.hi] for f in fac]}
    x = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    out: dict[str, list[MorrisIndex]] = {}
    for key, y in fn(x).items():
        r = morris_analyze.analyze(problem, x, np.asarray(y, dtype=float), num_levels=levels, seed=seed)
        idx = [MorrisIndex(f.name, f.kind, float(r["mu_star"][i]), float(r["mu_star_conf"][i]), float(r["mu"][i]),
                           float(r["sigma"][i])) for i, f in enumerate(fac)]
        out[key] = sorted(idx, key=lambda s: -s.mu_star if math.isfinite(s.mu_star) else math.inf)
    return MorrisResult(label, trajectories, int(x.shape[0]), year, out, list(fac))


def morris(scenario: Scenario | str, trajectories: int = 100, years: int = 30, *, seed: int = 0,
           coeffs: Coefficients | None = None, data_path: str | Path | None = None,
           coefficients: bool = True) -> MorrisResult:
    """Morris screen of the scenario model's outputs in the last year of ``years``."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    check_years(years)
    c = coeffs if coeffs is not None else calibrate(data_path, seed=seed)
    fac = factors(sc, c, coefficients=coefficients)
    return morris_analysis(fac, lambda x: evaluate(x, fac, sc, c, years, seed=seed), trajectories, seed=seed,
                           label=sc.id, year=c.base_year + years)


__all__ = ["MIN_MORRIS_TRAJECTORIES", "MIN_SOBOL_N", "SENSITIVITY_OUTPUTS", "Factor", "MorrisIndex",
           "MorrisResult", "SobolIndex", "SobolResult", "evaluate", "factors", "morris", "morris_analysis", "sobol",
           "sobol_analysis"]
