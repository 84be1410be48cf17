"""The scenario model of the South Asian strategic order: yearly steps, vectorised over runs (numpy).

State of run r in year t (arrays of shape ``(runs,)``), for the actors i ∈ {CHN, IND, PAK}:

- ``m_i,t``  military effort: ln of military expenditure in US$ m, constant 2022 prices (SIPRI);
- ``a_t``    Pakistan's alignment, 0 = with the United States … 1 = with China (–);
- ``χ_t``    China's share of Pakistan's arms imports (–, SIPRI TIV shares);
- ``C_t``    cumulative cost of sanctions to Pakistan: GDP level below its no-sanctions path (% of GDP).

Exogenous paths set by the scenario (``s`` and ``p`` move linearly from their initial to their target value over
``ramp`` years, then stay): sanctions intensity ``s_t`` ∈ [0, 1] (0 none, 1 the average US sanctions episode of the
cross-country studies) and the US–India partnership index ``p_t`` ∈ [0, 1].

Equations (t = 1 … T; ``clip`` to [0, 1]; ε and η standard normal, drawn per run):

1. Military effort (log points per year; coefficients drawn per run from the bootstrap of the Richardson fits,
   :func:`calibrate`)::

       Δm_i,t = g_i + Σ_j≠i k_ij · m_j,t−1 − α_i · m_i,t−1 + σ_i · ε_i,t          (i = CHN, IND)
       Δm_PAK,t = [same] + β_s · s_t + β_a · (a_t − a_0) − L_t / 100

   g_i drift (log points / yr), k_ij reaction to rival j (1/yr), α_i fatigue / own restraint (1/yr), σ_i the
   residual standard deviation of the fit (log points / yr). β_s (log points / yr per unit of s) is the claimed
   sanctions push on Pakistan's effort (sign not known: drawn across zero), β_a (log points / yr per unit of
   alignment) China's support as alignment rises; −L_t/100 is the GDP loss passed through at a constant share of
   GDP. Each yearly change is held within ±0.5 log points (±65 %), a guard against explosive draws.
2. Sanctions cost (percentage points of GDP growth per year) and its cumulation (% of GDP)::

       L_t = s_t · ℓ · (1 − θ · χ_t)
       C_t = 100 · [1 − (1 − C_t−1 / 100) · (1 − L_t / 100)]

   ℓ the growth loss under full sanctions (pp / yr, sourced: US sanctions episodes), θ the share of the loss that
   substitution through China offsets per unit of China's arms-import share (circumvention, –).
3. Alignment (relaxation toward a target that moves with sanctions and the US–India partnership)::

       a*_t = clip(a_0 + w_s · (s_t − s_0) + w_p · (p_t − p_0))
       a_t  = clip(a_t−1 + λ · (a*_t − a_t−1) + σ_a · η_t)

   λ relaxation rate (1/yr), w_s and w_p (–) the pull of sanctions and of the partnership toward China, σ_a (–/yr)
   year-to-year noise.
4. Supplier substitution (China's share of Pakistan's arms imports)::

       χ*_t = clip(χ_0 + v_s · (s_t − s_0) + v_a · (a_t − a_0))
       χ_t  = χ_t−1 + μ · (χ*_t − χ_t−1)

   μ (1/yr) the pace of re-equipment, v_s and v_a (–) the pull of sanctions and alignment.

Outputs per run and year (:data:`OUTPUTS`): the India / Pakistan military expenditure ratio exp(m_IND − m_PAK)
(–), the alignment a (–), the cumulative cost C (% of GDP), China's arms-import share χ (–), and each actor's
military expenditure (US$ m, constant 2022).

With every k, α, β = 0 and σ = 0 each actor follows its drift: m_i,t = m_i,0 + g_i · t (tested). The scenario
parameters (:data:`PARAMETERS`) come from YAML files (``data/dynamics/scenarios``), each sourced or marked
``assumed`` with the reason; a parameter given as ``min``/``max`` is drawn uniformly per run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from equilibrium.errors import DataError, InvalidInput, UnknownChoice

if TYPE_CHECKING:
    import pandas as pd

    from equilibrium.provenance import Bibliography

ACTORS: tuple[str, str, str] = ("CHN", "IND", "PAK")
"""The actors, in the order of the state arrays (ISO3)."""
CHN, IND, PAK = 0, 1, 2

OUTPUTS: dict[str, str] = {
    "milex_ratio": "India / Pakistan military expenditure (–)",
    "alignment": "Pakistan's alignment, 0 = United States … 1 = China (–)",
    "cost_pct_gdp": "cumulative cost of sanctions to Pakistan, GDP below its no-sanctions path (% of GDP)",
    "china_share": "China's share of Pakistan's arms imports (–)",
    "milex_chn_usd_m": "China's military expenditure (US$ m, constant 2022)",
    "milex_ind_usd_m": "India's military expenditure (US$ m, constant 2022)",
    "milex_pak_usd_m": "Pakistan's military expenditure (US$ m, constant 2022)",
}
"""Outputs of :func:`simulate`, each an array (runs, years), with their units."""

MAX_STEP = 0.5
"""Largest yearly change of log military expenditure (log points, ≈ ±65 %): a guard against explosive draws."""


@dataclass(frozen=True)
class ParamSpec:
    """A scenario parameter: its unit, the admissible interval and what it means."""

    unit: str
    lo: float
    hi: float
    meaning: str


PARAMETERS: dict[str, ParamSpec] = {
    "sanctions_initial": ParamSpec("-", 0.0, 1.0, "sanctions intensity s_0 in the base year"),
    "sanctions_target": ParamSpec("-", 0.0, 1.0, "sanctions intensity reached after the ramp"),
    "sanctions_ramp_years": ParamSpec("years", 0.0, 30.0, "years over which s moves to its target"),
    "gdp_growth_loss_full_pp": ParamSpec("pp/yr", 0.0, 10.0,
                                         "ℓ: loss of GDP growth under full sanctions (s = 1)"),
    "circumvention_offset": ParamSpec("-", 0.0, 1.0,
                                      "θ: share of the loss offset per unit of China's arms-import share"),
    "partnership_initial": ParamSpec("-", 0.0, 1.0, "US–India partnership index p_0 in the base year"),
    "partnership_target": ParamSpec("-", 0.0, 1.0, "partnership index reached after the ramp"),
    "partnership_ramp_years": ParamSpec("years", 0.0, 30.0, "years over which p moves to its target"),
    "alignment_initial": ParamSpec("-", 0.0, 1.0, "a_0: Pakistan's alignment in the base year (0 US, 1 China)"),
    "alignment_relaxation": ParamSpec("1/yr", 0.0, 1.0, "λ: pace at which alignment moves to its target"),
    "alignment_sanctions_weight": ParamSpec("-", -1.0, 1.0, "w_s: pull of sanctions toward China"),
    "alignment_partnership_weight": ParamSpec("-", -1.0, 1.0, "w_p: pull of the US–India partnership toward China"),
    "alignment_noise_sd": ParamSpec("-/yr", 0.0, 0.2, "σ_a: year-to-year noise of alignment"),
    "china_share_initial": ParamSpec("-", 0.0, 1.0, "χ_0: China's share of Pakistan's arms imports"),
    "china_share_relaxation": ParamSpec("1/yr", 0.0, 1.0, "μ: pace of re-equipment toward the target share"),
    "china_share_sanctions_weight": ParamSpec("-", -1.0, 1.0, "v_s: pull of sanctions on China's share"),
    "china_share_alignment_weight": ParamSpec("-", -1.0, 1.0, "v_a: pull of alignment on China's share"),
    "sanctions_effort_push": ParamSpec("log points/yr", -0.1, 0.1,
                                       "β_s: change of Pakistan's effort per unit of sanctions intensity"),
    "alignment_effort_support": ParamSpec("log points/yr", -0.1, 0.1,
                                          "β_a: change of Pakistan's effort per unit of alignment above a_0"),
}
"""Every scenario parameter, in the fixed order in which each run draws them (common random numbers)."""
PARAM_NAMES: tuple[str, ...] = tuple(PARAMETERS)


# --------------------------------------------------------------------------------------------- coefficients

def coefficient_columns() -> tuple[str, ...]:
    """Columns of a :class:`Coefficients` table: ``g_X`` (log points/yr), ``alpha_X`` (1/yr), ``k_X_Y`` (1/yr,
    X's reaction to Y) and ``sigma_X`` (log points/yr) for X, Y in :data:`ACTORS`."""
    cols: list[str] = []
    for a in ACTORS:
        cols += [f"g_{a}", f"alpha_{a}"] + [f"k_{a}_{b}" for b in ACTORS if b != a] + [f"sigma_{a}"]
    return tuple(cols)


COEF_COLUMNS = coefficient_columns()


@dataclass(frozen=True)
class Coefficients:
    """Draws of the effort equations' coefficients, one row per draw (see :func:`coefficient_columns`), and the
    initial state: ln military expenditure (ln US$ m, constant 2022) of each actor in ``base_year``.

    Columns absent from the fit (an actor that does not react to a rival) are zero."""

    draws: np.ndarray
    initial_log_milex: tuple[float, float, float]
    base_year: int
    source: str = "synthetic"
    columns: tuple[str, ...] = COEF_COLUMNS
    sample: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        d = np.asarray(self.draws, dtype=float)
        if d.ndim != 2 or d.shape[1] != len(COEF_COLUMNS) or d.shape[0] < 1:
            raise InvalidInput(f"coefficient draws must be an array (draws, {len(COEF_COLUMNS)}), not {d.shape}")
        if not np.isfinite(d).all():
            raise InvalidInput("coefficient draws hold non-finite values")
        if (d[:, [COEF_COLUMNS.index(f"sigma_{a}") for a in ACTORS]] < 0).any():
            raise InvalidInput("residual standard deviations (sigma_*) must be non-negative")
        if not all(math.isfinite(x) for x in self.initial_log_milex):
            raise InvalidInput("initial log military expenditure must be finite")
        object.__setattr__(self, "draws", d)

    @property
    def n(self) -> int:
        """Number of draws."""
        return int(self.draws.shape[0])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, initial_milex_usd_m: Mapping[str, float], base_year: int, *,
                   source: str = "synthetic", sample: Mapping[str, str] | None = None) -> Coefficients:
        """From a table with named columns (a subset of :func:`coefficient_columns`; absent ones are zero) and the
        base-year military expenditure (US$ m, constant 2022) of each actor. Unknown columns are refused."""
        unknown = [c for c in frame.columns if c not in COEF_COLUMNS]
        if unknown:
            raise InvalidInput(f"unknown coefficient column(s) {unknown}; expected among {list(COEF_COLUMNS)}")
        d = np.zeros((len(frame), len(COEF_COLUMNS)))
        for c in frame.columns:
            d[:, COEF_COLUMNS.index(c)] = frame[c].to_numpy(dtype=float)
        missing = [a for a in ACTORS if a not in initial_milex_usd_m]
        if missing:
            raise InvalidInput(f"initial military expenditure missing for {missing}")
        m0 = []
        for a in ACTORS:
            v = float(initial_milex_usd_m[a])
            if not (math.isfinite(v) and v > 0):
                raise InvalidInput(f"initial military expenditure of {a} must be positive (US$ m), not {v}")
            m0.append(math.log(v))
        return cls(d, (m0[0], m0[1], m0[2]), int(base_year), source, COEF_COLUMNS, dict(sample or {}))

    def frame(self) -> pd.DataFrame:
        """The draws as a DataFrame with named columns."""
        import pandas as pd

        return pd.DataFrame(self.draws, columns=list(self.columns))

    def arrays(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(g, alpha, K, sigma)`` for the given draw rows (all when None): g, alpha, sigma (runs, 3); K (runs, 3,
        3) with K[r, i, j] = k_ij (zero diagonal)."""
        d = self.draws if rows is None else self.draws[rows]
        return split_coefficients(d)

    def quantiles(self, q: np.ndarray) -> np.ndarray:
        """Each column's own quantile ``q[:, c]`` (q in [0, 1], shape (rows, columns)): marginal quantiles, the
        correlation between coefficients ignored (used by the sensitivity analysis)."""
        srt = np.sort(self.draws, axis=0)
        idx = np.clip(np.rint(q * (self.n - 1)).astype(int), 0, self.n - 1)
        return np.asarray(srt[idx, np.arange(srt.shape[1])[None, :]])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: per column the median and the 5–95 % interval of the draws."""
        q = np.percentile(self.draws, [5, 50, 95], axis=0)
        return {"draws": self.n, "base_year": self.base_year, "source": self.source, "sample": self.sample,
                "initial_milex_usd_m": {a: math.exp(v) for a, v in zip(ACTORS, self.initial_log_milex, strict=True)},
                "coefficients": {c: {"p5": float(q[0, i]), "p50": float(q[1, i]), "p95": float(q[2, i])}
                                 for i, c in enumerate(self.columns)}}


def split_coefficients(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(g, alpha, K, sigma)`` from rows of draws in :data:`COEF_COLUMNS` order (see :meth:`Coefficients.arrays`)."""
    col = {c: i for i, c in enumerate(COEF_COLUMNS)}
    g = d[:, [col[f"g_{a}"] for a in ACTORS]]
    alpha = d[:, [col[f"alpha_{a}"] for a in ACTORS]]
    sigma = d[:, [col[f"sigma_{a}"] for a in ACTORS]]
    k = np.zeros((d.shape[0], 3, 3))
    for i, a in enumerate(ACTORS):
        for j, b in enumerate(ACTORS):
            if i != j:
                k[:, i, j] = d[:, col[f"k_{a}_{b}"]]
    return g, alpha, k, sigma


# --------------------------------------------------------------------------------------------- scenarios

class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Param(_M):
    """One scenario parameter: ``value`` or ``min``/``max`` (drawn uniformly per run), its ``unit`` and either
    ``sources`` (bibliography ids) or ``assumed: true`` with ``why``."""

    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None
    sources: list[str] = Field(default_factory=list)
    assumed: bool = False
    why: str | None = None
    note: str | None = None
    unverified: bool = False

    @model_validator(mode="after")
    def _check(self) -> Param:
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either value or min/max, not both")
        if self.value is None and (self.min is None or self.max is None):
            raise ValueError("give value, or both min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.assumed and not (self.why and self.why.strip()):
            raise ValueError("an assumed value needs 'why'")
        if not self.assumed and not self.sources:
            raise ValueError("give 'sources' or mark the value 'assumed: true' with 'why'")
        return self

    @property
    def low(self) -> float:
        """Lower end (the value when fixed)."""
        return float(self.value if self.value is not None else self.min)  # type: ignore[arg-type]

    @property
    def high(self) -> float:
        """Upper end (the value when fixed)."""
        return float(self.value if self.value is not None else self.max)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return self.model_dump(exclude_none=True)


class _ScenarioFile(_M):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str | None = None
    base: str | None = None
    parameters: dict[str, Param]


@dataclass(frozen=True)
class Scenario:
    """A scenario: every parameter of :data:`PARAMETERS` (its own or inherited from ``base``)."""

    id: str
    title: str
    description: str | None
    params: dict[str, Param]
    path: str
    base: str | None = None

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper ends of every parameter, in :data:`PARAM_NAMES` order."""
        lo = np.array([self.params[n].low for n in PARAM_NAMES])
        hi = np.array([self.params[n].high for n in PARAM_NAMES])
        return lo, hi

    def uncertain(self) -> list[str]:
        """Names of the parameters given as an interval (drawn per run)."""
        return [n for n in PARAM_NAMES if self.params[n].high > self.params[n].low]

    def source_ids(self) -> set[str]:
        """Every bibliography id the scenario cites."""
        return {s for p in self.params.values() for s in p.sources}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (parameters with units and sources)."""
        return {"id": self.id, "title": self.title, "description": self.description, "base": self.base,
                "path": self.path, "parameters": {n: self.params[n].to_dict() for n in PARAM_NAMES},
                "assumed": [n for n in PARAM_NAMES if self.params[n].assumed]}


def scenarios_dir() -> Path:
    """The bundled scenario folder (``data/dynamics/scenarios``)."""
    from equilibrium.provenance import data_path

    return data_path("dynamics", "scenarios")


def scenario_names() -> list[str]:
    """Ids of the bundled scenarios (file stems), sorted."""
    return sorted(p.stem for p in scenarios_dir().glob("*.yml"))


def load_scenario(name: str | Path, *, bib: Bibliography | None = None, check_sources: bool = True,
                  _seen: tuple[str, ...] = ()) -> Scenario:
    """A bundled scenario by id (``baseline``) or a YAML file by path.

    :class:`DataError` with ``file:line: field: message`` for an unknown parameter (closest names suggested), a
    value outside its admissible interval, a wrong unit, an unresolved source id or an incomplete file (no
    ``base`` and a parameter missing); :class:`UnknownChoice` for an unknown scenario id."""
    path = _resolve(name)
    from equilibrium.provenance.yamlio import load_yaml

    doc = load_yaml(path)
    errors: list[str] = []
    if not isinstance(doc.data, dict):
        raise DataError("invalid scenario file", [f"{path}:1: expected a mapping with id, title, parameters"])
    raw_params = doc.data.get("parameters")
    if isinstance(raw_params, dict):
        from rapidfuzz import process

        for key in raw_params:
            if key not in PARAMETERS:
                near = [m[0] for m in process.extract(str(key), list(PARAMETERS), limit=3, score_cutoff=50)]
                hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
                errors.append(f"{doc.where(('parameters', key))}: parameters.{key}: unknown parameter{hint}")
    try:
        sf = _ScenarioFile.model_validate(doc.data)
    except ValidationError as exc:
        for e in exc.errors():
            loc = tuple(e["loc"])
            if len(loc) >= 2 and loc[0] == "parameters" and loc[1] not in PARAMETERS:
                continue  # reported above with suggestions
            errors.append(f"{doc.where(loc)}: {'.'.join(str(x) for x in loc) or 'file'}: {e['msg']}")
        raise DataError("invalid scenario file", errors) from None
    for key, p in sf.parameters.items():
        spec = PARAMETERS.get(key)
        if spec is None:
            continue
        if p.unit != spec.unit:
            errors.append(f"{doc.where(('parameters', key, 'unit'))}: parameters.{key}.unit: expected "
                          f"{spec.unit!r}, not {p.unit!r}")
        for fld in ("value", "min", "max"):
            v = getattr(p, fld)
            if v is not None and not (math.isfinite(v) and spec.lo <= v <= spec.hi):
                errors.append(f"{doc.where(('parameters', key, fld))}: parameters.{key}.{fld}: {v} is outside "
                              f"[{spec.lo:g}, {spec.hi:g}] {spec.unit} ({spec.meaning})")
        if check_sources:
            if bib is None:
                from equilibrium.provenance import bibliography

                bib = bibliography()
            for i, sid in enumerate(p.sources):
                if sid not in bib:
                    errors.append(f"{doc.where(('parameters', key, 'sources', i))}: parameters.{key}.sources: "
                                  f"unresolved source id {sid!r}")
    params: dict[str, Param] = {}
    if sf.base is not None:
        if sf.base in _seen or sf.base == sf.id:
            errors.append(f"{doc.where(('base',))}: base: circular base {sf.base!r}")
        else:
            try:
                parent = load_scenario(path.parent / f"{sf.base}.yml" if (path.parent / f"{sf.base}.yml").is_file()
                                       else sf.base, bib=bib, check_sources=check_sources,
                                       _seen=(*_seen, sf.id))
            except UnknownChoice as exc:
                errors.append(f"{doc.where(('base',))}: base: {exc.message}")
            else:
                params.update(parent.params)
    params.update(sf.parameters)
    if sf.base is None:
        missing = [n for n in PARAM_NAMES if n not in params]
        if missing:
            errors.append(f"{doc.where(('parameters',))}: parameters: missing {', '.join(missing)} (give them or a "
                          "'base' scenario)")
    if errors:
        raise DataError("invalid scenario file", errors)
    if any(n not in params for n in PARAM_NAMES):  # only with a broken base, reported above
        raise DataError("invalid scenario file", [f"{doc.where(('base',))}: base: incomplete parameters"])
    return Scenario(sf.id, sf.title, sf.description, {n: params[n] for n in PARAM_NAMES}, str(path), sf.base)


def _resolve(name: str | Path) -> Path:
    p = Path(name)
    if isinstance(name, Path) or p.suffix in (".yml", ".yaml") or p.parent != Path("."):
        if not p.is_file():
            raise InvalidInput(f"scenario file {p} does not exist")
        return p
    f = scenarios_dir() / f"{name}.yml"
    if f.is_file():
        return f
    from rapidfuzz import process

    names = scenario_names()
    raise UnknownChoice("scenario", str(name), [m[0] for m in process.extract(str(name), names, limit=3)])


def load_scenarios(*, bib: Bibliography | None = None) -> dict[str, Scenario]:
    """Every bundled scenario, by id (DataError listing each bad file's problems)."""
    out: dict[str, Scenario] = {}
    errors: list[str] = []
    for n in scenario_names():
        try:
            out[n] = load_scenario(n, bib=bib)
        except DataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataError("invalid scenario files", errors)
    return out


# --------------------------------------------------------------------------------------------- the model

N_NOISE = 4
"""Standard normals per run and year: ε_CHN, ε_IND, ε_PAK, η (alignment)."""


@dataclass(frozen=True)
class Inputs:
    """Everything one batch of runs needs: scenario parameters ``params[name]`` (runs,), coefficients ``g``,
    ``alpha``, ``sigma`` (runs, 3) and ``k`` (runs, 3, 3), standard normals ``z`` (runs, years, 4)."""

    params: dict[str, np.ndarray]
    g: np.ndarray
    alpha: np.ndarray
    k: np.ndarray
    sigma: np.ndarray
    z: np.ndarray

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(self.z.shape[0])


def draw_run(rng: np.random.Generator, years: int) -> tuple[np.ndarray, np.ndarray]:
    """One run's random numbers: uniforms (len(PARAM_NAMES) + 1: one per parameter, then the coefficient draw)
    and standard normals (years, 4). Always the same count whatever the scenario, so that two scenarios run from
    the same seed share them (common random numbers)."""
    u = rng.random(len(PARAM_NAMES) + 1)
    z = rng.standard_normal((years, N_NOISE))
    return u, z


def inputs_from_uniforms(coeffs: Coefficients, scenario: Scenario, u: np.ndarray, z: np.ndarray) -> Inputs:
    """Inputs for runs with uniforms ``u`` (runs, len(PARAM_NAMES) + 1) and normals ``z`` (runs, years, 4):
    interval parameters uniform over [min, max], the coefficient row ``floor(u_last · draws)``."""
    lo, hi = scenario.bounds()
    vals = lo + u[:, :len(PARAM_NAMES)] * (hi - lo)
    rows = np.minimum((u[:, -1] * coeffs.n).astype(np.int64), coeffs.n - 1)
    g, alpha, k, sigma = coeffs.arrays(rows)
    return Inputs({n: vals[:, i] for i, n in enumerate(PARAM_NAMES)}, g, alpha, k, sigma, z)


def _ramp(start: np.ndarray, target: np.ndarray, ramp: np.ndarray, t: int) -> np.ndarray:
    frac = np.where(ramp > 0, np.minimum(t / np.where(ramp > 0, ramp, 1.0), 1.0), 1.0)
    return np.asarray(start + (target - start) * frac)


def integrate(initial_log_milex: Sequence[float], x: Inputs) -> dict[str, np.ndarray]:
    """Step the equations of the module docstring for every run at once; outputs (runs, years) per
    :data:`OUTPUTS`."""
    r, years = x.runs, int(x.z.shape[1])
    p = x.params
    m = np.tile(np.asarray(initial_log_milex, dtype=float), (r, 1))
    a0 = p["alignment_initial"]
    c0 = p["china_share_initial"]
    s0, p0 = p["sanctions_initial"], p["partnership_initial"]
    a = a0.copy()
    chi = c0.copy()
    cost = np.zeros(r)
    out = {k: np.empty((r, years)) for k in OUTPUTS}
    for t in range(1, years + 1):
        zt = x.z[:, t - 1, :]
        s = _ramp(s0, p["sanctions_target"], p["sanctions_ramp_years"], t)
        pp = _ramp(p0, p["partnership_target"], p["partnership_ramp_years"], t)
        a_star = np.clip(a0 + p["alignment_sanctions_weight"] * (s - s0)
                         + p["alignment_partnership_weight"] * (pp - p0), 0.0, 1.0)
        a = np.clip(a + p["alignment_relaxation"] * (a_star - a) + p["alignment_noise_sd"] * zt[:, 3], 0.0, 1.0)
        chi_star = np.clip(c0 + p["china_share_sanctions_weight"] * (s - s0)
                           + p["china_share_alignment_weight"] * (a - a0), 0.0, 1.0)
        chi = chi + p["china_share_relaxation"] * (chi_star - chi)
        loss = s * p["gdp_growth_loss_full_pp"] * (1.0 - p["circumvention_offset"] * chi)
        cost = 100.0 * (1.0 - (1.0 - cost / 100.0) * (1.0 - loss / 100.0))
        react = x.k[:, :, 0] * m[:, 0:1] + x.k[:, :, 1] * m[:, 1:2] + x.k[:, :, 2] * m[:, 2:3]
        dm = x.g + react - x.alpha * m + x.sigma * zt[:, :3]
        dm[:, PAK] += p["sanctions_effort_push"] * s + p["alignment_effort_support"] * (a - a0) - loss / 100.0
        m = m + np.clip(dm, -MAX_STEP, MAX_STEP)
        i = t - 1
        out["milex_ratio"][:, i] = np.exp(m[:, IND] - m[:, PAK])
        out["alignment"][:, i] = a
        out["cost_pct_gdp"][:, i] = cost
        out["china_share"][:, i] = chi
        out["milex_chn_usd_m"][:, i] = np.exp(m[:, CHN])
        out["milex_ind_usd_m"][:, i] = np.exp(m[:, IND])
        out["milex_pak_usd_m"][:, i] = np.exp(m[:, PAK])
    return out


def check_years(years: int) -> None:
    """Refuse a horizon outside 1–200 years."""
    if not (isinstance(years, int | np.integer) and 1 <= years <= 200):
        raise InvalidInput(f"years must be a whole number of years in 1–200, not {years!r}")


def simulate(coeffs: Coefficients, scenario: Scenario, years: int,
             rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One run per coefficient draw (row of ``coeffs``), scenario parameters and noise drawn from ``rng``;
    outputs (runs, years) per :data:`OUTPUTS`, years ``coeffs.base_year + 1 …``. For ensembles whose results must
    not depend on batching use :func:`simulate_seeds` (each run its own seed)."""
    check_years(years)
    n = coeffs.n
    lo, hi = scenario.bounds()
    u = rng.random((n, len(PARAM_NAMES)))
    vals = lo + u * (hi - lo)
    z = rng.standard_normal((n, years, N_NOISE))
    g, alpha, k, sigma = coeffs.arrays()
    x = Inputs({nm: vals[:, i] for i, nm in enumerate(PARAM_NAMES)}, g, alpha, k, sigma, z)
    return integrate(coeffs.initial_log_milex, x)


def simulate_seeds(coeffs: Coefficients, scenario: Scenario, years: int,
                   seeds: Sequence[np.random.SeedSequence]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Runs with their own seeds (one :class:`numpy.random.SeedSequence` each): each run draws its uniforms and
    normals from its own generator (:func:`draw_run`), so a run's result does not depend on the batch it is in.
    Returns the outputs and the drawn parameter values (runs, len(PARAM_NAMES))."""
    check_years(years)
    n = len(seeds)
    u = np.empty((n, len(PARAM_NAMES) + 1))
    z = np.empty((n, years, N_NOISE))
    for i, ss in enumerate(seeds):
        u[i], z[i] = draw_run(np.random.default_rng(ss), years)
    x = inputs_from_uniforms(coeffs, scenario, u, z)
    vals = np.column_stack([x.params[nm] for nm in PARAM_NAMES])
    return integrate(coeffs.initial_log_milex, x), vals


def simulate_loop(coeffs: Coefficients, scenario: Scenario, years: int,
                  seeds: Sequence[np.random.SeedSequence]) -> dict[str, np.ndarray]:
    """The same model as :func:`simulate_seeds`, one run at a time in plain Python (no numpy inside the yearly
    step): the benchmark's reference and a check of the vectorised code."""
    check_years(years)
    lo, hi = scenario.bounds()
    res = {k: np.empty((len(seeds), years)) for k in OUTPUTS}
    for r, ss in enumerate(seeds):
        u, z = draw_run(np.random.default_rng(ss), years)
        pv = {n: float(lo[i] + u[i] * (hi[i] - lo[i])) for i, n in enumerate(PARAM_NAMES)}
        row = min(int(u[-1] * coeffs.n), coeffs.n - 1)
        g, alpha, k, sigma = (v[0].tolist() for v in coeffs.arrays(np.array([row])))
        zz = z.tolist()
        m = list(coeffs.initial_log_milex)
        a0, c0, s0, p0 = (pv["alignment_initial"], pv["china_share_initial"], pv["sanctions_initial"],
                          pv["partnership_initial"])
        a, chi, cost = a0, c0, 0.0
        for t in range(1, years + 1):
            zt = zz[t - 1]
            rs, rp = pv["sanctions_ramp_years"], pv["partnership_ramp_years"]
            s = s0 + (pv["sanctions_target"] - s0) * (min(t / rs, 1.0) if rs > 0 else 1.0)
            pp = p0 + (pv["partnership_target"] - p0) * (min(t / rp, 1.0) if rp > 0 else 1.0)
            a_star = min(max(a0 + pv["alignment_sanctions_weight"] * (s - s0)
                             + pv["alignment_partnership_weight"] * (pp - p0), 0.0), 1.0)
            a = min(max(a + pv["alignment_relaxation"] * (a_star - a) + pv["alignment_noise_sd"] * zt[3], 0.0), 1.0)
            chi_star = min(max(c0 + pv["china_share_sanctions_weight"] * (s - s0)
                               + pv["china_share_alignment_weight"] * (a - a0), 0.0), 1.0)
            chi = chi + pv["china_share_relaxation"] * (chi_star - chi)
            loss = s * pv["gdp_growth_loss_full_pp"] * (1.0 - pv["circumvention_offset"] * chi)
            cost = 100.0 * (1.0 - (1.0 - cost / 100.0) * (1.0 - loss / 100.0))
            new = []
            for i in range(3):
                dm = g[i] + sum(k[i][j] * m[j] for j in range(3)) - alpha[i] * m[i] + sigma[i] * zt[i]
                if i == PAK:
                    dm += pv["sanctions_effort_push"] * s + pv["alignment_effort_support"] * (a - a0) - loss / 100.0
                new.append(m[i] + min(max(dm, -MAX_STEP), MAX_STEP))
            m = new
            res["milex_ratio"][r, t - 1] = math.exp(m[IND] - m[PAK])
            res["alignment"][r, t - 1] = a
            res["cost_pct_gdp"][r, t - 1] = cost
            res["china_share"][r, t - 1] = chi
            res["milex_chn_usd_m"][r, t - 1] = math.exp(m[CHN])
            res["milex_ind_usd_m"][r, t - 1] = math.exp(m[IND])
            res["milex_pak_usd_m"][r, t - 1] = math.exp(m[PAK])
    return res


# --------------------------------------------------------------------------------------------- calibration

def calibrate(data_path: str | Path | None = None, seed: int = 0, *, n_draws: int = 1000,
              start: int | None = None, end: int | None = None) -> Coefficients:
    """Coefficient draws from the data: SIPRI military expenditure (constant 2022 US$ m) of CHN, IND, PAK
    (``equilibrium.dynamics.data.load_milex``), one Richardson equation per actor in log levels
    (``equilibrium.dynamics.arms.fit_richardson(form="levels", log=True)``: ΔM_i = g + Σ k_ij·M_j,t−1 −
    α·M_i,t−1, exactly the effort equation of this model; China on India, India on China and Pakistan, Pakistan on
    India and China), ``n_draws`` residual-bootstrap draws of (g, k, α) each (``bootstrap(n_draws, seed)``),
    σ_i the fit's residual standard deviation (log points / yr, the same in every draw). The initial state is each
    actor's expenditure in the last year with data for all three. ``start``/``end``: the years fitted."""
    if not (isinstance(n_draws, int) and n_draws >= 2):
        raise InvalidInput(f"n_draws must be at least 2, not {n_draws!r}")
    try:
        from equilibrium.dynamics import arms, data
    except ImportError as exc:
        raise InvalidInput("calibration needs equilibrium.dynamics.data and equilibrium.dynamics.arms, which "
                           f"are not available in this build ({exc})") from None
    import pandas as pd

    loaded = data.load_milex(data_path)
    wide = _ensure_wide(data.series(loaded.frame, list(ACTORS), "milex_usd_m", start, end))
    rivals = {"CHN": ["IND"], "IND": ["CHN", "PAK"], "PAK": ["IND", "CHN"]}
    cols: dict[str, np.ndarray] = {}
    sample: dict[str, str] = {}
    for i, actor in enumerate(ACTORS):
        fit = arms.fit_richardson(wide, actor, rivals[actor], form="levels", log=True, start=start, end=end)
        draws = fit.bootstrap(n_draws, np.random.SeedSequence(seed, spawn_key=(i,)))
        cols.update(_map_draws(draws, actor, rivals[actor], sigma=float(fit.sigma)))
        sample[actor] = f"{fit.years[0]}–{fit.years[-1]} ({fit.n} years): {fit.formula}"
    full = wide[list(ACTORS)].dropna()
    if full.empty:
        raise InvalidInput("no year with military expenditure for all of CHN, IND and PAK")
    last = full.iloc[-1]
    return Coefficients.from_frame(pd.DataFrame(cols), {a: float(last[a]) for a in ACTORS}, int(full.index[-1]),
                                   source="SIPRI military expenditure; Richardson fits in log levels, residual "
                                          "bootstrap", sample=sample)


def _ensure_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Wide by year: index years, one column per ISO3 (transposed when given the other way)."""
    if all(a in wide.columns for a in ACTORS):
        return wide
    t = wide.T
    if all(a in t.columns for a in ACTORS):
        return t
    raise InvalidInput(f"military expenditure table lacks one of {list(ACTORS)}")


def _map_draws(draws: Any, actor: str, rivals: list[str], *, sigma: float | None = None) -> dict[str, np.ndarray]:
    """Map a fit's named draws onto this model's columns.

    Names (case-insensitive): the drift ``g`` (or ``const``/``intercept``); the fatigue ``alpha`` (positive when
    spending is pulled back), or the own lagged level's coefficient ``<actor>_lag``/``L1.<actor>``/``own`` (its
    negative is α); each rival's reaction ``k_<rival>`` (or ``<rival>_lag``/``L1.<rival>``); the residual scale
    ``sigma`` (a column, else the ``sigma`` argument, else 0)."""
    import pandas as pd

    frame = draws if isinstance(draws, pd.DataFrame) else pd.DataFrame(draws)
    low = {str(c).lower(): c for c in frame.columns}

    def pick(*names: str) -> np.ndarray | None:
        for n in names:
            if n.lower() in low:
                return np.asarray(frame[low[n.lower()]].to_numpy(dtype=float))
        return None

    n = len(frame)
    out: dict[str, np.ndarray] = {}
    g = pick("g", "const", "intercept", "drift")
    if g is None:
        raise InvalidInput(f"the {actor} fit's draws have no drift column (g); columns {list(frame.columns)}")
    out[f"g_{actor}"] = g
    alpha = pick("alpha")
    if alpha is None:
        own = pick(f"{actor}_lag", f"l1.{actor}", "own")
        alpha = -own if own is not None else np.zeros(n)
    out[f"alpha_{actor}"] = alpha
    for r in rivals:
        k = pick(f"k_{r}", f"{r}_lag", f"l1.{r}")
        if k is None:
            raise InvalidInput(f"the {actor} fit's draws have no column for rival {r} (k_{r}); columns "
                               f"{list(frame.columns)}")
        out[f"k_{actor}_{r}"] = k
    s = pick("sigma")
    out[f"sigma_{actor}"] = np.abs(s) if s is not None else np.full(n, abs(sigma or 0.0))
    return out


def synthetic_coefficients(n: int = 200, seed: int = 0, *, base_year: int = 2023) -> Coefficients:
    """Synthetic draws for tests and demonstrations (not estimates): small positive reactions, fatigue and residual
    scales of the order of a few percent; 2023 expenditure of the order of SIPRI's (US$ m)."""
    rng = np.random.default_rng(seed)
    d = np.zeros((n, len(COEF_COLUMNS)))
    col = {c: i for i, c in enumerate(COEF_COLUMNS)}
    for a in ACTORS:
        d[:, col[f"g_{a}"]] = rng.normal(0.04, 0.01, n)
        d[:, col[f"alpha_{a}"]] = np.abs(rng.normal(0.02, 0.005, n))
        d[:, col[f"sigma_{a}"]] = np.abs(rng.normal(0.04, 0.005, n))
        for b in ACTORS:
            if b != a:
                d[:, col[f"k_{a}_{b}"]] = rng.normal(0.01, 0.004, n)
    # keep each actor's drift near zero at the base state: g_i ≈ α_i m_i − Σ k_ij m_j + 0.04
    m0 = np.log([296_000.0, 83_600.0, 8_500.0])
    for i, a in enumerate(ACTORS):
        react = sum(d[:, col[f"k_{a}_{b}"]] * m0[j] for j, b in enumerate(ACTORS) if b != a)
        d[:, col[f"g_{a}"]] += d[:, col[f"alpha_{a}"]] * m0[i] - react
    return Coefficients(d, (float(m0[0]), float(m0[1]), float(m0[2])), base_year, "synthetic")


__all__ = ["ACTORS", "COEF_COLUMNS", "MAX_STEP", "OUTPUTS", "PARAMETERS", "PARAM_NAMES", "Coefficients", "Inputs",
           "Param", "ParamSpec", "Scenario", "calibrate", "coefficient_columns", "draw_run", "inputs_from_uniforms",
           "integrate", "load_scenario", "load_scenarios", "scenario_names", "scenarios_dir", "simulate",
           "simulate_loop", "simulate_seeds", "split_coefficients", "synthetic_coefficients"]
