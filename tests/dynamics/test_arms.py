"""Arms-race estimators (equilibrium.dynamics.arms) on synthetic Richardson systems with known coefficients, and on
the real SIPRI series (``realdata``: skipped without ../shared/data/dynamics).

Tolerances are stated with each test. Synthetic series are in US$ m; the fits work on their logs."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equilibrium.dynamics import arms
from equilibrium.errors import DataError, InvalidInput, UnknownChoice

DYNAMICS = Path(__file__).resolve().parents[3] / "shared" / "data" / "dynamics"
SIPRI = DYNAMICS / "SIPRI-Milex-data-1949-2023.xlsx"

# A stable asymmetric race in log spending: Pakistan reacts to India (k = 0.3), India barely to Pakistan (0.05).
LEVELS = {"IND": {"g": 0.5, "k_PAK": 0.05, "alpha": 0.3}, "PAK": {"g": 0.2, "k_IND": 0.3, "alpha": 0.4}}
START = {"IND": math.exp(2.0), "PAK": math.exp(2.0)}  # the system's fixed point (US$ m)
# The same asymmetry in growth rates: Pakistan's growth follows India's growth last year, India's does not.
DIFFS = {"IND": {"g": 0.03, "k_PAK": 0.0, "rho": 0.2}, "PAK": {"g": 0.01, "k_IND": 0.6, "rho": 0.1}}


def _years(n: int, first: int = 1900) -> list[int]:
    return list(range(first, first + n))


def _sipri_wide() -> pd.DataFrame:
    """India, Pakistan, China from the real SIPRI workbook (US$ m constant 2022), through dynamics.data when it
    provides load_milex/series, else read directly with openpyxl (sheet 'Constant (2022) US$', header row 6)."""
    if not SIPRI.is_file():
        pytest.skip(f"real SIPRI workbook {SIPRI} is absent")
    try:
        from equilibrium.dynamics import data

        frame = data.load_milex(SIPRI).frame
        return data.series(frame, ["IND", "PAK", "CHN"], "milex_usd_m", None, None)
    except (ImportError, AttributeError):
        pass
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(SIPRI, read_only=True, data_only=True)
    rows = list(wb["Constant (2022) US$"].iter_rows(values_only=True))
    years = [int(v) for v in rows[5][3:] if isinstance(v, (int, float))]
    codes = {"India": "IND", "Pakistan": "PAK", "China": "CHN"}
    out = {codes[r[0]]: [v if isinstance(v, (int, float)) else None for v in r[3:3 + len(years)]]
           for r in rows[6:] if r[0] in codes}
    return pd.DataFrame(out, index=years, dtype=float)


# ---------------------------------------------------------------------------------------------------------------
# Richardson


def test_levels_form_recovers_reaction_and_fatigue() -> None:
    """400 synthetic years, shocks 0.02 log points: k and alpha within 0.05 of the truth and within 4 HAC SE."""
    wide = arms.simulate_richardson(LEVELS, START, _years(400), sigma=0.02, seed=1)
    for actor, rival in (("IND", "PAK"), ("PAK", "IND")):
        fit = arms.fit_richardson(wide, actor, [rival])
        for name in (f"k_{rival}", "alpha"):
            truth = LEVELS[actor][name]
            assert abs(fit.params[name] - truth) < 0.05, (actor, name, fit.params[name])
            assert abs(fit.params[name] - truth) < 4 * fit.se[name]
        assert fit.n == 399 and fit.years[0] == 1901 and fit.years[-1] == 2299
        assert fit.hac_maxlags == arms.newey_west_lags(399) == 5


def test_differences_form_recovers_reaction_and_persistence() -> None:
    """400 synthetic years: k and rho within 0.08 of the truth (growth-rate regressions are noisier)."""
    wide = arms.simulate_richardson(DIFFS, START, _years(400), sigma=0.03, form="differences", seed=2)
    fit = arms.fit_richardson(wide, "PAK", ["IND"], form="differences")
    assert list(fit.params) == ["g", "k_IND", "rho"]
    assert fit.params["k_IND"] == pytest.approx(0.6, abs=0.08)
    assert fit.params["rho"] == pytest.approx(0.1, abs=0.08)
    assert fit.n == 398


def test_fit_states_sample_formula_and_json() -> None:
    wide = arms.simulate_richardson(LEVELS, START, _years(60, 1960), seed=3)
    wide.loc[1961, "PAK"] = np.nan  # a missing year drops the rows that need it
    fit = arms.fit_richardson(wide, "pak", ["ind"], start=1960, end=2015)
    d = fit.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["years"] == [1963, 2015] and d["n"] == 53
    assert "alpha" in fit.formula and "ΔM_PAK,t" in fit.formula
    assert "HAC" in d["se_kind"]


def test_years_as_columns_are_accepted() -> None:
    wide = arms.simulate_richardson(LEVELS, START, _years(60, 1960), seed=3)
    a = arms.fit_richardson(wide, "PAK", ["IND"])
    b = arms.fit_richardson(wide.T, "PAK", ["IND"])
    assert a.params == b.params


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e3))
def test_slopes_do_not_depend_on_the_currency_unit(c: float) -> None:
    """Law: multiplying every spending by c > 0 shifts log spending by ln c; k, alpha and their SE are unchanged
    (to 1e-8) and g moves by (alpha − Σk)·ln c."""
    wide = arms.simulate_richardson(LEVELS, START, _years(80), seed=4)
    a = arms.fit_richardson(wide, "PAK", ["IND"])
    b = arms.fit_richardson(wide * c, "PAK", ["IND"])
    for k in ("k_IND", "alpha"):
        assert b.params[k] == pytest.approx(a.params[k], abs=1e-8)
        assert b.se[k] == pytest.approx(a.se[k], rel=1e-6)
    shift = (a.params["alpha"] - a.params["k_IND"]) * math.log(c)
    assert b.params["g"] == pytest.approx(a.params["g"] + shift, abs=1e-7)


def test_bootstrap_draws_centred_on_estimates_and_reproducible() -> None:
    """4,000 draws: each coefficient's mean within 4 Monte Carlo SE (sd/√4000) of the estimate; spread within 35 %
    of the HAC SE; the same seed gives the same draws, another seed others."""
    wide = arms.simulate_richardson(LEVELS, START, _years(80), seed=5)
    fit = arms.fit_richardson(wide, "PAK", ["IND"])
    draws = fit.bootstrap(4000, seed=11)
    assert list(draws.columns) == ["g", "k_IND", "alpha"] and draws.shape == (4000, 3)
    for name in draws.columns:
        sd = draws[name].std()
        assert abs(draws[name].mean() - fit.params[name]) < 4 * sd / math.sqrt(4000)
        assert sd == pytest.approx(fit.se[name], rel=0.35)
    pd.testing.assert_frame_equal(draws, fit.bootstrap(4000, seed=11))
    assert not draws.equals(fit.bootstrap(4000, seed=12))
    with pytest.raises(InvalidInput):
        fit.bootstrap(0)


def test_three_actor_system_beside_bilateral() -> None:
    coefs = {"CHN": {"g": 0.08, "alpha": 0.01}, "IND": {"g": 0.2, "k_CHN": 0.1, "k_PAK": 0.0, "alpha": 0.15},
             "PAK": {"g": 0.1, "k_IND": 0.2, "alpha": 0.25}}
    wide = arms.simulate_richardson(coefs, {"CHN": 100.0, "IND": 50.0, "PAK": 10.0}, _years(70, 1950), seed=6)
    wide.loc[:1969, "CHN"] = np.nan  # China's series starts later, as in SIPRI
    tri = arms.fit_system(wide, "triad")
    bi = arms.fit_system(wide, "bilateral")
    assert set(tri.fits) == {"CHN", "IND", "PAK"} and set(bi.fits) == {"IND", "PAK"}
    assert tri.fits["IND"].rivals == ("CHN", "PAK") and tri.fits["CHN"].rivals == ()
    assert {f.start for f in tri.fits.values()} == {1971}  # common sample, stated
    assert bi.fits["PAK"].start == 1951
    json.dumps(tri.to_dict(), allow_nan=False)
    with pytest.raises(UnknownChoice):
        arms.fit_system(wide, "quartet")


def test_bad_input_is_clear() -> None:
    wide = arms.simulate_richardson(LEVELS, START, _years(60), seed=7)
    with pytest.raises(UnknownChoice, match="PAK"):
        arms.fit_richardson(wide, "PAQ", ["IND"])
    with pytest.raises(InvalidInput, match="too few observations"):
        arms.fit_richardson(wide, "PAK", ["IND"], start=1900, end=1910)
    with pytest.raises(InvalidInput, match="too few observations.*lag"):
        arms.granger(wide, "IND", "PAK", maxlag=8, start=1900, end=1925)
    with pytest.raises(InvalidInput, match="too few observations"):
        arms.var_fit(wide, ["IND", "PAK"], maxlags=6, start=1900, end=1925)
    with pytest.raises(InvalidInput, match="log"):
        arms.fit_richardson(wide - 100.0, "PAK", ["IND"])
    with pytest.raises(InvalidInput, match="wide by year"):
        arms.fit_richardson(pd.DataFrame({"IND": [1.0]}, index=["x"]), "IND", [])


# ---------------------------------------------------------------------------------------------------------------
# Granger, VAR, VECM


def test_granger_detects_the_true_direction_not_the_false_one() -> None:
    """60 years, 10 seeds: IND → PAK (true, k = 0.6 in growth rates) found at 5 % in at least 9; PAK → IND (false)
    in at most 2 (its nominal rate is 5 %)."""
    true_hits = false_hits = 0
    for seed in range(10):
        wide = arms.simulate_richardson(DIFFS, START, _years(60, 1960), sigma=0.05, form="differences", seed=seed)
        g = arms.granger(wide, "IND", "PAK", maxlag=3)
        true_hits += g.test("IND", "PAK").p_value < 0.05
        false_hits += g.test("PAK", "IND").p_value < 0.05
        assert 1 <= g.lag <= 3 and g.ic == "aic"
    assert true_hits >= 9 and false_hits <= 2


def test_granger_states_lag_choice_and_controls() -> None:
    coefs = {"CHN": {"g": 0.05, "rho": 0.3}, **DIFFS}
    wide = arms.simulate_richardson(coefs, {**START, "CHN": 50.0}, _years(60, 1960), form="differences", seed=3)
    g = arms.granger(wide, "IND", "PAK", maxlag=2, ic="bic", controls=["CHN"])
    d = g.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["controls"] == ["CHN"] and "BIC" in d["lag_selection"] and set(d["lag_table"]) == {"aic", "bic"}
    assert g.years[1] == 2019 and g.n == 2019 - g.years[0] + 1
    with pytest.raises(InvalidInput):
        g.test("CHN", "PAK")
    with pytest.raises(UnknownChoice):
        arms.granger(wide, "IND", "PAK", ic="hqic")


def test_var_fit_reports_order_stability_and_granger() -> None:
    wide = arms.simulate_richardson(DIFFS, START, _years(80), form="differences", seed=8)
    v = arms.var_fit(wide, ["IND", "PAK"], maxlags=3)
    d = v.to_dict()
    json.dumps(d, allow_nan=False)
    assert v.stable and 1 <= v.lag <= 3 and set(v.granger_p) == {"IND->PAK", "PAK->IND"}
    assert v.granger_p["IND->PAK"] < 0.05
    assert set(v.params) == {"IND", "PAK"}


def test_vecm_rank_one_for_a_cointegrated_pair_zero_for_independent_walks() -> None:
    """Johansen trace at 5 %: PAK = 0.8·IND + stationary noise (rank 1); two independent random walks (rank 0)."""
    rng = np.random.default_rng(9)
    n = 120
    ind = np.cumsum(rng.normal(0.03, 0.05, n)) + 5.0
    pak = 0.8 * ind + rng.normal(0, 0.03, n)
    other = np.cumsum(rng.normal(0.02, 0.05, n)) + 3.0
    wide = pd.DataFrame({"IND": np.exp(ind), "PAK": np.exp(pak), "BGD": np.exp(other)}, index=_years(n))
    v = arms.vecm_fit(wide, ["IND", "PAK"])
    assert v.rank == 1 and v.beta is not None and v.alpha is not None
    assert v.trace_stats[0] > v.crit_5pct[0] and v.trace_stats[1] < v.crit_5pct[1]
    assert -v.beta["PAK"][0] / v.beta["IND"][0] == pytest.approx(1 / 0.8, rel=0.1)
    json.dumps(v.to_dict(), allow_nan=False)
    w = arms.vecm_fit(wide, ["IND", "BGD"])
    assert w.rank == 0 and w.beta is None and "no cointegration" in w.note


# ---------------------------------------------------------------------------------------------------------------
# Breaks


def _broken(seed: int) -> pd.DataFrame:
    """80 years, Pakistan's reaction and drift change in 1990 (k 0.3 → 0.0, g 0.2 → 0.9: its level jumps)."""
    first = arms.simulate_richardson(LEVELS, START, _years(41, 1950), sigma=0.02, seed=seed)
    after = {"IND": LEVELS["IND"], "PAK": {"g": 0.9, "k_IND": 0.0, "alpha": 0.4}}
    second = arms.simulate_richardson(after, first.iloc[-1].to_dict(), _years(40, 1990), sigma=0.02, seed=seed + 1)
    return pd.concat([first.iloc[:-1], second])


def test_a_synthetic_break_is_found_and_tested() -> None:
    """The break is found within 2 years of 1990; the Chow test there and the sup-F reject constancy (p < 0.01)."""
    res = arms.breaks(_broken(10), "PAK", ["IND"], n_boot=499)
    assert any(abs(y - 1990) <= 2 for y in res.years), res.years
    near = [b for b in res.found if abs(b.year - 1990) <= 2][0]
    assert near.kind == "chow" and near.p_value is not None and near.p_value < 0.01
    assert res.sup_f.p_value < 0.01 and abs(res.sup_f.year - 1990) <= 2
    assert res.min_size >= 5 and "BIC" in res.penalty_rule
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert [c["year"] for c in d["candidates"]] == [1971, 1998, 2001, 2019]


def test_no_break_is_not_rejected() -> None:
    """A constant system (80 years): no break found, sup-F p ≥ 0.05, each candidate year's Chow p ≥ 0.05."""
    wide = arms.simulate_richardson(LEVELS, START, _years(80, 1950), sigma=0.02, seed=12)
    res = arms.breaks(wide, "PAK", ["IND"], n_boot=499)
    assert res.years == []
    assert res.sup_f.p_value >= 0.05
    assert all(c.p_value is not None and c.p_value >= 0.05 for c in res.candidates)


def test_chow_variants_at_the_edges() -> None:
    wide = arms.simulate_richardson(LEVELS, START, _years(50, 1975), seed=13)
    fit = arms.fit_richardson(wide, "PAK", ["IND"])
    years = list(fit.years)
    assert arms.chow_test(fit._y, fit._X, years, 1971).kind == "untestable"
    short = arms.chow_test(fit._y, fit._X, years, 2022)  # 2022-2024: 3 years, predictive test
    assert short.kind == "chow-predictive" and short.df_num == 3 and short.p_value is not None
    assert arms.chow_test(fit._y, fit._X, years, 2000).kind == "chow"


# ---------------------------------------------------------------------------------------------------------------
# Published findings


def test_published_findings_load_and_cite_resolving_sources() -> None:
    from equilibrium.provenance import load_bibliography

    found = arms.published_findings()
    ids = {f.id for f in found}
    assert {"amir-ud-din-pak-responds-to-ind", "amir-ud-din-ind-not-pak-specific",
            "dunne-smith-parameters-not-constant"} <= ids
    bib = load_bibliography()
    for f in found:
        assert f.source_ids() and all(s in bib for s in f.source_ids())
        assert f.claim and f.method and f.checks
        json.dumps(f.to_dict())


def test_findings_file_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "findings.yml"
    bad.write_text(
        "findings:\n"
        "  - id: x\n    title: t\n    statement: s\n    claim: c\n    sample: {data: d}\n    method: m\n"
        "    sources: [{id: no-such-source}]\n    verification: {status: verified, checked: c}\n"
        "    checks:\n      - {estimate: granger, cause: IND, effect: PAK, expect: positive, how: h}\n",
        encoding="utf-8")
    with pytest.raises(DataError) as exc:
        arms.load_findings(bad)
    text = str(exc.value)
    assert f"{bad}:" in text and "expect" in text


def test_compare_findings_on_a_synthetic_asymmetric_race() -> None:
    """Data generated with the published asymmetry: the asymmetry findings agree, the mutual-causality one does
    not; every verdict comes with its numbers."""
    wide = arms.simulate_richardson(DIFFS, START, _years(120, 1900), sigma=0.05, form="differences", seed=14)
    fits = [arms.fit_richardson(wide, "IND", ["PAK"], form="differences"),
            arms.fit_richardson(wide, "PAK", ["IND"], form="differences")]
    g = arms.granger(wide, "IND", "PAK", maxlag=3)
    out = {c.finding.id: c for c in arms.compare_findings(fits, g)}
    assert out["amir-ud-din-ind-not-pak-specific"].checks[0].verdict == "agree"
    assert out["amir-ud-din-pak-responds-to-ind"].checks[0].verdict == "agree"
    assert out["yildirim-ocal-mutual-causality"].verdict == "disagree"
    assert out["hou-enduring-arms-race"].verdict == "inconclusive"  # no VECM given
    for c in out.values():
        assert c.verdict in ("agree", "disagree", "inconclusive")
        json.dumps(c.to_dict(), allow_nan=False)


# ---------------------------------------------------------------------------------------------------------------
# Real SIPRI data


@pytest.mark.realdata
def test_real_sipri_fits_and_published_asymmetry() -> None:
    """IND ↔ PAK on SIPRI constant (2022) US$: the fits run and state their sample; the published asymmetry gets a
    verdict (agree or disagree or inconclusive; the direction is not asserted). Numbers are printed (-s)."""
    wide = _sipri_wide()
    sysfit = arms.fit_system(wide, "bilateral")
    for a, f in sysfit.fits.items():
        assert f.n >= 60 and f.start <= 1960 and f.end >= 2022
        print(a, f.start, f.end, f.n, {k: (round(f.params[k], 4), round(f.se[k], 4), round(f.pvalues[k], 3))
                                        for k in f.params})
    tri = arms.fit_system(wide, "triad")
    assert tri.fits["IND"].start >= 1990
    g = arms.granger(wide, "IND", "PAK", maxlag=4)
    print("granger lag", g.lag, "IND->PAK", g.a_to_b.p_value, "PAK->IND", g.b_to_a.p_value, g.years)
    v = arms.vecm_fit(wide, ["IND", "PAK"])
    print("vecm rank", v.rank, v.trace_stats, v.crit_5pct)
    brk = [arms.breaks(wide, a, [r], n_boot=499) for a, r in (("IND", "PAK"), ("PAK", "IND"))]
    for b in brk:
        print("breaks", b.actor, b.years, [(t.year, t.p_value) for t in b.found], "supF", b.sup_f.year,
              b.sup_f.p_value, [(t.year, t.p_value) for t in b.candidates])
    out = arms.compare_findings(sysfit, g, brk, v)
    verdicts = {c.finding.id: c.verdict for c in out}
    print(verdicts)
    for fid in ("amir-ud-din-pak-responds-to-ind", "amir-ud-din-ind-not-pak-specific"):
        assert verdicts[fid] in ("agree", "disagree", "inconclusive")
        assert all(ch.numbers for ch in next(c for c in out if c.finding.id == fid).checks)
