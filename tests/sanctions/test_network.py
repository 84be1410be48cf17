"""The sanctions network (networkx) on the real curated record: nodes, edges, suppliers, list entries, GraphML, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from equilibrium.cli.main import app
from equilibrium.errors import InvalidInput
from equilibrium.sanctions import record
from equilibrium.sanctions.network import build_network, resolve_country, to_graphml, to_json
from equilibrium.sanctions.store import ingest

NDC_ACTION = "action:us-2024-12-18-ndc-sdn"
NDC = "entity:OFAC-52049"


@pytest.fixture(scope="module")
def pak() -> nx.MultiDiGraph:
    return build_network("PAK", include_lists=False)


def test_pak_counts_match_the_record(pak: nx.MultiDiGraph) -> None:
    direct = record().select(target_country="PAK")
    actions = {n: d for n, d in pak.nodes(data=True) if d["group"] == "action"}
    assert {f"action:{r.action.id}" for r in direct} <= set(actions)
    # 21 since issue 14 added the KRL missile sanctions of April 1998 (fr-1998-05-04-pn2798-missile-sanctions) and
    # March 2003 (state-2003-04-01-reeker-krl-cscs); 19 before. 24 since the Entity List additions of November 1998
    # (bxa-1998-11-13-ind-pak-entity-list), March 2018 (pakistantoday-2018-03-25-entity-list) and October 2024
    # (thenews-2024-10-22-entity-list). 25 since the Entity List addition of December 2016
    # (dawn-2016-12-entity-list-pak).
    assert sum(d["relation"] == "target" for d in actions.values()) == len(direct) == 25
    # One "targets" edge per (action, target) pair of the selected actions.
    n_targets = sum(len(r.action.targets) for r in record() if f"action:{r.action.id}" in actions)
    assert sum(1 for *_, k in pak.edges(keys=True) if k == "targets") == n_targets
    # Every action has exactly one sender edge and one authority edge.
    for a in actions:
        assert [k for *_, k in pak.in_edges(a, keys=True)] == ["sends"]
        assert sum(1 for *_, k in pak.out_edges(a, keys=True) if k == "under") == 1
    assert set(pak.nodes["sender:USA"]) >= {"kind", "label"}
    assert pak.out_degree("sender:USA") == len(actions)


def test_ndc_designation_dec_2024(pak: nx.MultiDiGraph) -> None:
    a = pak.nodes[NDC_ACTION]
    assert (a["type"], a["date"], a["authority"], a["implementing_list"], a["program"]) == (
        "designation", "2024-12-18", "E.O. 13382", "SDN", "NPWMD")
    assert pak.has_edge("sender:USA", NDC_ACTION, key="sends")
    assert pak.has_edge(NDC_ACTION, NDC, key="targets")
    assert pak.has_edge(NDC_ACTION, "authority:E.O. 13382", key="under")
    assert pak.has_edge(NDC_ACTION, "program:NPWMD", key="program")
    e = pak.edges[NDC_ACTION, NDC, "targets"]
    assert e["date"] == "2024-12-18" and "profit-2024-12-19-ndc" in e["sources"]
    ndc = pak.nodes[NDC]
    assert (ndc["name"], ndc["country"], ndc["kind"], ndc["list_id"]) == (
        "National Development Complex", "PAK", "state-entity", "OFAC-52049")
    # The 2001 AECA missile sanction names NDC without a list id: the same node.
    assert pak.has_edge("action:us-2001-09-missile-cmec-ndc", NDC, key="targets")
    assert ndc["actions"] == 2


def test_suppliers_are_linked_by_the_records_text(pak: nx.MultiDiGraph) -> None:
    # April 2024: Chinese and Belarusian suppliers (no Pakistani target); the note names NDC.
    sup = "action:us-2024-04-19-suppliers-sdn"
    assert pak.nodes[sup]["relation"] == "mentions"
    assert pak.has_edge(sup, NDC, key="mentions")
    assert "NDC" in pak.edges[sup, NDC, "mentions"]["text"]
    assert pak.has_edge(sup, "entity:OFAC-34769", key="targets")  # Minsk Wheel Tractor Plant
    assert pak.nodes["entity:OFAC-34769"]["country"] == "BLR"
    # October 2023: the announcement's title names Pakistan, none of its actions targets it.
    prc = "action:us-2023-10-20-prc-suppliers-sdn"
    assert pak.nodes[prc]["relation"] == "title"
    assert pak.has_edge(prc, "country:PAK", key="concerns")
    # The Karachi firms' note says they supplied NDC: co-designated with each other, linked to NDC.
    kar = "action:us-2024-12-18-karachi-firms-sdn"
    assert sum(1 for *_, k in pak.out_edges(kar, keys=True) if k == "targets") == 3
    assert pak.has_edge(kar, NDC, key="mentions")
    # India's waivers merely name Pakistan in a shared title: not in Pakistan's network.
    assert "action:us-2001-09-22-waiver-glenn-india" not in pak


def test_since_until_and_all(pak: nx.MultiDiGraph) -> None:
    g = build_network("Pakistan", since="2024", until="2024-12", include_lists=False)
    dates = [d["date"] for _, d in g.nodes(data=True) if d["group"] == "action"]
    assert dates and all("2024" <= x <= "2024-12-99" for x in dates)
    assert NDC_ACTION in g
    every = build_network(None, include_lists=False)
    assert sum(1 for _, d in every.nodes(data=True) if d["group"] == "action") == len(record())


def test_unknown_country_suggests_close_match() -> None:
    with pytest.raises(InvalidInput, match="PAK") as e:
        resolve_country("PAQ")
    assert e.value.suggestions[0] == "PAK"  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput) as e2:
        build_network("Pakistn", include_lists=False)
    assert "PAK" in e2.value.suggestions  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="since"):
        build_network("PAK", since="yesterday", include_lists=False)


def test_json_and_graphml_round_trip(pak: nx.MultiDiGraph, tmp_path: Path) -> None:
    j = to_json(pak)
    assert j["counts"]["nodes"] == len(j["nodes"]) == pak.number_of_nodes()
    assert j["counts"]["edges"] == len(j["edges"]) == pak.number_of_edges()
    assert {"id", "label", "kind", "group"} <= set(j["nodes"][0])
    assert {"source", "target", "kind"} <= set(j["edges"][0])
    json.dumps(j)
    p = to_graphml(pak, tmp_path / "pak.graphml")
    back = nx.read_graphml(p, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (pak.number_of_nodes(), pak.number_of_edges())
    assert back.nodes[NDC]["name"] == "National Development Complex"
    assert back.nodes[NDC]["aliases"] == "NDC"
    assert "profit-2024-12-19-ndc" in back.nodes[NDC_ACTION]["sources"].split("; ")
    assert back.has_edge(NDC_ACTION, "authority:E.O. 13382")


def test_list_entries_from_the_store(tmp_path: Path, db: str) -> None:
    # A synthetic SDN file in the official layout whose uid is NDC's list id (not the real entry).
    p = tmp_path / "sdn_2025-01-02.csv"
    p.write_text('52049,"NATIONAL DEVELOPMENT COMPLEX",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a',
                 encoding="latin-1")
    ingest(p, url=db)
    g = build_network("PAK", url=db)
    lid = "list:OFAC-SDN:OFAC-52049"
    assert g.has_edge(NDC, lid, key="listed")
    entry = g.nodes[lid]
    assert (entry["programs"], entry["first_seen"], entry["last_seen"]) == (["NPWMD"], "2025-01-02", "2025-01-02")
    assert g.graph["lists"].startswith("1 of ")


def test_cli_network(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    r = cli.invoke(app, ["sanctions", "network", "PAK"])
    assert r.exit_code == 0, r.output
    assert "Government of Pakistan" in r.output and "action" in r.output
    r = cli.invoke(app, ["sanctions", "network", "PAK", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["country"] == "PAK"
    out = tmp_path / "pak.graphml"
    r = cli.invoke(app, ["sanctions", "network", "PAK", "--format", "graphml", "-o", str(out)])
    assert r.exit_code == 0 and nx.read_graphml(out).number_of_nodes() > 50
    r = cli.invoke(app, ["sanctions", "network", "PAK", "--format", "graphml"])
    assert r.exit_code == 2 and "-o" in r.output
    r = cli.invoke(app, ["sanctions", "network", "Pakistn"])
    assert r.exit_code == 2 and "PAK" in r.output
    assert not (tmp_path / "home" / "equilibrium.db").exists()  # reading never creates a store
