"""Evidence questions with data present (the synthetic fixtures as $EQUILIBRIUM_DATA_DIR): Python == CLI ``--json`` ==
HTTP; the CLI's ``--path`` gives the same answers as the environment; answers state the data set, file and sha256,
success definition and sample; the per-data-set facts come from the codebooks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.evidence.codebooks import DATASETS, codebook
from equilibrium.questions import evidence as q

from .conftest import edges

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"

CASES: list[tuple[Any, dict[str, Any], list[str]]] = [
    (q.datasets, {}, []),
    (q.base_rate, {"dataset": "gsdb"}, ["--dataset", "gsdb"]),
    (q.base_rate, {"dataset": "gsdb", "by": "objective", "include_ongoing": True},
     ["--dataset", "gsdb", "--by", "objective", "--include-ongoing"]),
    (q.base_rate, {"dataset": "china-ties", "goal": "nonproliferation", "role": "target"},
     ["--dataset", "china-ties", "--goal", "nonproliferation", "--role", "target"]),
    (q.cases, {"target": "PAK"}, ["--target", "PAK"]),
    (q.cases, {"target": "CHN", "role": "any"}, ["--target", "CHN", "--role", "any"]),
    (q.findings, {}, []),
    (q.model, {"dataset": "gsdb", "covariates": ["multilateral"]}, ["--dataset", "gsdb", "--covariates",
                                                                    "multilateral"]),
]


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(FIXTURES))
    return FIXTURES


@pytest.mark.parametrize(("question", "params", "cli"), CASES, ids=lambda x: getattr(x, "name", None))
def test_python_cli_http_agree_with_data(data_dir: Path, client: TestClient, question: Any,
                                         params: dict[str, Any], cli: list[str]) -> None:
    out = edges(client, question, params, cli)
    if isinstance(out["python"], tuple):  # an error: the same one on every edge
        _, status, message = out["python"]
        assert out["http"][:2] == ("error", status) and out["cli"][1] == 2 and message in out["cli"][2]
        return
    assert out["cli"] == out["python"], "CLI differs"
    assert out["http"] == out["python"], "HTTP differs"


def test_answers_state_dataset_file_sha_success_and_sample(data_dir: Path) -> None:
    a = q.base_rate(dataset="gsdb")
    sha = hashlib.sha256((data_dir / "GSDB_R3.csv").read_bytes()).hexdigest()
    assert a.files[0].sha256 == sha
    assert sha[:16] in a.stated("file").value  # type: ignore[union-attr]
    assert "GSDB" in a.stated("dataset").value  # type: ignore[union-attr]
    assert a.stated("success").value.startswith(codebook("gsdb").headline.rate)  # type: ignore[union-attr]
    assert a.stated("success").note  # type: ignore[union-attr]  # why the headline
    assert "case-objective pair rows" in a.stated("sample").value  # type: ignore[union-attr]
    assert a.headline == "success_any_share" and a.rates["success_any_share"].ci95 is not None
    c = q.cases(target="PAK")
    assert c.role == "target" and all(e.role == "target" for e in c.cases)
    assert c.stated("sample") and c.stated("file")


def test_cli_path_equals_the_environment(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = q.base_rate(dataset="gsdb", by="decade").to_json()
    monkeypatch.delenv("EQUILIBRIUM_DATA_DIR")
    r = CliRunner().invoke(cli_app, ["evidence", "base-rate", "--dataset", "gsdb", "--by", "decade", "--path",
                                     str(data_dir / "GSDB_R3.csv"), "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    drop = ("defaults",)
    assert {k: v for k, v in got.items() if k not in drop} == {k: v for k, v in env.items() if k not in drop}
    assert any(s["name"] == "data_path" and s["source"] == "given" for s in got["defaults"])


def test_missing_file_is_one_error_everywhere(client: TestClient, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    out = edges(client, q.base_rate, {"dataset": "ties"}, ["--dataset", "ties"])
    assert out["python"][1] == 503 and out["http"][:2] == ("error", 503) and out["cli"][1] == 2
    body = client.get("/api/evidence/base-rate", params={"dataset": "ties"}).json()
    assert body["code"] == "data-file-missing" and body["publisher"] and body["usual_names"]


def test_facts_come_from_the_codebooks(data_dir: Path, client: TestClient) -> None:
    body = client.get("/api/evidence/datasets").json()
    for ds in DATASETS:
        cb = codebook(ds)
        e = body["datasets"][ds]
        assert (e["label"], e["headline"], e["by"], e["id_column"]) == (cb.display_label, cb.headline.rate,
                                                                         list(cb.by), cb.id_column)
        assert e["goal_groups"] and e["headline_why"]
        assert e["headline"] in e["definition"]["rates"]
