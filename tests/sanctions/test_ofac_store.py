"""OFAC legacy CSV parsing and the store: idempotent, transactional loads with listing history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equilibrium.cli.main import app
from equilibrium.errors import DataError, InvalidInput
from equilibrium.sanctions.ofac import parse_remarks, read_sdn_csv
from equilibrium.sanctions.store import engine, history, ingest

# Synthetic rows in the official legacy layout (authored here; not real designations).
V1 = ('101,"ALPHA WORKS",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'AW\'; Registration Number 12 '
      '(Pakistan)."\n'
      '102,"DOE, John","individual","SDGT] [IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970; Passport '
      'X1 (Iran)."\n'
      '103,"GAMMA LTD",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a\n')
V2 = ('101,"ALPHA WORKS",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'AW\'; a.k.a. \'AWX\'."\n'
      '102,"DOE, John","individual","SDGT] [IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970; Passport '
      'X1 (Iran)."\n'
      '104,"DELTA CO",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a')
ADD = '101,1,"1 Main Road","Karachi","Pakistan",-0- \n\x1a'
ALT = '101,5,"aka","ALPHA WORKSHOP",-0- \n\x1a'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="latin-1")
    return p


def test_parse_rows_remarks_add_alt(tmp_path: Path) -> None:
    es = list(read_sdn_csv(_write(tmp_path, "sdn.csv", V1), add=_write(tmp_path, "add.csv", ADD),
                           alt=_write(tmp_path, "alt.csv", ALT)))
    assert [e.uid for e in es] == [101, 102, 103]
    a, d = es[0], es[1]
    assert a.aliases == [("aka", "AW"), ("aka", "ALPHA WORKSHOP")]
    assert a.identifiers == [("Registration Number", "12", "Pakistan")]
    assert a.addresses[0]["city"] == "Karachi" and a.schema == "LegalEntity"
    assert d.programs == ["SDGT", "IRAN"] and d.schema == "Person"
    assert parse_remarks("f.k.a. 'OLD NAME'; n.k.a. 'NEW'")[0] == [("fka", "OLD NAME"), ("nka", "NEW")]


def test_malformed_file_names_line_and_leaves_store_untouched(tmp_path: Path, db: str) -> None:
    ingest(_write(tmp_path, "sdn_2024-01-01.csv", V1), url=db)
    bad = _write(tmp_path, "sdn_2024-02-01.csv", V2.replace("\x1a", '105,"BROKEN",-0-\n\x1a'))
    with pytest.raises(DataError) as e:
        ingest(bad, url=db)
    assert f"{bad}:4: expected 12 columns" in e.value.errors[0]
    import sqlalchemy as sa

    with engine(db).connect() as c:
        assert c.execute(sa.text("select count(*) from sanctions_snapshot")).scalar() == 1
        assert c.execute(sa.text("select count(*) from sanctions_entity")).scalar() == 3


def test_history_added_removed_changed_and_idempotent(tmp_path: Path, db: str) -> None:
    r1 = ingest(_write(tmp_path, "sdn_2024-01-01.csv", V1), url=db)
    assert (r1.entities, r1.names, r1.added) == (3, 4, 3)  # 3 primary names + 1 a.k.a.
    again = ingest(tmp_path / "sdn_2024-01-01.csv", url=db)
    assert again.unchanged_file and (again.added, again.removed, again.changed) == (0, 0, 0)
    r2 = ingest(_write(tmp_path, "sdn_2024-02-01.csv", V2), url=db, allow_shrink=True)
    assert (r2.added, r2.removed, r2.changed) == (1, 1, 1)  # 104 new, 103 gone, 101's aliases changed
    h = history("OFAC-101", url=db)
    assert (h["first_seen"], h["last_seen"]) == ("2024-01-01", "2024-02-01")
    assert [c["kind"] for c in h["changes"]] == ["added", "changed"]
    gone = history("OFAC-103", url=db)
    assert gone["last_seen"] == "2024-01-01" and not gone["in_latest"]
    with pytest.raises(InvalidInput, match="date order"):
        ingest(_write(tmp_path, "sdn_2023-12-01.csv", V1.replace("\x1a", '106,"X",-0- ,"NPWMD",-0- ,-0- ,-0- ,'
                                                                 '-0- ,-0- ,-0- ,-0- ,-0- \n\x1a')), url=db)


def test_cli_ingest_and_errors(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    p = _write(tmp_path, "sdn_2024-01-01.csv", V1)
    r = cli.invoke(app, ["sanctions", "ingest", str(p), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["entities"] == 3
    r = cli.invoke(app, ["sanctions", "ingest", str(p), "--format", "xls"])
    assert r.exit_code == 2 and "supported: ofac-csv" in r.output
    r = cli.invoke(app, ["sanctions", "ingest", str(tmp_path / "nope.csv")])
    assert r.exit_code == 2 and "no such file" in r.output
    r = cli.invoke(app, ["sanctions", "history", "OFAC-101", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["first_seen"] == "2024-01-01"


@pytest.mark.realdata
def test_real_sdn_snapshots_reconcile(shared_data: Path, db: str) -> None:
    s = shared_data / "sanctions"
    r1 = ingest(s / "ofac_sdn_2021-08-18.csv", url=db)
    assert r1.entities == 9_083  # rows of the file (the README's count)
    r2 = ingest(s / "ofac_sdn_2024-05-03.csv", url=db, allow_shrink=True)  # 879 of 9,083 delisted in 3 years
    assert r2.entities == 14_965
    assert r1.entities + r2.added - r2.removed == r2.entities
    # Against the first/last-seen reference (derived from 308 scrapes): every entity in both snapshots was
    # first seen no later than 2021-08-18 in the reference, and A.Q. Khan's entry spans the window.
    h = history("OFAC-11357", url=db)
    assert (h["first_seen"], h["last_seen"]) == ("2021-08-18", "2024-05-03")
    import csv

    ref = {int(r["ent_num"]): r for r in csv.DictReader((s / "ofac_sdn_first_last_seen_2021-08-18_2024-05-03.csv")
                                                        .open(encoding="utf-8"))}
    both = [u for u in ref if ref[u]["first_seen_in_scrape"] == "2021-08-18" and ref[u]["in_latest_snapshot"] ==
            "True"]
    sample = both[:50]
    for u in sample:
        hh = history(f"OFAC-{u}", url=db)
        assert hh["first_seen"] == "2021-08-18" and hh["in_latest"], u


UN1 = """<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2025-01-02T23:00:00.000Z'>
  <INDIVIDUALS>
    <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALPHA</FIRST_NAME><SECOND_NAME>ONE</SECOND_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER><LISTED_ON>2016-03-02</LISTED_ON>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>A. One</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Alfie</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>DPRK</COUNTRY></INDIVIDUAL_ADDRESS>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY><DATAID>2</DATAID><FIRST_NAME>BETA TRADING</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>BETA CO</ALIAS_NAME></ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_un_xml_parse_and_load(tmp_path: Path, db: str) -> None:
    from equilibrium.sanctions.unxml import read_un_xml

    p = _write(tmp_path, "un.xml", UN1)
    es = list(read_un_xml(p))
    assert [e.uid for e in es] == ["UN-1", "UN-2"]
    assert es[0].name == "ALPHA ONE" and es[0].schema == "Person" and es[0].programs == ["DPRK"]
    assert es[0].aliases == [("aka", "A. One"), ("weak-aka", "Alfie")]
    assert es[0].addresses == [{"street": "", "city": "Pyongyang", "country": "DPRK"}]
    rep = ingest(p, fmt="un-xml", url=db)
    assert (rep.list_name, rep.list_date, rep.entities, rep.names, rep.addresses) == ("UN-SC", "2025-01-02", 2, 5, 1)
    bad = _write(tmp_path, "bad.xml", UN1.replace("</ENTITIES>", ""))
    with pytest.raises(DataError) as e:
        ingest(bad, fmt="un-xml", url=db)
    assert f"{bad}:" in e.value.errors[0]


@pytest.mark.realdata
def test_real_un_snapshots_reconcile(shared_data: Path, db: str) -> None:
    s = shared_data / "sanctions"
    counts = []
    prev = 0
    for f in ("un_consolidated_2018-10-29.xml", "un_consolidated_2025-04-19.xml", "un_consolidated_2025-11-20.xml"):
        r = ingest(s / f, fmt="un-xml", url=db, allow_shrink=True)
        assert prev + r.added - r.removed == r.entities
        prev = r.entities
        counts.append(r.entities)
    assert counts == [703 + 390, 684 + 193, 727 + 273]  # INDIVIDUAL + ENTITY counts of the three files


OFX = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation><Publish_Date>03/28/2025</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry><uid>7</uid><firstName>Jan</firstName><lastName>DOE</lastName><sdnType>Individual</sdnType>
    <programList><program>NS-PLC</program></programList>
    <akaList><aka><uid>1</uid><type>a.k.a.</type><category>weak</category><lastName>JD</lastName></aka></akaList>
  </sdnEntry>
  <sdnEntry><uid>8</uid><lastName>PRESIDENCY OF WORKS</lastName><sdnType>Entity</sdnType>
    <programList><program>CAATSA - RUSSIA</program></programList>
    <addressList><address><uid>3</uid><city>Ankara</city><country>Turkey</country></address></addressList>
  </sdnEntry>
</sdnList>
"""


def test_ofac_xml_parse_load_and_truncation(cli, tmp_path: Path, db: str) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.sanctions.ofacxml import read_ofac_xml

    p = _write(tmp_path, "consolidated.xml", OFX)
    es = list(read_ofac_xml(p))
    assert [(e.uid, e.name, e.schema) for e in es] == [("OFAC-7", "DOE, Jan", "Person"),
                                                       ("OFAC-8", "PRESIDENCY OF WORKS", "LegalEntity")]
    assert es[0].aliases == [("weak-aka", "JD")] and es[1].programs == ["CAATSA - RUSSIA"]
    rep = ingest(p, fmt="ofac-nonsdn-xml", url=db)
    assert (rep.list_name, rep.list_date, rep.entities, rep.addresses) == ("OFAC-NONSDN", "2025-03-28", 2, 1)
    cut = _write(tmp_path, "consolidated_cut.xml", OFX.replace("<Record_Count>2", "<Record_Count>3"))
    with pytest.raises(DataError, match="truncated"):
        list(read_ofac_xml(cut))
    from equilibrium.cli.sanctions import _guess_format

    assert _guess_format(p) == "ofac-nonsdn-xml"
    assert _guess_format(_write(tmp_path, "x.xml", UN1)) == "un-xml"


@pytest.mark.realdata
def test_real_ofac_nonsdn_xml(shared_data: Path, db: str) -> None:
    r = ingest(shared_data / "sanctions" / "ofac_consolidated_nonsdn_2025-03-28.xml", fmt="ofac-nonsdn-xml", url=db)
    assert (r.entities, r.list_date) == (443, "2025-03-28")  # the file's own Record_Count
    assert history("OFAC-27016", url=db)["programs"] == ["CAATSA - RUSSIA"]  # Turkey's SSB (CAATSA comparator)


def test_link_check_curated_targets(tmp_path: Path, db: str) -> None:
    import yaml

    from equilibrium.provenance import Source
    from equilibrium.provenance.bibliography import Bibliography
    from equilibrium.sanctions import load_record
    from equilibrium.sanctions.store import link_check

    rec_file = tmp_path / "actions-x.yml"
    target = {"schema": "Company", "country": "PAK"}
    rec_file.write_text(yaml.safe_dump({"announcements": [{
        "id": "a", "title": "t", "date_announced": "2024-01-01", "official_source": "s",
        "actions": [{"id": "x", "type": "designation", "sender": "USA", "agency": "State",
                     "authority": {"instrument": "E.O. 13382"}, "sources": ["s"],
                     "targets": [{**target, "name": "ALPHA WORKS", "list_id": "OFAC-101"},
                                 {**target, "name": "NEW CO", "list_id": "OFAC-999"},
                                 {**target, "name": "STATE", "unlisted": True},
                                 {**target, "name": "UNKNOWN"}]}]}]}))
    rec = load_record([rec_file], Bibliography([Source(id="s", title="S", publisher="P", kind="official")]))
    ingest(_write(tmp_path, "sdn_2024-01-01.csv", V1), url=db)
    res = link_check(rec, url=db)
    assert res["counts"] == {"resolved": 1, "missing": 1, "unlisted": 1, "unlinked": 1}
    assert res["resolved"][0]["list"] == "OFAC-SDN" and res["missing"][0]["list_id"] == "OFAC-999"


def test_every_curated_target_is_linked_or_explicitly_unlisted() -> None:
    from equilibrium.sanctions import record

    loose = [(r.action.id, t.name) for r in record() for t in r.action.targets if not (t.list_id or t.unlisted)]
    assert not loose, f"curated targets with neither a list_id nor unlisted: true: {loose}"


@pytest.mark.realdata
def test_curated_list_ids_resolve_in_the_real_lists(shared_data: Path, db: str) -> None:
    from equilibrium.sanctions.store import link_check

    d = shared_data / "sanctions"
    for f, fmt in (("ofac_sdn_2024-05-03.csv", "ofac-csv"), ("ofac_consolidated_nonsdn_2025-03-28.xml",
                                                            "ofac-nonsdn-xml"), ("un_consolidated_2025-11-20.xml",
                                                                                 "un-xml")):
        ingest(d / f, fmt=fmt, url=db)
    res = link_check(url=db)
    assert res["counts"]["unlinked"] == 0
    # every list id not in these files belongs to a designation after the 2024-05-03 SDN file
    assert {m["list_id"] for m in res["missing"]} <= {"OFAC-50636", "OFAC-51158", "OFAC-51161", "OFAC-51179",
                                                      "OFAC-51183", "OFAC-52049", "OFAC-52051", "OFAC-52052",
                                                      "OFAC-52053"}
    cpmiec = [x for x in res["resolved"] if x["list_id"] == "OFAC-9753"]
    assert cpmiec and all("PRECISION MACHINERY" in x["list_name"] for x in cpmiec)


def test_screening_finds_names_and_aliases(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from equilibrium.sanctions.screening import screen

    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    with pytest.raises(InvalidInput, match="no list is loaded"):
        screen("Alpha Works")
    ingest(_write(tmp_path, "sdn_2024-01-01.csv", V1), alt=_write(tmp_path, "alt.csv", ALT))
    r = screen("Alpha Works")
    assert r["candidates"][0]["id"] == "OFAC-101" and r["candidates"][0]["score"] == 1.0
    assert "name_match" in r["candidates"][0]["explanation"]
    assert screen("ALPHA WORKSHOP")["candidates"][0]["id"] == "OFAC-101"  # via alt.csv alias
    assert screen("John Doe", schema="Person")["candidates"][0]["id"] == "OFAC-102"
    o = screen("Alpha Works", algorithm="ofac")["candidates"][0]
    assert o["id"] == "OFAC-101" and o["score"] >= 0.9
    with pytest.raises(InvalidInput):
        screen("  ")
    names = _write(tmp_path, "names.csv", "name,schema\nAlpha Works,\nJohn Doe,Person\n")
    res = cli.invoke(app, ["sanctions", "screen", "--input", str(names), "--json"])
    assert res.exit_code == 0, res.output
    assert [x["candidates"][0]["id"] for x in json.loads(res.stdout)["results"]] == ["OFAC-101", "OFAC-102"]
    res = cli.invoke(app, ["sanctions", "screen", "Alpha", "--algorithm", "magic"])
    assert res.exit_code == 2 and "logic-v2" in res.output
