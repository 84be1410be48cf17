"""Dynamics questions on every edge: Python == CLI ``--json`` == HTTP with the real files (``realdata``); a missing
data folder is one 503 problem naming the publisher everywhere; the ensemble's numbers do not depend on the worker
count or a local Dask cluster; bad parameters are refused with the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.questions import dynamics as q

from .conftest import edges

CASES: list[tuple[Any, dict[str, Any], list[str]]] = [
    (q.dynamics_data, {"dataset": "sipri-milex"}, ["--dataset", "sipri-milex"]),
    (q.dynamics_fit, {}, []),
    (q.dynamics_fit, {"system": "triad", "form": "differences"}, ["--system", "triad", "--form", "differences"]),
    (q.dynamics_backtest, {"target": "IND"}, ["--target", "IND"]),
    (q.dynamics_alignment, {"dyads": ["PAK-USA", "PAK-CHN"]}, ["--dyad", "PAK-USA", "--dyad", "PAK-CHN"]),
    (q.dynamics_sensitivity, {"method": "morris", "n": 10}, ["--method", "morris", "-n", "10"]),
]


@pytest.fixture
def data_dir(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = shared_data / "dynamics"
    if not d.is_dir():
        pytest.skip(f"real dynamics data folder {d} is absent")
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(d))
    return d


@pytest.mark.realdata
@pytest.mark.parametrize(("question", "params", "cli"), CASES, ids=lambda x: getattr(x, "name", None))
def test_python_cli_http_agree_on_the_real_files(data_dir: Path, client: TestClient, question: Any,
                                                 params: dict[str, Any], cli: list[str]) -> None:
    out = edges(client, question, params, cli)
    assert not isinstance(out["python"], tuple), out["python"]
    assert out["cli"] == out["python"], "CLI differs"
    assert out["http"] == out["python"], "HTTP differs"
    assert any(s["name"].startswith("data") for s in out["python"]["defaults"])


@pytest.mark.realdata
def test_fit_states_the_published_asymmetry_beside_the_estimates(data_dir: Path) -> None:
    a = q.dynamics_fit({})
    ids = {f["id"]: f["verdict"] for f in a.findings}
    assert ids["amir-ud-din-ind-not-pak-specific"] in ("agree", "disagree", "inconclusive")
    tests = {(t["cause"], t["effect"]): t["p_value"] for t in a.granger["tests"]}
    assert set(tests) == {("IND", "PAK"), ("PAK", "IND")}
    assert a.vecm["rank"] in (0, 1, 2) and "trace_tests" in a.vecm
    assert set(a.series.values) == {"CHN", "IND", "PAK"} and a.series.years[-1] == 2023


@pytest.mark.realdata
def test_backtest_reports_skill_only_against_the_random_walk(data_dir: Path) -> None:
    a = q.dynamics_backtest({"target": "PAK"})
    scores = a.result["scores"]
    assert {s["horizon"] for s in scores} == {1, 2, 3, 4, 5}
    rw = {s["horizon"]: s["mase"] for s in scores if s["model"] in ("rw", "random_walk")}
    rich = {s["horizon"]: s["mase"] for s in scores if s["model"] == "richardson"}
    for h, skilful in a.result["skilful"].items():
        assert skilful == (rich[int(h)] < rw[int(h)])
    assert "random walk" in a.summary


@pytest.mark.realdata
def test_run_is_the_same_for_1_and_2_workers_and_dask(data_dir: Path, tmp_path: Path) -> None:
    p = q.RunParams(scenario="sanctions-intensify", n_runs=300, years=10, seed=7)
    one = q.run_answer(p).to_json()["ensemble"]["outputs"]
    two = q.run_answer(p, workers=2).to_json()["ensemble"]["outputs"]
    dask = q.run_answer(p, workers=2, scheduler="local").to_json()["ensemble"]["outputs"]
    assert one == two == dask
    r = CliRunner().invoke(cli_app, ["dynamics", "run", "--scenario", "sanctions-intensify", "-n", "300", "--years",
                                     "10", "--seed", "7", "--workers", "2", "--out", str(tmp_path / "ens"),
                                     "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ensemble"]["outputs"] == one
    assert list((tmp_path / "ens").glob("part-*.parquet"))


@pytest.mark.realdata
def test_run_compares_scenarios_on_paired_runs_over_http(data_dir: Path, client: TestClient) -> None:
    body = {"scenario": "engagement", "n_runs": 200, "years": 5, "compare_with": "baseline"}
    h = client.post("/api/dynamics/run", json=body)
    assert h.status_code == 200, h.text
    d = h.json()
    assert d == q.dynamics_run(body).to_json()
    diff = d["comparison"]["difference"]["cost_pct_gdp"]
    assert len(diff["p50"]) == 5 and diff["p50_lo95"][-1] <= diff["p50"][-1] <= diff["p50_hi95"][-1]
    assert any("assumed" in n.lower() for n in d["notes"])


def test_missing_data_is_one_503_naming_the_publisher(client: TestClient, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    # (parameters no other test asks: the server caches answers per question and parameters)
    out = edges(client, q.dynamics_fit, {"start": 1961}, ["--start", "1961"])
    assert out["python"][1] == 503
    status, problem = out["http"][1], out["http"][2]
    assert status == 503 and problem["code"] == "data-file-missing" and "SIPRI" in problem["publisher"]
    assert out["cli"][1] == 2 and "SIPRI" in out["cli"][2] and "Traceback" not in out["cli"][2]


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/api/dynamics/run", {"scenario": "sanctions-forever"}, "scenario"),
    ("/api/dynamics/run", {"n_runs": 5}, "n_runs"),
    ("/api/dynamics/run", {"n_runs": 50_000}, "n_runs"),
])
def test_bad_run_requests_are_422_problems(client: TestClient, path: str, body: dict[str, Any], words: str) -> None:
    h = client.post(path, json=body)
    assert h.status_code == 422 and h.headers["content-type"].startswith("application/problem+json")
    assert words in h.text


def test_bad_dyad_and_window_are_refused(client: TestClient) -> None:
    r = CliRunner().invoke(cli_app, ["dynamics", "alignment", "--dyad", "PAKUSA"])
    assert r.exit_code == 2 and "PAK-USA" in r.output
    h = client.get("/api/dynamics/backtest", params={"first_origin": 2010, "last_origin": 2000})
    assert h.status_code in (422, 503)
