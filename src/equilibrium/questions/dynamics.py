"""Dynamics questions: the South Asian strategic order as data, estimated relationships, backtests, alignment
measures and scenario ensembles.

* ``dynamics.data`` — which data sets are found (SIPRI military expenditure and arms transfers, COW NMC, Voeten
  ideal points, UNGA votes), their rows, years and problems, or who publishes them and how to obtain them.

The data files are third-party and not shipped: they are looked up under ``$EQUILIBRIUM_DATA_DIR`` (the CLI's
``--path`` overrides it with :func:`equilibrium.dynamics.data.data_path_override`; the HTTP API never takes a
path). A missing file answers :class:`~equilibrium.dynamics.data.DataFileMissing` (503, with the publisher and how
to obtain it) on every edge. Money in constant 2022 US$ m, shares in %, years as calendar years.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from equilibrium.dynamics import data as ddata
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import stated_data
from equilibrium.settings import get_settings

__all__ = ["DatasetState", "DynamicsData", "DynamicsDataParams", "dynamics_data"]


class _M(BaseModel):
    model_config = ConfigDict(populate_by_name=True, ser_json_inf_nan="null")


def _src(p: Params, *names: str) -> Literal["given", "default"]:
    """``given`` when any of the parameters ``names`` differs from its default (the same on every edge: the HTTP
    route fills every field, the CLI only those typed), else ``default``."""
    fields = type(p).model_fields
    return "given" if any(getattr(p, n) != fields[n].default for n in names) else "default"


def _folder_stated() -> Stated:
    over = ddata._PATH.get()
    if over is not None:
        return Stated(name="data folder", value=str(over), source="given")
    d = get_settings().data_dir
    return Stated(name="data folder", value=str(d) if d else "(EQUILIBRIUM_DATA_DIR not set)", source="default",
                  note="the files are third-party and not shipped: give --path or set EQUILIBRIUM_DATA_DIR")


# ================================================================================================ dynamics.data

class DynamicsDataParams(Params):
    """Which data sets to report (default all)."""

    dataset: Literal["sipri-milex", "sipri-tiv-imports", "sipri-tiv-exports", "cow-nmc", "voeten-idealpoints",
                     "unvotes"] | None = Field(None, description="One data set (default: all six).")


class DatasetState(_M):
    """One data set: found or not; rows (votes for unvotes), first and last year, problems (rows left out or
    names not resolved), the counts of a complete file beside those read, and when missing who publishes it and
    how to obtain it."""

    dataset: str
    title: str
    publisher: str
    obtain: str
    url: str
    sources: list[str]
    found: bool
    path: str | None
    rows: int | None
    years: list[int] | None
    problems: int | None
    counts: dict[str, int]
    expected: dict[str, int]
    message: str | None


class DynamicsData(Answer):
    """The dynamics data sets: found or missing, with what each holds."""

    question: Literal["dynamics.data"] = "dynamics.data"
    datasets: list[DatasetState]
    found: int
    missing: int


@question("dynamics.data", params=DynamicsDataParams, answer=DynamicsData, cli=("dynamics", "data"),
          http=("GET", "/api/dynamics/data"), heavy=True,
          summary="Which dynamics data sets are found (SIPRI milex and TIV, COW NMC, Voeten ideal points, UNGA "
                  "votes): rows, years, problems; or who publishes them",
          examples=[Example({"dataset": "sipri-milex"}, ["--dataset", "sipri-milex"])])
def dynamics_data(p: DynamicsDataParams) -> DynamicsData:
    """Each data set found (rows, years, problems, read against a complete file's counts) or missing (publisher,
    how to obtain it)."""
    states = ddata.datasets_status(None, [p.dataset] if p.dataset else None)
    rows: list[dict[str, Any]] = [{k: v for k, v in s.to_dict().items() if k != "seconds"} for s in states]
    found = sum(1 for s in states if s.found)
    return DynamicsData(datasets=[DatasetState(**r) for r in rows], found=found, missing=len(states) - found,
                        defaults=[_folder_stated(), *stated_data("dynamics")],
                        notes=[] if found == len(states) else
                        ["Missing data sets cannot be shipped with the product: each entry says who publishes it "
                         "and how to obtain it."])


# ================================================================================================ shared helpers

ISO3 = Literal["CHN", "IND", "PAK"]


def _milex_wide(countries: list[str], start: int | None = None, end: int | None = None) -> Any:
    """Military expenditure (US$ m, constant 2022) wide by year for ``countries`` from the SIPRI file."""
    ld = ddata.load_milex()
    return ddata.series(ld.frame, countries, "milex_usd_m", start, end), ld


def _sipri_stated(ld: Any) -> list[Stated]:
    yrs = ld.years()
    return [Stated(name="data:SIPRI milex", value=f"{ld.path.name} ({yrs[0]}–{yrs[1]})" if yrs else ld.path.name,
                   source="data", note="SIPRI Military Expenditure Database, constant (2022) US$ m; SIPRI's "
                                       "estimates kept (flagged in the data)")]


class SeriesOut(_M):
    """Military expenditure (US$ m, constant 2022) by year for each country (null where SIPRI has none)."""

    years: list[int]
    values: dict[str, list[float | None]]


def _series_out(wide: Any) -> SeriesOut:
    import math

    years = [int(y) for y in wide.index]
    vals = {str(c): [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                     for v in wide[c].tolist()] for c in wide.columns}
    return SeriesOut(years=years, values=vals)


# ================================================================================================ dynamics.fit

class FitParams(Params):
    """The arms-race system to estimate and its sample."""

    system: Literal["bilateral", "triad"] = Field("bilateral", description="bilateral: India ↔ Pakistan; triad: "
                                                                            "China → India → Pakistan.")
    form: Literal["levels", "differences"] = Field("levels", description="Richardson form: levels (reaction and "
                                                                         "fatigue) or differences (growth on "
                                                                         "growth).")
    start: int | None = Field(None, ge=1949, le=2100, description="First year of the sample (default: the data's).")
    end: int | None = Field(None, ge=1949, le=2100, description="Last year of the sample (default: the data's).")
    maxlag: int = Field(4, ge=1, le=8, description="Largest lag considered for Granger/VAR/VECM (years).")


class DynamicsFit(Answer):
    """Richardson action–reaction fits (HAC standard errors), Granger causality both ways, the Johansen rank of a
    VECM, structural breaks found and tested, and the published findings set beside the estimates."""

    question: Literal["dynamics.fit"] = "dynamics.fit"
    system: str
    form: str
    fits: dict[str, Any] = Field(description="Per equation: coefficients, HAC SE, p, n, sample, R², formula.")
    granger: dict[str, Any] = Field(description="India ↔ Pakistan Granger tests both ways (lag by AIC).")
    vecm: dict[str, Any] = Field(description="Johansen trace test and rank (5 %).")
    breaks: dict[str, Any] = Field(description="Per equation: breaks found (ruptures), Chow and sup-F tests, the "
                                               "literature's candidate years tested.")
    findings: list[dict[str, Any]] = Field(description="Each published finding: agree / disagree / inconclusive, "
                                                       "with the numbers and sources.")
    series: SeriesOut


@question("dynamics.fit", params=FitParams, answer=DynamicsFit, cli=("dynamics", "fit"),
          http=("GET", "/api/dynamics/fit"), heavy=True,
          summary="Arms racing (SIPRI milex): Richardson fits, Granger both ways, VECM rank, tested breaks, the "
                  "published findings beside them",
          examples=[Example({}, [])])
def dynamics_fit(p: FitParams) -> DynamicsFit:
    """Estimate the arms-race system on SIPRI military expenditure (log, constant 2022 US$) and compare it with
    the published findings."""
    from equilibrium.dynamics import arms

    countries = ["CHN", "IND", "PAK"] if p.system == "triad" else ["IND", "PAK"]
    wide, ld = _milex_wide(countries)
    system = arms.fit_system(wide, p.system, form=p.form, start=p.start, end=p.end)
    g = arms.granger(wide, "IND", "PAK", p.maxlag, start=p.start, end=p.end)
    v = arms.vecm_fit(wide, ["IND", "PAK"], maxlags=p.maxlag, start=p.start, end=p.end)
    brs = [arms.breaks(wide, actor, rivals, form=p.form, start=p.start, end=p.end)
           for actor, rivals in arms.SYSTEMS[p.system].items() if rivals]
    comps = arms.compare_findings(system, g, brs, v)
    sample = system.to_dict()
    return DynamicsFit(system=p.system, form=p.form, fits=sample, granger=g.to_dict(), vecm=v.to_dict(),
                       breaks={b.actor: b.to_dict() for b in brs}, findings=[c.to_dict() for c in comps],
                       series=_series_out(_milex_wide(["CHN", "IND", "PAK"])[0]),
                       defaults=[Stated(name="system", value=p.system, source=_src(p, "system")),
                                 Stated(name="form", value=p.form, source=_src(p, "form")),
                                 Stated(name="transform", value="natural log of spending (coefficients are "
                                                                "semi-elasticities)", source="default"),
                                 *_sipri_stated(ld), _folder_stated(), *stated_data("dynamics")],
                       notes=[f"{c.finding.id}: {c.verdict}" for c in comps if hasattr(c, "finding")])


# ================================================================================================ dynamics.backtest

class BacktestParams(Params):
    """Whose spending to forecast, and the origins."""

    target: Literal["IND", "PAK"] = Field("PAK", description="The country whose military expenditure is forecast.")
    first_origin: int = Field(1995, ge=1960, le=2022, description="First forecast origin (year).")
    last_origin: int = Field(2018, ge=1960, le=2022, description="Last forecast origin (year).")


class DynamicsBacktest(Answer):
    """Rolling-origin forecasts 1–5 years ahead scored by MASE and MAPE per horizon against a random walk with
    drift and an ARIMA baseline; a model is skilful only where it beats the random walk."""

    question: Literal["dynamics.backtest"] = "dynamics.backtest"
    target: str
    result: dict[str, Any]
    summary: str


@question("dynamics.backtest", params=BacktestParams, answer=DynamicsBacktest, cli=("dynamics", "backtest"),
          http=("GET", "/api/dynamics/backtest"), heavy=True,
          summary="Forecast backtest of Indian or Pakistani military expenditure (MASE, MAPE per horizon) against "
                  "a random walk and ARIMA",
          examples=[Example({"target": "PAK"}, ["--target", "PAK"])])
def dynamics_backtest(p: BacktestParams) -> DynamicsBacktest:
    """Backtest the Richardson system, a VAR, ARIMA and a random walk with drift on the target's spending."""
    from equilibrium.dynamics import backtest as bt

    if p.first_origin > p.last_origin:
        from equilibrium.errors import InvalidInput

        raise InvalidInput(f"first_origin {p.first_origin} is after last_origin {p.last_origin}")
    rival = "IND" if p.target == "PAK" else "PAK"
    wide, ld = _milex_wide(["IND", "PAK"])
    res = bt.backtest(wide, p.target, [rival], origins=tuple(range(p.first_origin, p.last_origin + 1)))
    result = {k: v for k, v in res.to_dict().items() if k != "seconds"}  # timings differ between edges
    return DynamicsBacktest(target=p.target, result=result, summary=res.summary,
                            defaults=[Stated(name="origins", value=f"{p.first_origin}–{p.last_origin}",
                                             source=_src(p, "first_origin", "last_origin")),
                                      Stated(name="horizons", value="1–5 years", source="default"),
                                      *_sipri_stated(ld), _folder_stated(), *stated_data("dynamics")],
                            notes=[res.summary])


# ================================================================================================ dynamics.run

SCENARIO = Literal["baseline", "sanctions-intensify", "engagement", "us-india-deepens"]
HTTP_MAX_RUNS = 20_000
"""Most scenario runs over HTTP (about 1 s on one core); the CLI takes up to the ensemble's limit with
``--workers``/``--scheduler`` and resumable ``--out``."""


class RunParams(Params):
    """A scenario ensemble: which scenario, how many runs and years, the seed, and the scenario to compare with."""

    scenario: SCENARIO = Field("baseline", description="Scenario file (data/dynamics/scenarios).")
    n_runs: int = Field(2_000, ge=20, le=1_000_000, description="Runs (one coefficient draw and one noise path each).")
    years: int = Field(30, ge=1, le=100, description="Years simulated after the base year (the data's last year).")
    seed: int = Field(0, ge=0, le=2**62, description="Seed: run r uses SeedSequence(seed, spawn_key=(r,)).")
    compare_with: SCENARIO | None = Field(None, description="Also run this scenario on the same seeds and report "
                                                            "the difference (this scenario − the other).")


class RunHttpParams(RunParams):
    """As :class:`RunParams`, at most :data:`HTTP_MAX_RUNS` runs over HTTP."""

    n_runs: int = Field(2_000, ge=20, le=HTTP_MAX_RUNS, description="Runs (at most 20,000 over HTTP).")


class DynamicsRun(Answer):
    """Fan charts (P5/P50/P95 per year) of India/Pakistan military expenditure ratio, Pakistan's alignment, the
    cumulative sanctions cost and China's share of Pakistan's arms imports; with ``compare_with`` the paired
    difference between the scenarios with intervals."""

    question: Literal["dynamics.run"] = "dynamics.run"
    scenario: str
    ensemble: dict[str, Any]
    comparison: dict[str, Any] | None = None
    scenario_parameters: dict[str, Any] = Field(description="The scenario's parameters, each sourced or assumed.")


def run_answer(p: RunParams, *, workers: int = 1, scheduler: str | None = None, out_dir: Any = None,
               progress: Any = None) -> DynamicsRun:
    """The answer to ``dynamics.run``; ``workers``/``scheduler``/``out_dir`` change how the runs are spread and
    kept (never the numbers)."""
    from equilibrium.dynamics import ensemble, model

    sc = model.load_scenario(p.scenario)
    coeffs = model.calibrate(None, seed=p.seed)
    res = ensemble.run_ensemble(sc, p.n_runs, p.years, p.seed, workers=workers, scheduler=scheduler,
                                out_dir=out_dir, coeffs=coeffs, progress=progress)
    comp = None
    notes = []
    if p.compare_with is not None:
        c = ensemble.compare(model.load_scenario(p.compare_with), sc, p.n_runs, p.years, p.seed, workers=workers,
                             scheduler=scheduler, coeffs=coeffs)
        comp = c.to_dict()
        notes.append(f"Difference = {p.scenario} − {p.compare_with}, run by run on the same seeds (common random "
                     "numbers); read the median for the expenditure ratio (its mean is dominated by explosive "
                     "coefficient draws).")
    assumed = [k for k, v in sc.to_dict()["parameters"].items() if isinstance(v, dict) and v.get("assumed")]
    if assumed:
        notes.append(f"Assumed (no source gives them; each says why in the scenario file): {', '.join(assumed)}.")
    d = res.to_dict()
    params = {k: v for k, v in sc.to_dict().items() if k != "path"}  # no server path in an answer
    return DynamicsRun(scenario=p.scenario, ensemble=d, comparison=comp, scenario_parameters=params,
                       defaults=[Stated(name="scenario", value=p.scenario, source=_src(p, "scenario")),
                                 Stated(name="runs", value=f"{p.n_runs:,} × {p.years} years, seed {p.seed}",
                                        source=_src(p, "n_runs", "years", "seed")),
                                 Stated(name="coefficients", value=str(d.get("coefficients")), source="data",
                                        note="bootstrap draws of the Richardson fits on SIPRI military expenditure"),
                                 _folder_stated(), *stated_data("dynamics")],
                       notes=notes)


@question("dynamics.run", params=RunHttpParams, answer=DynamicsRun, cli=("dynamics", "run"),
          http=("POST", "/api/dynamics/run"), heavy=True,
          summary="Scenario ensemble (baseline, sanctions intensify, engagement, US–India partnership deepens): fan "
                  "charts and the difference between scenarios",
          examples=[Example({"scenario": "sanctions-intensify", "n_runs": 200, "compare_with": "baseline"},
                            ["--scenario", "sanctions-intensify", "-n", "200", "--compare-with", "baseline"])])
def dynamics_run(p: RunParams) -> DynamicsRun:
    """Run the scenario ensemble (seeded: identical for any number of workers) and summarise it as fan charts."""
    return run_answer(p)


# ================================================================================================ dynamics.sensitivity

class SensitivityParams(Params):
    """Global sensitivity of the scenario model's last-year outputs."""

    scenario: SCENARIO = Field("baseline", description="Scenario whose interval parameters are varied.")
    method: Literal["morris", "sobol"] = Field("morris", description="morris: the cheap screen; sobol: first and "
                                                                     "total indices with confidence intervals.")
    n: int = Field(64, ge=10, le=8192, description="Morris trajectories, or the Sobol base sample (a power of 2, "
                                                   "≥ 64).")
    years: int = Field(30, ge=1, le=100, description="Years simulated; the outputs are read in the last one.")
    seed: int = Field(0, ge=0, le=2**62, description="Seed.")


class DynamicsSensitivity(Answer):
    """Which parameters (scenario intervals and coefficient quantiles) move the outputs: Morris μ*/σ or Sobol
    S1/ST with confidence intervals (indices whose interval covers 0 are flagged)."""

    question: Literal["dynamics.sensitivity"] = "dynamics.sensitivity"
    method: str
    result: dict[str, Any]


@question("dynamics.sensitivity", params=SensitivityParams, answer=DynamicsSensitivity,
          cli=("dynamics", "sensitivity"), http=("GET", "/api/dynamics/sensitivity"), heavy=True,
          summary="Global sensitivity (SALib Morris or Sobol) of the scenario model's outputs",
          examples=[Example({"method": "morris", "n": 10}, ["--method", "morris", "-n", "10"])])
def dynamics_sensitivity(p: SensitivityParams) -> DynamicsSensitivity:
    """Morris screen or Sobol indices of the scenario model's outputs in the last simulated year."""
    from equilibrium.dynamics import model, sensitivity

    sc = model.load_scenario(p.scenario)
    coeffs = model.calibrate(None, seed=p.seed)
    if p.method == "sobol":
        res: Any = sensitivity.sobol(sc, p.n, p.years, seed=p.seed, coeffs=coeffs)
    else:
        res = sensitivity.morris(sc, p.n, p.years, seed=p.seed, coeffs=coeffs)
    return DynamicsSensitivity(method=p.method, result=res.to_dict(),
                               defaults=[Stated(name="scenario", value=p.scenario, source=_src(p, "scenario")),
                                         Stated(name="method", value=p.method, source=_src(p, "method"),
                                                note="SALib; coefficient quantiles treated as independent"),
                                         _folder_stated(), *stated_data("dynamics")])


# ================================================================================================ dynamics.alignment

class AlignmentParams(Params):
    """The dyads and the window of the alignment measures."""

    dyads: list[str] | None = Field(None, max_length=10, description="Pairs as 'PAK-USA' (default: PAK–USA, "
                                                                     "PAK–CHN, IND–USA, IND–CHN, PAK–IND).")
    start: int = Field(1972, ge=1946, le=2024, description="First year (1972: China's first full year in the UN "
                                                           "seat).")
    end: int | None = Field(None, ge=1946, le=2024, description="Last year (default: the data's).")
    subset: Literal["all", "resolutions", "important"] = Field("all", description="Which roll calls count.")


class DynamicsAlignment(Answer):
    """Ideal-point distance (Voeten), vote coincidence, Lijphart agreement and S-scores per year for each dyad,
    trends per decade with intervals, tested breaks, the drift summary (which measures show a drift toward China
    and which do not), arms-import dependence and the published figures beside the computed ones."""

    question: Literal["dynamics.alignment"] = "dynamics.alignment"
    report: dict[str, Any]
    drift: str
    published: list[dict[str, Any]]
    arms: dict[str, Any] | None


@question("dynamics.alignment", params=AlignmentParams, answer=DynamicsAlignment, cli=("dynamics", "alignment"),
          http=("GET", "/api/dynamics/alignment"), heavy=True,
          summary="UNGA alignment of Pakistan and India with the US and China: ideal points, agreement, trends, "
                  "breaks, arms dependence",
          examples=[Example({"dyads": ["PAK-USA", "PAK-CHN"]}, ["--dyad", "PAK-USA", "--dyad", "PAK-CHN"])])
def dynamics_alignment(p: AlignmentParams) -> DynamicsAlignment:
    """Alignment measures for the dyads over the window, their trends and breaks, and what drifts toward China."""
    from equilibrium.dynamics import alignment as al
    from equilibrium.errors import InvalidInput

    dyads = list(al.DYADS)
    if p.dyads:
        dyads = []
        for d in p.dyads:
            parts = [x.strip().upper() for x in d.replace("–", "-").split("-")]
            if len(parts) != 2 or not all(len(x) == 3 for x in parts):
                raise InvalidInput(f"a dyad is two ISO3 codes joined by '-', like PAK-USA, not {d!r}")
            dyads.append((parts[0], parts[1]))
    ideal = al.load_idealpoints_frame()
    record = al.load_vote_record()
    rep = al.alignment_report(ideal, record, dyads=dyads, start=p.start, end=p.end, subset=p.subset)
    drift = al.drift_summary(rep)
    try:
        arms = al.arms_dependence().to_dict()
    except ddata.DataFileMissing:
        arms = None
    published = [c.to_dict() for c in al.compare_published(record)]
    return DynamicsAlignment(report=rep.to_dict(), drift=drift.text(), published=published, arms=arms,
                             defaults=[Stated(name="window", value=f"{p.start}–{p.end or 'the data’s last year'}",
                                              source=_src(p, "start", "end")),
                                       Stated(name="roll calls", value=p.subset, source=_src(p, "subset")),
                                       Stated(name="measures", value=", ".join(al.MEASURES),
                                              note="definitions: " + "; ".join(
                                                  f"{m} [{sid}]" for m, sid in al.MEASURE_SOURCES.items())),
                                       Stated(name="data:ideal points", value=al.IDEALPOINT_VERSION, source="data"),
                                       Stated(name="data:votes", value=al.VOTES_VERSION, source="data"),
                                       _folder_stated(), *stated_data("dynamics")],
                             notes=[drift.text()])
