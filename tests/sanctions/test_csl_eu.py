"""The US Consolidated Screening List (CSV and JSON) and EU FSF XML importers, and their loads into the store.

The fixtures under tests/fixtures/sanctions are synthetic records in the official layouts (invented names; see
the modules' docstrings for the layouts): csl_2025-01-15.csv/.json hold the same six records (two Entity List
firms, Pakistani and Chinese; an SDN person with three aliases; an ISN institute; an Unverified List firm; an SDN
vessel; 13 names, 5 addresses); csl_2025-03-01.csv drops the UVL firm, adds an MEU institute and gives the Chinese
firm one more alias (6 entities, 15 names, 5 addresses). eu_fsf_2025-02-10.xml holds five sanction entities (11
names, 5 addresses once an all-UNKNOWN address is left out); eu_fsf_2025-06-01.xml drops 900004, adds 900006 and
gives 900002 one more alias (5 entities, 12 names, 5 addresses).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from equilibrium.cli.main import app
from equilibrium.errors import DataError, InvalidInput
from equilibrium.sanctions import store
from equilibrium.sanctions.csl import read_csl_csv, read_csl_json, search_date, source_code
from equilibrium.sanctions.euxml import generation_date, read_eu_xml
from equilibrium.sanctions.store import engine, history, ingest

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions"
CSL1, CSL1_JSON, CSL2 = FIX / "csl_2025-01-15.csv", FIX / "csl_2025-01-15.json", FIX / "csl_2025-03-01.csv"
EU1, EU2 = FIX / "eu_fsf_2025-02-10.xml", FIX / "eu_fsf_2025-06-01.xml"

EL_PK = "CSL-3f9a1c7e5b2d4a6c8e0f1a2b3c4d5e6f7a8b9c0d"
EL_CN = "CSL-8b1e6d2f4a9c0e3b5d7f1a2c4e6b8d0f2a4c6e8b"
SDN_PERSON, ISN, SDN_VESSEL = "CSL-99901", "CSL-5e1a2b3c", "CSL-99902"
UVL = "CSL-c0ffee0a1b2c3d4e5f60718293a4b5c6d7e8f901"
MEU = "CSL-d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0"


def _counts(url: str) -> dict[str, int]:
    """Rows of every sanctions table of the store."""
    with engine(url).connect() as c:
        return {t.name: int(c.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
                for t in store.metadata.sorted_tables if t.name.startswith("sanctions_")}


def _report(r: store.LoadReport) -> tuple[object, ...]:
    return (r.list_name, r.list_date, r.entities, r.names, r.addresses, r.added, r.removed, r.changed,
            r.unchanged_file)


def test_csl_csv_and_json_give_the_same_entries() -> None:
    c, j = list(read_csl_csv(CSL1)), list(read_csl_json(CSL1_JSON))
    assert c == j
    assert [e.uid for e in c] == [EL_PK, EL_CN, SDN_PERSON, ISN, UVL, SDN_VESSEL]
    assert (len(c), sum(1 + len(e.aliases) for e in c), sum(len(e.addresses) for e in c)) == (6, 13, 5)
    by = {e.uid: e for e in c}
    pk = by[EL_PK]
    assert (pk.schema, pk.programs, pk.listed_on) == ("LegalEntity", ["EL"], "2024-12-18")
    assert pk.reference == "Entity List (EL) - Bureau of Industry and Security"
    assert pk.remarks == "Federal Register notice: 89 FR 99901"
    assert pk.addresses == [
        {"street": "Plot 12, Sector 7, Korangi Industrial Area, Karachi, Sindh, 74900", "city": "", "country": "PK"},
        {"street": "Office 4, Example Plaza, Blue Area, Islamabad", "city": "", "country": "PK"}]
    assert by[EL_CN].aliases == [("aka", "示例贸易有限公司")] and by[EL_CN].addresses[0]["country"] == "CN"
    person = by[SDN_PERSON]
    assert (person.name, person.schema, person.programs) == ("ZÉTA-EXAMPLE, Farrukh", "Person", ["SDN", "NPWMD"])
    assert person.aliases == [("aka", "EXAMPLE-ZETA, Farrukh"), ("aka", "ZETA, Farukh"), ("aka", "ZÉTA, F.")]
    assert by[ISN].programs == ["ISN", "Iran, North Korea, and Syria Nonproliferation Act (INKSNA)"]
    assert by[ISN].addresses == []  # the JSON-only top-level "country" is not kept (the CSV has no such column)
    assert by[UVL].programs == ["UVL"]
    vessel = by[SDN_VESSEL]
    assert vessel.schema == "Vessel" and vessel.programs == ["SDN", "IRAN-EO13846"]
    assert vessel.remarks == "Vessel Registration Identification IMO 0000001; linked to: EXAMPLE SHIPPING LTD."
    assert search_date(CSL1_JSON) == "2025-01-15"
    assert source_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department") == "NS-MBS"
    assert source_code("Military End User (MEU) List - Bureau of Industry and Security") == "MEU"
    assert source_code("Denied Persons List") == "Denied Persons List"


def test_csl_loads_reconcile_reload_both_layouts_and_history(db: str) -> None:
    r1 = ingest(CSL1, fmt="csl-csv", url=db)
    assert _report(r1) == ("US-CSL", "2025-01-15", 6, 13, 5, 6, 0, 0, False)
    assert _counts(db)["sanctions_name"] == 13 and _counts(db)["sanctions_address"] == 5
    before = _counts(db)
    again = ingest(CSL1, fmt="csl-csv", url=db)
    assert _report(again) == ("US-CSL", "2025-01-15", 6, 13, 5, 0, 0, 0, True)
    assert _counts(db) == before
    # The JSON layout of the same release is another file but the same entities: nothing added, removed, changed.
    rj = ingest(CSL1_JSON, fmt="csl-json", url=db)
    assert _report(rj) == ("US-CSL", "2025-01-15", 6, 13, 5, 0, 0, 0, False)
    r2 = ingest(CSL2, fmt="csl-csv", url=db, allow_shrink=True)  # 1 of 6 removed: over the 5 % guard
    assert _report(r2) == ("US-CSL", "2025-03-01", 6, 15, 5, 1, 1, 1, False)
    h = history(EL_CN, url=db)
    assert (h["first_seen"], h["last_seen"], h["in_latest"], h["programs"]) == ("2025-01-15", "2025-03-01", True,
                                                                                ["EL"])
    assert h["changes"] == [{"kind": "added", "list_date": "2025-01-15"},
                            {"kind": "changed", "list_date": "2025-03-01"}]
    gone = history(UVL, url=db)
    assert (gone["first_seen"], gone["last_seen"], gone["in_latest"]) == ("2025-01-15", "2025-01-15", False)
    assert [c["kind"] for c in gone["changes"]] == ["added", "removed"]
    new = history(MEU, url=db)
    assert (new["first_seen"], new["programs"]) == ("2025-03-01", ["MEU"])
    unchanged = history(EL_PK, url=db)
    assert (unchanged["first_seen"], unchanged["last_seen"], len(unchanged["changes"])) == ("2025-01-15",
                                                                                           "2025-03-01", 1)


def test_csl_list_date_sources(tmp_path: Path, db: str) -> None:
    undated = tmp_path / "consolidated.json"
    shutil.copy(CSL1_JSON, undated)
    assert ingest(undated, fmt="csl-json", url=db).list_date == "2025-01-15"  # search_performed_at
    named = tmp_path / "csl_2025-01-16.json"  # other bytes than the copy above, so not "the same file"
    named.write_text(CSL1_JSON.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert ingest(named, fmt="csl-json", url=db).list_date == "2025-01-16"  # the file name comes first
    plain = tmp_path / "consolidated.csv"
    shutil.copy(CSL1, plain)
    with pytest.raises(InvalidInput, match="--list-date"):
        ingest(plain, fmt="csl-csv", url=db)
    assert ingest(plain, fmt="csl-csv", list_date="2025-01-20", url=db).list_date == "2025-01-20"


def test_eu_fsf_parse() -> None:
    es = list(read_eu_xml(EU1))
    assert generation_date(EU1) == "2025-02-10"
    assert [e.uid for e in es] == ["EU-900001", "EU-900002", "EU-900003", "EU-900004", "EU-900005"]
    assert (sum(1 + len(e.aliases) for e in es), sum(len(e.addresses) for e in es)) == (11, 5)
    by = {e.uid: e for e in es}
    p = by["EU-900001"]
    assert (p.name, p.schema, p.programs, p.reference, p.listed_on) == ("Farrukh ZÉTA-EXAMPLE", "Person", ["TAQA"],
                                                                       "EU.9901.01", "2024-05-20")
    assert p.aliases == [("aka", "Farukh Zeta"), ("aka", "Фаррух Зета-Пример"), ("weak-aka", "Abu Example")]
    assert p.addresses == [{"street": "House 7, Example Street, University Town",
                            "city": "Peshawar Khyber Pakhtunkhwa 25000", "country": "PAKISTAN"}]
    assert p.remarks == "Synthetic record for tests."  # the entity's own remark, not the alias's
    cn = by["EU-900002"]
    assert cn.schema == "LegalEntity" and cn.aliases == [("aka", "示例贸易有限公司")]
    assert [a["country"] for a in cn.addresses] == ["CHINA", "HONG KONG"]
    assert by["EU-900003"].addresses == []  # an address with nothing known (00/UNKNOWN) is left out
    # The primary name is the first strong one; the weak name before it and the repeated primary are aliases once.
    edi = by["EU-900005"]
    assert edi.name == "Exemplar Defence Industries JSC" and edi.programs == ["UKR"]
    assert edi.aliases == [("weak-aka", "EDI"), ("aka", "АО «Экземпляр Оборонные Индустрии»")]


def test_eu_fsf_loads_reconcile_and_history(tmp_path: Path, db: str) -> None:
    first = tmp_path / "xmlFullSanctionsList_1_1_2099-01-01.xml"
    shutil.copy(EU1, first)
    r1 = ingest(first, fmt="eu-xml", url=db)
    assert _report(r1) == ("EU-FSF", "2025-02-10", 5, 11, 5, 5, 0, 0, False)  # generationDate beats the name
    before = _counts(db)
    assert _report(ingest(first, fmt="eu-xml", url=db))[-1] is True and _counts(db) == before
    r2 = ingest(EU2, fmt="eu-xml", url=db, allow_shrink=True)  # 1 of 5 removed: over the 5 % guard
    assert _report(r2) == ("EU-FSF", "2025-06-01", 5, 12, 5, 1, 1, 1, False)
    h = history("EU-900002", url=db)
    assert (h["first_seen"], h["last_seen"], h["programs"]) == ("2025-02-10", "2025-06-01", ["RUS"])
    assert [c["kind"] for c in h["changes"]] == ["added", "changed"]
    gone = history("EU-900004", url=db)
    assert (gone["last_seen"], gone["in_latest"]) == ("2025-02-10", False)
    assert history("EU-900006", url=db)["first_seen"] == "2025-06-01"
    assert history("EU-900001", url=db)["changes"] == [{"kind": "added", "list_date": "2025-02-10"}]


def _drop_column(text: str, column: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    i = rows[0].index(column)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    return out.getvalue()


def test_malformed_files_name_file_and_line_and_leave_store_untouched(tmp_path: Path, db: str) -> None:
    ingest(CSL1, fmt="csl-csv", url=db)
    ingest(EU1, fmt="eu-xml", url=db)
    before = _counts(db)

    def fails(name: str, text: str, fmt: str) -> tuple[Path, str]:
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(DataError) as e:
            ingest(bad, fmt=fmt, url=db)
        assert _counts(db) == before, name
        return bad, e.value.errors[0]

    eu = EU2.read_text(encoding="utf-8")
    bad, err = fails("eu_fsf_2025-07-01.xml", eu[:eu.index('<nameAlias firstName="" middleName="" lastName="" '
                                                           'wholeName="Example Shipping Ltd"')], "eu-xml")
    cut_line = eu[:eu.index('wholeName="Example Shipping Ltd"')].count("\n") + 1
    assert re.fullmatch(rf"{re.escape(str(bad))}:{cut_line}:\d+: .*", err), err  # truncated: where the text ends
    bad, err = fails("eu_fsf_2025-07-02.xml", eu.replace('logicalId="900006"', 'logicalId="900001"'), "eu-xml")
    assert err == f"{bad}: duplicate logicalId 900001"

    csl_text = CSL1.read_text(encoding="utf-8")
    bad, err = fails("csl_2025-04-01.csv", _drop_column(csl_text, "name"), "csl-csv")
    assert err == f"{bad}:1: header lacks the column(s) name"
    # 6 records on 7 lines (the vessel's remarks span two): the appended short row is line 9.
    bad, err = fails("csl_2025-04-02.csv", csl_text + "x1,Entity List (EL) - Bureau of Industry and Security,,,,"
                     "BROKEN CO\n", "csl-csv")
    assert err == f"{bad}:9: expected 29 columns, found 6"
    bad, err = fails("csl_2025-04-03.csv", csl_text.replace("\n99902,", "\n99901,"), "csl-csv")
    assert err == f"{bad}:7: duplicate _id 99901"

    bad, err = fails("csl_2025-04-04.json", "[1, 2]\n", "csl-json")
    assert err.startswith(f"{bad}:1: expected a JSON object")
    js = CSL1_JSON.read_text(encoding="utf-8")
    at = js.index('"name": "EXAMPLE STAR",')
    bad, err = fails("csl_2025-04-05.json", js.replace('"name": "EXAMPLE STAR",', '"name": "EXAMPLE STAR"'),
                     "csl-json")
    assert err.startswith(f"{bad}:{js[:at].count(chr(10)) + 2}:") and "delimiter" in err  # the next line
    at = js.index('"id": "5e1a2b3c"')
    record_line = js[:js.rindex("\n  {", 0, at) + 1].count("\n") + 1
    bad, err = fails("csl_2025-04-06.json", js.replace('"id": "5e1a2b3c"', '"id": null'), "csl-json")
    assert err == f"{bad}:{record_line}: record without _id"
    bad, err = fails("csl_2025-04-07.json", json.dumps({"total": 0, "search_performed_at": "2025-04-07"}),
                     "csl-json")
    assert err == f"{bad}:1: no \"results\" array"


def test_cli_ingest_guesses_formats_and_reports(cli: CliRunner, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from equilibrium.cli.sanctions import _guess_format

    assert [_guess_format(p) for p in (CSL1, CSL1_JSON, EU1)] == ["csl-csv", "csl-json", "eu-xml"]
    ofac = tmp_path / "sdn.csv"
    ofac.write_text('101,"ALPHA WORKS",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', encoding="latin-1")
    assert _guess_format(ofac) == "ofac-csv"
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    expected = {CSL1: ("US-CSL", 6, 13, 5, 6), CSL1_JSON: ("US-CSL", 6, 13, 5, 0), EU1: ("EU-FSF", 5, 11, 5, 5)}
    for path, want in expected.items():
        r = cli.invoke(app, ["sanctions", "ingest", str(path), "--json"])
        assert r.exit_code == 0, r.output
        rep = json.loads(r.stdout)
        assert (rep["list_name"], rep["entities"], rep["names"], rep["addresses"], rep["added"]) == want
    r = cli.invoke(app, ["sanctions", "ingest", str(CSL2), "--json", "--allow-shrink"])
    assert r.exit_code == 0 and {k: json.loads(r.stdout)[k] for k in ("added", "removed", "changed")} == \
        {"added": 1, "removed": 1, "changed": 1}
    r = cli.invoke(app, ["sanctions", "history", SDN_PERSON, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["programs"] == ["SDN", "NPWMD"]
    bad = tmp_path / "csl_2025-05-01.json"
    bad.write_text('"not an object"\n', encoding="utf-8")
    r = cli.invoke(app, ["sanctions", "ingest", str(bad), "--json"])
    assert r.exit_code == 2 and "malformed CSL JSON" in r.output
    cut = tmp_path / "eu_fsf_2025-07-01.xml"
    cut.write_text(EU2.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    r = cli.invoke(app, ["sanctions", "ingest", str(cut)])
    assert r.exit_code == 2 and "malformed EU FSF XML" in r.output
    nohead = tmp_path / "csl_2025-05-02.csv"
    nohead.write_text(_drop_column(CSL1.read_text(encoding="utf-8"), "alt_names"), encoding="utf-8")
    assert _guess_format(nohead) == "csl-csv"
    r = cli.invoke(app, ["sanctions", "ingest", str(nohead)])
    assert r.exit_code == 2 and "lacks the column(s) alt_names" in r.output
    r = cli.invoke(app, ["sanctions", "ingest", str(CSL1), "--format", "xls"])
    assert r.exit_code == 2 and "csl-csv, csl-json, eu-xml" in r.output


def test_screening_finds_csl_and_eu_names(db: str) -> None:
    from equilibrium.sanctions.screening import screen

    ingest(CSL1, fmt="csl-csv", url=db)
    ingest(EU1, fmt="eu-xml", url=db)
    top = screen("Example Trading Co., Ltd.", url=db)["candidates"]
    assert {c["id"] for c in top[:2]} == {EL_CN, "EU-900002"}
    assert all(c["score"] >= 0.9 for c in top[:2])
    assert {tuple(c["lists"]) for c in top[:2]} == {("US-CSL",), ("EU-FSF",)}
    assert next(c for c in top if c["id"] == EL_CN)["programs"] == ["EL"]
    person = screen("Farukh Zeta", schema="Person", url=db)["candidates"]
    assert {c["id"] for c in person[:2]} == {SDN_PERSON, "EU-900001"}  # found through their aliases
