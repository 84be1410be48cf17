"""Alignment of Pakistan and India with the United States and China, over time: UNGA ideal-point distance, UNGA
vote agreement (coincidence, Lijphart, S-score), arms-transfer dependence, trend and break tests, and the published
figures these measures should be read beside.

Measures (all per calendar year unless ``by="session"``; a dyad is any pair of ISO3 codes):

- **Ideal-point distance** ``|θ_i − θ_j|`` on Voeten's UNGA ideal-point scale (Bailey, Strezhnev & Voeten 2017;
  the July 2025 release, column ``idealpointall``: all UNGA votes; units: ideal-point scale units, dimensionless).
  The scale is common across years by design, so the series can be compared over time. Interval: the conservative
  ``[max(0, q05_i − q95_j, q05_j − q95_i), max(q95_i − q05_j, q95_j − q05_i)]`` built from each country's posterior
  5th and 95th percentiles: if each ideal point lies in its own 90 % interval, the distance lies in this one, so its
  coverage is at least 80 % (Bonferroni), whatever the correlation of the two posteriors.
- **Vote agreement** on recorded UNGA plenary roll calls (``unvotes``: Voeten's roll-call data, 1946–2019; absences
  are not votes). Votes are positions ``yes = 1``, ``abstain = ½``, ``no = 0``. Over the roll calls on which both
  countries voted (``n_common``):

  * ``coincidence`` (US State Department style): identical / (identical + opposite), where identical is yes–yes or
    no–no and opposite yes–no; every roll call on which either abstains is left out (a fraction 0–1);
  * ``lijphart`` (Lijphart 1963): the mean of 1 (same vote, abstain–abstain included), ½ (one abstains), 0
    (opposite votes), i.e. ``1 − mean |x_i − x_j|`` (a fraction 0–1);
  * ``s_score`` (Signorino & Ritter 1999): ``S = 1 − 2 d / d_max`` with ``d`` the unweighted distance between the
    two vote vectors, each roll call one dimension with range 1, so ``d_max = n_common``. With the L1 metric
    (``metric="l1"``, the default) ``d = Σ |x_i − x_j|`` and, for a single dyad, ``S = 2·lijphart − 1`` exactly
    (one abstains → 0, opposite → −1); ``metric="squared"`` uses ``Σ (x_i − x_j)²`` (one abstains → ½), the
    variant of the S-score used with ordinal UN votes in much of the alliance-portfolio literature. Range −1..1.

  A year (or session) with fewer than ``min_votes`` common votes (default :data:`MIN_COMMON_VOTES`) gives ``None``
  for every measure. Agreement scores move with the agenda (the codebook warns of this); ideal points do not.
- **Arms-transfer dependence**: the SIPRI TIV extract carries recipients' totals only (TIV m, SIPRI
  trend-indicator value, millions at constant 1990 prices), no supplier→recipient pairs; China's share of
  Pakistan's imports is therefore taken from SIPRI's published figures, kept with citations in
  ``data/dynamics/alignment.yml``.
- **Trend tests**: OLS of the measure on ``(year − start)/10`` with Newey–West (HAC) standard errors, lag
  ``⌊4 (n/100)^{2/9}⌋``, slope per decade with a 95 % t interval (n − 2 df). **Breaks**: ``ruptures`` PELT with a
  piecewise-linear cost (level and slope per segment), minimum segment :data:`MIN_SEGMENT_YEARS` years, penalty
  ``3 σ̂² ln n`` (BIC: two coefficients and a break date per extra segment; ``σ̂²`` the residual variance of the
  single trend, which over-states the noise when breaks exist, so the search is conservative); each break is
  tested by a Chow F test (level and slope) on the segment between its neighbouring breaks. The Chow p-value is
  nominal: the break date was chosen from the same data and the residuals are serially correlated, both of which
  make it too small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from equilibrium.errors import DataError, InvalidInput, UnknownChoice
from equilibrium.provenance import Bibliography, data_path, load_bibliography
from equilibrium.provenance.yamlio import load_yaml, validate_items

DYADS: tuple[tuple[str, str], ...] = (("PAK", "USA"), ("PAK", "CHN"), ("IND", "USA"), ("IND", "CHN"),
                                      ("PAK", "IND"))
"""The dyads of the South Asian alignment question (ISO3); any pair of ISO3 codes is accepted."""

MIN_COMMON_VOTES = 10
"""A year (or session) with fewer common roll-call votes than this gives ``None`` agreement (count of votes)."""

MIN_SEGMENT_YEARS = 8
"""Shortest segment between two break points (years)."""

DEFAULT_START = 1972
"""First year of the trend window: the first full year with the People's Republic of China seated in the UN
(October 1971), so every dyad is measured over the same years."""

IDEALPOINT_VERSION = ("Voeten UNGA ideal points, release of 28 July 2025 (IdealpointsJuly2025.dta), column "
                      "idealpointall (all votes; Bailey, Strezhnev & Voeten 2017 method)")
"""The ideal-point estimates the distance series uses."""

VOTES_VERSION = "unvotes 0.3.0 (Voeten UNGA roll calls, sessions 1-74, 1946-2019)"
"""The roll-call data the agreement series use."""

Measure = Literal["idealpoint_distance", "coincidence", "lijphart", "s_score"]
MEASURES: tuple[Measure, ...] = ("idealpoint_distance", "coincidence", "lijphart", "s_score")
CLOSER: dict[str, int] = {"idealpoint_distance": -1, "coincidence": 1, "lijphart": 1, "s_score": 1}
"""Sign of a change that means 'closer': a smaller distance, a larger agreement."""
UNITS: dict[str, str] = {"idealpoint_distance": "ideal-point scale units (dimensionless)",
                         "coincidence": "fraction 0-1", "lijphart": "fraction 0-1", "s_score": "index -1..1"}
MEASURE_SOURCES: dict[str, str] = {"lijphart": "lijphart-1963-apsr", "s_score": "signorino-ritter-1999-isq"}
"""The bibliography id of each agreement measure's definition (the others: the data sets' own sources)."""

Subset = Literal["all", "resolutions", "important"]
"""Roll calls used: ``all``; ``resolutions`` (votes on a whole draft: those coded as a paragraph or an amendment
vote are left out; roll calls with the codes missing count as whole-draft votes); ``important`` (the votes the
US State Department listed as important, ``importantvote == 1``)."""

_CODE = {"no": 0, "abstain": 1, "yes": 2}
"""Vote codes: position = code / 2 (no 0, abstain ½, yes 1)."""


def _none(x: float | None) -> float | None:
    """``None`` for a missing or non-finite number (JSON has no NaN)."""
    return None if x is None or not math.isfinite(x) else float(x)


def _key(dyad: tuple[str, str]) -> str:
    return f"{dyad[0]}-{dyad[1]}"


def _check_country(code: str, known: Iterable[str], what: str) -> str:
    """``code`` upper-cased when it is among ``known``, else :class:`UnknownChoice` with the closest codes."""
    from rapidfuzz import process

    names = sorted(set(known))
    c = str(code).strip().upper()
    if c not in names:
        close = [m[0] for m in process.extract(c, names, limit=3)]
        raise UnknownChoice(f"country (ISO3) in the {what}", str(code), close)
    return c


def _check_pair(a: str, b: str, known: Iterable[str], what: str) -> tuple[str, str]:
    names = set(known)
    ca, cb = _check_country(a, names, what), _check_country(b, names, what)
    if ca == cb:
        raise InvalidInput(f"a dyad needs two different countries, got {ca} twice")
    return ca, cb


# --------------------------------------------------------------------------------------------------------------
# Ideal-point distance

@dataclass(frozen=True)
class DistanceSeries:
    """``|θ_a − θ_b|`` per year (ideal-point scale units) with the conservative ≥80 % interval ``low``..``high``
    (``None`` where a quantile is missing); ``theta_a``/``theta_b`` the two ideal points."""

    a: str
    b: str
    years: tuple[int, ...]
    distance: tuple[float, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    theta_a: tuple[float, ...]
    theta_b: tuple[float, ...]
    column: str = "idealpoint_all"
    version: str = IDEALPOINT_VERSION
    interval: str = ("conservative: from each country's posterior 5th/95th percentiles, coverage at least 80 % "
                     "(Bonferroni)")

    def series(self) -> pd.Series:
        """The distance as a pandas Series indexed by year (ideal-point units)."""
        return pd.Series(self.distance, index=pd.Index(self.years, name="year"), name=f"{self.a}-{self.b}",
                         dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (one row per year)."""
        return {"a": self.a, "b": self.b, "measure": "idealpoint_distance", "unit": UNITS["idealpoint_distance"],
                "column": self.column, "version": self.version, "interval": self.interval,
                "rows": [{"year": y, "distance": _none(d), "low": _none(lo), "high": _none(hi),
                          "theta_a": _none(ta), "theta_b": _none(tb)}
                         for y, d, lo, hi, ta, tb in zip(self.years, self.distance, self.low, self.high,
                                                         self.theta_a, self.theta_b, strict=True)]}


def idealpoint_distance(ideal: pd.DataFrame, a: str, b: str, *, column: str = "idealpoint_all",
                        start: int | None = None, end: int | None = None) -> DistanceSeries:
    """Ideal-point distance of the dyad ``a``–``b`` (ISO3) per year from a frame with columns ``iso3, year,
    <column>`` and, for the interval, ``q05_all, q95_all`` (``load_idealpoints().frame``). Years where either
    ideal point is missing are left out; :class:`InvalidInput` when no year is left."""
    for c in ("iso3", "year", column):
        if c not in ideal.columns:
            raise InvalidInput(f"ideal-point frame has no column {c!r} (columns: {', '.join(map(str, ideal.columns))})")
    a, b = _check_pair(a, b, ideal["iso3"].dropna().astype(str), "ideal-point data")
    cols = ["year", column] + [q for q in ("q05_all", "q95_all") if q in ideal.columns]
    fa = ideal.loc[ideal["iso3"] == a, cols].dropna(subset=[column]).drop_duplicates("year").set_index("year")
    fb = ideal.loc[ideal["iso3"] == b, cols].dropna(subset=[column]).drop_duplicates("year").set_index("year")
    m = fa.add_suffix("_a").join(fb.add_suffix("_b"), how="inner").sort_index()
    years = m.index.to_numpy().astype(int)
    keep = np.ones(len(m), dtype=bool)
    if start is not None:
        keep &= years >= start
    if end is not None:
        keep &= years <= end
    m, years = m[keep], years[keep]
    if m.empty:
        raise InvalidInput(f"no year with ideal points for both {a} and {b}"
                           + (f" in {start or '…'}-{end or '…'}" if start or end else ""))
    ta = m[f"{column}_a"].to_numpy(float)
    tb = m[f"{column}_b"].to_numpy(float)
    dist = np.abs(ta - tb)
    if column == "idealpoint_all" and "q05_all_a" in m.columns and "q95_all_a" in m.columns:
        la, ha = m["q05_all_a"].to_numpy(float), m["q95_all_a"].to_numpy(float)
        lb, hb = m["q05_all_b"].to_numpy(float), m["q95_all_b"].to_numpy(float)
        low = np.maximum(0.0, np.maximum(la - hb, lb - ha))
        high = np.maximum(ha - lb, hb - la)
        lows: tuple[float | None, ...] = tuple(_none(x) for x in low)
        highs: tuple[float | None, ...] = tuple(_none(x) for x in high)
    else:
        lows = highs = tuple(None for _ in years)
    return DistanceSeries(a, b, tuple(int(y) for y in years), tuple(float(x) for x in dist), lows, highs,
                          tuple(float(x) for x in ta), tuple(float(x) for x in tb), column=column)


# --------------------------------------------------------------------------------------------------------------
# Vote agreement

@dataclass(frozen=True)
class VoteRecord:
    """Roll-call votes ready for dyadic measures: per country (ISO3) a Series of vote codes (0 no, 1 abstain,
    2 yes) indexed by ``rcid``, and one row of roll-call facts per ``rcid`` (``year``, ``session``, ``important``,
    ``whole`` (a vote on a whole draft), ``issues`` (a frozenset of issue names))."""

    by_country: Mapping[str, pd.Series]
    roll_calls: pd.DataFrame
    problems: tuple[str, ...] = ()

    @classmethod
    def from_frames(cls, votes: pd.DataFrame, roll_calls: pd.DataFrame) -> VoteRecord:
        """Build from ``load_votes().frame`` (``rcid, iso3, vote`` with vote ``yes|no|abstain``) and
        ``load_roll_calls().frame`` (``rcid, session, date, year, importantvote, short, issue`` and, when
        present, ``amend``/``para``). Rows with an unknown vote or a missing country are left out and counted in
        ``problems``; a second vote of the same country on the same roll call is dropped (the first is kept)."""
        for c in ("rcid", "iso3", "vote"):
            if c not in votes.columns:
                raise InvalidInput(f"votes frame has no column {c!r}")
        for c in ("rcid", "year"):
            if c not in roll_calls.columns:
                raise InvalidInput(f"roll-call frame has no column {c!r}")
        problems: list[str] = []
        code = votes["vote"].astype("string").str.strip().str.lower().map(_CODE)
        ok = code.notna() & votes["iso3"].notna() & votes["rcid"].notna()
        if (~ok).any():
            problems.append(f"{int((~ok).sum())} vote rows with an unknown vote, country or roll call left out")
        v = pd.DataFrame({"rcid": votes.loc[ok, "rcid"].astype("int64"),
                          "iso3": votes.loc[ok, "iso3"].astype(str),
                          "code": code[ok].astype("int8")})
        dup = v.duplicated(["rcid", "iso3"])
        if dup.any():
            problems.append(f"{int(dup.sum())} repeated votes of a country on the same roll call dropped")
            v = v[~dup]
        by_country = {str(k): g.set_index("rcid")["code"].sort_index() for k, g in v.groupby("iso3", sort=True)}
        rc = roll_calls.copy()
        rc["rcid"] = rc["rcid"].astype("int64")
        if "issue" in rc.columns:
            issues = rc.dropna(subset=["issue"]).groupby("rcid")["issue"].agg(
                lambda s: frozenset(i.strip() for x in s for i in str(x).split(";") if i.strip()))
        else:
            issues = pd.Series(dtype=object)
        rc = rc.drop_duplicates("rcid").set_index("rcid").sort_index()
        flag = (pd.to_numeric(rc["importantvote"].astype("object").map(
            lambda v: float(v) if isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating)) else np.nan)
            .where(rc["importantvote"].notna()), errors="coerce") if "importantvote" in rc.columns else None)
        whole = pd.Series(True, index=rc.index)
        has_whole = False
        for c in ("amend", "para"):
            if c in rc.columns:
                has_whole = True
                whole &= ~(pd.to_numeric(rc[c], errors="coerce") == 1)
        facts = pd.DataFrame({
            "year": pd.to_numeric(rc["year"], errors="coerce").astype("Int64"),
            "session": (pd.to_numeric(rc["session"], errors="coerce").astype("Int64") if "session" in rc.columns
                        else pd.Series(pd.NA, index=rc.index, dtype="Int64")),
            "important": (flag == 1).fillna(False).astype(bool) if flag is not None
            else pd.Series(False, index=rc.index),
            "whole": whole if has_whole else pd.Series(pd.NA, index=rc.index, dtype="boolean"),
            "issues": issues.reindex(rc.index).map(lambda s: s if isinstance(s, frozenset) else frozenset()),
        }, index=rc.index)
        return cls(by_country, facts, tuple(problems))

    @property
    def countries(self) -> list[str]:
        """ISO3 codes with at least one vote."""
        return sorted(self.by_country)

    @property
    def has_whole_flags(self) -> bool:
        """True when the roll calls carry the paragraph/amendment codes (``resolutions`` subset possible)."""
        return bool(self.roll_calls["whole"].notna().any())

    def pair(self, a: str, b: str, *, subset: Subset = "all", issue: str | None = None) -> pd.DataFrame:
        """The roll calls on which both ``a`` and ``b`` voted: columns ``va, vb`` (codes), ``year, session``,
        indexed by ``rcid``."""
        a, b = _check_pair(a, b, self.by_country, "UNGA vote data")
        both = pd.concat([self.by_country[a].rename("va"), self.by_country[b].rename("vb")], axis=1,
                         join="inner")
        facts = self.roll_calls.reindex(both.index)
        keep = facts["year"].notna().to_numpy(dtype=bool, copy=True)
        if subset == "important":
            keep &= facts["important"].fillna(False).to_numpy(bool)
        elif subset == "resolutions":
            if not self.has_whole_flags:
                raise InvalidInput("the roll calls carry no paragraph/amendment codes: subset 'resolutions' is "
                                   "not available")
            keep &= facts["whole"].fillna(True).to_numpy(bool)
        elif subset != "all":
            raise UnknownChoice("roll-call subset", str(subset), ["all", "resolutions", "important"])
        if issue is not None:
            known = sorted({i for s in self.roll_calls["issues"] for i in s})
            if issue not in known:
                from rapidfuzz import process
                raise UnknownChoice("UNGA issue", issue, [m[0] for m in process.extract(issue, known, limit=3)])
            keep &= facts["issues"].map(lambda s: issue in s).to_numpy(bool)
        out = both[keep].copy()
        out["year"] = facts.loc[keep, "year"].astype(int).to_numpy()
        out["session"] = facts.loc[keep, "session"].to_numpy()
        return out


@dataclass(frozen=True)
class AgreementRow:
    """Counts and measures for one year (or session): counts of roll calls; ``coincidence`` and ``lijphart``
    fractions 0–1, ``s_score`` −1..1, each ``None`` below the minimum of common votes."""

    period: int
    n_common: int
    identical: int
    opposite: int
    both_abstain: int
    one_abstains: int
    coincidence: float | None
    lijphart: float | None
    s_score: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"period": self.period, "n_common": self.n_common, "identical": self.identical,
                "opposite": self.opposite, "both_abstain": self.both_abstain, "one_abstains": self.one_abstains,
                "coincidence": _none(self.coincidence), "lijphart": _none(self.lijphart),
                "s_score": _none(self.s_score)}


@dataclass(frozen=True)
class AgreementSeries:
    """Vote agreement of ``a`` and ``b`` per ``by`` (calendar ``year`` or GA ``session``) over a roll-call
    ``subset`` (and an ``issue`` when given)."""

    a: str
    b: str
    by: Literal["year", "session"]
    subset: Subset
    issue: str | None
    metric: Literal["l1", "squared"]
    min_votes: int
    rows: tuple[AgreementRow, ...]
    version: str = VOTES_VERSION

    def series(self, measure: Literal["coincidence", "lijphart", "s_score"]) -> pd.Series:
        """One measure as a float Series indexed by period (NaN below the minimum of common votes)."""
        vals = [getattr(r, measure) for r in self.rows]
        return pd.Series([np.nan if v is None else v for v in vals], dtype=float,
                         index=pd.Index([r.period for r in self.rows], name=self.by), name=f"{self.a}-{self.b}")

    def row(self, period: int) -> AgreementRow | None:
        """The row for one year/session, or None."""
        return next((r for r in self.rows if r.period == period), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"a": self.a, "b": self.b, "by": self.by, "subset": self.subset, "issue": self.issue,
                "metric": self.metric, "min_votes": self.min_votes, "version": self.version,
                "units": {k: UNITS[k] for k in ("coincidence", "lijphart", "s_score")},
                "rows": [r.to_dict() for r in self.rows]}


def _counts(va: np.ndarray, vb: np.ndarray, groups: np.ndarray, metric: str) -> pd.DataFrame:
    """Per group: n, identical, opposite, both_abstain, one_abstains and the summed L1 / squared distances."""
    va = va.astype(np.int16)
    vb = vb.astype(np.int16)
    diff = np.abs(va - vb) / 2.0  # |x_a − x_b| with positions code/2
    f = pd.DataFrame({
        "g": groups, "n": 1,
        "identical": ((va == vb) & (va != 1)).astype(int),
        "opposite": (np.abs(va - vb) == 2).astype(int),
        "both_abstain": ((va == 1) & (vb == 1)).astype(int),
        "one_abstains": ((va == 1) ^ (vb == 1)).astype(int),
        "d": diff if metric == "l1" else diff ** 2,
        "l1": diff,
    })
    return f.groupby("g", sort=True).sum()


def agreement_from_codes(va: Sequence[int] | np.ndarray, vb: Sequence[int] | np.ndarray, *,
                         metric: Literal["l1", "squared"] = "l1") -> dict[str, float | int | None]:
    """The measures for one set of common roll calls, from vote codes (0 no, 1 abstain, 2 yes): ``n_common``,
    ``identical``, ``opposite``, ``coincidence`` (fraction 0–1 or None without a yes/no pair), ``lijphart``
    (fraction 0–1), ``s_score`` (−1..1); None for every measure when there is no common vote."""
    a, b = np.asarray(va), np.asarray(vb)
    if a.shape != b.shape:
        raise InvalidInput(f"vote vectors differ in length ({a.size} vs {b.size})")
    if a.size and (not np.isin(a, (0, 1, 2)).all() or not np.isin(b, (0, 1, 2)).all()):
        raise InvalidInput("vote codes must be 0 (no), 1 (abstain) or 2 (yes)")
    if a.size == 0:
        return {"n_common": 0, "identical": 0, "opposite": 0, "coincidence": None, "lijphart": None,
                "s_score": None}
    c = _counts(a, b, np.zeros(a.size, dtype=int), metric).iloc[0]
    return _measures(c, min_votes=1)


def _measures(c: pd.Series, *, min_votes: int) -> dict[str, Any]:
    n = int(c["n"])
    ident, opp = int(c["identical"]), int(c["opposite"])
    ok = n >= min_votes
    return {"n_common": n, "identical": ident, "opposite": opp,
            "both_abstain": int(c["both_abstain"]), "one_abstains": int(c["one_abstains"]),
            "coincidence": ident / (ident + opp) if ok and ident + opp > 0 else None,
            "lijphart": 1.0 - float(c["l1"]) / n if ok else None,
            "s_score": 1.0 - 2.0 * float(c["d"]) / n if ok else None}


def vote_agreement(record: VoteRecord, a: str, b: str, *, by: Literal["year", "session"] = "year",
                   subset: Subset = "all", issue: str | None = None, metric: Literal["l1", "squared"] = "l1",
                   min_votes: int = MIN_COMMON_VOTES) -> AgreementSeries:
    """Coincidence, Lijphart agreement and S-score of ``a``–``b`` (ISO3) per calendar year (or GA session) over
    the roll calls both voted on (see the module docstring for the definitions). Periods with fewer than
    ``min_votes`` common votes keep their counts and give ``None`` measures."""
    if by not in ("year", "session"):
        raise UnknownChoice("period", str(by), ["year", "session"])
    if metric not in ("l1", "squared"):
        raise UnknownChoice("S-score metric", str(metric), ["l1", "squared"])
    if min_votes < 1:
        raise InvalidInput(f"min_votes must be at least 1, got {min_votes}")
    p = record.pair(a, b, subset=subset, issue=issue)
    a, b = a.strip().upper(), b.strip().upper()
    if by == "session":
        p = p[p["session"].notna()]
    if p.empty:
        return AgreementSeries(a, b, by, subset, issue, metric, min_votes, ())
    groups = p[by].astype(int).to_numpy()
    counts = _counts(p["va"].to_numpy(), p["vb"].to_numpy(), groups, metric)
    rows = tuple(AgreementRow(int(g), **_measures(c, min_votes=min_votes)) for g, c in counts.iterrows())
    return AgreementSeries(a, b, by, subset, issue, metric, min_votes, rows)


def pooled_agreement(record: VoteRecord, a: str, b: str, *, years: Iterable[int] | None = None,
                     sessions: Iterable[int] | None = None, subset: Subset = "all",
                     metric: Literal["l1", "squared"] = "l1") -> dict[str, Any]:
    """The measures pooled over several calendar ``years`` or GA ``sessions`` (one ratio of summed counts, as the
    State Department pools a period): ``n_common, identical, opposite, coincidence, lijphart, s_score``."""
    p = record.pair(a, b, subset=subset)
    if years is not None:
        p = p[p["year"].isin(list(years))]
    if sessions is not None:
        p = p[p["session"].isin(list(sessions))]
    if p.empty:
        return {"n_common": 0, "identical": 0, "opposite": 0, "both_abstain": 0, "one_abstains": 0,
                "coincidence": None, "lijphart": None, "s_score": None}
    c = _counts(p["va"].to_numpy(), p["vb"].to_numpy(), np.zeros(len(p), dtype=int), metric).iloc[0]
    return _measures(c, min_votes=1)


# --------------------------------------------------------------------------------------------------------------
# Trend and break tests

@dataclass(frozen=True)
class BreakTest:
    """A break found by ruptures: ``year`` is the first year of the new segment; the Chow F test (level and
    slope, 2 and ``df_resid`` degrees of freedom) on the segment ``window``; means before/after in the measure's
    units; slopes per decade either side. ``p_value`` is nominal (see the module docstring)."""

    year: int
    window: tuple[int, int]
    f_stat: float
    df_resid: int
    p_value: float
    mean_before: float
    mean_after: float
    slope_before: float
    slope_after: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"year": self.year, "window": list(self.window), "f_stat": _none(self.f_stat),
                "df": [2, self.df_resid], "p_value": _none(self.p_value), "p_value_is": "nominal",
                "mean_before": _none(self.mean_before), "mean_after": _none(self.mean_after),
                "slope_before_per_decade": _none(self.slope_before),
                "slope_after_per_decade": _none(self.slope_after)}


@dataclass(frozen=True)
class TrendTest:
    """OLS trend of one measure for one dyad over ``start``..``end`` (years with data: ``n``): ``slope`` per
    decade in the measure's units with its HAC standard error, 95 % interval and p-value; decade means; breaks."""

    measure: str
    dyad: tuple[str, str]
    start: int
    end: int
    n: int
    slope: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    hac_lags: int
    decade_means: dict[int, float]
    breaks: tuple[BreakTest, ...]
    min_segment: int = MIN_SEGMENT_YEARS
    penalty: float = 0.0
    after_last_break: tuple[int, float, float, float] | None = None
    """(first year, slope per decade, 95 % low, 95 % high) of the HAC trend after the last break, when any."""

    @property
    def significant(self) -> bool:
        """True when the 95 % interval of the slope excludes 0."""
        return self.ci_low > 0 or self.ci_high < 0

    @property
    def direction(self) -> Literal["closer", "farther", "no trend"]:
        """'closer'/'farther' when the slope is significant at 5 % (sign read by the measure), else 'no trend'."""
        if not self.significant:
            return "no trend"
        return "closer" if self.slope * CLOSER.get(self.measure, 1) > 0 else "farther"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"measure": self.measure, "unit": UNITS.get(self.measure, ""), "dyad": list(self.dyad),
                "start": self.start, "end": self.end, "n": self.n,
                "slope_per_decade": _none(self.slope), "se": _none(self.se),
                "ci95": [_none(self.ci_low), _none(self.ci_high)], "p_value": _none(self.p_value),
                "hac_lags": self.hac_lags, "direction": self.direction,
                "decade_means": {str(k): _none(v) for k, v in self.decade_means.items()},
                "breaks": [b.to_dict() for b in self.breaks], "min_segment_years": self.min_segment,
                "break_penalty": _none(self.penalty),
                "after_last_break": (None if self.after_last_break is None else
                                     {"from": self.after_last_break[0],
                                      "slope_per_decade": _none(self.after_last_break[1]),
                                      "ci95": [_none(self.after_last_break[2]), _none(self.after_last_break[3])]}),
                "method": "OLS on (year-start)/10, Newey-West HAC; breaks: ruptures PELT, linear cost; Chow F"}


def _ols(t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Coefficients (intercept, slope) and residual sum of squares of y on [1, t]."""
    X = np.column_stack([np.ones_like(t), t])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    return beta, float(r @ r)


def trend_test(series: pd.Series | Mapping[int, float | None], *, measure: str = "",
               dyad: tuple[str, str] = ("", ""), start: int | None = None, end: int | None = None,
               min_segment: int = MIN_SEGMENT_YEARS) -> TrendTest:
    """Trend (per decade, HAC 95 % interval) and breaks of a yearly series (index: year; NaN/None = missing)
    over ``start``..``end``. :class:`InvalidInput` with fewer than 6 years of data."""
    import ruptures as rpt
    import statsmodels.api as sm
    from scipy import stats

    s = pd.Series(series, dtype=float) if not isinstance(series, pd.Series) else series.astype(float)
    s.index = s.index.astype(int)
    s = s.sort_index()
    if start is not None:
        s = s[s.index >= start]
    if end is not None:
        s = s[s.index <= end]
    s = s.dropna()
    label = f"{measure or 'series'} {'-'.join(dyad) if any(dyad) else ''}".strip()
    if len(s) < 6:
        raise InvalidInput(f"too few years with data for a trend test of {label}: {len(s)} (need 6)")
    if min_segment < 2:
        raise InvalidInput(f"min_segment must be at least 2 years, got {min_segment}")
    years = s.index.to_numpy(int)
    y = s.to_numpy(float)
    t0 = int(years[0])
    t = (years - t0) / 10.0
    n = len(y)
    lags = int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))
    fit = sm.OLS(y, sm.add_constant(t)).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    lo, hi = fit.conf_int(0.05)[1]
    decades = pd.Series(y, index=(years // 10) * 10).groupby(level=0).mean()

    # Breaks: PELT on a piecewise-linear model y ~ 1 + t per segment; BIC-type penalty 3 σ̂² ln n.
    breaks: list[BreakTest] = []
    sigma2 = float(np.var(fit.resid, ddof=2))
    pen = 3.0 * sigma2 * math.log(n)
    if n >= 2 * min_segment and sigma2 > 0:
        signal = np.column_stack([y, np.ones(n), t])
        algo = rpt.Pelt(custom_cost=rpt.costs.CostLinear(), min_size=min_segment, jump=1).fit(signal)
        ends = [int(k) for k in algo.predict(pen=pen)][:-1]
        bounds = [0, *ends, n]
        for i, k in enumerate(ends):
            lo_i, hi_i = bounds[i], bounds[i + 2]
            tt, yy = t[lo_i:hi_i], y[lo_i:hi_i]
            _, rss_p = _ols(tt, yy)
            b1, rss1 = _ols(t[lo_i:k], y[lo_i:k])
            b2, rss2 = _ols(t[k:hi_i], y[k:hi_i])
            dfr = (hi_i - lo_i) - 4
            rss_s = rss1 + rss2
            f = ((rss_p - rss_s) / 2.0) / (rss_s / dfr) if dfr > 0 and rss_s > 0 else float("inf")
            p = float(stats.f.sf(f, 2, dfr)) if dfr > 0 and math.isfinite(f) else 0.0
            breaks.append(BreakTest(int(years[k]), (int(years[lo_i]), int(years[hi_i - 1])), float(f), dfr, p,
                                    float(y[lo_i:k].mean()), float(y[k:hi_i].mean()), float(b1[1]),
                                    float(b2[1])))
    after: tuple[int, float, float, float] | None = None
    if breaks:
        k = int(np.searchsorted(years, breaks[-1].year))
        m = n - k
        if m >= 6:
            lags2 = int(math.floor(4 * (m / 100.0) ** (2.0 / 9.0)))
            f2 = sm.OLS(y[k:], sm.add_constant(t[k:])).fit(cov_type="HAC", cov_kwds={"maxlags": lags2}, use_t=True)
            lo2, hi2 = f2.conf_int(0.05)[1]
            after = (int(years[k]), float(f2.params[1]), float(lo2), float(hi2))
    return TrendTest(measure, dyad, int(years[0]), int(years[-1]), n, float(fit.params[1]), float(fit.bse[1]),
                     float(lo), float(hi), float(fit.pvalues[1]), lags,
                     {int(k): float(v) for k, v in decades.items()}, tuple(breaks), min_segment, pen, after)


# --------------------------------------------------------------------------------------------------------------
# Published figures (data/dynamics/alignment.yml)

_ID = r"^[a-z0-9][a-z0-9._-]*$"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_M):
    """A bibliography id and where in the source the figure is."""

    id: str = Field(pattern=_ID)
    locator: str | None = None


class PublishedFigure(_M):
    """One published alignment figure: a UNGA voting-coincidence share, a count of identical votes, or a
    supplier's share of a recipient's arms imports (SIPRI TIV, five-year period). Shares are fractions 0–1."""

    id: str = Field(pattern=_ID)
    kind: Literal["unga_coincidence", "unga_coincidence_median", "unga_identical_votes", "arms_import_share"]
    title: str
    a: str = Field(pattern=r"^[A-Z]{3}$", description="recipient for arms shares; first country of the dyad")
    b: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="supplier for arms shares")
    period: str
    start: int = Field(ge=1945, le=2100)
    end: int = Field(ge=1945, le=2100)
    session: int | None = Field(default=None, ge=1)
    unit: Literal["share", "count"]
    value: float
    denominator: int | None = Field(default=None, gt=0)
    approximate: bool = False
    stated: str = Field(max_length=160)
    definition: str
    sources: list[SourceRef] = Field(min_length=1)
    unverified: bool = False
    checked: str
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> PublishedFigure:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.unit == "share" and not 0.0 <= self.value <= 1.0:
            raise ValueError(f"a share is a fraction 0-1, got {self.value}")
        if self.unit == "count" and (self.value != int(self.value) or self.value < 0):
            raise ValueError(f"a count is a whole number >= 0, got {self.value}")
        if self.denominator is not None and self.value > self.denominator:
            raise ValueError(f"{self.value:g} is more than the denominator {self.denominator}")
        if self.kind == "arms_import_share" and self.b is None:
            raise ValueError("an arms import share names the supplier in 'b'")
        return self

    def to_dict(self, bib: Bibliography | None = None) -> dict[str, Any]:
        """JSON-ready view; with ``bib`` each source comes with its title, publisher, date and url."""
        out = self.model_dump(exclude_none=True)
        if bib is not None:
            refs = []
            for s in self.sources:
                src = bib.sources.get(s.id)
                ref: dict[str, Any] = s.model_dump(exclude_none=True)
                if src is not None:
                    ref.update(src.model_dump(exclude_none=True, include={"title", "author", "publisher", "date",
                                                                          "url", "kind"}))
                refs.append(ref)
            out["references"] = refs
        return out


def findings_file() -> Path:
    """The shipped table, ``equilibrium/data/dynamics/alignment.yml``."""
    return data_path("dynamics", "alignment.yml")


def load_published(path: Path | str | None = None, bib: Bibliography | None = None) -> list[PublishedFigure]:
    """Validate and load a table of published alignment figures (default: the shipped one). Raises
    :class:`DataError` listing ``file:line: field: message`` for schema errors, duplicate ids and source ids
    that do not resolve in the bibliography."""
    path = Path(path) if path is not None else findings_file()
    bib = bib if bib is not None else load_bibliography()
    doc = load_yaml(path)
    errors: list[str] = []

    def label(raw: Any, i: int) -> str:
        return f"figure {raw['id']}: " if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""

    items = validate_items(doc, "figures", PublishedFigure, errors, what="figure", prefix=label)
    seen: set[str] = set()
    for i, f in items:
        if f.id in seen:
            errors.append(f"{doc.where(('figures', i, 'id'))}: duplicate figure id {f.id!r}")
        seen.add(f.id)
        for k, s in enumerate(f.sources):
            if s.id not in bib:
                errors.append(f"{doc.where(('figures', i, 'sources', k, 'id'))}: figure {f.id}: unresolved "
                              f"source id {s.id!r}")
    if errors:
        raise DataError("invalid alignment figures table", errors)
    return [f for _, f in items]


@cache
def _shipped() -> tuple[PublishedFigure, ...]:
    return tuple(load_published())


def published_figures(kind: str | None = None) -> list[PublishedFigure]:
    """The shipped published figures (loaded once), optionally of one ``kind``."""
    return [f for f in _shipped() if kind is None or f.kind == kind]


def _figure(fid: str) -> PublishedFigure | None:
    return next((f for f in _shipped() if f.id == fid), None)


# --------------------------------------------------------------------------------------------------------------
# Arms-transfer dependence

@dataclass(frozen=True)
class ArmsDependence:
    """A recipient's arms imports (SIPRI TIV m per year, constant 1990 prices) with the published supplier
    shares (fractions 0–1 of the recipient's TIV over five-year periods) and, per published period, the total
    TIV of the extract and the implied supplier TIV (share × total; approximate: SIPRI revises its database
    every year, so the published share and the extract's total need not come from the same release)."""

    recipient: str
    years: tuple[int, ...]
    tiv_m: tuple[float, ...]
    published: tuple[PublishedFigure, ...]
    period_totals: dict[str, float | None]
    implied_supplier_tiv: dict[str, float | None]
    note: str = ("The TIV extract carries recipients' totals only, no supplier-recipient pairs: supplier shares "
                 "are SIPRI's published figures (data/dynamics/alignment.yml).")

    def to_dict(self, bib: Bibliography | None = None) -> dict[str, Any]:
        """JSON-ready view (TIV m; shares as fractions 0–1)."""
        return {"recipient": self.recipient, "unit": "TIV m (SIPRI trend-indicator value, 1990 prices)",
                "rows": [{"year": y, "tiv_m": _none(v)} for y, v in zip(self.years, self.tiv_m, strict=True)],
                "published_shares": [f.to_dict(bib) for f in self.published],
                "period_totals_tiv_m": {k: _none(v) for k, v in self.period_totals.items()},
                "implied_supplier_tiv_m": {k: _none(v) for k, v in self.implied_supplier_tiv.items()},
                "note": self.note}


def arms_dependence(tiv: pd.DataFrame | None = None, *, recipient: str = "PAK",
                    path: str | Path | None = None) -> ArmsDependence:
    """Arms-import dependence of ``recipient`` (ISO3): yearly TIV imports from ``tiv`` (columns ``iso3, year,
    tiv_m``; default ``load_tiv("imports", path).frame``) beside the published supplier shares."""
    if tiv is None:
        from equilibrium.dynamics.data import load_tiv

        tiv = load_tiv("imports", path).frame
    for c in ("iso3", "year", "tiv_m"):
        if c not in tiv.columns:
            raise InvalidInput(f"TIV frame has no column {c!r}")
    recipient = _check_country(recipient, tiv["iso3"].dropna().astype(str), "SIPRI TIV data")
    rows = tiv.loc[tiv["iso3"] == recipient, ["year", "tiv_m"]].dropna(subset=["year"])
    rows = rows.groupby("year", sort=True)["tiv_m"].sum(min_count=1)
    by_year = {int(k): float(v) for k, v in rows.items() if pd.notna(v)}
    shares = tuple(f for f in published_figures("arms_import_share") if f.a == recipient)
    totals: dict[str, float | None] = {}
    implied: dict[str, float | None] = {}
    for f in shares:
        span = range(f.start, f.end + 1)
        have = [by_year[y] for y in span if y in by_year]
        total = float(sum(have)) if len(have) == len(span) else None
        totals[f.period] = total
        implied[f"{f.b} {f.period}"] = total * f.value if total is not None else None
    years = tuple(sorted(by_year))
    return ArmsDependence(recipient, years, tuple(by_year[y] for y in years), shares, totals, implied)


# --------------------------------------------------------------------------------------------------------------
# The report: every measure, dyad and trend

@dataclass(frozen=True)
class AlignmentReport:
    """Every measure for every dyad over the window ``start``..``end``, with trend tests keyed
    ``(measure, "A-B")``."""

    dyads: tuple[tuple[str, str], ...]
    start: int
    end: int | None
    distances: dict[str, DistanceSeries]
    agreement: dict[str, AgreementSeries]
    trends: dict[tuple[str, str], TrendTest]
    problems: tuple[str, ...] = ()
    subset: Subset = "all"
    min_votes: int = MIN_COMMON_VOTES
    min_segment: int = MIN_SEGMENT_YEARS

    def series(self, measure: str, dyad: tuple[str, str]) -> pd.Series:
        """One measure of one dyad as a yearly Series (the measure's units)."""
        k = _key(dyad)
        if measure == "idealpoint_distance":
            return self.distances[k].series()
        if measure in ("coincidence", "lijphart", "s_score"):
            return self.agreement[k].series(measure)  # type: ignore[arg-type]
        raise UnknownChoice("alignment measure", measure, list(MEASURES))

    def trend(self, measure: str, dyad: tuple[str, str]) -> TrendTest | None:
        """The trend test of one measure and dyad (None when the series was too short)."""
        return self.trends.get((measure, _key(dyad)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view, with the drift summary."""
        return {"dyads": [list(d) for d in self.dyads], "window": [self.start, self.end],
                "subset": self.subset, "min_common_votes": self.min_votes, "min_segment_years": self.min_segment,
                "idealpoint_version": IDEALPOINT_VERSION, "votes_version": VOTES_VERSION,
                "distances": {k: v.to_dict() for k, v in self.distances.items()},
                "agreement": {k: v.to_dict() for k, v in self.agreement.items()},
                "trends": [t.to_dict() for t in self.trends.values()],
                "drift": drift_summary(self).to_dict(), "problems": list(self.problems)}


def alignment_report(ideal: pd.DataFrame | None, record: VoteRecord | None, *,
                     dyads: Sequence[tuple[str, str]] = DYADS, start: int = DEFAULT_START, end: int | None = None,
                     subset: Subset = "all", min_votes: int = MIN_COMMON_VOTES,
                     min_segment: int = MIN_SEGMENT_YEARS) -> AlignmentReport:
    """Distances, agreement and trend tests for ``dyads`` over ``start``..``end`` (years). Either data source may
    be None (its measures are then left out). A series too short for a trend test is noted in ``problems``."""
    if ideal is None and record is None:
        raise InvalidInput("alignment needs the ideal-point data, the vote data, or both")
    dists: dict[str, DistanceSeries] = {}
    agree: dict[str, AgreementSeries] = {}
    trends: dict[tuple[str, str], TrendTest] = {}
    problems: list[str] = list(record.problems) if record is not None else []
    norm = [(a.strip().upper(), b.strip().upper()) for a, b in dyads]
    for d in norm:
        k = _key(d)
        series: dict[str, pd.Series] = {}
        if ideal is not None:
            dists[k] = idealpoint_distance(ideal, *d)
            series["idealpoint_distance"] = dists[k].series()
        if record is not None:
            agree[k] = vote_agreement(record, *d, subset=subset, min_votes=min_votes)
            for m in ("coincidence", "lijphart", "s_score"):
                series[m] = agree[k].series(m)
        for m, s in series.items():
            try:
                trends[(m, k)] = trend_test(s, measure=m, dyad=d, start=start, end=end, min_segment=min_segment)
            except InvalidInput as exc:
                problems.append(f"{m} {k}: {exc.message}")
    return AlignmentReport(tuple(norm), start, end, dists, agree, trends, tuple(problems), subset, min_votes,
                           min_segment)


# --------------------------------------------------------------------------------------------------------------
# Drift toward China

@dataclass(frozen=True)
class DriftLine:
    """One measure's verdict: ``toward_china`` (True when Pakistan–China is significantly closer over time or
    Pakistan–US significantly farther, and neither moves the other way), the two trend directions, and the
    plain-words ``text`` with the numbers."""

    measure: str
    toward_china: bool
    pak_chn: str
    pak_usa: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"measure": self.measure, "toward_china": self.toward_china, "pak_chn": self.pak_chn,
                "pak_usa": self.pak_usa, "text": self.text}


@dataclass(frozen=True)
class DriftSummary:
    """Which measures show a drift of Pakistan toward China and which do not."""

    lines: tuple[DriftLine, ...]
    window: tuple[int, int | None]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def drifting(self) -> list[str]:
        """Measures that show a drift toward China."""
        return [x.measure for x in self.lines if x.toward_china]

    @property
    def not_drifting(self) -> list[str]:
        """Measures that do not."""
        return [x.measure for x in self.lines if not x.toward_china]

    def text(self) -> str:
        """The summary in plain words, one line per measure."""
        return "\n".join([x.text for x in self.lines] + list(self.notes))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"window": list(self.window), "drifting": self.drifting, "not_drifting": self.not_drifting,
                "lines": [x.to_dict() for x in self.lines], "notes": list(self.notes)}


def _fmt(x: float, unit: str) -> str:
    return f"{x * 100:.1f} %" if unit.startswith("fraction") else f"{x:.2f}"


def _describe(t: TrendTest) -> str:
    u = UNITS.get(t.measure, "")
    scale = 100.0 if u.startswith("fraction") else 1.0
    pts = " points" if scale == 100.0 else ""
    first, last = min(t.decade_means), max(t.decade_means)
    s = (f"{'-'.join(t.dyad)} {_fmt(t.decade_means[first], u)} in the {first}s, {_fmt(t.decade_means[last], u)} "
         f"in the {last}s; trend {t.slope * scale:+.3g}{pts} per decade (95 % CI {t.ci_low * scale:+.3g} to "
         f"{t.ci_high * scale:+.3g}, {t.start}-{t.end}, n={t.n}): {t.direction}")
    if t.breaks:
        s += "; breaks " + ", ".join(f"{b.year} (Chow p={b.p_value:.2g}, mean {_fmt(b.mean_before, u)}→"
                                     f"{_fmt(b.mean_after, u)})" for b in t.breaks)
        if t.after_last_break is not None:
            y0, sl, lo, hi = t.after_last_break
            s += (f"; from {y0} on the trend is {sl * scale:+.3g}{pts} per decade (95 % CI {lo * scale:+.3g} to "
                  f"{hi * scale:+.3g})")
    else:
        s += "; no break"
    return s


def drift_summary(report: AlignmentReport, *, arms: ArmsDependence | None = None) -> DriftSummary:
    """Which measures show Pakistan drifting toward China (Pakistan–China closer over time, Pakistan–US farther)
    and which do not, in plain words with the numbers. Needs the PAK–CHN and PAK–USA dyads in ``report``;
    ``arms`` (or the shipped published SIPRI shares) adds the arms-supply line."""
    lines: list[DriftLine] = []
    names = {"idealpoint_distance": "UNGA ideal-point distance", "coincidence": "UNGA vote coincidence",
             "lijphart": "UNGA Lijphart agreement", "s_score": "UNGA S-score"}
    for m in MEASURES:
        tc, tu = report.trend(m, ("PAK", "CHN")), report.trend(m, ("PAK", "USA"))
        if tc is None or tu is None:
            continue
        toward = (tc.direction == "closer" or tu.direction == "farther") and not (
            tc.direction == "farther" or tu.direction == "closer")
        verdict = "drift toward China" if toward else "no drift toward China"
        # Level: how close Pakistan already was to China at the start of the window.
        u = UNITS[m]
        first = min(tc.decade_means)
        lvl = (f"in the {first}s Pakistan-China was {_fmt(tc.decade_means[first], u)} against "
               f"Pakistan-US {_fmt(tu.decade_means.get(first, float('nan')), u)}")
        text = (f"{names[m]}: {verdict} (Pakistan-China: {tc.direction}; Pakistan-US: {tu.direction}); {lvl}. "
                + _describe(tc) + ". " + _describe(tu) + ".")
        ti = report.trend(m, ("IND", "USA"))
        if ti is not None:
            shared = [b.year for b in tu.breaks if any(abs(b.year - c.year) <= 2 for c in ti.breaks)]
            if shared:
                text += (f" India-US breaks within two years of Pakistan-US's {', '.join(map(str, shared))}: a shift "
                         f"common to both, more likely the UNGA agenda than Pakistan's own policy.")
        lines.append(DriftLine(m, toward, tc.direction, tu.direction, text))
    shares = arms.published if arms is not None else tuple(
        f for f in published_figures("arms_import_share") if f.a == "PAK" and f.b == "CHN")
    chn = sorted((f for f in shares if f.b == "CHN"), key=lambda f: (f.end, f.start))
    if len(chn) >= 2:
        up = chn[-1].value > chn[0].value
        series = ", ".join(f"{f.period} {f.value * 100:.0f} %" + (" (unverified)" if f.unverified else "")
                           for f in chn)
        lines.append(DriftLine(
            "arms_import_share", up, "closer" if up else "no trend", "n/a",
            f"Arms supply: {'drift toward China' if up else 'no drift toward China'} in SIPRI's published "
            f"shares of Pakistan's major-arms imports (TIV) supplied by China: {series}. These are published "
            f"figures, not computed here (the TIV extract has no supplier pairs); no trend test."))
    notes = ("Agreement scores move with the UNGA agenda; ideal points are on a common scale across years "
             "(Bailey, Strezhnev & Voeten 2017), so the distance is the better measure of change over time.",
             "Trend slopes are per decade in the measure's units (agreement in percentage points); 'closer'/"
             "'farther' means the 95 % HAC interval excludes zero.")
    return DriftSummary(tuple(lines), (report.start, report.end), notes)


# --------------------------------------------------------------------------------------------------------------
# Comparison with the published UNGA figures

@dataclass(frozen=True)
class PublishedComparison:
    """One published UNGA figure beside the values computed from the roll-call data under several definitions
    (each a dict of counts and measures), and how the two relate."""

    figure_id: str
    published: float
    unit: str
    stated: str
    computed: dict[str, dict[str, Any]]
    relation: str
    unverified: bool
    checks: dict[str, bool | float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {"figure": self.figure_id, "published": self.published, "unit": self.unit, "stated": self.stated,
                "computed": {k: {kk: (_none(vv) if isinstance(vv, float) else vv) for kk, vv in v.items()}
                             for k, v in self.computed.items()},
                "relation": self.relation, "unverified": self.unverified,
                "checks": {k: (_none(v) if isinstance(v, float) else v) for k, v in self.checks.items()}}


def _all_vs(record: VoteRecord, ref: str, *, years: Iterable[int] | None = None,
            sessions: Iterable[int] | None = None, subset: Subset = "all") -> pd.Series:
    """Pooled coincidence of every country with ``ref`` over the period (fraction 0–1), vectorised."""
    rc = record.roll_calls
    keep = pd.Series(True, index=rc.index)
    if years is not None:
        keep &= rc["year"].isin(list(years)).fillna(False).astype(bool)
    if sessions is not None:
        keep &= rc["session"].isin(list(sessions)).fillna(False).astype(bool)
    if subset == "resolutions":
        keep &= rc["whole"].fillna(True).astype(bool)
    ids = rc.index[keep.to_numpy(bool)]
    refv = record.by_country[ref].reindex(ids).dropna()
    out: dict[str, float] = {}
    for c, s in record.by_country.items():
        if c == ref:
            continue
        both = pd.concat([s.rename("v"), refv.rename("r")], axis=1, join="inner")
        if both.empty:
            continue
        v, r = both["v"].to_numpy(), both["r"].to_numpy()
        ident = int(((v == r) & (v != 1)).sum())
        opp = int((np.abs(v.astype(int) - r.astype(int)) == 2).sum())
        if ident + opp:
            out[c] = ident / (ident + opp)
    return pd.Series(out, dtype=float)


def compare_published(record: VoteRecord) -> list[PublishedComparison]:
    """Pakistan–US coincidence against the US Mission's figures (17.4 % in 2005; 21.9 % over 2001–2005 against a
    UN median of 22.8 %) and Pakistan's identical votes with the US in the 39th UNGA against "about 20" of 153.

    Like with like: the State Department counts the plenary recorded votes of one General Assembly from its own
    vote list; ``unvotes`` also holds paragraph and amendment votes and is dated by calendar year. Each figure is
    therefore computed by calendar year and by GA session, over all roll calls and over whole-draft votes only
    (paragraph/amendment votes left out)."""
    out: list[PublishedComparison] = []
    variants: list[tuple[str, dict[str, Any]]] = []

    def add(label: str, **kw: Any) -> None:
        variants.append((label, kw))

    f2005 = _figure("us-mission-2006-pak-usa-2005")
    if f2005 is not None:
        variants = []
        add("calendar 2005, all roll calls", years=[2005])
        add("GA session 60 (Sep 2005-Jun 2006), all roll calls", sessions=[60])
        if record.has_whole_flags:
            add("calendar 2005, whole-draft votes only", years=[2005], subset="resolutions")
            add("GA session 60, whole-draft votes only", sessions=[60], subset="resolutions")
        comp = {lab: pooled_agreement(record, "PAK", "USA", **kw) for lab, kw in variants}
        vals = [v["coincidence"] for v in comp.values() if v["coincidence"] is not None]
        rel = (f"computed {min(vals) * 100:.1f}-{max(vals) * 100:.1f} % against the published 17.4 %. "
               if vals else "no computed value. ")
        rel += ("The State Department's yearly report counts the plenary recorded votes of the GA session that "
                "opens in September (its own vote list; consensus adoptions are reported separately); unvotes "
                "dates each roll call by its calendar day and also holds separate paragraph votes, so the "
                "variants bracket the definitional difference rather than reproduce the count.")
        # The cable's relation: a downward trend since 1996 and a record low in 2005 (calendar years).
        yearly = vote_agreement(record, "PAK", "USA", min_votes=MIN_COMMON_VOTES).series("coincidence")
        span = yearly[(yearly.index >= 1996) & (yearly.index <= 2005)].dropna()
        checks: dict[str, bool | float | None] = {}
        if len(span) >= 3 and 2005 in span.index:
            slope = float(np.polyfit(span.index.to_numpy(float), span.to_numpy(float), 1)[0])
            checks = {"lowest_1996_2005_is_2005": bool(span.idxmin() == 2005),
                      "slope_1996_2005_per_year": slope, "downward_since_1996": slope < 0,
                      "coincidence_1996": float(span.iloc[0]) if span.index[0] == 1996 else None}
            rel += (f" The cable's relation holds in the data: computed coincidence falls from "
                    f"{span.iloc[0] * 100:.1f} % in {span.index[0]} to {span.loc[2005] * 100:.1f} % in 2005 "
                    f"(OLS {slope * 100:+.2f} points a year), 2005 "
                    f"{'being' if checks['lowest_1996_2005_is_2005'] else 'not being'} the lowest year since 1996.")
        out.append(PublishedComparison(f2005.id, f2005.value, f2005.unit, f2005.stated, comp, rel,
                                       f2005.unverified, checks))

    f0105 = _figure("us-mission-2006-pak-usa-2001-2005")
    if f0105 is not None:
        variants = []
        add("calendar 2001-2005, all roll calls", years=range(2001, 2006))
        add("GA sessions 56-60, all roll calls", sessions=range(56, 61))
        if record.has_whole_flags:
            add("calendar 2001-2005, whole-draft votes only", years=range(2001, 2006), subset="resolutions")
            add("GA sessions 56-60, whole-draft votes only", sessions=range(56, 61), subset="resolutions")
        comp = {lab: pooled_agreement(record, "PAK", "USA", **kw) for lab, kw in variants}
        med = _figure("us-mission-2006-un-median-2001-2005")
        if "USA" in record.by_country:
            for lab, kw in variants:
                allv = _all_vs(record, "USA", years=kw.get("years"), sessions=kw.get("sessions"),
                               subset=kw.get("subset", "all"))
                comp[lab]["un_median_coincidence"] = float(allv.median()) if len(allv) else None
                comp[lab]["pak_rank_among"] = (int((allv > allv.get("PAK", np.nan)).sum()) + 1
                                               if "PAK" in allv else None)
                comp[lab]["countries"] = int(len(allv))
        vals = [v["coincidence"] for v in comp.values() if v["coincidence"] is not None]
        rel = (f"computed {min(vals) * 100:.1f}-{max(vals) * 100:.1f} % against the published 21.9 %"
               if vals else "no computed value")
        if med is not None:
            meds = [v.get("un_median_coincidence") for v in comp.values()]
            meds_f = [m for m in meds if m is not None]
            if meds_f:
                rel += (f"; UN median computed {min(meds_f) * 100:.1f}-{max(meds_f) * 100:.1f} % against the "
                        f"published {med.value * 100:.1f} %")
        rel += (". The published pair (Pakistan just below the median) is the relation to check: the computed "
                "Pakistan value and the computed median come from the same roll calls.")
        first = next(iter(comp.values()))
        checks0105: dict[str, bool | float | None] = {}
        if first.get("un_median_coincidence") is not None and first["coincidence"] is not None:
            checks0105["pakistan_below_un_median"] = bool(first["coincidence"] < first["un_median_coincidence"])
            checks0105["pakistan_minus_median"] = float(first["coincidence"] - first["un_median_coincidence"])
            checks0105["published_pakistan_minus_median"] = (f0105.value - med.value) if med is not None else None
        out.append(PublishedComparison(f0105.id, f0105.value, f0105.unit, f0105.stated, comp, rel,
                                       f0105.unverified, checks0105))

    f39 = _figure("kirkpatrick-1985-pak-usa-39th-unga")
    if f39 is not None:
        variants = []
        add("GA session 39, all roll calls", sessions=[39])
        if record.has_whole_flags:
            add("GA session 39, whole-draft votes only", sessions=[39], subset="resolutions")
        comp = {}
        for lab, kw in variants:
            c = pooled_agreement(record, "PAK", "USA", **kw)
            rc = record.roll_calls
            mask = rc["session"] == 39
            if kw.get("subset") == "resolutions":
                mask &= rc["whole"].fillna(True).astype(bool)
            c["roll_calls_in_session"] = int(mask.fillna(False).sum())
            comp[lab] = c
        base = comp.get("GA session 39, all roll calls", {})
        rel = (f"computed {base.get('identical')} identical votes (yes-yes or no-no) of "
               f"{base.get('n_common')} common votes and {base.get('roll_calls_in_session')} roll calls in "
               f"session 39, against 'about 20' of 153. The press report does not say whether 'voted with the "
               f"US' counts abstentions or which vote list the US Mission used; the session in unvotes also "
               f"runs into 1985.")
        ident = base.get("identical")
        checks39: dict[str, bool | float | None] = {
            "identical": float(ident) if ident is not None else None,
            "identical_plus_both_abstain": float(ident + base.get("both_abstain", 0)) if ident is not None else None,
            "within_5_of_about_20": bool(ident is not None and abs(ident - f39.value) <= 5)}
        out.append(PublishedComparison(f39.id, f39.value, f39.unit, f39.stated, comp, rel, f39.unverified,
                                       checks39))
    return out


# --------------------------------------------------------------------------------------------------------------
# Loading through the data layer

def load_vote_record(votes_path: str | Path | None = None) -> VoteRecord:
    """The UNGA votes and roll calls through ``equilibrium.dynamics.data`` (``unvotes``; ``votes_path`` a file or
    folder, else ``$EQUILIBRIUM_DATA_DIR``) as a :class:`VoteRecord`."""
    from equilibrium.dynamics import data

    votes = data.load_votes(votes_path)
    calls = data.load_roll_calls(votes_path)
    rec = VoteRecord.from_frames(votes.frame, calls.frame)
    extra = tuple(f"{votes.path}: {p}" for p in votes.problems) + tuple(f"{calls.path}: {p}" for p in calls.problems)
    return VoteRecord(rec.by_country, rec.roll_calls, rec.problems + extra)


def load_idealpoints_frame(path: str | Path | None = None) -> pd.DataFrame:
    """Voeten's ideal points through ``equilibrium.dynamics.data`` (``iso3, year, idealpoint_all, q05_all,
    q95_all, ...``)."""
    from equilibrium.dynamics import data

    frame: pd.DataFrame = data.load_idealpoints(path).frame
    return frame
