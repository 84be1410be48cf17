"""The curated sanctions record: model, loader (file:line errors), queries, asymmetry, FtM export, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from equilibrium.cli.main import app
from equilibrium.errors import DataError, InvalidInput, NotFound
from equilibrium.provenance import Source
from equilibrium.provenance.bibliography import Bibliography
from equilibrium.sanctions import actions, asymmetry, load_record, to_ftm

BIB = Bibliography([Source(id="src-a", title="A", publisher="P", kind="official"),
                    Source(id="src-b", title="B", publisher="P", kind="press")])

# A synthetic record authored for the tests (not real events).
FIXTURE = {"announcements": [
    {"id": "ann-1", "title": "Designations", "date_announced": "2020-05-01", "official_source": "src-a",
     "actions": [
         {"id": "act-1", "type": "designation", "sender": "USA", "agency": "State",
          "authority": {"instrument": "E.O. 13382", "section": "§1(a)(ii)"}, "implementing_list": "SDN",
          "program": "NPWMD", "date_effective": "2020-05-01", "sources": ["src-a"],
          "targets": [{"name": "Alpha Works", "schema": "Company", "country": "PAK"},
                      {"name": "State Complex", "schema": "PublicBody", "country": "PAK", "state": True}]},
         {"id": "act-2", "type": "designation", "sender": "USA", "agency": "State",
          "authority": {"instrument": "E.O. 13382"}, "implementing_list": "SDN", "sources": ["src-b"],
          "targets": [{"name": "Beta Trading", "schema": "Company", "country": "CHN"}]}]},
    {"id": "ann-2", "title": "No determination", "date_announced": "2021", "secondary_sources": ["src-b"],
     "actions": [
         {"id": "act-3", "type": "determination-not-made", "sender": "USA", "agency": "State",
          "authority": {"instrument": "CAATSA", "section": "§231"}, "sources": ["src-b"], "unverified": True,
          "targets": [{"name": "Government of India", "schema": "PublicBody", "country": "IND", "state": True,
                       "unlisted": True}]},
         {"id": "act-4", "type": "waiver", "sender": "USA", "agency": "President",
          "authority": {"instrument": "Glenn Amendment", "section": "§102(b)"}, "date_effective": "2001-09-22",
          "sources": ["src-a"], "targets": [{"name": "Government of India", "schema": "PublicBody",
                                             "country": "IND", "state": True}]}]},
]}


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    p = tmp_path / "actions-test.yml"
    p.write_text(yaml.safe_dump(FIXTURE, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return [p]


def test_load_and_sort(files: list[Path]) -> None:
    rec = load_record(files, BIB)
    assert len(rec) == 4 and len(rec.announcements) == 2
    assert [r.action.id for r in rec] == ["act-4", "act-1", "act-2", "act-3"]  # by date, partial dates first
    assert rec.rows[1].action.authority.text == "E.O. 13382 §1(a)(ii)"
    assert rec.source_ids() == {"src-a", "src-b"}


def test_filters(files: list[Path]) -> None:
    rec = load_record(files, BIB)
    assert [r.action.id for r in rec.select(target_country="PAK")] == ["act-1"]
    assert [r.action.id for r in rec.select(authority="caatsa")] == ["act-3"]
    assert [r.action.id for r in rec.select(types=["waiver"])] == ["act-4"]
    assert [r.action.id for r in rec.select(since="2020-06")] == ["act-3"]
    assert [r.action.id for r in rec.select(until="2020")] == ["act-4", "act-1", "act-2"]
    assert [r.action.id for r in rec.select(state=True)] == ["act-4", "act-1", "act-3"]
    with pytest.raises(InvalidInput):
        rec.select(since="May 2020")


def test_asymmetry_counts_with_actions(files: list[Path]) -> None:
    res = asymmetry(["IND", "PAK"], rec=load_record(files, BIB))
    pak, ind = res["by_country"]["PAK"], res["by_country"]["IND"]
    assert pak["totals"]["designation-state"] == {"count": 1, "actions": ["act-1"]}  # a state target counts as state
    assert ind["totals"]["determination-not-made"]["actions"] == ["act-3"]
    assert ind["totals"]["waiver"]["count"] == 1
    assert ind["by_authority"]["CAATSA §231"]["count"] == 1
    assert [y["year"] for y in ind["years"]] == [2001, 2021]
    assert res["by_country"]["PAK"]["total"] == 1


def test_actions_filters_and_unknown_type(files: list[Path]) -> None:
    rec = load_record(files, BIB)
    res = actions(target_country="India", rec=rec)  # country names resolve to ISO3
    assert res["count"] == 2 and res["actions"][0]["sources"]
    with pytest.raises(NotFound) as e:
        actions(types=["wavier"], rec=rec)
    assert "waiver" in e.value.suggestions


def test_ftm_export(files: list[Path]) -> None:
    ents = to_ftm(load_record(files, BIB))
    schemata = [e["schema"] for e in ents]
    assert schemata.count("Sanction") == 5  # one per action and target
    assert schemata.count("PublicBody") == 2 and schemata.count("Company") == 2  # India deduplicated
    s = next(e for e in ents if e["schema"] == "Sanction" and e["properties"].get("provisions") == ["CAATSA §231"])
    assert s["properties"]["reason"] == ["determination-not-made"]


def test_bad_files_name_file_line_and_field(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(FIXTURE))
    bad["announcements"][1]["actions"][1]["type"] = "sanctioned"
    bad["announcements"][0]["actions"][0]["sources"] = ["nope"]
    bad["announcements"][0]["actions"][1]["id"] = "act-1"
    p = tmp_path / "actions-bad.yml"
    p.write_text(yaml.safe_dump(bad, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_record([p], BIB)
    errs = "\n".join(e.value.errors)
    assert f"{p}:" in errs and "actions.1.type" in errs
    assert "unresolved source id 'nope'" in errs
    assert "duplicate id 'act-1'" in errs
    p.write_text("announcements: [\n", encoding="utf-8")
    with pytest.raises(DataError):
        load_record([p], BIB)


def test_shipped_record_validates() -> None:
    from equilibrium.sanctions import record

    rec = record()
    for r in rec:
        assert r.source_ids()


def test_cli_bad_input(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli.invoke(app, ["sanctions", "actions", "--type", "wavier"])
    assert r.exit_code == 2 and "type[0]: Input should be" in r.output and "'waiver'" in r.output
    assert "Traceback" not in r.output
    r = cli.invoke(app, ["sanctions", "actions", "--since", "yesterday"])
    assert r.exit_code == 2 and "since: must be a date" in r.output
    r = cli.invoke(app, ["sanctions", "asymmetry", "Pakistn"])
    assert r.exit_code == 2 and "did you mean" in r.output
