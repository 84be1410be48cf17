"""The scenario model: its equations (laws), the scenario files and their validation (file:line)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equilibrium.dynamics import model as M
from equilibrium.errors import DataError, InvalidInput, UnknownChoice

SCENARIOS = ("baseline", "sanctions-intensify", "engagement", "us-india-deepens")


def _coeffs(**cols: float) -> M.Coefficients:
    """One draw with the given coefficient columns (others zero); 2023 expenditure 300,000 / 80,000 / 8,000 US$ m."""
    frame = pd.DataFrame({c: [v] for c, v in cols.items()}) if cols else pd.DataFrame(index=[0])
    return M.Coefficients.from_frame(frame, {"CHN": 300_000.0, "IND": 80_000.0, "PAK": 8_000.0}, 2023)


def _quiet(scenario: M.Scenario) -> M.Scenario:
    """The scenario with no sanctions, no pushes and no alignment noise (fixed values)."""
    fixed = dict(scenario.params)
    for name, v in (("sanctions_initial", 0.0), ("sanctions_target", 0.0), ("alignment_noise_sd", 0.0),
                    ("sanctions_effort_push", 0.0), ("alignment_effort_support", 0.0)):
        fixed[name] = M.Param(unit=M.PARAMETERS[name].unit, value=v, assumed=True, why="test")
    return M.Scenario(scenario.id, scenario.title, scenario.description, fixed, scenario.path)


@pytest.fixture(scope="module")
def baseline() -> M.Scenario:
    return M.load_scenario("baseline")


def test_zero_reaction_model_stays_on_its_growth_path(baseline: M.Scenario) -> None:
    """k = α = σ = 0 and no sanctions: m_i,t = m_i,0 + g_i · t exactly (tolerance 1e-9 relative)."""
    c = _coeffs(g_CHN=0.05, g_IND=0.03, g_PAK=0.02)
    out = M.simulate(c, _quiet(baseline), 30, np.random.default_rng(1))
    t = np.arange(1, 31)
    for key, g, m0 in (("milex_chn_usd_m", 0.05, 300_000.0), ("milex_ind_usd_m", 0.03, 80_000.0),
                       ("milex_pak_usd_m", 0.02, 8_000.0)):
        np.testing.assert_allclose(out[key][0], m0 * np.exp(g * t), rtol=1e-9)
    np.testing.assert_allclose(out["milex_ratio"][0], 10.0 * np.exp(0.01 * t), rtol=1e-9)
    np.testing.assert_allclose(out["cost_pct_gdp"][0], 0.0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(k=st.floats(0.001, 0.05), delta=st.floats(0.01, 0.3), g=st.floats(-0.05, 0.1), alpha=st.floats(0.0, 0.05))
def test_positive_reaction_raises_the_rivals_response(k: float, delta: float, g: float, alpha: float) -> None:
    """Law: with k_PAK,IND > 0, a higher Indian effort raises Pakistan's next-year effort by k · Δm_IND (log
    points; tolerance 1e-9); with k = 0 it does not move it. The drift is set so that Pakistan's step is ``g``
    at the lower Indian level (inside the ±0.5 guard)."""
    sc = _quiet(M.load_scenario("baseline"))
    for kk in (k, 0.0):
        drift = g - kk * math.log(8e4) + alpha * math.log(8e3)
        cols = {"g_PAK": drift, "alpha_PAK": alpha, "k_PAK_IND": kk}
        lo = M.Coefficients.from_frame(pd.DataFrame({c: [v] for c, v in cols.items()}),
                                       {"CHN": 3e5, "IND": 8e4, "PAK": 8e3}, 2023)
        hi = M.Coefficients.from_frame(pd.DataFrame({c: [v] for c, v in cols.items()}),
                                       {"CHN": 3e5, "IND": 8e4 * math.exp(delta), "PAK": 8e3}, 2023)
        a = M.simulate(lo, sc, 1, np.random.default_rng(0))["milex_pak_usd_m"][0, 0]
        b = M.simulate(hi, sc, 1, np.random.default_rng(0))["milex_pak_usd_m"][0, 0]
        dm = math.log(b) - math.log(a)
        if kk > 0:
            assert dm > 0
        assert dm == pytest.approx(kk * delta, abs=1e-9)


def test_sanctions_cost_accumulates_and_circumvention_offsets(baseline: M.Scenario) -> None:
    """Full sanctions from year 1 with ℓ = 1 pp/yr and no offset: C_t = 100 (1 − 0.99^t) %; an offset θ = 0.5 at a
    China share of 0.8 lowers the yearly loss to 0.6 pp (tolerance 1e-9)."""
    p = dict(_quiet(baseline).params)

    def fix(name: str, v: float) -> None:
        p[name] = M.Param(unit=M.PARAMETERS[name].unit, value=v, assumed=True, why="test")

    for name, v in (("sanctions_initial", 1.0), ("sanctions_target", 1.0), ("gdp_growth_loss_full_pp", 1.0),
                    ("circumvention_offset", 0.0), ("china_share_initial", 0.8), ("china_share_sanctions_weight", 0.0),
                    ("china_share_alignment_weight", 0.0), ("alignment_sanctions_weight", 0.0)):
        fix(name, v)
    sc = M.Scenario("t", "t", None, p, "")
    out = M.simulate(_coeffs(), sc, 10, np.random.default_rng(0))
    t = np.arange(1, 11)
    np.testing.assert_allclose(out["cost_pct_gdp"][0], 100 * (1 - 0.99 ** t), rtol=1e-9)
    fix("circumvention_offset", 0.5)
    out = M.simulate(_coeffs(), M.Scenario("t", "t", None, p, ""), 10, np.random.default_rng(0))
    np.testing.assert_allclose(out["cost_pct_gdp"][0], 100 * (1 - 0.994 ** t), rtol=1e-9)
    # Pakistan's effort falls with its GDP loss: ln m_PAK drops 0.006 a year (no other term).
    np.testing.assert_allclose(np.diff(np.log(out["milex_pak_usd_m"][0])), -0.006, atol=1e-12)


def test_sanctions_pull_alignment_and_china_share_up(baseline: M.Scenario) -> None:
    """Monotone responses: stronger sanctions raise the median 2053 alignment, China share and cost."""
    c = M.synthetic_coefficients(400, seed=3)
    base = M.simulate(c, baseline, 30, np.random.default_rng(5))
    hard = M.simulate(c, M.load_scenario("sanctions-intensify"), 30, np.random.default_rng(5))
    for key in ("alignment", "china_share", "cost_pct_gdp"):
        assert np.median(hard[key][:, -1]) > np.median(base[key][:, -1])
    for key in ("alignment", "china_share"):
        assert ((hard[key] >= 0) & (hard[key] <= 1)).all()


def test_vectorised_equals_plain_loop(baseline: M.Scenario) -> None:
    """The vectorised model and the plain-Python loop agree run by run (relative tolerance 1e-12)."""
    c = M.synthetic_coefficients(50, seed=2)
    seeds = [np.random.SeedSequence(9, spawn_key=(i,)) for i in range(25)]
    sc = M.load_scenario("sanctions-intensify")
    vec, _ = M.simulate_seeds(c, sc, 30, seeds)
    loop = M.simulate_loop(c, sc, 30, seeds)
    for k in M.OUTPUTS:
        np.testing.assert_allclose(vec[k], loop[k], rtol=1e-12, atol=1e-12)


def test_scenario_files_load_with_sources_or_reasons() -> None:
    scs = M.load_scenarios()
    assert set(SCENARIOS) <= set(scs)
    for s in scs.values():
        assert set(s.params) == set(M.PARAMETERS)
        for name, p in s.params.items():
            assert p.sources or (p.assumed and p.why), name
    assert scs["baseline"].params["gdp_growth_loss_full_pp"].sources
    assert scs["sanctions-intensify"].params["sanctions_target"].low >= 0.4
    assert scs["us-india-deepens"].params["partnership_target"].low > scs["baseline"].params["partnership_target"].high
    d = scs["baseline"].to_dict()
    assert d["parameters"]["china_share_initial"]["value"] == pytest.approx(0.8)


def _write(tmp_path: Path, body: str, name: str = "bad.yml") -> Path:
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    return f


def test_unknown_parameter_is_rejected_with_file_line(tmp_path: Path) -> None:
    f = _write(tmp_path, "id: x\ntitle: X\nbase: baseline\nparameters:\n  sanction_target:\n"
                         "    value: 0.5\n    unit: '-'\n    assumed: true\n    why: test\n")
    with pytest.raises(DataError) as ei:
        M.load_scenario(f)
    assert any(e.startswith(f"{f}:5:") and "unknown parameter" in e and "sanctions_target" in e
               for e in ei.value.errors), ei.value.errors


def test_out_of_range_value_is_rejected_with_file_line(tmp_path: Path) -> None:
    f = _write(tmp_path, "id: x\ntitle: X\nbase: baseline\nparameters:\n  sanctions_target:\n"
                         "    min: 0.5\n    max: 1.5\n    unit: '-'\n    assumed: true\n    why: test\n")
    with pytest.raises(DataError) as ei:
        M.load_scenario(f)
    assert any(e.startswith(f"{f}:7:") and "sanctions_target.max" in e and "outside" in e
               for e in ei.value.errors), ei.value.errors


@pytest.mark.parametrize(("body", "line", "needle"), [
    ("id: x\ntitle: X\nbase: baseline\nparameters:\n  sanctions_target:\n    value: 0.5\n    unit: '-'\n",
     5, "sources"),
    ("id: x\ntitle: X\nbase: baseline\nparameters:\n  sanctions_target:\n    value: 0.5\n    unit: pp\n"
     "    assumed: true\n    why: t\n", 7, "expected '-'"),
    ("id: x\ntitle: X\nbase: baseline\nparameters:\n  sanctions_target:\n    value: 0.5\n    unit: '-'\n"
     "    sources: [no-such-source-id]\n", 8, "unresolved source id"),
    ("id: x\ntitle: X\nparameters:\n  sanctions_target:\n    value: 0.5\n    unit: '-'\n    assumed: true\n"
     "    why: t\n", 3, "missing"),
    ("id: x\ntitle: X\nbase: nosuch\nparameters: {}\n", 3, "unknown scenario"),
])
def test_bad_scenario_files(tmp_path: Path, body: str, line: int, needle: str) -> None:
    f = _write(tmp_path, body)
    with pytest.raises(DataError) as ei:
        M.load_scenario(f)
    assert any(e.startswith(f"{f}:{line}:") and needle in e for e in ei.value.errors), ei.value.errors


def test_unknown_scenario_name_suggests() -> None:
    with pytest.raises(UnknownChoice) as ei:
        M.load_scenario("basline")
    assert "baseline" in ei.value.suggestions


def test_coefficients_validation() -> None:
    with pytest.raises(InvalidInput, match="unknown coefficient"):
        M.Coefficients.from_frame(pd.DataFrame({"k_PAK_USA": [0.1]}), {"CHN": 1, "IND": 1, "PAK": 1}, 2023)
    with pytest.raises(InvalidInput, match="positive"):
        M.Coefficients.from_frame(pd.DataFrame({"g_PAK": [0.1]}), {"CHN": 1, "IND": 0, "PAK": 1}, 2023)
    with pytest.raises(InvalidInput, match="years"):
        M.simulate(_coeffs(), M.load_scenario("baseline"), 0, np.random.default_rng(0))


def test_draw_mapping_from_named_fit_columns() -> None:
    """A fit's named draws (constant, own lag, rival lags, sigma) land in the model's columns; own lag → −α."""
    draws = pd.DataFrame({"const": [0.1, 0.2], "PAK_lag": [-0.03, -0.02], "IND_lag": [0.02, 0.01],
                          "CHN_lag": [0.0, 0.001], "sigma": [0.05, 0.06]})
    got = M._map_draws(draws, "PAK", ["IND", "CHN"])
    np.testing.assert_allclose(got["alpha_PAK"], [0.03, 0.02])
    np.testing.assert_allclose(got["k_PAK_IND"], [0.02, 0.01])
    np.testing.assert_allclose(got["g_PAK"], [0.1, 0.2])
    np.testing.assert_allclose(got["sigma_PAK"], [0.05, 0.06])
