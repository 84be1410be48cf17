"""HTTP API of the evidence data sets: shares equal ``base_rates``'s, problem+json for bad input, the missing-file
answer (503 ``data-file-missing``: publisher, how to obtain it) with an empty data folder, published findings always,
never a 500. The cases route lists the country as target by default."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EVIDENCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "evidence"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def ev_client() -> Iterator[TestClient]:
    """The app (no boundary files needed for these routes); 500s come back as responses."""
    from equilibrium.web.app import create_app

    yield TestClient(create_app(), raise_server_exceptions=False)


@pytest.fixture
def real_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    """``../shared/data/evidence`` as ``$EQUILIBRIUM_DATA_DIR`` (skips with a reason when absent)."""
    if not EVIDENCE_DIR.is_dir():
        pytest.skip(f"real evidence data folder {EVIDENCE_DIR} is absent")
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(EVIDENCE_DIR))
    return EVIDENCE_DIR


@pytest.fixture
def empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EQUILIBRIUM_DATA_DIR", str(tmp_path))
    return tmp_path


def _problem(r, *statuses: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict = r.json()  # type: ignore[type-arg]
    assert body["status"] == r.status_code and body["detail"]
    return body


# ------------------------------------------------------------------------------------------------ real data


@pytest.mark.realdata
@pytest.mark.parametrize(("params", "kwargs"), [
    ({"dataset": "gsdb", "by": "objective"}, {"by": "objective"}),
    ({"dataset": "gsdb", "include_ongoing": "true", "since": "1990"}, {"include_ongoing": True, "since": 1990}),
    ({"dataset": "ties", "by": "decade", "target": "PAK"}, {"by": "decade", "target": "PAK"}),
    ({"dataset": "eusanct", "sender": "UN", "multilateral": "true"}, {"sender": "UN", "multilateral": True}),
    ({"dataset": "china-ties"}, {}),
    ({"dataset": "gsdb", "objective": "democracy", "by": "sender"}, {"objective": "democracy", "by": "sender"}),
])
def test_base_rate_equals_library(ev_client, real_dir, params, kwargs) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.evidence import base_rates

    r = ev_client.get("/api/evidence/base-rate", params=params)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    lib = base_rates(params["dataset"], **kwargs)
    assert body["rows"] == lib["rows"] and body["definition"]["name"] == lib["definition"]["name"]
    assert body["headline"] in body["rates"]
    for name, rate in lib["rates"].items():
        got = body["rates"][name]
        assert (got["k"], got["n"]) == (rate["k"], rate["n"])
        if rate["share"] is None:
            assert got["share"] is None and got["ci95"] is None
        else:
            assert got["share"] == pytest.approx(rate["share"], abs=1e-12)
            assert got["ci95"] == pytest.approx(rate["ci95"], abs=1e-12)
    if "by" in kwargs:
        assert [g["label"] for g in body["groups"]] == [g["label"] for g in lib["groups"]]
        for g, h in zip(body["groups"], lib["groups"], strict=True):
            assert {k: (v["k"], v["n"]) for k, v in g["rates"].items()} == \
                   {k: (v["k"], v["n"]) for k, v in h["rates"].items()}


@pytest.mark.realdata
def test_gsdb_by_objective_has_groups(ev_client, real_dir) -> None:  # type: ignore[no-untyped-def]
    body = ev_client.get("/api/evidence/base-rate", params={"dataset": "gsdb", "by": "objective"}).json()
    assert body["by"] == "objective" and len(body["groups"]) >= 5
    head = body["rates"][body["headline"]]
    assert 0 < head["ci95"][0] < head["share"] < head["ci95"][1] < 1


@pytest.mark.realdata
def test_datasets_found(ev_client, real_dir) -> None:  # type: ignore[no-untyped-def]
    r = ev_client.get("/api/evidence/datasets")
    assert r.status_code == 200
    body = r.json()
    assert body["data_dir"] == str(real_dir)
    for ds in ("gsdb", "ties", "eusanct", "china-ties"):
        e = body["datasets"][ds]
        assert e["found"] and e["headline"] in e["definition"]["rates"] and "decade" in e["by"]


@pytest.mark.realdata
def test_cases_pak_and_ind(ev_client, real_dir) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.evidence import cases

    for iso in ("PAK", "IND"):
        r = ev_client.get("/api/evidence/cases", params={"target": iso})
        assert r.status_code == 200
        body = r.json()
        lib = cases(iso, role="target")
        assert body["role"] == "target" and body["country"]["code"] == iso and body["count"] == lib["count"] > 0
        assert [(c["dataset"], c["case_id"]) for c in body["cases"]] == [(c["dataset"], c["case_id"])
                                                                         for c in lib["cases"]]
    r = ev_client.get("/api/evidence/cases", params={"target": "Pakistan", "dataset": "ties", "role": "target"})
    assert r.status_code == 200
    assert {c["dataset"] for c in r.json()["cases"]} == {"ties"} and all(c["role"] == "target"
                                                                          for c in r.json()["cases"])


@pytest.mark.realdata
def test_findings_with_computed_shares(ev_client, real_dir) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.evidence import base_rates

    r = ev_client.get("/api/evidence/findings")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(body["findings"]) >= 10 and not body["data_files_missing"]
    comps = [c for f in body["findings"] for c in f["compare_with"]]
    assert comps and all(c["computed"]["status"] == "ok" for c in comps)
    for f in body["findings"]:
        assert f["definition"] and f["references"]
    hse = next(c for f in body["findings"] if f["id"] == "hse-1990-overall" for c in f["compare_with"]
               if c["dataset"] == "eusanct")["computed"]
    lib = base_rates("eusanct")["rates"]["hse_success_share"]
    assert (hse["k"], hse["n"]) == (lib["k"], lib["n"]) and hse["share"] == pytest.approx(lib["share"])
    assert hse["definition"] == "eusanct/hse-9"
    by_mult = next(c for f in body["findings"] for c in f["compare_with"]
                   if c["measure"] == "imposed_target_acquiesced_share" and c["by"] == "multilateral")["computed"]
    assert by_mult["by"] == "multilateral" and len(by_mult["groups"]) == 2


# ---------------------------------------------------------------------------------------------- bad input


@pytest.mark.realdata
def test_bad_input_is_problem_json(ev_client, real_dir) -> None:  # type: ignore[no-untyped-def]
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "gsbd"}), 404)
    assert body["suggestions"][0] == "gsdb"
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "gsdb", "target": "Pakistn"}), 404)
    assert "Pakistan" in body["suggestions"]
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "gsdb", "objective": "democrasy"}),
                    404)
    assert "democracy" in body["suggestions"]
    bad: list[dict[str, object]] = [
        {}, {"dataset": ""}, {"dataset": "gsdb", "by": "colour"}, {"dataset": "gsdb", "since": "yesterday"},
        {"dataset": "gsdb", "since": 2000, "until": 1990}, {"dataset": "gsdb", "since": 99999},
        {"dataset": "ties", "include_ongoing": "true"}, {"dataset": "ties", "role": "sender"},
        {"dataset": "china-ties", "role": "both"}, {"dataset": "gsdb", "sanction_type": "zz"},
        {"dataset": "ties", "threats": "some"}, {"dataset": "eusanct", "hse_threshold": 0},
        {"dataset": "gsdb", "multilateral": "maybe"}, {"dataset": "gsdb", "sender": "\x00"},
        {"dataset": "gsdb", "sender": "   "}, {"dataset": "gsdb", "target": "x" * 200},
        {"dataset": "gsdb", "by": "role"}, {"dataset": "ties", "issue": "9999"},
    ]
    for params in bad:
        _problem(ev_client.get("/api/evidence/base-rate", params=params), 404, 503, 422)
    for params in ({}, {"target": "Pakistn"}, {"target": "PAK", "dataset": "tie"}, {"target": "PAK", "role": "x"},
                   {"target": ""}, {"target": "999999"}):
        _problem(ev_client.get("/api/evidence/cases", params=params), 404, 422)


# --------------------------------------------------------------------------------------------- missing file


def test_missing_files_say_who_publishes_them(ev_client, empty_dir) -> None:  # type: ignore[no-untyped-def]
    for ds in ("gsdb", "ties", "eusanct", "china-ties"):
        body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": ds, "by": "decade"}), 503)
        assert body["code"] == "data-file-missing" and body["dataset"] == ds
        assert body["publisher"] and body["obtain"] and body["usual_names"]
        assert body["publisher"] in body["detail"] and body["data_dir"] == str(empty_dir)
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "gsdb"}), 503)
    assert "gsdb@drexel.edu" in body["obtain"] and "GSDB_R3.csv" in body["usual_names"]
    body = _problem(ev_client.get("/api/evidence/cases", params={"target": "PAK"}), 503)
    assert {m["dataset"] for m in body["missing"]} == {"gsdb", "ties", "eusanct", "china-ties"}
    _problem(ev_client.get("/api/evidence/cases", params={"target": "PAK", "dataset": "ties"}), 503)
    # A bad country is still named as such, before any file is looked for.
    _problem(ev_client.get("/api/evidence/cases", params={"target": "Pakistn"}), 404)

    r = ev_client.get("/api/evidence/datasets")
    assert r.status_code == 200
    for e in r.json()["datasets"].values():
        assert not e["found"] and e["missing"]["publisher"] and e["missing"]["obtain"] and e["definition"]["rates"]

    # The published findings ship with the product: answered, with the note in place of our figure.
    r = ev_client.get("/api/evidence/findings")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] >= 10 and len(body["data_files_missing"]) == 4
    comps = [c["computed"] for f in body["findings"] for c in f["compare_with"]]
    assert comps and all(c["status"] == "missing" and c["publisher"] and c["obtain"] for c in comps)
    assert any(f["unverified"] for f in body["findings"])


def test_unset_data_dir_is_a_missing_file(ev_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EQUILIBRIUM_DATA_DIR", raising=False)
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "ties"}), 503)
    assert "EQUILIBRIUM_DATA_DIR" in body["detail"] and body["publisher"]
    assert ev_client.get("/api/evidence/findings").status_code == 200


def test_bad_dataset_without_files(ev_client, empty_dir) -> None:  # type: ignore[no-untyped-def]
    body = _problem(ev_client.get("/api/evidence/base-rate", params={"dataset": "GSBD"}), 404)
    assert body["suggestions"]
