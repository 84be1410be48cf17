"""Rolling-origin backtests of military-spending forecasts (India, Pakistan), scored against a random walk.

At each origin year T (default 1995-2018) every model is fitted on the data up to T only (from the first year of the
latest unbroken run of years in which the target and its rivals all have data) and forecasts T+1 … T+5. Forecasts
are made in log spending (log US$ m, constant 2022) with ``log=True`` (the default).

Models
    ``richardson``  the levels-form Richardson system ΔM_i,t = g_i + Σ_j k_ij·M_j,t−1 − α_i·M_i,t−1 fitted by OLS for
                    the target *and* each rival (each rival's rivals are the other members), iterated jointly:
                    the rivals are forecast by their own Richardson equations, not held fixed.
    ``var``         a VAR(1) with a constant in log growth rates of the same members (lag fixed at 1 so the
                    backtest stays cheap; no order selection per origin), iterated and cumulated.
    ``arima``       ARIMA(1,1,0) with drift of the target alone (statsmodels ``ARIMA(order=(1,1,0), trend="t")``
                    estimated by feasible GLS with Burg's AR estimator, ``fit(method="burg")``: about 10 ms a fit
                    against 100-200 ms for the state-space MLE, with forecasts within a few 0.001 log points of
                    it); warnings are suppressed, convergence warnings counted.
    ``rw``          random walk with drift: M_T + h·(mean yearly change over the training years).

Scores per horizon h (years)
    MASE = mean over origins of |M_T+h − M̂_T+h| / s_T, with s_T the in-sample mean absolute one-step change of the
    target up to T (the one-step naive forecast's MAE, in log points); MAPE = mean of 100·|S − Ŝ|/S on spending S
    (US$ m). A model is *skilful* at h only where its MASE is below the random walk's.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from equilibrium.dynamics.arms import MIN_RESID_DF, _clean, _columns, _prepare, panel
from equilibrium.errors import InvalidInput, UnknownChoice

Model = Literal["richardson", "var", "arima", "rw"]
MODELS: tuple[Model, ...] = ("richardson", "var", "arima", "rw")
DEFAULT_ORIGINS: tuple[int, ...] = tuple(range(1995, 2019))
DEFAULT_HORIZONS: tuple[int, ...] = (1, 2, 3, 4, 5)
SPECS: dict[str, str] = {
    "richardson": "levels-form Richardson system (OLS), target and rivals iterated jointly",
    "var": "VAR(1) with constant in log growth rates (lag fixed at 1), iterated and cumulated",
    "arima": "ARIMA(1,1,0) with drift (statsmodels, GLS with Burg AR estimates), target alone",
    "rw": "random walk with drift (mean yearly change over the training years)",
}
"""Plain-words specification of each model."""


def naive_scale(x: np.ndarray) -> float:
    """Mean absolute one-step change of ``x`` (the in-sample one-step naive forecast's MAE; the MASE scale), in
    the units of ``x`` (log points for log spending)."""
    x = np.asarray(x, float)
    if len(x) < 2:
        raise InvalidInput("the MASE scale needs at least two years")
    return float(np.mean(np.abs(np.diff(x))))


def mase(actual: np.ndarray, forecast: np.ndarray, scale: float | np.ndarray) -> float:
    """Mean absolute scaled error: mean of |actual − forecast| / scale (scale per value or one number)."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    return float(np.mean(np.abs(a - f) / np.asarray(scale, float)))


def mape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean absolute percentage error (%): mean of 100·|actual − forecast| / |actual|."""
    a, f = np.asarray(actual, float), np.asarray(forecast, float)
    return float(np.mean(100.0 * np.abs(a - f) / np.abs(a)))


# ---------------------------------------------------------------------------------------------------------------
# The models: x is training data (years × members, target first), returns forecasts of the target, 1..H


def _richardson(x: np.ndarray, H: int) -> np.ndarray:
    n, m = x.shape
    coefs = []
    for i in range(m):
        others = [j for j in range(m) if j != i]
        X = np.column_stack([np.ones(n - 1), x[:-1, others], x[:-1, i]])
        beta, *_ = np.linalg.lstsq(X, np.diff(x[:, i]), rcond=None)
        coefs.append((others, beta))
    state = x[-1].copy()
    out = np.empty(H)
    for h in range(H):
        new = state.copy()
        for i, (others, beta) in enumerate(coefs):
            new[i] = state[i] + beta[0] + state[others] @ beta[1:-1] + beta[-1] * state[i]
        state = new
        out[h] = state[0]
    return out


def _var1(x: np.ndarray, H: int) -> np.ndarray:
    d = np.diff(x, axis=0)
    X = np.column_stack([np.ones(len(d) - 1), d[:-1]])
    B, *_ = np.linalg.lstsq(X, d[1:], rcond=None)
    level, last = x[-1].copy(), d[-1].copy()
    out = np.empty(H)
    for h in range(H):
        last = B[0] + last @ B[1:]
        level = level + last
        out[h] = level[0]
    return out


def _rw(x: np.ndarray, H: int) -> np.ndarray:
    y = x[:, 0]
    drift = (y[-1] - y[0]) / (len(y) - 1)
    return np.asarray(y[-1] + drift * np.arange(1, H + 1), float)


def _arima(x: np.ndarray, H: int, counter: list[int]) -> np.ndarray:
    from statsmodels.tsa.arima.model import ARIMA

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ARIMA(x[:, 0], order=(1, 1, 0), trend="t").fit(method="burg")
        fc = np.asarray(res.forecast(H), float)
    counter[0] += sum(1 for w in caught if w.category.__name__ == "ConvergenceWarning"
                      or "converge" in str(w.message).lower())
    return fc


def _training(data: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The rows up to ``origin`` after the last year with a missing value (the latest unbroken run)."""
    sub = data.loc[:origin]
    missing = sub.isna().any(axis=1).to_numpy()
    if missing.any():
        sub = sub.iloc[int(np.nonzero(missing)[0][-1]) + 1:]
    return sub


def forecasts_at(data: pd.DataFrame, origin: int, horizons: Sequence[int], models: Sequence[str],
                 counter: list[int] | None = None) -> dict[str, np.ndarray]:
    """Forecasts of the first column of ``data`` (log spending or spending, years × members) for ``horizons``
    years after ``origin``, by each model, from the data up to ``origin`` only."""
    train = _training(data, origin)
    m = train.shape[1]
    need = max(2 * m + 2 + MIN_RESID_DF, 15)
    if len(train) < need:
        raise InvalidInput(f"too few observations before the origin {origin}: {len(train)} unbroken years "
                           f"({', '.join(train.columns)}), need at least {need}")
    x = train.to_numpy(float)
    H = max(horizons)
    cnt = counter if counter is not None else [0]
    fns = {"richardson": lambda: _richardson(x, H), "var": lambda: _var1(x, H), "rw": lambda: _rw(x, H),
           "arima": lambda: _arima(x, H, cnt)}
    idx = np.asarray(horizons, int) - 1
    return {mname: fns[mname]()[idx] for mname in models}


@dataclass(frozen=True)
class HorizonScore:
    """Scores of one model at one horizon (years): MASE (scaled by the in-sample naive MAE), MAPE (%), the number
    of origins scored, and MASE relative to the random walk with drift (below 1: skilful)."""

    model: str
    horizon: int
    n: int
    mase: float | None
    mape_pct: float | None
    relative_mase: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"model": self.model, "horizon": self.horizon, "n": self.n, "mase": self.mase,
                "mape_pct": self.mape_pct, "relative_mase": self.relative_mase}


@dataclass(frozen=True)
class BacktestResult:
    """A rolling-origin backtest: scores per model and horizon, skill against the random walk, the forecasts."""

    target: str
    rivals: tuple[str, ...]
    log: bool
    origins: tuple[int, ...]
    horizons: tuple[int, ...]
    models: tuple[str, ...]
    scores: tuple[HorizonScore, ...]
    skilful: dict[int, bool]
    skill: dict[str, dict[int, bool]]
    convergence_warnings: int
    summary: str
    seconds: float
    forecasts: pd.DataFrame = field(repr=False, compare=False)

    def score(self, model: str, horizon: int) -> HorizonScore:
        """The score of ``model`` at ``horizon``."""
        for s in self.scores:
            if s.model == model and s.horizon == horizon:
                return s
        raise InvalidInput(f"no score for {model} at horizon {horizon}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (without the forecast rows)."""
        return {"target": self.target, "rivals": list(self.rivals), "log": self.log,
                "origins": [self.origins[0], self.origins[-1]] if self.origins else [], "horizons":
                list(self.horizons), "models": {m: SPECS[m] for m in self.models},
                "scores": [s.to_dict() for s in self.scores],
                "skilful": {str(h): v for h, v in self.skilful.items()},
                "skill": {m: {str(h): v for h, v in d.items()} for m, d in self.skill.items()},
                "convergence_warnings": self.convergence_warnings, "summary": self.summary,
                "seconds": round(self.seconds, 3),
                "scoring": "MASE scaled by the in-sample one-step naive MAE of the target up to each origin (log "
                           "points); MAPE on spending (US$ m, constant 2022); skilful where MASE < random walk's"}


def _summary(target: str, skill: dict[str, dict[int, bool]], scores: Sequence[HorizonScore],
             horizons: Sequence[int]) -> str:
    by = {(s.model, s.horizon): s for s in scores}
    parts = []
    for m, d in skill.items():
        good = [h for h in horizons if d.get(h)]
        bad = [h for h in horizons if not d.get(h)]

        def nums(hs: list[int], m: str = m) -> str:
            return ", ".join(f"h={h}: {by[(m, h)].mase:.2f} vs {by[('rw', h)].mase:.2f}" for h in hs
                             if by[(m, h)].mase is not None and by[("rw", h)].mase is not None)
        if not bad:
            parts.append(f"{m} beats the random walk with drift at every horizon ({nums(good)})")
        elif not good:
            parts.append(f"{m} does not beat the random walk with drift at any horizon ({nums(bad)}): not skilful")
        else:
            parts.append(f"{m} beats the random walk with drift at h = {', '.join(map(str, good))} "
                         f"({nums(good)}) but not at h = {', '.join(map(str, bad))} ({nums(bad)})")
    return f"{target}, MASE model vs random walk: " + "; ".join(parts) + "."


def backtest(wide: pd.DataFrame, target: str, rivals: Sequence[str], *,
             horizons: Sequence[int] = DEFAULT_HORIZONS, origins: Sequence[int] = DEFAULT_ORIGINS,
             log: bool = True, start: int | None = None, models: Sequence[str] = MODELS) -> BacktestResult:
    """Rolling-origin backtest of ``target``'s spending (ISO3; ``wide`` in US$ m constant 2022, wide by year) with
    ``rivals`` in the Richardson and VAR systems; forecasts at ``horizons`` years after each of ``origins`` from
    the data up to the origin only. Origin/horizon pairs whose outcome year has no data are skipped (``n`` per
    score says how many were scored). See the module docstring for the models and the scores."""
    t0 = time.perf_counter()
    models = list(dict.fromkeys(models))
    for m in models:
        if m not in MODELS:
            raise UnknownChoice("backtest model", m, list(MODELS))
    if "rw" not in models:
        models.append("rw")
    hs = sorted({int(h) for h in horizons})
    if not hs or hs[0] < 1:
        raise InvalidInput("horizons must be whole years ≥ 1")
    names = _columns(panel(wide), [target, *rivals])
    data = _prepare(wide, names, log=log, start=start, end=None)
    last = int(data[names].dropna().index[-1]) if len(data[names].dropna()) else int(data.index[0])
    counter = [0]
    rows: list[dict[str, Any]] = []
    used: list[int] = []
    for origin in sorted({int(o) for o in origins}):
        if origin >= last:
            continue
        fc = forecasts_at(data, origin, hs, models, counter)
        scale = naive_scale(_training(data, origin)[names[0]].to_numpy(float))
        used.append(origin)
        for j, h in enumerate(hs):
            year = origin + h
            actual = float(data[names[0]].get(year, np.nan)) if year in data.index else math.nan
            for m in models:
                rows.append({"origin": origin, "horizon": h, "year": year, "model": m,
                             "forecast": float(fc[m][j]), "actual": actual, "scale": scale})
    if not used:
        raise InvalidInput(f"no origin among {min(origins)}-{max(origins)} leaves a year to forecast (data end "
                           f"{last})")
    frame = pd.DataFrame(rows)
    scored = frame.dropna(subset=["actual"])
    scores: list[HorizonScore] = []
    raw: dict[tuple[str, int], float | None] = {}
    for m in models:
        for h in hs:
            s = scored[(scored["model"] == m) & (scored["horizon"] == h)]
            if s.empty:
                raw[(m, h)] = None
                scores.append(HorizonScore(m, h, 0, None, None, None))
                continue
            a, f = s["actual"].to_numpy(), s["forecast"].to_numpy()
            level_a, level_f = (np.exp(a), np.exp(f)) if log else (a, f)
            score = mase(a, f, s["scale"].to_numpy())
            raw[(m, h)] = score
            scores.append(HorizonScore(m, h, len(s), _clean(score), _clean(mape(level_a, level_f)), None))
    final = []
    for sc in scores:
        base, own = raw.get(("rw", sc.horizon)), raw.get((sc.model, sc.horizon))
        rel = _clean(own / base) if own is not None and base is not None and base != 0.0 else None
        final.append(HorizonScore(sc.model, sc.horizon, sc.n, sc.mase, sc.mape_pct, rel))
    skill = {m: {h: bool(raw[(m, h)] is not None and raw[("rw", h)] is not None
                         and raw[(m, h)] < raw[("rw", h)])  # type: ignore[operator]
                 for h in hs} for m in models if m != "rw"}
    skilful = skill.get("richardson", {h: False for h in hs})
    frame["forecast_level"] = np.exp(frame["forecast"]) if log else frame["forecast"]
    frame["actual_level"] = np.exp(frame["actual"]) if log else frame["actual"]
    return BacktestResult(target=names[0], rivals=tuple(names[1:]), log=log, origins=tuple(used),
                          horizons=tuple(hs), models=tuple(models), scores=tuple(final), skilful=skilful,
                          skill=skill, convergence_warnings=counter[0], summary=_summary(names[0], skill, final, hs),
                          seconds=time.perf_counter() - t0, forecasts=frame)
