"""Alignment measures: hand-computed coincidence / Lijphart / S-score values, abstention rules, laws (symmetry,
bounds), ideal-point distance intervals, trend and break tests on synthetic series, the published-figures table,
and the real UNGA files (``realdata``) against the published Pakistan-US figures."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equilibrium.dynamics.alignment import (
    DYADS,
    MIN_SEGMENT_YEARS,
    AlignmentReport,
    VoteRecord,
    agreement_from_codes,
    alignment_report,
    arms_dependence,
    compare_published,
    drift_summary,
    idealpoint_distance,
    load_published,
    pooled_agreement,
    published_figures,
    trend_test,
    vote_agreement,
)
from equilibrium.errors import DataError, InvalidInput, UnknownChoice

WORD = {0: "no", 1: "abstain", 2: "yes"}


def record(pairs: dict[str, list[str]], *, years: list[int] | None = None, sessions: list[int] | None = None,
           important: list[int] | None = None, para: list[int] | None = None,
           issues: list[str | None] | None = None) -> VoteRecord:
    """A VoteRecord from per-country vote lists (one entry per roll call; '' = absent)."""
    n = len(next(iter(pairs.values())))
    rows = [(rc, c, v) for c, vs in pairs.items() for rc, v in enumerate(vs, start=1) if v]
    votes = pd.DataFrame(rows, columns=["rcid", "iso3", "vote"])
    calls = pd.DataFrame({"rcid": range(1, n + 1), "year": years or [2000] * n,
                          "session": sessions or [55] * n, "importantvote": important or [0] * n,
                          "amend": [0] * n, "para": para or [0] * n, "issue": issues or [None] * n})
    return VoteRecord.from_frames(votes, calls)


# ---------------------------------------------------------------------------------------------- hand computed

A = ["yes", "yes", "no", "abstain", "yes", "abstain"]
B = ["yes", "no", "no", "yes", "abstain", "abstain"]
# pairs: yes-yes (identical), yes-no (opposite), no-no (identical), abstain-yes, yes-abstain (one abstains),
# abstain-abstain (both): identical 2, opposite 1.


def test_hand_computed_values() -> None:
    rec = record({"PAK": A, "USA": B})
    s = vote_agreement(rec, "PAK", "USA", min_votes=1)
    (r,) = s.rows
    assert (r.period, r.n_common, r.identical, r.opposite, r.both_abstain, r.one_abstains) == (2000, 6, 2, 1, 1, 2)
    assert r.coincidence == pytest.approx(2 / 3, abs=1e-12)  # 2 / (2 + 1), abstentions left out
    assert r.lijphart == pytest.approx((1 + 0 + 1 + 0.5 + 0.5 + 1) / 6, abs=1e-12)  # 4/6
    assert r.s_score == pytest.approx(1 - 2 * (0 + 1 + 0 + 0.5 + 0.5 + 0) / 6, abs=1e-12)  # 1/3
    sq = vote_agreement(rec, "PAK", "USA", min_votes=1, metric="squared").rows[0]
    assert sq.s_score == pytest.approx(1 - 2 * (0 + 1 + 0 + 0.25 + 0.25 + 0) / 6, abs=1e-12)  # 1/2
    assert sq.coincidence == r.coincidence and sq.lijphart == r.lijphart


def test_identical_and_opposite_voting() -> None:
    same = vote_agreement(record({"PAK": A, "CHN": A}), "PAK", "CHN", min_votes=1).rows[0]
    assert (same.coincidence, same.lijphart, same.s_score) == (1.0, 1.0, 1.0)
    yes, no = ["yes"] * 5 + ["no"] * 5, ["no"] * 5 + ["yes"] * 5
    opp = vote_agreement(record({"PAK": yes, "USA": no}), "PAK", "USA", min_votes=1).rows[0]
    assert (opp.coincidence, opp.lijphart, opp.s_score) == (0.0, 0.0, -1.0)


def test_abstention_rules() -> None:
    # One side always abstains: no yes/no pair, so no coincidence; Lijphart 1/2; S 0 (L1) or 1/2 (squared).
    one = record({"PAK": ["abstain"] * 4, "USA": ["yes", "no", "yes", "no"]})
    r = vote_agreement(one, "PAK", "USA", min_votes=1).rows[0]
    assert r.coincidence is None and r.lijphart == 0.5 and r.s_score == 0.0
    assert vote_agreement(one, "PAK", "USA", min_votes=1, metric="squared").rows[0].s_score == 0.5
    # Both abstain: full agreement for Lijphart and S, still no coincidence.
    both = vote_agreement(record({"PAK": ["abstain"] * 3, "USA": ["abstain"] * 3}), "PAK", "USA", min_votes=1)
    assert both.rows[0].coincidence is None and both.rows[0].lijphart == 1.0 and both.rows[0].s_score == 1.0
    # Absences are not votes: the roll call is not common.
    r2 = vote_agreement(record({"PAK": ["yes", "", "no"], "USA": ["yes", "no", "yes"]}), "PAK", "USA",
                        min_votes=1).rows[0]
    assert (r2.n_common, r2.identical, r2.opposite) == (2, 1, 1)


def test_minimum_of_common_votes() -> None:
    rec = record({"PAK": A, "USA": B})
    r = vote_agreement(rec, "PAK", "USA", min_votes=7).rows[0]
    assert r.n_common == 6 and r.identical == 2  # counts kept
    assert r.coincidence is None and r.lijphart is None and r.s_score is None
    assert vote_agreement(rec, "PAK", "USA", min_votes=6).rows[0].coincidence == pytest.approx(2 / 3)
    with pytest.raises(InvalidInput, match="min_votes"):
        vote_agreement(rec, "PAK", "USA", min_votes=0)


def test_periods_subsets_and_issues() -> None:
    rec = record({"PAK": A, "USA": B}, years=[2000, 2000, 2000, 2001, 2001, 2001],
                 sessions=[55, 55, 56, 56, 56, 56], important=[1, 1, 0, 0, 0, 0], para=[0, 1, 0, 0, 0, 0],
                 issues=["Human rights", "Human rights; Colonialism", None, None, "Colonialism", None])
    by_year = vote_agreement(rec, "PAK", "USA", min_votes=1)
    assert [(r.period, r.n_common) for r in by_year.rows] == [(2000, 3), (2001, 3)]
    by_session = vote_agreement(rec, "PAK", "USA", by="session", min_votes=1)
    assert [(r.period, r.n_common) for r in by_session.rows] == [(55, 2), (56, 4)]
    imp = vote_agreement(rec, "PAK", "USA", subset="important", min_votes=1).rows[0]
    assert (imp.n_common, imp.identical, imp.opposite) == (2, 1, 1)
    whole = pooled_agreement(rec, "PAK", "USA", subset="resolutions")
    assert whole["n_common"] == 5 and whole["opposite"] == 0  # the paragraph vote (yes-no) left out
    col = vote_agreement(rec, "PAK", "USA", issue="Colonialism", min_votes=1)
    assert sum(r.n_common for r in col.rows) == 2  # a '; '-joined issue list counts for each issue
    with pytest.raises(UnknownChoice, match="Human rights"):
        vote_agreement(rec, "PAK", "USA", issue="Human right")
    pooled = pooled_agreement(rec, "PAK", "USA", years=[2000, 2001])
    assert pooled["coincidence"] == pytest.approx(2 / 3)


def test_unknown_country_and_bad_input() -> None:
    rec = record({"PAK": A, "USA": B})
    with pytest.raises(UnknownChoice, match="did you mean") as e:
        vote_agreement(rec, "PAKK", "USA")
    assert "PAK" in e.value.suggestions
    with pytest.raises(InvalidInput, match="two different"):
        vote_agreement(rec, "PAK", "pak")
    with pytest.raises(InvalidInput, match="0 \\(no\\)"):
        agreement_from_codes([0, 3], [1, 1])
    with pytest.raises(InvalidInput, match="column"):
        VoteRecord.from_frames(pd.DataFrame({"rcid": [1]}), pd.DataFrame({"rcid": [1], "year": [2000]}))


def test_unreadable_vote_rows_are_counted() -> None:
    votes = pd.DataFrame({"rcid": [1, 1, 1, 1], "iso3": ["PAK", "USA", None, "PAK"],
                          "vote": ["yes", "maybe", "no", "no"]})
    rec = VoteRecord.from_frames(votes, pd.DataFrame({"rcid": [1], "year": [2000]}))
    assert any("2 vote rows" in p for p in rec.problems)
    assert rec.countries == ["PAK"]


codes = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(codes, st.sampled_from(["l1", "squared"]))
def test_symmetric_and_bounded(pairs: list[tuple[int, int]], metric: str) -> None:
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    ab = agreement_from_codes(a, b, metric=metric)  # type: ignore[arg-type]
    ba = agreement_from_codes(b, a, metric=metric)  # type: ignore[arg-type]
    assert ab == ba
    assert ab["lijphart"] is not None and 0.0 <= float(ab["lijphart"]) <= 1.0
    assert ab["s_score"] is not None and -1.0 - 1e-12 <= float(ab["s_score"]) <= 1.0 + 1e-12
    if ab["coincidence"] is not None:
        assert 0.0 <= float(ab["coincidence"]) <= 1.0
    if metric == "l1":  # S with the L1 metric is an affine map of Lijphart's index for one dyad
        assert float(ab["s_score"]) == pytest.approx(2 * float(ab["lijphart"]) - 1, abs=1e-12)
    else:  # squared distances never exceed absolute ones on [0, 1]
        assert float(ab["s_score"]) >= 2 * float(ab["lijphart"]) - 1 - 1e-12


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["yes", "no", "abstain", ""]), st.sampled_from(["yes", "no", "abstain"])),
                min_size=3, max_size=30))
def test_series_symmetric(pairs: list[tuple[str, str]]) -> None:
    pairs = [("yes", "no"), *pairs]  # PAK votes at least once (a country with no vote is unknown)
    rec = record({"PAK": [p[0] for p in pairs], "CHN": [p[1] for p in pairs]})
    ab = vote_agreement(rec, "PAK", "CHN", min_votes=1)
    ba = vote_agreement(rec, "CHN", "PAK", min_votes=1)
    assert [r.to_dict() for r in ab.rows] == [r.to_dict() for r in ba.rows]


# ---------------------------------------------------------------------------------------------- ideal points

def ideal_frame() -> pd.DataFrame:
    years = list(range(1990, 1996))
    rows = []
    for y in years:
        rows.append(("PAK", y, -0.5, -0.7, -0.3))
        rows.append(("CHN", y, -1.0, -1.1, -0.9))
        rows.append(("USA", y, 3.0 + 0.1 * (y - 1990), 2.8 + 0.1 * (y - 1990), 3.2 + 0.1 * (y - 1990)))
        rows.append(("IND", y, -0.5, float("nan"), float("nan")))
    return pd.DataFrame(rows, columns=["iso3", "year", "idealpoint_all", "q05_all", "q95_all"])


def test_idealpoint_distance_and_interval() -> None:
    f = ideal_frame()
    d = idealpoint_distance(f, "PAK", "USA")
    assert d.years == tuple(range(1990, 1996))
    assert d.distance[0] == pytest.approx(3.5) and d.distance[-1] == pytest.approx(4.0)
    assert d.low[0] == pytest.approx(2.8 - (-0.3)) and d.high[0] == pytest.approx(3.2 - (-0.7))
    for lo, x, hi in zip(d.low, d.distance, d.high, strict=True):
        assert lo is not None and hi is not None and lo <= x <= hi
    rev = idealpoint_distance(f, "USA", "PAK")
    assert rev.distance == d.distance and rev.low == d.low and rev.high == d.high
    same = idealpoint_distance(f, "PAK", "IND")
    assert set(same.distance) == {0.0} and set(same.low) == {None}  # IND has no quantiles
    overlap = idealpoint_distance(f, "PAK", "CHN")
    assert overlap.low[0] == pytest.approx(0.2) and overlap.high[0] == pytest.approx(0.8)
    assert idealpoint_distance(f, "PAK", "USA", start=1993).years == (1993, 1994, 1995)
    with pytest.raises(InvalidInput, match="no year"):
        idealpoint_distance(f, "PAK", "USA", start=2000)
    with pytest.raises(UnknownChoice):
        idealpoint_distance(f, "PAK", "XYZ")
    json.dumps(d.to_dict(), allow_nan=False)


# ---------------------------------------------------------------------------------------------- trends and breaks

def test_trend_detects_a_synthetic_trend() -> None:
    rng = np.random.default_rng(1)
    years = np.arange(1970, 2020)
    y = 0.5 + 0.02 * (years - 1970) + rng.normal(0, 0.05, years.size)
    t = trend_test(pd.Series(y, index=years), measure="idealpoint_distance", dyad=("PAK", "USA"))
    assert t.slope == pytest.approx(0.2, abs=0.05)  # 0.02 a year = 0.2 per decade
    assert t.ci_low <= 0.2 <= t.ci_high and t.ci_low > 0
    assert t.direction == "farther"  # a growing distance
    assert t.hac_lags == 3 and t.n == 50  # floor(4 (50/100)^(2/9))
    flat = trend_test(pd.Series(rng.normal(0, 0.05, years.size), index=years), measure="coincidence")
    assert flat.ci_low < 0 < flat.ci_high and flat.direction == "no trend"
    json.dumps(t.to_dict(), allow_nan=False)


def test_break_found_and_tested() -> None:
    rng = np.random.default_rng(7)
    years = np.arange(1972, 2020)
    y = np.where(years < 1995, 0.55, 0.20) + rng.normal(0, 0.03, years.size)
    t = trend_test(pd.Series(y, index=years), measure="coincidence", dyad=("PAK", "USA"))
    assert len(t.breaks) >= 1
    b = min(t.breaks, key=lambda b: abs(b.year - 1995))
    assert abs(b.year - 1995) <= 2 and b.p_value < 0.01
    assert b.mean_before == pytest.approx(0.55, abs=0.05) and b.mean_after == pytest.approx(0.20, abs=0.05)
    assert t.min_segment == MIN_SEGMENT_YEARS
    noise = trend_test(pd.Series(rng.normal(0, 0.03, years.size), index=years))
    assert noise.breaks == ()


def test_trend_needs_data() -> None:
    with pytest.raises(InvalidInput, match="too few years"):
        trend_test({2000: 0.1, 2001: None, 2002: 0.2}, measure="s_score")


# ---------------------------------------------------------------------------------------------- report, drift

def synthetic_report() -> AlignmentReport:
    rng = np.random.default_rng(3)
    years = list(range(1972, 2012))
    n_votes = 20
    votes: dict[str, list[str]] = {"PAK": [], "CHN": [], "USA": [], "IND": []}
    yrs: list[int] = []
    for y in years:
        p_us = 0.7 - 0.012 * (y - 1972)  # Pakistan agrees less and less with the US
        for _ in range(n_votes):
            pak = str(rng.choice(["yes", "no"]))
            votes["PAK"].append(pak)
            votes["CHN"].append(pak if rng.random() < 0.9 else "abstain")
            votes["USA"].append(pak if rng.random() < p_us else ("no" if pak == "yes" else "yes"))
            votes["IND"].append(str(rng.choice(["yes", "no", "abstain"])))
            yrs.append(y)
    rec = record(votes, years=yrs, sessions=[y - 1945 for y in yrs])
    ideal = pd.DataFrame([(c, y, v, v - 0.1, v + 0.1) for y in years
                          for c, v in (("PAK", -0.5), ("CHN", -1.0), ("USA", 3.0), ("IND", -0.2))],
                         columns=["iso3", "year", "idealpoint_all", "q05_all", "q95_all"])
    return alignment_report(ideal, rec, dyads=DYADS)


def test_report_and_drift_summary() -> None:
    rep = synthetic_report()
    t = rep.trend("coincidence", ("PAK", "USA"))
    assert t is not None and t.direction == "farther"
    assert rep.trend("idealpoint_distance", ("PAK", "CHN")) is not None
    d = drift_summary(rep)
    assert "coincidence" in d.drifting and "lijphart" in d.drifting
    assert "idealpoint_distance" in d.not_drifting  # constant ideal points: no drift
    assert "Pakistan-US: farther" in d.text()
    out = rep.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["drift"]["drifting"] == d.drifting
    assert rep.series("s_score", ("PAK", "CHN")).index.min() == 1972
    with pytest.raises(InvalidInput):
        alignment_report(None, None)


# ---------------------------------------------------------------------------------------------- published figures

def test_published_table_loads_and_resolves() -> None:
    figs = published_figures()
    ids = {f.id for f in figs}
    assert {"us-mission-2006-pak-usa-2005", "us-mission-2006-pak-usa-2001-2005",
            "kirkpatrick-1985-pak-usa-39th-unga", "sipri-2020-pak-chn-2015-2019"} <= ids
    f = next(f for f in figs if f.id == "us-mission-2006-pak-usa-2005")
    assert f.value == 0.174 and f.unit == "share"
    k = next(f for f in figs if f.id == "kirkpatrick-1985-pak-usa-39th-unga")
    assert (k.value, k.denominator, k.approximate) == (20, 153, True)
    chn = [f for f in published_figures("arms_import_share") if f.b == "CHN"]
    assert len(chn) >= 4 and all(0 < f.value < 1 for f in chn)
    json.dumps([f.to_dict() for f in figs], allow_nan=False)


def test_published_table_errors_name_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "alignment.yml"
    p.write_text("figures:\n  - id: x\n    kind: unga_coincidence\n    title: t\n    a: PAK\n    period: '2005'\n"
                 "    start: 2005\n    end: 2005\n    unit: share\n    value: 1.7\n    stated: s\n"
                 "    definition: d\n    sources: [{id: no-such-source}]\n    checked: c\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_published(p)
    assert any(f"{p}:2:" in err and "share is a fraction" in err for err in e.value.errors)
    p.write_text(p.read_text(encoding="utf-8").replace("value: 1.7", "value: 0.17"), encoding="utf-8")
    with pytest.raises(DataError, match="unresolved source id 'no-such-source'"):
        load_published(p)


def test_arms_dependence_with_a_synthetic_tiv_frame() -> None:
    tiv = pd.DataFrame({"iso3": ["PAK"] * 13, "country": ["Pakistan"] * 13, "year": list(range(2010, 2023)),
                        "tiv_m": [100.0] * 13})
    a = arms_dependence(tiv)
    assert a.years[0] == 2010 and a.tiv_m[0] == 100.0
    assert a.period_totals["2015-19"] == pytest.approx(500.0)
    assert a.implied_supplier_tiv["CHN 2015-19"] == pytest.approx(365.0)  # 73 % of 500
    assert a.period_totals["2019-23"] is None  # 2023 not in the frame
    json.dumps(a.to_dict(), allow_nan=False)
    with pytest.raises(UnknownChoice):
        arms_dependence(tiv, recipient="PAX")


# ---------------------------------------------------------------------------------------------- real files

def _iso3(a2: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_2=a2)
    if c is not None:
        return str(c.alpha_3)
    h = pycountry.historic_countries.get(alpha_2=a2)
    return str(h.alpha_3) if h is not None else None


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, VoteRecord]:
    """The Voeten ideal points and the unvotes roll calls, read directly (pandas.read_stata, pyreadr) into the
    column layout of ``equilibrium.dynamics.data``; the roll calls keep ``amend``/``para`` for the whole-draft
    comparison. Skips when ../shared/data/dynamics is absent."""
    d = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dynamics"
    if not d.is_dir():
        pytest.skip(f"real dynamics data folder {d} is absent")
    import pyreadr

    ip = pd.read_stata(d / "voeten" / "IdealpointsJuly2025.dta")
    ideal = pd.DataFrame({"iso3": ip["iso3c"], "year": ip["year"].astype(int), "idealpoint_all": ip["idealpointall"],
                          "q05_all": ip["q5all"], "q95_all": ip["q95all"]})
    v = pyreadr.read_r(d / "unvotes" / "un_votes.rda")["un_votes"]
    codes = {c: _iso3(c) for c in v["country_code"].dropna().unique()}
    votes = pd.DataFrame({"rcid": v["rcid"], "iso3": v["country_code"].map(codes), "vote": v["vote"].astype(str)})
    rc = pyreadr.read_r(d / "unvotes" / "un_roll_calls.rda")["un_roll_calls"]
    iss = pyreadr.read_r(d / "unvotes" / "un_roll_call_issues.rda")["un_roll_call_issues"]
    rc["year"] = pd.to_datetime(rc["date"]).dt.year
    calls = rc.merge(iss[["rcid", "issue"]], on="rcid", how="left")
    return ideal, VoteRecord.from_frames(votes, calls)


@pytest.mark.realdata
def test_real_pak_usa_2005_against_the_cable(real: tuple[pd.DataFrame, VoteRecord]) -> None:
    _, rec = real
    t0 = time.perf_counter()
    s = vote_agreement(rec, "PAK", "USA")
    assert time.perf_counter() - t0 < 2.0  # one dyad over ~870k votes: vectorised
    r = s.row(2005)
    assert r is not None and r.coincidence is not None and r.n_common >= 80
    comps = {c.figure_id: c for c in compare_published(rec)}
    c05 = comps["us-mission-2006-pak-usa-2005"]
    values = [v["coincidence"] for v in c05.computed.values()]
    assert len(values) == 4  # calendar year / session 60, all votes / whole drafts only
    gap = ", ".join(f"{k}: {v['coincidence']:.3f}" for k, v in c05.computed.items())
    # Not tuned to the published level. unvotes gives about 7-8 % where the cable says 17.4 %: the State
    # Department counts its own list of plenary recorded votes; the cable's relation is what the data must show.
    assert c05.checks["downward_since_1996"] is True, f"computed {gap}; no downward trend 1996-2005"
    assert c05.checks["lowest_1996_2005_is_2005"] is True, (
        f"computed {gap}: the cable calls 2005 a record low (17.4 %), but 2005 is not the lowest year since 1996")
    assert all(v is not None and v < 0.174 for v in values), (
        f"computed {gap}: expected below the published 17.4 % (documented gap of the vote lists)")
    c0105 = comps["us-mission-2006-pak-usa-2001-2005"]
    assert c0105.checks["pakistan_below_un_median"] is True, (
        f"the cable puts Pakistan (21.9 %) below the UN median (22.8 %); computed {c0105.checks}")
    c39 = comps["kirkpatrick-1985-pak-usa-39th-unga"]
    assert c39.checks["within_5_of_about_20"] is True, f"'about 20' of 153; computed {c39.checks}"
    json.dumps([c.to_dict() for c in comps.values()], allow_nan=False)


@pytest.mark.realdata
def test_real_pak_chn_distance_series(real: tuple[pd.DataFrame, VoteRecord]) -> None:
    ideal, _ = real
    d = idealpoint_distance(ideal, "PAK", "CHN", start=1972, end=2023)
    assert d.years == tuple(range(1972, 2024))
    assert all(lo is not None and hi is not None and lo <= x <= hi for lo, x, hi in zip(d.low, d.distance, d.high,
                                                                                       strict=True))
    us = idealpoint_distance(ideal, "PAK", "USA", start=1972, end=2023)
    # The research note: Pakistan has been close to China on this scale since the 1970s, far from the US.
    assert max(d.distance) < min(us.distance)


@pytest.mark.realdata
def test_real_report_and_drift(real: tuple[pd.DataFrame, VoteRecord]) -> None:
    ideal, rec = real
    t0 = time.perf_counter()
    rep = alignment_report(ideal, rec)
    assert time.perf_counter() - t0 < 20.0  # 5 dyads x 4 measures with trend and break tests
    assert not [p for p in rep.problems if "too few" in p]
    d = drift_summary(rep)
    by = {x.measure: x for x in d.lines}
    assert by["coincidence"].pak_usa == "farther"  # the cable's downward trend with the US
    assert by["idealpoint_distance"].pak_chn != "closer" or by["idealpoint_distance"].toward_china
    assert "arms_import_share" in d.drifting  # SIPRI's published shares: 51 % (2010-14) to 80 % and more
    json.dumps(rep.to_dict(), allow_nan=False)


@pytest.mark.realdata
def test_real_through_the_data_layer(real: tuple[pd.DataFrame, VoteRecord]) -> None:
    data = pytest.importorskip("equilibrium.dynamics.data")
    from equilibrium.dynamics.alignment import load_vote_record

    d = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dynamics"
    via = load_vote_record(d / "unvotes")
    _, direct = real
    a = vote_agreement(via, "PAK", "USA").row(2005)
    b = vote_agreement(direct, "PAK", "USA").row(2005)
    assert a == b
    tiv = data.load_tiv("imports", d / "sipri_tiv").frame
    arms = arms_dependence(tiv)
    assert arms.period_totals.get("2015-19") is not None and arms.tiv_m
