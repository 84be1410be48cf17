"""The bad-input matrix of ``equilibrium sanctions ingest``: every importer × every kind of broken, hostile or
mislabelled file is refused with exit status 2 and one line on stderr (no traceback), and the store is left
byte-for-byte as it was (an SQL dump of the SQLite file, load times and payloads included, compared before and
after). The store holds a snapshot of every list first, and the bad loads carry a later list date, so that a
refusal cannot come from the date order.

The files are authored here (small, synthetic, in the official layouts); the real lists are exercised by the
``realdata`` tests in ``tests/sanctions`` and ``test_formats.py``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equilibrium.cli.main import app
from equilibrium.errors import EquilibriumError
from equilibrium.sanctions import store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions"
LATER = "2026-12-01"


def _sdn(uids: range) -> bytes:
    rows = [f'{u},"EXAMPLE TRADING {u} LTD",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'ETL {u}\'."'
            for u in uids]
    return ("\r\n".join(rows) + "\r\n\x1a").encode("latin-1")


def _ofx(n: int) -> bytes:
    entries = "".join(f"<sdnEntry><uid>{i}</uid><lastName>EXAMPLE WORKS {i}</lastName><sdnType>Entity</sdnType>"
                      f"<programList><program>NPWMD</program></programList></sdnEntry>\n" for i in range(1, n + 1))
    return (f'<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/'
            f'api/PublicationPreview/exports/XML">\n<publshInformation><Publish_Date>03/28/2025</Publish_Date>'
            f'<Record_Count>{n}</Record_Count></publshInformation>\n{entries}</sdnList>\n').encode()


def _un(n: int) -> bytes:
    ind = "".join(f"<INDIVIDUAL><DATAID>{i}</DATAID><FIRST_NAME>PERSON</FIRST_NAME><SECOND_NAME>NUMBER {i}"
                  f"</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE></INDIVIDUAL>\n" for i in range(1, n + 1))
    ent = "".join(f"<ENTITY><DATAID>{100 + i}</DATAID><FIRST_NAME>EXAMPLE ENTITY {i}</FIRST_NAME>"
                  f"<UN_LIST_TYPE>DPRK</UN_LIST_TYPE></ENTITY>\n" for i in range(1, n + 1))
    return (f"<?xml version='1.0' encoding='UTF-8'?>\n<CONSOLIDATED_LIST dateGenerated='2025-01-02T23:00:00.000Z'>\n"
            f"<INDIVIDUALS>\n{ind}</INDIVIDUALS>\n<ENTITIES>\n{ent}</ENTITIES>\n</CONSOLIDATED_LIST>\n").encode()


VALID: dict[str, tuple[str, Callable[[], bytes]]] = {
    # format: (file name, content)
    "ofac-csv": ("sdn_2024-01-01.csv", lambda: _sdn(range(100, 140))),
    "ofac-xml": ("sdn_2025-03-28.xml", lambda: _ofx(40)),
    "ofac-nonsdn-xml": ("consolidated_2025-03-28.xml", lambda: _ofx(40)),
    "un-xml": ("un_2025-01-02.xml", lambda: _un(20)),
    "csl-csv": ("csl_2025-01-15.csv", lambda: (FIXTURES / "csl_2025-01-15.csv").read_bytes()),
    "csl-json": ("csl_2025-01-15.json", lambda: (FIXTURES / "csl_2025-01-15.json").read_bytes()),
    "eu-xml": ("eu_fsf_2025-02-10.xml", lambda: (FIXTURES / "eu_fsf_2025-02-10.xml").read_bytes()),
}
ENTRY_END = {"ofac-csv": b"\r\n", "ofac-xml": b"</sdnEntry>", "ofac-nonsdn-xml": b"</sdnEntry>",
             "un-xml": b"</INDIVIDUAL>", "csl-csv": b"\n", "csl-json": b"},", "eu-xml": b"</sanctionEntity>"}
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<CONSOLIDATED_LIST dateGenerated="2025-01-02T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>'
       b'<FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                     for i in range(1, 10))
          + b']>\n<sdnList><publshInformation><Record_Count>1</Record_Count></publshInformation><sdnEntry>'
            b'<uid>1</uid><lastName>&lol9;</lastName></sdnEntry></sdnList>\n')


def _cut_mid_row(data: bytes, fmt: str) -> bytes:
    i = data.index(ENTRY_END[fmt], len(data) // 2)
    return data[: i - 3]


def _cut_at_boundary(data: bytes, fmt: str) -> bytes:
    i = data.index(ENTRY_END[fmt], len(data) // 2)
    return data[: i + len(ENTRY_END[fmt])]


def _header_only(data: bytes, fmt: str) -> bytes:
    if fmt == "ofac-csv":
        return b"\x1a"
    if fmt == "csl-csv":
        return data.split(b"\n", 1)[0] + b"\n"
    if fmt == "csl-json":
        return b'{"total": 0, "results": [], "search_performed_at": "2025-01-15T00:00:00Z"}'
    start = data.index(b"<", data.index(b"?>") + 2)
    tag_end = data.index(b">", start)
    root = data[start + 1: tag_end].split()[0]
    return data[: tag_end + 1] + b"</" + root + b">\n"


def _huge_field(data: bytes, fmt: str) -> bytes:
    needle = {"ofac-csv": b"EXAMPLE TRADING 120 LTD", "ofac-xml": b"EXAMPLE WORKS 20",
              "ofac-nonsdn-xml": b"EXAMPLE WORKS 20", "un-xml": b"EXAMPLE ENTITY 2"}.get(fmt)
    if needle is None:  # the authored fixtures: lengthen the first name-bearing value
        needle = {"csl-csv": b"Example Precision", "csl-json": b"Example Precision",
                  "eu-xml": b'wholeName="'}[fmt]
    assert needle in data, (fmt, needle)
    return data.replace(needle, needle + b"X" * 2_000_000, 1)


def _duplicate(data: bytes, fmt: str) -> bytes:
    if fmt == "ofac-csv":
        first = data.split(b"\r\n", 1)[0]
        return first + b"\r\n" + data
    if fmt == "csl-csv":
        head, first, rest = data.split(b"\n", 2)
        return b"\n".join([head, first, first, rest])
    if fmt == "csl-json":
        import json

        doc = json.loads(data)
        doc["results"].insert(0, doc["results"][0])
        doc.pop("total", None)
        return json.dumps(doc).encode()
    tag = {"ofac-xml": b"sdnEntry", "ofac-nonsdn-xml": b"sdnEntry", "un-xml": b"INDIVIDUAL",
           "eu-xml": b"sanctionEntity"}[fmt]
    s = data.index(b"<" + tag)
    e = data.index(b"</" + tag + b">", s) + len(tag) + 3
    out = data[:e] + data[s:e] + data[e:]
    if fmt in ("ofac-xml", "ofac-nonsdn-xml"):  # keep the count consistent: the duplicate id must be the reason
        out = out.replace(b"<Record_Count>40<", b"<Record_Count>41<")
    return out


CASES: dict[str, Callable[[bytes, str], bytes]] = {
    "truncated-mid-row": _cut_mid_row,
    "truncated-at-boundary": _cut_at_boundary,
    "empty": lambda d, f: b"",
    "header-only": _header_only,
    "utf16": lambda d, f: d.decode("latin-1" if f == "ofac-csv" else "utf-8").encode("utf-16"),
    "cp1252-not-utf8": lambda d, f: d.decode("latin-1" if f == "ofac-csv" else "utf-8")
    .replace("E", "\u00c9", 3).encode("cp1252", errors="replace"),
    "huge-field": _huge_field,
    "duplicate-ids": _duplicate,
    "xxe": lambda d, f: XXE,
    "billion-laughs": lambda d, f: LAUGHS,
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """An SQLite store holding one snapshot of every list (OFAC SDN, OFAC non-SDN, UN, CSL, EU), and the valid
    files by format."""
    d = tmp_path_factory.mktemp("matrix")
    files = {}
    for fmt, (fname, make) in VALID.items():
        (d / fmt).mkdir()
        files[fmt] = d / fmt / fname
        files[fmt].write_bytes(make())
    db = d / "baseline.db"
    url = f"sqlite:///{db}"
    for fmt in ("ofac-csv", "ofac-nonsdn-xml", "un-xml", "csl-csv", "eu-xml"):
        store.ingest(files[fmt], fmt=fmt, url=url)
    eng = store._ENGINES.pop(url)
    with eng.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return db, files


def _sql_dump(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def fresh(baseline: tuple[Path, dict[str, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the baseline store, used by the CLI through EQUILIBRIUM_DATABASE_URL."""
    db = tmp_path / "store.db"
    shutil.copy(baseline[0], db)
    monkeypatch.setenv("EQUILIBRIUM_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("EQUILIBRIUM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EQUILIBRIUM_LOAD_WAIT_S", "5")
    return db


def _refused(cli, db: Path, args: list[str]) -> str:  # type: ignore[no-untyped-def]
    before = _sql_dump(db)
    r = cli.invoke(app, ["sanctions", "ingest", *args])
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2, (args, r.exit_code, r.output, repr(r.exception))
    assert len(lines) == 1, (args, r.stderr)
    assert "Traceback" not in r.output and lines[0].startswith("error:"), r.stderr
    assert _sql_dump(db) == before, args
    return lines[0]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("fmt", list(VALID))
def test_bad_file_is_refused_and_store_unchanged(cli, fresh: Path, baseline, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 fmt: str, case: str) -> None:
    if case == "utf16" and fmt.endswith("xml"):
        pytest.skip("UTF-16 with a byte-order mark is well-formed XML: the same list, rightly accepted")
    if case == "cp1252-not-utf8" and fmt == "ofac-csv":
        pytest.skip("OFAC's legacy CSV is Latin-1/cp1252 by definition")
    valid = baseline[1][fmt].read_bytes()
    bad = tmp_path / f"bad{baseline[1][fmt].suffix}"
    bad.write_bytes(CASES[case](valid, fmt))
    _refused(cli, fresh, [str(bad), "--format", fmt, "--list-date", LATER])


@pytest.mark.parametrize("other", list(VALID))
@pytest.mark.parametrize("fmt", list(VALID))
def test_wrong_format_forced_is_refused(cli, fresh: Path, baseline, fmt: str, other: str) -> None:  # type: ignore[no-untyped-def]
    if VALID[fmt][1] is VALID[other][1] or {fmt, other} == {"ofac-xml", "ofac-nonsdn-xml"}:
        pytest.skip("the same file format (OFAC SDN and non-SDN XML share the sdnList schema)")
    _refused(cli, fresh, [str(baseline[1][other]), "--format", fmt, "--list-date", LATER])


@pytest.mark.parametrize("fmt", [None, *VALID])
def test_directory_and_missing_file(cli, fresh: Path, tmp_path: Path, fmt: str | None) -> None:  # type: ignore[no-untyped-def]
    extra = ["--format", fmt] if fmt else []
    assert "directory" in _refused(cli, fresh, [str(tmp_path), *extra, "--list-date", LATER])
    assert "no such file" in _refused(cli, fresh, [str(tmp_path / "nope.csv"), *extra, "--list-date", LATER])


def test_empty_file_guessed_format(cli, fresh: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("sdn.csv", "list.xml", "consolidated.json"):
        p = tmp_path / name
        p.write_bytes(b"")
        _refused(cli, fresh, [str(p), "--list-date", LATER])


def test_real_truncation_of_the_audit(cli, fresh: Path, baseline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The audit's case on an authored SDN: a cut mid-row with a broken quote appended."""
    data = baseline[1]["ofac-csv"].read_bytes()
    p = tmp_path / "sdn_cut.csv"
    p.write_bytes(data[: len(data) // 2] + b'\r\n99999999,"BROKEN ROW')
    _refused(cli, fresh, [str(p), "--list-date", LATER])


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fmt=st.sampled_from(list(VALID)), where=st.floats(0.0, 0.999))
def test_random_cuts_never_load(baseline, tmp_path_factory: pytest.TempPathFactory,  # type: ignore[no-untyped-def]
                                fmt: str, where: float) -> None:
    """Any strict prefix of a valid file is refused before the store is touched (checked on the Python API for
    speed; the CLI renders the same errors)."""
    data = baseline[1][fmt].read_bytes()
    cut = int(len(data) * where)
    if data[cut:].strip(b" \t\r\n") == b"":  # only trailing white space cut off: the file is complete
        return
    d = tmp_path_factory.mktemp("cut")
    p = d / f"cut{baseline[1][fmt].suffix}"
    p.write_bytes(data[:cut])
    db = d / "store.db"
    shutil.copy(baseline[0], db)
    before = _sql_dump(db)
    with pytest.raises(EquilibriumError) as exc:
        store.ingest(p, fmt=fmt, list_date=LATER, url=f"sqlite:///{db}")
    assert "\n" not in str(exc.value)
    eng = store._ENGINES.pop(f"sqlite:///{db}", None)  # (never opened: the file was refused first)
    if eng is not None:
        eng.dispose()
    assert _sql_dump(db) == before
