"""The store-backed sanctions questions with a (synthetic) list loaded: ``sanctions.screen``, ``sanctions.history``
and ``sanctions.snapshots`` answer the same through Python, the CLI's ``--json`` and HTTP, state the store and the
list snapshots they read, and are never served stale by the web layer after a load. (The contract test runs them
on a store with no list loaded, where every edge gives the same error.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from equilibrium.cli.main import app as cli_app
from equilibrium.errors import MissingDependency, NotFound
from equilibrium.questions import get_question

ROW = '{uid},"{name}",-0- ,"{program}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
"""One SDN row in the official CSV layout (synthetic entries, not real ones)."""


def _sdn(path: Path, rows: list[tuple[int, str, str]]) -> Path:
    path.write_text("".join(ROW.format(uid=u, name=n, program=p) for u, n, p in rows) + "\x1a", encoding="latin-1")
    return path


FIRST = [(52049, "NATIONAL DEVELOPMENT COMPLEX", "NPWMD"), (7, "GAMMA TRADING LTD", "SDGT")]
SECOND = [*FIRST, (8, "DELTA INDUSTRIAL SUPPLY CO", "NPWMD")]


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty store."""
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EQUILIBRIUM_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture()
def client(home: Path) -> Iterator[TestClient]:
    from equilibrium.web.app import create_app

    with TestClient(create_app(warm="off", screening_worker=False, physics_workers=1),
                    raise_server_exceptions=False) as c:
        yield c


def _three(client: TestClient, name: str, params: dict[str, Any], cli: list[str]) -> dict[str, Any]:
    """The answer's JSON, asserted equal through Python, the CLI and HTTP."""
    q = get_question(name)
    py = q(dict(params)).to_json()
    r = CliRunner().invoke(cli_app, [*q.cli, *cli, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == py, f"{name}: CLI differs"
    assert q.http is not None
    h = client.get(q.http[1], params=params)
    assert h.status_code == 200, h.text
    assert h.json() == py, f"{name}: HTTP differs"
    return py


def _error_everywhere(client: TestClient, name: str, params: dict[str, Any], cli: list[str],
                      exc: type[Exception], status: int, needle: str) -> None:
    q = get_question(name)
    with pytest.raises(exc, match=needle):
        q(dict(params))
    r = CliRunner().invoke(cli_app, [*q.cli, *cli])
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.output
    assert q.http is not None
    h = client.get(q.http[1], params=params)
    assert h.status_code == status and h.headers["content-type"].startswith("application/problem+json")
    assert needle in h.json()["detail"]


def test_store_questions_agree_with_a_list_loaded(home: Path, client: TestClient) -> None:
    from equilibrium.sanctions.store import ingest

    # nothing loaded: screening and history say how to load a list; snapshots answer an empty store
    for name, params, cli in (("sanctions.screen", {"q": "National Development Complex"},
                               ["National Development Complex"]),
                              ("sanctions.history", {"uid": "OFAC-52049"}, ["OFAC-52049"])):
        _error_everywhere(client, name, params, cli, MissingDependency, 503, "sanctions ingest")
    empty = _three(client, "sanctions.snapshots", {}, [])
    assert empty["count"] == 0 and empty["snapshots"] == [] and "sanctions ingest" in empty["notes"][0]

    ingest(_sdn(home / "sdn_2025-01-02.csv", FIRST))
    # the web layer keeps no stale answer: the same request now sees the load
    snaps = _three(client, "sanctions.snapshots", {}, [])
    assert snaps["count"] == 1 and snaps["snapshots"][0]["list"] == "OFAC-SDN"
    ingest(_sdn(home / "sdn_2025-02-01.csv", SECOND))
    snaps = _three(client, "sanctions.snapshots", {"list": "ofac-sdn"}, ["ofac-sdn"])
    assert snaps["list"] == "OFAC-SDN" and [s["list_date"] for s in snaps["snapshots"]] == ["2025-01-02",
                                                                                            "2025-02-01"]
    assert [s["latest"] for s in snaps["snapshots"]] == [False, True] and snaps["snapshots"][1]["added"] == 1
    stated = {d["name"]: d for d in snaps["defaults"]}
    assert str(home / "home") in stated["store"]["value"]
    loaded_at = snaps["snapshots"][1]["loaded_at"]
    assert stated["list:OFAC-SDN"]["value"] == f"snapshot 2025-02-01, 3 entities, loaded {loaded_at}"
    assert stated["list:OFAC-SDN"]["source"] == "data"

    screen = _three(client, "sanctions.screen", {"q": "National Development Complex", "limit": 2},
                    ["National Development Complex", "--limit", "2"])
    best = screen["candidates"][0]
    assert best["id"] == "OFAC-52049" and best["score"] > 0.7 and best["lists"] == ["OFAC-SDN"]
    assert best["programs"] == ["NPWMD"] and best["explanation"]
    assert len(screen["candidates"]) <= 2 and screen["index"]["entities"] == 3
    assert screen["lists_loaded"] == [{"list": "OFAC-SDN", "list_date": "2025-02-01", "entities": 3,
                                       "loaded_at": loaded_at, "sha256": snaps["snapshots"][1]["sha256"]}]
    assert {d["name"] for d in screen["defaults"]} >= {"algorithm", "limit", "store", "list:OFAC-SDN"}
    ofac = _three(client, "sanctions.screen", {"q": "Delta Industrial Supply", "algorithm": "ofac",
                                                "schema": "Company"},
                  ["Delta Industrial Supply", "--algorithm", "ofac", "--schema", "Company"])
    assert ofac["candidates"][0]["id"] == "OFAC-8" and ofac["algorithm"] == "ofac"

    hist = _three(client, "sanctions.history", {"uid": "OFAC-8"}, ["OFAC-8"])
    assert hist["list"] == "OFAC-SDN" and hist["first_seen"] == hist["last_seen"] == "2025-02-01"
    assert hist["in_latest"] and hist["changes"] == [{"kind": "added", "list_date": "2025-02-01"}]
    hist = _three(client, "sanctions.history", {"uid": "OFAC-52049"}, ["OFAC-52049"])
    assert hist["first_seen"] == "2025-01-02" and hist["last_seen"] == "2025-02-01"
    _error_everywhere(client, "sanctions.history", {"uid": "OFAC-99"}, ["OFAC-99"], NotFound, 404, "OFAC-99")

    # the network attaches the loaded list's entries and states the snapshot it read
    net = _three(client, "sanctions.network", {"country": "PAK"}, ["PAK"])
    assert "list:OFAC-SDN:OFAC-52049" in {n["id"] for n in net["nodes"]}
    assert any(d["name"] == "list:OFAC-SDN" for d in net["defaults"])


def test_batch_screening_loops_over_the_question(home: Path) -> None:
    from equilibrium.sanctions.store import ingest

    ingest(_sdn(home / "sdn_2025-01-02.csv", FIRST))
    names = home / "names.csv"
    names.write_text("name,schema\nNational Development Complex,Organization\nGamma Trading,\n", encoding="utf-8")
    r = CliRunner().invoke(cli_app, ["sanctions", "screen", "--input", str(names), "--limit", "1", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)["results"]
    assert [(x["line"], x["candidates"][0]["id"]) for x in out] == [(2, "OFAC-52049"), (3, "OFAC-7")]
    one = get_question("sanctions.screen")(q="Gamma Trading", limit=1).to_json()
    assert out[1]["candidates"] == one["candidates"]


def test_screening_worker_answers_the_question(home: Path) -> None:
    """Through the screening worker process (the generic ``ask`` task): the same answer as in-process."""
    from equilibrium.sanctions.store import ingest
    from equilibrium.web.app import create_app

    ingest(_sdn(home / "sdn_2025-01-02.csv", FIRST))
    app = create_app(warm="off", physics_workers=1)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert app.state.screening is not None and app.state.screening.wait_ready()
        r = c.get("/api/sanctions/screen", params={"q": "Gamma Trading", "limit": 1})
        assert r.status_code == 200, r.text
        assert r.json() == get_question("sanctions.screen")(q="Gamma Trading", limit=1).to_json()
        assert app.state.screening.pids()


def test_asymmetry_states_what_it_compares() -> None:
    q = get_question("sanctions.asymmetry")
    a = q(countries=["IND", "PAK"], since="1998", scope="proliferation",
          categories=["designation-state", "designation-private", "statutory-sanction"])
    stated = {d.name: d for d in a.defaults}
    assert stated["scope"].value == "proliferation-related actions only" and "E.O. 13382" in stated["scope"].note
    assert stated["categories"].value == "designation-state, designation-private, statutory-sanction"
    assert stated["window"].value.startswith("1998 to the last action") and stated["window"].source == "given"
    assert {"data:record", "data:bibliography", "counting"} <= set(stated)
    assert a.categories == ["designation-state", "designation-private", "statutory-sanction"]
    allp = q(countries=["IND", "PAK"], since="1998")
    for iso in ("IND", "PAK"):
        assert a.by_country[iso].total <= allp.by_country[iso].total
        assert set(a.by_country[iso].totals) <= set(a.categories)
        assert a.by_country[iso].total == sum(c.count for c in a.by_country[iso].totals.values())
    assert allp.stated("scope").source == "default" and len(allp.categories) == 9
