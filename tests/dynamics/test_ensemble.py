"""Ensembles (determinism across workers, Dask and batch sizes; Parquet resume), scenario comparison with common
random numbers, and the SALib sensitivity analyses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from equilibrium.dynamics import ensemble as E
from equilibrium.dynamics import model as M
from equilibrium.dynamics import sensitivity as S
from equilibrium.errors import InvalidInput


@pytest.fixture(scope="module")
def coeffs() -> M.Coefficients:
    return M.synthetic_coefficients(300, seed=11)


def _same(a: E.EnsembleResult, b: E.EnsembleResult) -> None:
    assert a.fans == b.fans
    for k in M.OUTPUTS:
        np.testing.assert_array_equal(a.outputs[k], b.outputs[k])
    np.testing.assert_array_equal(a.params, b.params)


def test_identical_for_one_and_two_workers_and_any_batch(coeffs: M.Coefficients) -> None:
    one = E.run_ensemble("sanctions-intensify", 400, 30, seed=5, workers=1, batch=100, coeffs=coeffs)
    two = E.run_ensemble("sanctions-intensify", 400, 30, seed=5, workers=2, batch=100, coeffs=coeffs)
    other_batch = E.run_ensemble("sanctions-intensify", 400, 30, seed=5, workers=1, batch=57, coeffs=coeffs)
    _same(one, two)
    _same(one, other_batch)
    assert one.years[0] == 2024 and one.years[-1] == 2053
    assert set(one.fans) == set(M.OUTPUTS)
    f = one.fans["alignment"]
    assert all(lo <= mid <= hi for lo, mid, hi in zip(f["p5"], f["p50"], f["p95"], strict=True))
    other_seed = E.run_ensemble("sanctions-intensify", 400, 30, seed=6, batch=100, coeffs=coeffs)
    assert other_seed.fans != one.fans


def test_identical_on_a_local_dask_cluster(coeffs: M.Coefficients) -> None:
    pytest.importorskip("distributed")
    one = E.run_ensemble("baseline", 120, 20, seed=3, workers=1, batch=40, coeffs=coeffs)
    dask = E.run_ensemble("baseline", 120, 20, seed=3, workers=2, scheduler="local", batch=40, coeffs=coeffs)
    _same(one, dask)


def test_run_r_is_the_rth_seedsequence_child(coeffs: M.Coefficients) -> None:
    """Run 7 of an ensemble equals the model run alone from SeedSequence(seed).spawn(8)[7]."""
    res = E.run_ensemble("baseline", 20, 10, seed=42, batch=6, coeffs=coeffs)
    alone, _ = M.simulate_seeds(coeffs, M.load_scenario("baseline"), 10, [np.random.SeedSequence(42).spawn(8)[7]])
    for k in M.OUTPUTS:
        np.testing.assert_array_equal(res.outputs[k][7], alone[k][0])


def test_parquet_parts_and_resume(tmp_path: Path, coeffs: M.Coefficients) -> None:
    out = tmp_path / "ens"
    first = E.run_ensemble("baseline", 250, 15, seed=1, batch=100, out_dir=out, coeffs=coeffs)
    parts = sorted(out.glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert (out / "manifest.json").is_file() and len(list(out.glob("params-*.parquet"))) == 3
    import pyarrow.parquet as pq

    t = pq.read_table(parts[2])
    assert t.num_rows == 50 * 15 and t.column_names[:2] == ["run", "year"]
    assert t.column("year").to_pylist()[:2] == [2024, 2025]
    parts[1].unlink()
    again = E.run_ensemble("baseline", 250, 15, seed=1, batch=100, out_dir=out, coeffs=coeffs)
    assert again.parts_resumed == 2 and first.parts_resumed == 0
    _same(first, again)
    assert (out / "part-00001.parquet").is_file()
    with pytest.raises(InvalidInput, match="different ensemble"):
        E.run_ensemble("baseline", 250, 15, seed=2, batch=100, out_dir=out, coeffs=coeffs)


def test_compare_uses_common_random_numbers(coeffs: M.Coefficients) -> None:
    same = E.compare("baseline", "baseline", 100, 20, seed=4, coeffs=coeffs)
    for k in M.OUTPUTS:
        assert same.difference[k]["p5"] == [0.0] * 20 and same.difference[k]["p95"] == [0.0] * 20
    c = E.compare("baseline", "sanctions-intensify", 400, 30, seed=4, coeffs=coeffs)
    cost = c.difference["cost_pct_gdp"]
    assert cost["p5"][-1] > 0  # more sanctions cost more in (almost) every paired run
    assert cost["p50_lo95"][-1] <= cost["p50"][-1] <= cost["p50_hi95"][-1]
    assert cost["mean_lo95"][-1] < cost["mean"][-1] < cost["mean_hi95"][-1]
    assert c.to_dict()["difference"]["alignment"]["p50"][-1] > 0


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({"n_runs": 5}, "n_runs"), ({"n_runs": 100, "years": 0}, "years"), ({"n_runs": 100, "seed": -1}, "seed"),
    ({"n_runs": 100, "batch": 0}, "batch"),
])
def test_bad_ensemble_arguments(coeffs: M.Coefficients, kwargs: dict[str, int], needle: str) -> None:
    with pytest.raises(InvalidInput, match=needle):
        E.run_ensemble("baseline", coeffs=coeffs, **kwargs)


def _toy() -> tuple[list[S.Factor], np.ndarray]:
    a = np.array([1.0, 2.0, 3.0, 0.0])
    fac = [S.Factor(f"x{i + 1}", "scenario", 0.0, 1.0, "-") for i in range(4)]
    return fac, a


def test_sobol_on_a_linear_toy() -> None:
    """Y = x1 + 2 x2 + 3 x3 + 0 x4, x uniform on [0, 1]: S1 = ST = a²/Σa² (1/14, 4/14, 9/14, 0) within 0.05; the
    first-order indices sum to 1 within 0.05; the idle factor is flagged unreliable (its interval covers 0)."""
    fac, a = _toy()
    r = S.sobol_analysis(fac, lambda x: {"y": x @ a}, 1024, seed=1)
    got = {i.factor: i for i in r.indices["y"]}
    for name, expect in (("x1", 1 / 14), ("x2", 4 / 14), ("x3", 9 / 14), ("x4", 0.0)):
        assert got[name].s1 == pytest.approx(expect, abs=0.05)
        assert got[name].st == pytest.approx(expect, abs=0.05)
    assert sum(i.s1 for i in r.indices["y"]) == pytest.approx(1.0, abs=0.05)
    assert got["x4"].unreliable and not got["x3"].unreliable
    assert r.indices["y"][0].factor == "x3"
    assert r.to_dict()["outputs"]["y"]["indices"][0]["factor"] == "x3"


def test_morris_on_a_linear_toy() -> None:
    """For a linear function every elementary effect of x_i equals a_i: μ* = a_i, σ = 0 (tolerance 1e-9)."""
    fac, a = _toy()
    r = S.morris_analysis(fac, lambda x: {"y": x @ a}, 20, seed=2)
    got = {i.factor: i for i in r.indices["y"]}
    for i, name in enumerate(("x1", "x2", "x3", "x4")):
        assert got[name].mu_star == pytest.approx(a[i], abs=1e-9)
        assert got[name].sigma == pytest.approx(0.0, abs=1e-9)


def test_too_small_samples_are_refused(coeffs: M.Coefficients) -> None:
    fac, a = _toy()
    with pytest.raises(InvalidInput, match="power of two"):
        S.sobol_analysis(fac, lambda x: {"y": x @ a}, 32)
    with pytest.raises(InvalidInput, match="power of two"):
        S.sobol_analysis(fac, lambda x: {"y": x @ a}, 100)
    with pytest.raises(InvalidInput, match="trajectories"):
        S.morris_analysis(fac, lambda x: {"y": x @ a}, 3)


def test_model_sensitivity_names_the_drivers(coeffs: M.Coefficients) -> None:
    """On the model: the 2053 cost is driven by the sanctions target, the growth loss and the offset; the indices
    of a nearly additive output sum to about one (0.8–1.1)."""
    r = S.sobol("sanctions-intensify", 256, 30, seed=0, coeffs=coeffs)
    assert r.year == 2053
    top = {i.factor for i in r.indices["cost_pct_gdp"][:3]}
    assert top == {"sanctions_target", "gdp_growth_loss_full_pp", "circumvention_offset"}
    assert 0.8 <= sum(i.s1 for i in r.indices["cost_pct_gdp"]) <= 1.1
    assert set(r.indices) == set(S.SENSITIVITY_OUTPUTS)
    m = S.morris("sanctions-intensify", 20, 30, seed=0, coeffs=coeffs)
    assert m.indices["alignment"][0].mu_star > 0


@pytest.mark.realdata
def test_calibrate_on_the_real_sipri_file(shared_data: Path) -> None:
    folder = shared_data / "dynamics"
    if not folder.is_dir():
        pytest.skip(f"real dynamics data folder {folder} is absent")
    c = M.calibrate(folder, seed=0, n_draws=200)
    assert c.n == 200 and c.base_year >= 2023
    d = c.to_dict()
    assert 50_000 < d["initial_milex_usd_m"]["IND"] < 150_000
    assert d["coefficients"]["k_CHN_PAK"]["p95"] == 0.0  # China does not react to Pakistan in the model
    res = E.run_ensemble("baseline", 200, 30, seed=0, coeffs=c)
    assert all(np.isfinite(v).all() for v in res.outputs.values())
