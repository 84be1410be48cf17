"""Arms racing between China, India and Pakistan: Richardson action-reaction fits, Granger causality, VAR and VECM,
structural breaks found by ``ruptures`` and tested, and the published qualitative findings set beside the estimates.

Data
    A table *wide by year*: one row per year (the index, integer years), one column per country (ISO3), values in
    US$ m at constant 2022 prices (SIPRI military expenditure, ``dynamics.data.series(..., "milex_usd_m")``). A
    table with the years as columns is transposed. With ``log=True`` (the default) every estimator works on the
    natural log of the spending, so coefficients are semi-elasticities (a change of 0.01 in log spending is about
    1 % of spending) and ΔM is the yearly growth rate (log points per year).

Richardson action-reaction (:func:`fit_richardson`)
    levels form       ΔM_i,t = g_i + Σ_j k_ij·M_j,t−1 − α_i·M_i,t−1 + e_t
    differences form  ΔM_i,t = g_i + Σ_j k_ij·ΔM_j,t−1 + ρ_i·ΔM_i,t−1 + e_t
    with M = log spending (log US$ m, constant 2022) or spending (US$ m); g = drift (log points per year, or US$ m
    per year), k = reaction to a rival (per unit of the rival's spending), α = fatigue (per year), ρ = persistence of
    the actor's own growth. OLS (statsmodels) with Newey-West (HAC) standard errors, Bartlett kernel, lag
    ``floor(4·(n/100)^(2/9))``, small-sample correction, t-distribution p-values. Coefficient draws for the
    scenario model come from :meth:`RichardsonFit.bootstrap`: a fixed-design residual bootstrap (residuals
    resampled with replacement, rescaled by sqrt(n/(n−p)), added to the fitted values, refitted).

Granger causality, VAR, VECM (:func:`granger`, :func:`var_fit`, :func:`vecm_fit`)
    statsmodels ``VAR`` on log growth rates (``transform="differences"``, the default, as SIPRI log spending is
    trending) or on log levels; the lag order is chosen by AIC (or BIC) up to ``maxlags`` and stated, at least 1.
    Granger tests are F tests (``VARResults.test_causality(kind="f")``) in both directions. ``vecm_fit`` chooses
    the lag of the differences with ``vecm.select_order`` and the cointegration rank with ``select_coint_rank``
    (Johansen trace test at 5 %), reporting the trace statistics and critical values.

Structural breaks (:func:`breaks`)
    Breaks in the Richardson regression are searched with ``ruptures`` (PELT, or binary segmentation, on a
    piecewise linear regression cost, ``model="linear"``) with a BIC-style penalty σ̂²·(p+1)·ln n (σ̂² the
    full-sample residual variance, p the number of coefficients) and a minimum segment length (years), and every
    break found is *tested*: a Chow F test of parameter constancy at that year (nominal p; the year was chosen by
    the data, so it is optimistic) and the Andrews sup-F over all years in the central 70 % of the sample with a
    fixed-regressor residual bootstrap p-value (Hansen 2000), which is honest about the search. The literature's
    candidate years (1971, 1998, 2001, 2019) are tested the same way and reported separately (chosen in advance:
    the nominal Chow p applies).

Published findings (:func:`published_findings`, :func:`compare_findings`)
    ``data/dynamics/findings.yml``: each finding's claim with sources and the checks that compare it with an
    estimate. A claim of an effect agrees when the estimate has the claimed sign with p < 0.05, disagrees when it
    has the opposite sign with p < 0.05 or p ≥ 0.10 (no detectable effect); a claim of no effect agrees when
    p ≥ 0.10 and disagrees when p < 0.05; otherwise (0.05 ≤ p < 0.10) inconclusive.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from equilibrium.errors import DataError, InvalidInput, UnknownChoice
from equilibrium.provenance import data_path, load_bibliography
from equilibrium.provenance.yamlio import load_yaml, validate_items

Form = Literal["levels", "differences"]
Transform = Literal["levels", "differences"]
Verdict = Literal["agree", "disagree", "inconclusive"]

MIN_RESID_DF = 10
"""Fewest residual degrees of freedom (observations minus coefficients per equation) any fit accepts (years)."""
CANDIDATE_BREAKS: tuple[int, ...] = (1971, 1998, 2001, 2019)
"""Break years named in the literature (war of 1971, nuclear tests 1998, the 2001-02 standoff, 2019 Balakot)."""
SIGNIF = 0.05
"""Significance level of every test (evidence *for* an effect)."""
NO_EFFECT_P = 0.10
"""A p-value at or above this reads as no detectable effect (evidence *against* a claimed effect)."""
SYSTEMS: dict[str, dict[str, list[str]]] = {
    "bilateral": {"IND": ["PAK"], "PAK": ["IND"]},
    "triad": {"CHN": [], "IND": ["CHN", "PAK"], "PAK": ["IND"]},
}
"""Who responds to whom: the bilateral India ↔ Pakistan race and the chain China → India → Pakistan (China's
equation has no South Asian rival: drift and fatigue only; India responds to China and Pakistan; Pakistan to
India)."""


# ---------------------------------------------------------------------------------------------------------------
# Input handling


def _clean(x: float) -> float | None:
    """A float for JSON: None for NaN or infinity."""
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _clean_map(m: Mapping[str, float]) -> dict[str, float | None]:
    return {k: _clean(v) for k, v in m.items()}


def _yearlike(idx: Any) -> bool:
    try:
        vals = [int(v) for v in idx]
        return len(vals) > 0 and all(float(v) == int(v) and 1 <= int(v) <= 3000 for v in idx)
    except (TypeError, ValueError):
        return False


def panel(wide: pd.DataFrame) -> pd.DataFrame:
    """The table as years (int index, sorted, every year from the first to the last) × ISO3 columns (upper case),
    float values in the input's unit (US$ m constant 2022 for SIPRI). A table with years as columns is transposed;
    missing years become NaN rows."""
    if not isinstance(wide, pd.DataFrame) or wide.empty:
        raise InvalidInput("expected a non-empty table of military spending wide by year (years × ISO3 codes)")
    df = wide
    if not _yearlike(df.index) and _yearlike(df.columns):
        df = df.T
    if not _yearlike(df.index):
        raise InvalidInput("expected a table wide by year: integer years as the index (or the columns) and ISO3 "
                           "codes as the other axis")
    df = df.copy()
    df.index = pd.Index([int(v) for v in df.index], name="year")
    df.columns = [str(c).upper() for c in df.columns]
    df = df.sort_index()
    df = df.apply(pd.to_numeric, errors="coerce").astype(float)
    return df.reindex(range(int(df.index[0]), int(df.index[-1]) + 1))


def _columns(df: pd.DataFrame, names: Iterable[str]) -> list[str]:
    from rapidfuzz import process

    out = []
    for n in names:
        code = str(n).upper()
        if code not in df.columns:
            near = [m[0] for m in process.extract(code, list(df.columns), limit=3)]
            raise UnknownChoice("country", str(n), near)
        out.append(code)
    if len(set(out)) != len(out):
        raise InvalidInput(f"a country appears twice among {', '.join(out)}")
    return out


def _prepare(wide: pd.DataFrame, names: Sequence[str], *, log: bool, start: int | None,
             end: int | None) -> pd.DataFrame:
    """The named columns, restricted to [start, end] (years, inclusive), in logs when ``log``."""
    df = panel(wide)
    cols = _columns(df, names)
    if start is not None and end is not None and start > end:
        raise InvalidInput(f"start {start} is after end {end}")
    lo = df.index[0] if start is None else max(int(start), int(df.index[0]))
    hi = df.index[-1] if end is None else min(int(end), int(df.index[-1]))
    sub = df.loc[lo:hi, cols] if lo <= hi else df.iloc[0:0][cols]
    for c in cols:
        if sub[c].notna().sum() == 0:
            raise InvalidInput(f"{c} has no data in {start or df.index[0]}-{end or df.index[-1]}")
    if log:
        bad = sub[(sub <= 0).any(axis=1)]
        if len(bad):
            raise InvalidInput(f"log of a spending that is zero or negative in {int(bad.index[0])}; fit with "
                               "log=False or choose the period")
        sub = np.log(sub)
    return sub


def _too_few(n: int, p: int, what: str, years: Sequence[int]) -> InvalidInput:
    span = f" ({years[0]}-{years[-1]})" if len(years) else ""
    return InvalidInput(f"too few observations for {what}: {n} usable years{span} for {p} coefficients per "
                        f"equation; need at least {p + MIN_RESID_DF} (widen the period or lower the lag order)")


# ---------------------------------------------------------------------------------------------------------------
# Richardson


def _design(sub: pd.DataFrame, actor: str, rivals: Sequence[str],
            form: Form) -> tuple[np.ndarray, np.ndarray, list[str], list[int]]:
    """y (n), X (n × p), coefficient names (raw: own-lag coefficient as ``own``) and the dependent years."""
    dx = sub.diff()
    cols: dict[str, pd.Series] = {"g": pd.Series(1.0, index=sub.index)}
    if form == "levels":
        for r in rivals:
            cols[f"k_{r}"] = sub[r].shift(1)
        cols["own"] = sub[actor].shift(1)
    else:
        for r in rivals:
            cols[f"k_{r}"] = dx[r].shift(1)
        cols["own"] = dx[actor].shift(1)
    frame = pd.DataFrame({"y": dx[actor], **cols}).dropna()
    names = list(cols)
    return (frame["y"].to_numpy(float), frame[names].to_numpy(float), names, [int(y) for y in frame.index])


def _public_names(raw: Sequence[str], form: Form) -> list[str]:
    own = "alpha" if form == "levels" else "rho"
    return [own if n == "own" else n for n in raw]


def _signs(raw: Sequence[str], form: Form) -> np.ndarray:
    """+1/−1 per coefficient: α is reported as minus the own-lag coefficient (fatigue positive)."""
    return np.array([-1.0 if (n == "own" and form == "levels") else 1.0 for n in raw])


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) bandwidth rule floor(4·(n/100)^(2/9)) for ``n`` observations (years)."""
    return max(1, int(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0))))


@dataclass(frozen=True)
class RichardsonFit:
    """One actor's Richardson equation, fitted. ``params``/``se``/``pvalues`` by name: ``g`` (drift, log points or
    US$ m per year), ``k_<ISO3>`` (reaction to that rival), ``alpha`` (fatigue, levels form; reported positive when
    spending is pulled back) or ``rho`` (own growth persistence, differences form). ``years`` are the dependent
    variable's years."""

    actor: str
    rivals: tuple[str, ...]
    form: Form
    log: bool
    params: dict[str, float]
    se: dict[str, float]
    pvalues: dict[str, float]
    n: int
    years: tuple[int, ...]
    r2: float
    r2_adj: float
    sigma: float
    hac_maxlags: int
    formula: str
    unit: str
    _X: np.ndarray = field(repr=False, compare=False)
    _y: np.ndarray = field(repr=False, compare=False)
    _raw: tuple[str, ...] = field(repr=False, compare=False)
    _beta: np.ndarray = field(repr=False, compare=False)

    @property
    def start(self) -> int:
        """First dependent year."""
        return self.years[0]

    @property
    def end(self) -> int:
        """Last dependent year."""
        return self.years[-1]

    @property
    def names(self) -> list[str]:
        """Coefficient names in order (g, k_..., alpha|rho)."""
        return _public_names(self._raw, self.form)

    def bootstrap(self, n: int, seed: int | Sequence[int] | np.random.SeedSequence = 0) -> pd.DataFrame:
        """``n`` coefficient draws (rows) by a fixed-design residual bootstrap, columns named as :attr:`params`.

        Residuals are centred, rescaled by sqrt(n_obs/(n_obs − p)) and resampled with replacement (numpy Generator
        from ``SeedSequence(seed)``); each draw refits OLS on fitted values plus resampled residuals. The draws are
        centred on the estimates; their spread is the homoskedastic OLS one (the HAC errors in :attr:`se` may be
        wider)."""
        if n < 1:
            raise InvalidInput(f"bootstrap needs at least 1 draw, got {n}")
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        rng = np.random.Generator(np.random.PCG64(ss))
        X, y, beta = self._X, self._y, self._beta
        nobs, p = X.shape
        fitted = X @ beta
        resid = y - fitted
        resid = (resid - resid.mean()) * math.sqrt(nobs / (nobs - p))
        proj = np.linalg.pinv(X)  # p × nobs
        out = np.empty((n, p))
        step = max(1, 200_000 // max(nobs, 1))
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            idx = rng.integers(0, nobs, size=(hi - lo, nobs))
            ystar = fitted[None, :] + resid[idx]
            out[lo:hi] = ystar @ proj.T
        out *= _signs(self._raw, self.form)[None, :]
        return pd.DataFrame(out, columns=self.names)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (no NaN)."""
        return {"actor": self.actor, "rivals": list(self.rivals), "form": self.form, "log": self.log,
                "params": _clean_map(self.params), "se": _clean_map(self.se), "pvalues": _clean_map(self.pvalues),
                "n": self.n, "years": [self.start, self.end], "r2": _clean(self.r2), "r2_adj": _clean(self.r2_adj),
                "sigma": _clean(self.sigma), "se_kind": f"HAC (Newey-West, Bartlett, {self.hac_maxlags} lags)",
                "formula": self.formula, "unit": self.unit}


def _formula(actor: str, rivals: Sequence[str], form: Form, log: bool) -> str:
    m = "log military spending (log US$ m, constant 2022)" if log else "military spending (US$ m, constant 2022)"
    react = " + ".join(f"k_{r}·M_{r},t−1" for r in rivals)
    if form == "levels":
        eq = f"ΔM_{actor},t = g + {react + ' ' if react else ''}− alpha·M_{actor},t−1 + e_t".replace("+ −", "−")
        words = ("the yearly change in the actor's spending responds to the rivals' spending last year (reaction k) "
                 "and is pulled back by its own spending last year (fatigue alpha)")
    else:
        reactd = " + ".join(f"k_{r}·ΔM_{r},t−1" for r in rivals)
        eq = f"ΔM_{actor},t = g + {reactd + ' + ' if reactd else ''}rho·ΔM_{actor},t−1 + e_t"
        words = ("the yearly change in the actor's spending responds to the rivals' change last year (reaction k) "
                 "and to its own change last year (persistence rho)")
    return f"{eq}, M = {m}: {words}"


def fit_richardson(wide: pd.DataFrame, actor: str, rivals: Sequence[str], *, form: Form = "levels",
                   log: bool = True, start: int | None = None, end: int | None = None) -> RichardsonFit:
    """Fit the Richardson equation of ``actor`` against ``rivals`` (ISO3) by OLS with HAC standard errors.

    ``wide``: spending wide by year (US$ m constant 2022); ``start``/``end``: years of data used (inclusive; the
    dependent sample starts one year later in levels form, two in differences form). Rows with a missing value
    are dropped (the sample years are stated in the result). Too few years → :class:`InvalidInput`."""
    import statsmodels.api as sm

    if form not in ("levels", "differences"):
        raise UnknownChoice("form", str(form), ["levels", "differences"])
    actor_c, *rivals_c = _columns(panel(wide), [actor, *rivals])
    sub = _prepare(wide, [actor_c, *rivals_c], log=log, start=start, end=end)
    y, X, raw, years = _design(sub, actor_c, rivals_c, form)
    p = X.shape[1]
    if len(y) - p < MIN_RESID_DF:
        raise _too_few(len(y), p, f"the Richardson equation of {actor_c}", years)
    lags = newey_west_lags(len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    sign = _signs(raw, form)
    names = _public_names(raw, form)
    beta = np.asarray(res.params, float)
    return RichardsonFit(
        actor=actor_c, rivals=tuple(rivals_c), form=form, log=log,
        params={n: float(b * s) for n, b, s in zip(names, beta, sign, strict=True)},
        se={n: float(v) for n, v in zip(names, np.asarray(res.bse, float), strict=True)},
        pvalues={n: float(v) for n, v in zip(names, np.asarray(res.pvalues, float), strict=True)},
        n=len(y), years=tuple(years), r2=float(res.rsquared), r2_adj=float(res.rsquared_adj),
        sigma=float(math.sqrt(res.scale)), hac_maxlags=lags, formula=_formula(actor_c, rivals_c, form, log),
        unit="log points per year (ΔM of log US$ m, constant 2022)" if log else "US$ m (constant 2022) per year",
        _X=X, _y=y, _raw=tuple(raw), _beta=beta)


@dataclass(frozen=True)
class SystemFit:
    """Several Richardson equations fitted on one common sample (``years`` of the dependent variable)."""

    name: str
    links: dict[str, tuple[str, ...]]
    fits: dict[str, RichardsonFit]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"system": self.name, "links": {k: list(v) for k, v in self.links.items()},
                "fits": {k: f.to_dict() for k, f in self.fits.items()}}


def fit_system(wide: pd.DataFrame, system: str | Mapping[str, Sequence[str]] = "bilateral", *,
               form: Form = "levels", log: bool = True, start: int | None = None,
               end: int | None = None) -> SystemFit:
    """Fit every equation of a system: ``"bilateral"`` (India ↔ Pakistan), ``"triad"`` (China → India → Pakistan)
    or a mapping actor → rivals. All equations use the years where every member has data (stated per fit)."""
    if isinstance(system, str):
        if system not in SYSTEMS:
            raise UnknownChoice("system", system, list(SYSTEMS))
        name, links = system, SYSTEMS[system]
    else:
        name, links = "custom", {str(k).upper(): [str(r).upper() for r in v] for k, v in system.items()}
    members = list(dict.fromkeys([*links, *(r for v in links.values() for r in v)]))
    sub = panel(wide)[_columns(panel(wide), members)].dropna()
    if sub.empty:
        raise InvalidInput(f"no year has data for all of {', '.join(members)}")
    lo = int(sub.index[0]) if start is None else max(int(start), int(sub.index[0]))
    hi = int(sub.index[-1]) if end is None else min(int(end), int(sub.index[-1]))
    fits = {a: fit_richardson(wide, a, list(r), form=form, log=log, start=lo, end=hi) for a, r in links.items()}
    return SystemFit(name=name, links={a: tuple(r) for a, r in links.items()}, fits=fits)


def simulate_richardson(coefs: Mapping[str, Mapping[str, float]], start: Mapping[str, float], years: Sequence[int],
                        *, sigma: float | Mapping[str, float] = 0.05, form: Form = "levels",
                        seed: int = 0) -> pd.DataFrame:
    """Simulate a Richardson system in log spending and return spending wide by year (US$ m).

    ``coefs[actor]`` has ``g``, ``k_<RIVAL>`` and ``alpha`` (levels form) or ``rho`` (differences form), as
    :attr:`RichardsonFit.params`; ``start[actor]`` is the first year's spending (US$ m; in differences form the
    first two years grow at ``g``); ``sigma`` the shock standard deviation (log points). Gaussian shocks from
    ``SeedSequence(seed)``. For synthetic tests and the scenario model's checks."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    actors = list(coefs)
    n = len(years)
    x = np.zeros((n, len(actors)))
    x[0] = [math.log(start[a]) for a in actors]
    sd = np.array([sigma[a] if isinstance(sigma, Mapping) else sigma for a in actors], float)
    shocks = rng.standard_normal((n, len(actors))) * sd
    col = {a: i for i, a in enumerate(actors)}
    for t in range(1, n):
        for i, a in enumerate(actors):
            c = coefs[a]
            d = c.get("g", 0.0)
            if form == "levels":
                d += sum(v * x[t - 1, col[k[2:]]] for k, v in c.items() if k.startswith("k_"))
                d -= c.get("alpha", 0.0) * x[t - 1, i]
            elif t >= 2:
                dx = x[t - 1] - x[t - 2]
                d += sum(v * dx[col[k[2:]]] for k, v in c.items() if k.startswith("k_"))
                d += c.get("rho", 0.0) * dx[i]
            x[t, i] = x[t - 1, i] + d + shocks[t, i]
    return pd.DataFrame(np.exp(x), index=pd.Index(list(years), name="year"), columns=actors)


# ---------------------------------------------------------------------------------------------------------------
# Granger, VAR, VECM


def _var_data(wide: pd.DataFrame, names: Sequence[str], transform: Transform, log: bool, start: int | None,
              end: int | None) -> pd.DataFrame:
    if transform not in ("levels", "differences"):
        raise UnknownChoice("transform", str(transform), ["levels", "differences"])
    sub = _prepare(wide, names, log=log, start=start, end=end)
    data = sub.diff() if transform == "differences" else sub
    return data.dropna()


def _check_var_size(data: pd.DataFrame, maxlags: int, what: str) -> None:
    if maxlags < 1:
        raise InvalidInput(f"the lag order must be at least 1, got {maxlags}")
    k = data.shape[1]
    p = k * maxlags + 1
    usable = len(data) - maxlags
    if usable - p < MIN_RESID_DF:
        years = [int(y) for y in data.index]
        raise InvalidInput(f"too few observations for {what} with {k} series and {maxlags} lags: {len(data)} "
                           f"usable years" + (f" ({years[0]}-{years[-1]})" if years else "") +
                           f" leave {usable} after the lags for {p} coefficients per equation; need at least "
                           f"{p + MIN_RESID_DF + maxlags} years (widen the period or lower the lag order)")


def _select_lag(data: pd.DataFrame, maxlags: int, ic: str) -> tuple[int, dict[str, dict[int, float | None]]]:
    from statsmodels.tsa.api import VAR

    if ic not in ("aic", "bic"):
        raise UnknownChoice("information criterion", ic, ["aic", "bic"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sel = VAR(data.to_numpy(float)).select_order(maxlags=maxlags, trend="c")
    table = {c: {int(i): _clean(float(v)) for i, v in enumerate(np.asarray(sel.ics[c], float))}
             for c in ("aic", "bic")}
    return max(1, int(sel.selected_orders[ic])), table


@dataclass(frozen=True)
class GrangerTest:
    """F test that ``cause`` does not Granger-cause ``effect`` (p small: it does)."""

    cause: str
    effect: str
    f_stat: float
    df_num: int
    df_denom: int
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"cause": self.cause, "effect": self.effect, "f_stat": _clean(self.f_stat), "df": [self.df_num,
                self.df_denom], "p_value": _clean(self.p_value), "rejects_no_causality": self.p_value < SIGNIF}


@dataclass(frozen=True)
class GrangerResult:
    """Granger causality both ways between two series, in a VAR of ``lag`` lags chosen by ``ic``."""

    a: str
    b: str
    controls: tuple[str, ...]
    transform: Transform
    log: bool
    ic: str
    maxlags: int
    lag: int
    lag_table: dict[str, dict[int, float | None]]
    a_to_b: GrangerTest
    b_to_a: GrangerTest
    n: int
    years: tuple[int, int]

    def test(self, cause: str, effect: str) -> GrangerTest:
        """The test of ``cause`` → ``effect`` (ISO3)."""
        for t in (self.a_to_b, self.b_to_a):
            if t.cause == cause.upper() and t.effect == effect.upper():
                return t
        raise InvalidInput(f"this Granger result covers {self.a} and {self.b}, not {cause} → {effect}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"series": [self.a, self.b], "controls": list(self.controls), "transform": self.transform,
                "log": self.log, "lag": self.lag, "lag_selection": f"{self.ic.upper()} over 1-{self.maxlags} lags "
                f"(at least 1)", "lag_table": self.lag_table, "tests": [self.a_to_b.to_dict(), self.b_to_a.to_dict()],
                "n": self.n, "years": list(self.years)}


def granger(wide: pd.DataFrame, cause: str, effect: str, maxlag: int = 4, *, ic: str = "aic",
            transform: Transform = "differences", log: bool = True, controls: Sequence[str] = (),
            start: int | None = None, end: int | None = None) -> GrangerResult:
    """Granger causality ``cause`` → ``effect`` and back (ISO3), conditional on ``controls`` (e.g. ``["CHN"]``).

    A VAR (statsmodels, constant) on log growth rates (``transform="differences"``) or log levels; the lag order
    is chosen by ``ic`` ("aic" or "bic") over 1..``maxlag`` on a common sample and is at least 1. F tests
    (``test_causality(kind="f")``). Too few years for ``maxlag`` → :class:`InvalidInput`."""
    from statsmodels.tsa.api import VAR

    names = _columns(panel(wide), [cause, effect, *controls])
    data = _var_data(wide, names, transform, log, start, end)
    _check_var_size(data, maxlag, "a Granger test")
    lag, table = _select_lag(data, maxlag, ic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = VAR(data).fit(lag, trend="c")

    def one(c: str, e: str) -> GrangerTest:
        t = res.test_causality(e, [c], kind="f")
        df = t.df
        return GrangerTest(cause=c, effect=e, f_stat=float(t.test_statistic), df_num=int(df[0]),
                           df_denom=int(df[1]), p_value=float(t.pvalue))

    years = [int(y) for y in data.index[lag:]]
    return GrangerResult(a=names[0], b=names[1], controls=tuple(names[2:]), transform=transform, log=log, ic=ic,
                         maxlags=maxlag, lag=lag, lag_table=table, a_to_b=one(names[0], names[1]),
                         b_to_a=one(names[1], names[0]), n=len(years), years=(years[0], years[-1]))


@dataclass(frozen=True)
class VarFit:
    """A VAR: coefficients by equation and term, lag order and how it was chosen, stability, Granger p-values."""

    names: tuple[str, ...]
    transform: Transform
    log: bool
    ic: str
    maxlags: int
    lag: int
    lag_table: dict[str, dict[int, float | None]]
    params: dict[str, dict[str, float]]
    se: dict[str, dict[str, float]]
    pvalues: dict[str, dict[str, float]]
    stable: bool
    granger_p: dict[str, float]
    n: int
    years: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view; ``granger_p`` keys read ``CAUSE->EFFECT``."""
        nested = {k: {e: _clean_map(v) for e, v in getattr(self, k).items()} for k in ("params", "se", "pvalues")}
        return {"series": list(self.names), "transform": self.transform, "log": self.log, "lag": self.lag,
                "lag_selection": f"{self.ic.upper()} over 1-{self.maxlags} lags (at least 1)",
                "lag_table": self.lag_table, **nested, "stable": self.stable,
                "granger_p": _clean_map(self.granger_p), "n": self.n, "years": list(self.years)}


def var_fit(wide: pd.DataFrame, iso3s: Sequence[str], *, maxlags: int = 4, ic: str = "aic",
            transform: Transform = "differences", log: bool = True, start: int | None = None,
            end: int | None = None) -> VarFit:
    """A statsmodels VAR with a constant on log growth rates (or log levels) of ``iso3s``, lag order by ``ic``."""
    from statsmodels.tsa.api import VAR

    names = _columns(panel(wide), iso3s)
    if len(names) < 2:
        raise InvalidInput("a VAR needs at least two countries")
    data = _var_data(wide, names, transform, log, start, end)
    _check_var_size(data, maxlags, "a VAR")
    lag, table = _select_lag(data, maxlags, ic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = VAR(data).fit(lag, trend="c")
    gp = {f"{c}->{e}": float(res.test_causality(e, [c], kind="f").pvalue)
          for c in names for e in names if c != e}

    def nest(frame: Any) -> dict[str, dict[str, float]]:
        return {e: {str(t): float(frame.loc[t, e]) for t in frame.index} for e in frame.columns}

    years = [int(y) for y in data.index[lag:]]
    return VarFit(names=tuple(names), transform=transform, log=log, ic=ic, maxlags=maxlags, lag=lag,
                  lag_table=table, params=nest(res.params), se=nest(res.stderr), pvalues=nest(res.pvalues),
                  stable=bool(res.is_stable()), granger_p=gp, n=len(years), years=(years[0], years[-1]))


@dataclass(frozen=True)
class VecmFit:
    """Johansen trace test (rank at 5 %) and, for 0 < rank, the VECM's adjustment (alpha) and cointegrating
    vectors (beta, normalised on the first series)."""

    names: tuple[str, ...]
    log: bool
    det_order: int
    k_ar_diff: int
    lag_selection: str
    rank: int
    trace_stats: tuple[float, ...]
    crit_5pct: tuple[float, ...]
    alpha: dict[str, list[float]] | None
    beta: dict[str, list[float]] | None
    n: int
    years: tuple[int, int]
    note: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view: one row per null hypothesis rank ≤ r."""
        rows = [{"rank_at_most": r, "trace": _clean(s), "crit_5pct": _clean(c), "rejected": s > c}
                for r, (s, c) in enumerate(zip(self.trace_stats, self.crit_5pct, strict=True))]
        return {"series": list(self.names), "log": self.log, "det_order": self.det_order,
                "k_ar_diff": self.k_ar_diff, "lag_selection": self.lag_selection, "rank": self.rank,
                "rank_test": "Johansen trace test at 5 %", "trace_tests": rows, "alpha": self.alpha,
                "beta": self.beta, "n": self.n, "years": list(self.years), "note": self.note}


def vecm_fit(wide: pd.DataFrame, iso3s: Sequence[str], *, maxlags: int = 4, ic: str = "aic", det_order: int = 0,
             log: bool = True, start: int | None = None, end: int | None = None) -> VecmFit:
    """Johansen rank (trace test, 5 %) and a statsmodels VECM of log spending (``det_order``: −1 none, 0 constant,
    1 linear trend, as in ``coint_johansen``); lag of the differences chosen by ``ic`` with
    ``vecm.select_order`` over 0..``maxlags``."""
    from statsmodels.tsa.vector_ar import vecm

    names = _columns(panel(wide), iso3s)
    if len(names) < 2:
        raise InvalidInput("a VECM needs at least two countries")
    if ic not in ("aic", "bic"):
        raise UnknownChoice("information criterion", ic, ["aic", "bic"])
    data = _var_data(wide, names, "levels", log, start, end)
    _check_var_size(data, maxlags + 1, "a VECM")
    endog = data.to_numpy(float)
    det = {-1: "n", 0: "co", 1: "colo"}.get(det_order)
    if det is None:
        raise UnknownChoice("det_order", str(det_order), ["-1", "0", "1"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sel = vecm.select_order(endog, maxlags=maxlags, deterministic=det)
        k = int(sel.selected_orders[ic])
        rank_res = vecm.select_coint_rank(endog, det_order=det_order, k_ar_diff=k, method="trace", signif=SIGNIF)
        joh = vecm.coint_johansen(endog, det_order, k)
    rank = int(rank_res.rank)
    trace = tuple(float(x) for x in joh.lr1)  # every null rank ≤ r, not only up to the first non-rejection
    crit = tuple(float(x) for x in joh.cvt[:, 1])
    alpha = beta = None
    if rank == 0:
        note = "no cointegration at 5 %: a VAR in differences applies"
    elif rank == len(names):
        note = "full rank: the series behave as stationary in levels"
    else:
        note = f"{rank} cointegrating relation(s) at 5 %"
    if 0 < rank < len(names):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = vecm.VECM(endog, k_ar_diff=k, coint_rank=rank, deterministic="ci").fit()
        alpha = {n: [float(v) for v in row] for n, row in zip(names, np.asarray(res.alpha), strict=True)}
        beta = {n: [float(v) for v in row] for n, row in zip(names, np.asarray(res.beta), strict=True)}
    years = [int(y) for y in data.index]
    return VecmFit(names=tuple(names), log=log, det_order=det_order, k_ar_diff=k,
                   lag_selection=f"{ic.upper()} over 0-{maxlags} lagged differences", rank=rank,
                   trace_stats=trace, crit_5pct=crit, alpha=alpha, beta=beta, n=len(years),
                   years=(years[0], years[-1]), note=note)


# ---------------------------------------------------------------------------------------------------------------
# Structural breaks


def _ssr(y: np.ndarray, X: np.ndarray) -> float:
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    return float(r @ r)


@dataclass(frozen=True)
class BreakTest:
    """Chow test of constant Richardson coefficients with a break at ``year`` (first year of the new regime)."""

    year: int
    kind: Literal["chow", "chow-predictive", "untestable"]
    f_stat: float | None
    df_num: int | None
    df_denom: int | None
    p_value: float | None
    n_before: int
    n_after: int
    note: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"year": self.year, "test": self.kind, "f_stat": _clean(self.f_stat) if self.f_stat is not None
                else None, "df": [self.df_num, self.df_denom], "p_value": _clean(self.p_value)
                if self.p_value is not None else None, "rejects_constancy": self.p_value is not None
                and self.p_value < SIGNIF, "n_before": self.n_before, "n_after": self.n_after, "note": self.note}


def chow_test(y: np.ndarray, X: np.ndarray, years: Sequence[int], year: int) -> BreakTest:
    """Chow F test at ``year``: both regimes fitted separately when each has at least p + 2 years, else the Chow
    predictive (forecast) test of the short regime against the long one; untestable when a regime is empty or
    the long one has fewer than p + 2 years."""
    from scipy import stats

    yrs = np.asarray(years)
    before = yrs < year
    n1, n2 = int(before.sum()), int((~before).sum())
    n, p = X.shape
    if n1 == 0 or n2 == 0 or max(n1, n2) < p + 2:
        return BreakTest(year, "untestable", None, None, None, None, n1, n2,
                         f"{year} is outside the sample {int(yrs[0])}-{int(yrs[-1])} or leaves too few years")
    ssr_r = _ssr(y, X)
    if min(n1, n2) >= p + 2:
        ssr_u = _ssr(y[before], X[before]) + _ssr(y[~before], X[~before])
        d1, d2 = p, n - 2 * p
        f = ((ssr_r - ssr_u) / d1) / (ssr_u / d2)
        return BreakTest(year, "chow", float(f), d1, d2, float(stats.f.sf(f, d1, d2)), n1, n2,
                         "both regimes fitted separately")
    long_mask = before if n1 >= n2 else ~before
    short = min(n1, n2)
    ssr_1 = _ssr(y[long_mask], X[long_mask])
    d1, d2 = short, int(long_mask.sum()) - p
    f = ((ssr_r - ssr_1) / d1) / (ssr_1 / d2)
    return BreakTest(year, "chow-predictive", float(f), d1, d2, float(stats.f.sf(f, d1, d2)), n1, n2,
                     f"only {short} years on one side: predictive test of those years")


@dataclass(frozen=True)
class SupF:
    """Andrews sup-F over candidate years in the central part of the sample; p by fixed-regressor bootstrap."""

    year: int
    f_stat: float
    p_value: float
    trim: float
    n_boot: int
    years_searched: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"year": self.year, "f_stat": _clean(self.f_stat), "p_value": _clean(self.p_value),
                "trim": self.trim, "n_boot": self.n_boot, "years_searched": list(self.years_searched),
                "rejects_constancy": self.p_value < SIGNIF,
                "method": "Andrews (1993) sup-F; p by a fixed-regressor residual bootstrap (Hansen 2000, "
                          "homoskedastic version)"}


def sup_f(y: np.ndarray, X: np.ndarray, years: Sequence[int], *, trim: float = 0.15, n_boot: int = 999,
          seed: int = 0) -> SupF:
    """The largest Chow F over break years leaving at least ``trim`` of the sample (and p + 2 years) in each
    regime, with a fixed-regressor bootstrap p-value: y* = the full-sample residuals resampled with replacement,
    same X (the homoskedastic version, matching the homoskedastic F; a wild bootstrap of this F is inflated by a
    few war-year outliers near the trimming edges, so it is not used)."""
    n, p = X.shape
    lo = max(int(math.ceil(trim * n)), p + 2)
    hi = min(n - lo, n - p - 2)
    if hi < lo:
        raise InvalidInput(f"too few observations for a sup-F test: {n} years for {p} coefficients")
    splits = list(range(lo, hi + 1))

    def annihilator(A: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.eye(A.shape[0]) - A @ np.linalg.pinv(A)
        return out

    M = annihilator(X)
    Ms = [(annihilator(X[:s]), annihilator(X[s:])) for s in splits]

    def fstats(Y: np.ndarray) -> np.ndarray:  # Y: n × B → F per split × B
        rr = np.einsum("ij,ij->j", Y, M @ Y)
        out = []
        for s, (M1, M2) in zip(splits, Ms, strict=True):
            u = np.einsum("ij,ij->j", Y[:s], M1 @ Y[:s]) + np.einsum("ij,ij->j", Y[s:], M2 @ Y[s:])
            out.append(((rr - u) / p) / (u / (n - 2 * p)))
        return np.array(out)

    f_obs = fstats(y[:, None])[:, 0]
    best = int(np.argmax(f_obs))
    resid = M @ y
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    Ystar = resid[rng.integers(0, n, size=(n, n_boot))]  # iid resampled residuals, regressors fixed
    f_boot = fstats(Ystar).max(axis=0)
    pval = (1.0 + float((f_boot >= f_obs[best]).sum())) / (n_boot + 1.0)
    return SupF(year=int(years[splits[best]]), f_stat=float(f_obs[best]), p_value=pval, trim=trim, n_boot=n_boot,
                years_searched=(int(years[splits[0]]), int(years[splits[-1]])))


@dataclass(frozen=True)
class BreakResult:
    """Breaks of one Richardson equation: found by ruptures (each Chow-tested), the sup-F test, and the
    literature's candidate years tested separately."""

    actor: str
    rivals: tuple[str, ...]
    form: Form
    method: str
    penalty: float
    penalty_rule: str
    min_size: int
    found: tuple[BreakTest, ...]
    sup_f: SupF
    candidates: tuple[BreakTest, ...]
    n: int
    sample: tuple[int, int]

    @property
    def years(self) -> list[int]:
        """The break years ruptures found (first year of each new regime)."""
        return [b.year for b in self.found]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"actor": self.actor, "rivals": list(self.rivals), "form": self.form, "method": self.method,
                "penalty": _clean(self.penalty), "penalty_rule": self.penalty_rule,
                "min_size_years": self.min_size, "found": [b.to_dict() for b in self.found],
                "sup_f": self.sup_f.to_dict(), "candidates": [b.to_dict() for b in self.candidates],
                "n": self.n, "years": list(self.sample),
                "note": "found breaks were chosen by the data, so their Chow p is nominal (optimistic); the sup-F "
                        "p accounts for the search; candidate years were fixed in advance"}


def find_breaks(y: np.ndarray, X: np.ndarray | None = None, *, method: Literal["pelt", "binseg"] = "pelt",
                min_size: int = 8, penalty: float | None = None) -> tuple[list[int], float]:
    """Row indices where a new regime starts, by ruptures on a piecewise linear regression of ``y`` on ``X``
    (``X`` None: a piecewise constant mean of ``y``, e.g. a growth rate), with the BIC-style penalty
    σ̂²·(p+1)·ln n unless ``penalty`` is given. Returns (indices, penalty used)."""
    import ruptures as rpt

    n = len(y)
    if X is None:
        X = np.ones((n, 1))
    p = X.shape[1]
    if penalty is None:
        sigma2 = _ssr(y, X) / max(n - p, 1)
        penalty = sigma2 * (p + 1) * math.log(n)
    signal = np.column_stack([y, X])
    min_size = max(min_size, p + 2)
    if n < 2 * min_size:
        return [], float(penalty)
    algo = rpt.Pelt(model="linear", min_size=min_size, jump=1) if method == "pelt" else \
        rpt.Binseg(model="linear", min_size=min_size, jump=1)
    bkps = algo.fit(signal).predict(pen=penalty)
    return [int(b) for b in bkps if b < n], float(penalty)


def breaks(wide: pd.DataFrame, actor: str, rivals: Sequence[str], *, form: Form = "levels", log: bool = True,
           start: int | None = None, end: int | None = None, method: Literal["pelt", "binseg"] = "pelt",
           min_size: int = 8, candidates: Sequence[int] = CANDIDATE_BREAKS, n_boot: int = 999,
           seed: int = 0) -> BreakResult:
    """Structural breaks in ``actor``'s Richardson equation (see the module docstring): ruptures (``method``,
    minimum segment ``min_size`` years, at least p + 2) with the BIC-style penalty, a Chow test at each break found,
    the sup-F test over the central 70 % with ``n_boot`` bootstrap draws, and the ``candidates`` years."""
    if method not in ("pelt", "binseg"):
        raise UnknownChoice("break search method", str(method), ["pelt", "binseg"])
    fit = fit_richardson(wide, actor, rivals, form=form, log=log, start=start, end=end)
    y, X, years = fit._y, fit._X, list(fit.years)
    idx, pen = find_breaks(y, X, method=method, min_size=min_size)
    found = tuple(chow_test(y, X, years, years[i]) for i in idx)
    sf = sup_f(y, X, years, n_boot=n_boot, seed=seed)
    cands = tuple(chow_test(y, X, years, int(c)) for c in candidates)
    p = X.shape[1]
    return BreakResult(actor=fit.actor, rivals=fit.rivals, form=form, method=f"ruptures {method.upper()} "
                       "(piecewise linear regression cost)", penalty=pen,
                       penalty_rule=f"BIC-style: residual variance × (p+1) × ln n with p = {p}, n = {fit.n}",
                       min_size=max(min_size, p + 2), found=found, sup_f=sf, candidates=cands, n=fit.n,
                       sample=(fit.start, fit.end))


# ---------------------------------------------------------------------------------------------------------------
# Published findings

Expect = Literal["positive", "negative", "zero", "causes", "does_not_cause", "mutual", "independent",
                 "not_constant", "cointegrated"]
_EXPECTS: dict[str, set[str]] = {
    "richardson": {"positive", "negative", "zero"},
    "granger": {"causes", "does_not_cause"},
    "granger_pair": {"mutual", "independent"},
    "breaks": {"not_constant"},
    "vecm": {"cointegrated"},
}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_M):
    """A bibliography id and where in the source (page, section, abstract) the finding is."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    locator: str | None = None


class FindingSample(_M):
    """The data the authors used: ``period`` (years, "YYYY-YYYY") when known, else None with a note."""

    period: str | None = Field(default=None, pattern=r"^\d{4}-\d{4}$")
    data: str
    note: str | None = None


class Check(_M):
    """How to compare a finding with one of our estimates.

    ``estimate``: ``richardson`` (coefficient ``coefficient`` of ``actor``'s levels-form equation), ``granger``
    (``cause`` → ``effect``), ``granger_pair`` (both directions between ``cause`` and ``effect``), ``breaks``
    (sup-F and candidate-year Chow tests of ``actor``'s equation), ``vecm`` (Johansen rank of the pair)."""

    estimate: Literal["richardson", "granger", "granger_pair", "breaks", "vecm"]
    expect: Expect
    actor: str | None = None
    coefficient: str | None = None
    cause: str | None = None
    effect: str | None = None
    how: str

    @model_validator(mode="after")
    def _consistent(self) -> Check:
        if self.expect not in _EXPECTS[self.estimate]:
            raise ValueError(f"expect {self.expect!r} does not apply to a {self.estimate} estimate (one of: "
                             f"{', '.join(sorted(_EXPECTS[self.estimate]))})")
        need = {"richardson": ("actor", "coefficient"), "breaks": ("actor",), "granger": ("cause", "effect"),
                "granger_pair": ("cause", "effect"), "vecm": ("cause", "effect")}[self.estimate]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.estimate} check needs {', '.join(missing)}")
        return self


class Verification(_M):
    """``verified`` when read in the source (abstract or text: ``checked`` says what), else ``unverified``."""

    status: Literal["verified", "unverified"]
    checked: str


class PublishedFinding(_M):
    """One published qualitative finding on South Asian arms racing (no coefficient values: none were available)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    statement: str
    claim: str
    sample: FindingSample
    method: str
    sources: list[SourceRef] = Field(min_length=1)
    verification: Verification
    unverified: bool = False
    checks: list[Check] = Field(min_length=1)
    combine: Literal["all", "any"] = "all"
    note: str | None = None

    @model_validator(mode="after")
    def _flag(self) -> PublishedFinding:
        if self.verification.status == "unverified" and not self.unverified:
            raise ValueError("an unverified finding needs 'unverified: true'")
        return self

    def source_ids(self) -> list[str]:
        """The bibliography ids cited."""
        return [s.id for s in self.sources]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return self.model_dump(exclude_none=True)


def findings_file() -> Path:
    """The shipped findings file ``data/dynamics/findings.yml``."""
    return data_path("dynamics", "findings.yml")


def load_findings(path: Path | str | None = None) -> list[PublishedFinding]:
    """Load and validate a findings file; unresolved source ids and duplicate ids are ``file:line`` errors."""
    p = Path(path) if path is not None else findings_file()
    doc = load_yaml(p)
    errors: list[str] = []
    items = validate_items(doc, "findings", PublishedFinding, errors, what="finding")
    bib = load_bibliography()
    seen: set[str] = set()
    for i, f in items:
        if f.id in seen:
            errors.append(f"{doc.where(('findings', i, 'id'))}: duplicate finding id {f.id!r}")
        seen.add(f.id)
        for j, s in enumerate(f.sources):
            if s.id not in bib:
                errors.append(f"{doc.where(('findings', i, 'sources', j))}: unresolved source id {s.id!r}")
    if errors:
        raise DataError(f"invalid findings file {p.name}", errors)
    return [f for _, f in items]


@cache
def published_findings() -> tuple[PublishedFinding, ...]:
    """The shipped published findings (loaded once)."""
    return tuple(load_findings())


@dataclass(frozen=True)
class CheckOutcome:
    """One check of a finding against an estimate: verdict and the numbers behind it."""

    estimate: str
    expect: str
    verdict: Verdict
    numbers: dict[str, Any]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"estimate": self.estimate, "expect": self.expect, "verdict": self.verdict,
                "numbers": self.numbers, "reason": self.reason}


@dataclass(frozen=True)
class FindingComparison:
    """A finding beside our estimates. With ``combine: all`` (the default) ``agree`` when every check agrees,
    ``disagree`` when any disagrees; with ``combine: any`` (a claim that holds if it holds anywhere, e.g. some
    equation's parameters change) ``agree`` when any check agrees, ``disagree`` when all disagree; otherwise
    ``inconclusive`` (also when no matching estimate was given)."""

    finding: PublishedFinding
    verdict: Verdict
    checks: tuple[CheckOutcome, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"id": self.finding.id, "title": self.finding.title, "claim": self.finding.claim,
                "sources": self.finding.source_ids(), "sample": self.finding.sample.model_dump(exclude_none=True),
                "verdict": self.verdict, "checks": [c.to_dict() for c in self.checks]}


def _effect_verdict(p: float, sign_ok: bool) -> tuple[Verdict, str]:
    if p < SIGNIF and sign_ok:
        return "agree", f"p = {p:.3f} < {SIGNIF} with the claimed sign"
    if p < SIGNIF:
        return "disagree", f"p = {p:.3f} < {SIGNIF} with the opposite sign"
    if p >= NO_EFFECT_P:
        return "disagree", f"p = {p:.3f} ≥ {NO_EFFECT_P}: no detectable effect"
    return "inconclusive", f"p = {p:.3f} between {SIGNIF} and {NO_EFFECT_P}"


def _null_verdict(p: float) -> tuple[Verdict, str]:
    if p >= NO_EFFECT_P:
        return "agree", f"p = {p:.3f} ≥ {NO_EFFECT_P}: no detectable effect"
    if p < SIGNIF:
        return "disagree", f"p = {p:.3f} < {SIGNIF}: a detectable effect"
    return "inconclusive", f"p = {p:.3f} between {SIGNIF} and {NO_EFFECT_P}"


def _missing(c: Check, what: str) -> CheckOutcome:
    return CheckOutcome(c.estimate, c.expect, "inconclusive", {}, f"no {what} given to compare with")


def _check(c: Check, fits: Sequence[RichardsonFit], grangers: Sequence[GrangerResult],
           brks: Sequence[BreakResult], vecms: Sequence[VecmFit]) -> CheckOutcome:
    if c.estimate == "richardson":
        assert c.actor is not None and c.coefficient is not None
        cands = [f for f in fits if f.actor == c.actor.upper() and c.coefficient in f.params]
        cands.sort(key=lambda f: (f.form != "levels", len(f.rivals)))
        if not cands:
            return _missing(c, f"Richardson fit of {c.actor} with {c.coefficient}")
        f = cands[0]
        est, se, p = f.params[c.coefficient], f.se[c.coefficient], f.pvalues[c.coefficient]
        nums: dict[str, Any] = {
            "actor": f.actor, "rivals": list(f.rivals), "form": f.form, "coefficient": c.coefficient,
            "estimate": _clean(est), "se": _clean(se), "p_value": _clean(p), "n": f.n,
            "years": [f.start, f.end]}
        if c.expect == "zero":
            v, why = _null_verdict(p)
        else:
            v, why = _effect_verdict(p, (est > 0) == (c.expect == "positive"))
        return CheckOutcome(c.estimate, c.expect, v, nums, why)
    if c.estimate in ("granger", "granger_pair"):
        assert c.cause is not None and c.effect is not None
        pair = {c.cause.upper(), c.effect.upper()}
        cands_g = [g for g in grangers if {g.a, g.b} == pair]
        cands_g.sort(key=lambda g: len(g.controls))
        if not cands_g:
            return _missing(c, f"Granger test between {c.cause} and {c.effect}")
        g = cands_g[0]
        fwd, back = g.test(c.cause, c.effect), g.test(c.effect, c.cause)
        nums_g: dict[str, Any] = {"lag": g.lag, "transform": g.transform, "controls": list(g.controls), "n": g.n,
                "years": list(g.years), f"p_{fwd.cause}_to_{fwd.effect}": _clean(fwd.p_value),
                f"p_{back.cause}_to_{back.effect}": _clean(back.p_value)}
        if c.expect == "causes":
            v, why = _effect_verdict(fwd.p_value, True)
        elif c.expect == "does_not_cause":
            v, why = _null_verdict(fwd.p_value)
        else:
            pair_v = [_effect_verdict(t.p_value, True) if c.expect == "mutual" else _null_verdict(t.p_value)
                      for t in (fwd, back)]
            verdicts = {x[0] for x in pair_v}
            v = "disagree" if "disagree" in verdicts else "agree" if verdicts == {"agree"} else "inconclusive"
            why = "; ".join(f"{t.cause}→{t.effect}: {x[1]}" for t, x in zip((fwd, back), pair_v, strict=True))
        return CheckOutcome(c.estimate, c.expect, v, nums_g, why)
    if c.estimate == "breaks":
        assert c.actor is not None
        cands_b = [b for b in brks if b.actor == c.actor.upper()]
        if not cands_b:
            return _missing(c, f"break test of {c.actor}'s equation")
        b = cands_b[0]
        tested = [t for t in b.candidates if t.p_value is not None]
        m = max(len(tested), 1)
        bonf = min((t.p_value for t in tested if t.p_value is not None), default=1.0) * m
        nums_b: dict[str, Any] = {
                "sup_f": b.sup_f.f_stat, "sup_f_year": b.sup_f.year, "sup_f_p": _clean(b.sup_f.p_value),
                "candidate_p": {str(t.year): _clean(t.p_value) if t.p_value is not None else None
                                for t in b.candidates},
                "found": b.years, "years": list(b.sample)}
        if b.sup_f.p_value < SIGNIF or bonf < SIGNIF:
            vb: Verdict = "agree"
            why = (f"sup-F p = {b.sup_f.p_value:.3f}; smallest candidate-year p × {m} (Bonferroni) = "
                   f"{min(bonf, 1.0):.3f}: constancy rejected")
        elif b.sup_f.p_value >= NO_EFFECT_P and bonf >= NO_EFFECT_P:
            vb, why = "disagree", (f"sup-F p = {b.sup_f.p_value:.3f}; candidate years (Bonferroni) "
                                  f"{min(bonf, 1.0):.3f}: constancy not rejected")
        else:
            vb, why = "inconclusive", f"sup-F p = {b.sup_f.p_value:.3f}, candidate years {min(bonf, 1.0):.3f}"
        return CheckOutcome(c.estimate, c.expect, vb, nums_b, why)
    assert c.cause is not None and c.effect is not None
    pair = {c.cause.upper(), c.effect.upper()}
    cands_v = [x for x in vecms if set(x.names) == pair]
    if not cands_v:
        return _missing(c, f"Johansen test of {c.cause} and {c.effect}")
    x = cands_v[0]
    nums_v: dict[str, Any] = {"rank": x.rank, "trace": list(x.trace_stats), "crit_5pct": list(x.crit_5pct),
                              "years": list(x.years)}
    if 0 < x.rank < len(x.names):
        return CheckOutcome(c.estimate, c.expect, "agree", nums_v, f"Johansen trace test: rank {x.rank} at 5 %")
    return CheckOutcome(c.estimate, c.expect, "disagree", nums_v,
                        f"Johansen trace test: rank {x.rank} at 5 % ({x.note})")


def compare_findings(fits: Iterable[RichardsonFit] | SystemFit | Mapping[str, RichardsonFit],
                     granger: Iterable[GrangerResult] | GrangerResult = (),
                     breaks: Iterable[BreakResult] | BreakResult = (),
                     vecm: Iterable[VecmFit] | VecmFit = (),
                     findings: Sequence[PublishedFinding] | None = None) -> list[FindingComparison]:
    """Each published finding beside the given estimates: agree / disagree / inconclusive with the numbers.

    Where several estimates match a check, the levels-form bilateral Richardson fit, the unconditional Granger
    test and the first break result or VECM of the actor/pair are used. The verdict rules are in the module
    docstring; how a finding's checks combine is :class:`FindingComparison`'s."""
    if isinstance(fits, SystemFit):
        fit_list = list(fits.fits.values())
    elif isinstance(fits, Mapping):
        fit_list = list(fits.values())
    else:
        fit_list = list(fits)
    g_list = [granger] if isinstance(granger, GrangerResult) else list(granger)
    b_list = [breaks] if isinstance(breaks, BreakResult) else list(breaks)
    v_list = [vecm] if isinstance(vecm, VecmFit) else list(vecm)
    out = []
    for f in (findings if findings is not None else published_findings()):
        outcomes = tuple(_check(c, fit_list, g_list, b_list, v_list) for c in f.checks)
        verdicts = {o.verdict for o in outcomes}
        verdict: Verdict
        if f.combine == "all":
            verdict = "disagree" if "disagree" in verdicts else "agree" if verdicts == {"agree"} else "inconclusive"
        else:
            verdict = "agree" if "agree" in verdicts else "disagree" if verdicts == {"disagree"} else "inconclusive"
        out.append(FindingComparison(f, verdict, outcomes))
    return out
