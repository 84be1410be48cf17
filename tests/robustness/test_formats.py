"""Every official-list reader refuses incomplete, wrong, hostile and oversized files with one line (a
:class:`DataError`/:class:`InvalidInput`), before anything reaches the store.

Authored fixtures in the official layouts (``tests/fixtures/sanctions/*_layout.*``, the CSL and EU fixtures); the
``realdata`` tests read ``../shared/data/sanctions`` (skipped with a reason when absent).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equilibrium.errors import DataError, InvalidInput
from equilibrium.sanctions.csl import read_csl_csv, read_csl_json
from equilibrium.sanctions.euxml import read_eu_xml
from equilibrium.sanctions.namekeys import name_keys
from equilibrium.sanctions.ofac import read_sdn_csv
from equilibrium.sanctions.ofacxml import read_ofac_xml
from equilibrium.sanctions.unxml import read_un_xml

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions"
SDN, ADD, ALT = FIX / "ofac_sdn_layout.csv", FIX / "ofac_add_layout.csv", FIX / "ofac_alt_layout.csv"

READERS: dict[str, tuple[Callable[[Path], list], Path]] = {
    "ofac-csv": (lambda p: list(read_sdn_csv(p)), SDN),
    "ofac-add": (lambda p: list(read_sdn_csv(SDN, add=p)), ADD),
    "ofac-alt": (lambda p: list(read_sdn_csv(SDN, alt=p)), ALT),
    "ofac-xml": (lambda p: list(read_ofac_xml(p)), FIX / "ofac_nonsdn_layout.xml"),
    "un-xml": (lambda p: list(read_un_xml(p)), FIX / "un_consolidated_layout.xml"),
    "eu-xml": (lambda p: list(read_eu_xml(p)), FIX / "eu_fsf_2025-02-10.xml"),
    "csl-csv": (lambda p: list(read_csl_csv(p)), FIX / "csl_2025-01-15.csv"),
    "csl-json": (lambda p: list(read_csl_json(p)), FIX / "csl_2025-01-15.json"),
}
NAMES = list(READERS)
UTF8 = ("ofac-xml", "un-xml", "eu-xml", "csl-csv", "csl-json")


def refused(kind: str, path: Path) -> str:
    """The one-line message with which reader ``kind`` refuses ``path``."""
    with pytest.raises((DataError, InvalidInput)) as e:
        READERS[kind][0](path)
    msg = str(e.value)
    assert "\n" not in msg and msg, msg
    return msg


def write(tmp_path: Path, kind: str, data: bytes, name: str | None = None) -> Path:
    p = tmp_path / (name or f"{kind}{READERS[kind][1].suffix}")
    p.write_bytes(data)
    return p


def raw(kind: str) -> bytes:
    return READERS[kind][1].read_bytes()


def test_fixtures_load() -> None:
    counts = {k: len(fn(p)) for k, (fn, p) in READERS.items()}
    assert counts == {"ofac-csv": 4, "ofac-add": 4, "ofac-alt": 4, "ofac-xml": 3, "un-xml": 3, "eu-xml": 5,
                      "csl-csv": 6, "csl-json": 6}
    es = list(read_sdn_csv(SDN, add=ADD, alt=ALT))
    assert es[0].aliases == [("aka", "EPW"), ("aka", "EXAMPLE PRECISION WORKSHOP")] and es[1].name == "DOE, Jöhn"


@pytest.mark.parametrize("kind", NAMES)
def test_empty_missing_directory(kind: str, tmp_path: Path) -> None:
    assert "empty (0 bytes)" in refused(kind, write(tmp_path, kind, b""))
    assert "no such file" in refused(kind, tmp_path / "absent.file")
    (tmp_path / "d").mkdir()
    assert "directory" in refused(kind, tmp_path / "d")


def _boundary_cut(kind: str) -> bytes:
    """The file cut right after its second-to-last record (at a record boundary, nothing else appended)."""
    data = raw(kind)
    marks = {"ofac-xml": b"</sdnEntry>", "un-xml": b"</INDIVIDUAL>", "eu-xml": b"</sanctionEntity>",
             "csl-json": b"\n  },"}
    if kind in marks:
        i = data.rindex(marks[kind])
        return data[:i + len(marks[kind])] + b"\n"
    lines = data.splitlines(keepends=True)
    return b"".join(lines[:-2])


@pytest.mark.parametrize("kind", NAMES)
def test_truncated_mid_row_and_at_boundary(kind: str, tmp_path: Path) -> None:
    data = raw(kind)
    refused(kind, write(tmp_path, kind, data[:len(data) // 2]))
    refused(kind, write(tmp_path, kind, data[:-20]))  # inside the last record
    if kind == "csl-csv":  # no count, no end marker: a cut at a row boundary is a shorter, valid file
        pytest.xfail("a CSL CSV cut exactly at a row boundary cannot be detected (no count, no end marker)")
    refused(kind, write(tmp_path, kind, _boundary_cut(kind)))


def test_well_formed_cuts_are_refused(tmp_path: Path) -> None:
    ofx = raw("ofac-xml").decode()
    cut = ofx[:ofx.index("<sdnEntry>", ofx.index("</sdnEntry>"))] + "</sdnList>\n"  # closed again: Record_Count
    assert "Record_Count says 3 entries, the file holds 1" in refused("ofac-xml", write(tmp_path, "ofac-xml",
                                                                                          cut.encode()))
    uncounted = write(tmp_path, "ofac-xml", ofx.replace("<Record_Count>3</Record_Count>", "").encode())
    assert "--allow-uncounted" in refused("ofac-xml", uncounted)
    assert len(list(read_ofac_xml(uncounted, allow_uncounted=True))) == 3
    un = raw("un-xml").decode()
    cut = un[:un.index("<ENTITIES>")] + "</CONSOLIDATED_LIST>\n"
    assert "no ENTITIES container" in refused("un-xml", write(tmp_path, "un-xml", cut.encode()))


@pytest.mark.parametrize("kind", NAMES)
def test_random_cuts_are_refused(kind: str, tmp_path: Path) -> None:
    data = raw(kind)
    path = tmp_path / f"cut{READERS[kind][1].suffix}"

    def boundary(c: int) -> bool:  # a CSL CSV cut right after a row's line end is undetectable (see above)
        return kind == "csl-csv" and data[c - 1:c] == b"\n" and not data[:c].count(b'"') % 2

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.integers(min_value=0, max_value=len(data.rstrip(b" \r\n")) - 1))
    def prop(c: int) -> None:
        if boundary(c):
            return
        path.write_bytes(data[:c])
        refused(kind, path)

    prop()


EMPTY = {
    "ofac-csv": b"\x1a", "ofac-add": b"\r\n\x1a", "ofac-alt": b"\x1a",
    "ofac-xml": b'<?xml version="1.0"?><sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/Publication'
                b'Preview/exports/XML"><publshInformation><Publish_Date>03/28/2025</Publish_Date><Record_Count>0'
                b'</Record_Count></publshInformation></sdnList>',
    "un-xml": b"<CONSOLIDATED_LIST dateGenerated='2025-01-01T00:00:00Z'><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>",
    "eu-xml": b'<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-01-01T00:00:00.000+01:00"/>',
    "csl-csv": b"",  # replaced by the fixture's header row
    "csl-json": b'{"results": [], "total": 0, "search_performed_at": "2025-01-01T00:00:00+00:00"}',
}


@pytest.mark.parametrize("kind", NAMES)
def test_header_only_or_empty_root(kind: str, tmp_path: Path) -> None:
    data = EMPTY[kind] or raw(kind).splitlines(keepends=True)[0]
    msg = refused(kind, write(tmp_path, kind, data))
    assert "no entries" in msg or "not an OFAC CSV" in msg, msg


@pytest.mark.parametrize("kind", NAMES)
@pytest.mark.parametrize("other", NAMES)
def test_wrong_format_forced(kind: str, other: str, tmp_path: Path) -> None:
    if READERS[kind][1] == READERS[other][1] or {kind, other} <= {"ofac-csv", "ofac-add", "ofac-alt"}:
        return
    refused(kind, write(tmp_path, kind, raw(other)))


def test_wrong_format_messages(tmp_path: Path) -> None:
    un = write(tmp_path, "un-xml", raw("un-xml"))
    assert "not an OFAC XML file" in refused("ofac-xml", un)
    assert "root element is CONSOLIDATED_LIST (a UN consolidated list?)" in refused("ofac-xml", un)
    assert "root element is sdnList" in refused("un-xml", write(tmp_path, "un-xml", raw("ofac-xml")))
    assert "not an OFAC CSV" in refused("ofac-csv", write(tmp_path, "ofac-csv", raw("csl-csv")))
    assert "not a CSL CSV" in refused("csl-csv", write(tmp_path, "csl-csv", raw("ofac-csv")))
    assert "not a CSL JSON" in refused("csl-json", write(tmp_path, "csl-json", raw("eu-xml")))
    ns = raw("eu-xml").replace(b"http://eu.europa.ec/fpi/fsd/export", b"urn:other")
    assert "namespace urn:other" in refused("eu-xml", write(tmp_path, "eu-xml", ns))


@pytest.mark.parametrize("kind", NAMES)
def test_wrong_encoding(kind: str, tmp_path: Path) -> None:
    text = raw(kind).decode("latin-1" if kind.startswith("ofac-") and kind != "ofac-xml" else "utf-8")
    msg = refused(kind, write(tmp_path, kind, text.encode("utf-16-le")))  # no byte-order mark
    assert "UTF-16" in msg or "not UTF-8" in msg or "utf_16" in msg, msg
    if kind in ("ofac-csv", "ofac-add", "ofac-alt"):
        assert "UTF-16" in refused(kind, write(tmp_path, kind, text.encode("utf-16")))
    if kind in UTF8:
        msg = refused(kind, write(tmp_path, kind, text.encode("cp1252", errors="replace")))
        assert "is not UTF-8 (looks like" in msg and "iconv" in msg, msg


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    for kind in ("csl-csv", "csl-json", "un-xml"):
        assert READERS[kind][0](write(tmp_path, kind, b"\xef\xbb\xbf" + raw(kind).lstrip(b"\xef\xbb\xbf")))


@pytest.mark.parametrize("kind", NAMES)
def test_huge_name_and_field(kind: str, tmp_path: Path) -> None:
    big, huge = "N" * 5_000, "N" * 10_000_000
    text = raw(kind).decode("latin-1")
    old = {"ofac-csv": "GAMMA TRADING LTD", "ofac-add": "Example Plaza", "ofac-alt": "GAMMA TRADING L.L.C.",
           "ofac-xml": "EXAMPLE SHIPPING CO", "un-xml": "EXAMPLE TRADING CORPORATION",
           "eu-xml": "Exemplar Defence Industries JSC", "csl-csv": "EXAMPLE STAR", "csl-json": "EXAMPLE STAR"}[kind]
    if kind != "ofac-add":  # an address, not a name: 5,000 characters are within the field limit
        msg = refused(kind, write(tmp_path, kind, text.replace(old, big, 1).encode("latin-1")))
        assert "characters; the limit is 1,000" in msg and "5,000" in msg, msg
    t = time.perf_counter()
    msg = refused(kind, write(tmp_path, kind, text.replace(old, huge, 1).encode("latin-1")))
    assert time.perf_counter() - t < 10, msg
    assert "limit is" in msg, msg


DUPES = {"ofac-csv": (b"9904,", b"9903,"), "ofac-add": (b"9904,703,", b"9904,702,"),
         "ofac-alt": (b"9904,803,", b"9904,802,"), "ofac-xml": (b"<uid>99003</uid>", b"<uid>99002</uid>"),
         "un-xml": (b"<DATAID>9900002</DATAID>", b"<DATAID>9900001</DATAID>"),
         "eu-xml": (b'logicalId="900002"', b'logicalId="900001"'), "csl-csv": (b"\n99902,", b"\n99901,"),
         "csl-json": (b'"id": "99902"', b'"id": "99901"')}


@pytest.mark.parametrize("kind", NAMES)
def test_duplicate_ids(kind: str, tmp_path: Path) -> None:
    old, new = DUPES[kind]
    assert old in raw(kind), kind
    assert "duplicate" in refused(kind, write(tmp_path, kind, raw(kind).replace(old, new, 1)))


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">&x;</sdnList>\n')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' +
          b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9)) +
          b']>\n<CONSOLIDATED_LIST dateGenerated="2025-01-01T00:00:00Z">&j;</CONSOLIDATED_LIST>\n')


@pytest.mark.parametrize("kind", NAMES)
def test_xxe_and_billion_laughs(kind: str, tmp_path: Path) -> None:
    for data in (XXE, LAUGHS, XXE.replace(b"sdnList", b"export")):
        msg = refused(kind, write(tmp_path, kind, data))
        if kind.endswith("xml"):
            assert "unsafe" in msg and "DTD" in msg, msg


def test_unterminated_quote_and_orphans(tmp_path: Path) -> None:
    text = raw("ofac-csv")
    bad = text.replace(b'\r\n9904,"GAMMA', b'\r\n9904,"GAMMA\r\n').replace(b',-0- \r\n\x1a', b',"-0- \r\n\x1a')
    assert "unterminated quoted field" in refused("ofac-csv", write(tmp_path, "ofac-csv", bad))
    orphan = write(tmp_path, "ofac-add", raw("ofac-add").replace(b"9903,702", b"9999,702"))
    msg = refused("ofac-add", orphan)
    assert "ent_num 9999 is not in" in msg and f"{orphan}:2:" in msg, msg
    lf = write(tmp_path, "ofac-csv", text.replace(b"\r\n", b"\n").replace(b"\n\x1a", b"\n"))
    assert len(READERS["ofac-csv"][0](lf)) == 4  # line ends rewritten to LF: a complete last row suffices
    with pytest.raises(DataError, match="0x1A"):
        list(read_sdn_csv(lf, require_eof=True))


def test_csl_json_total_and_depth(tmp_path: Path) -> None:
    js = raw("csl-json")
    assert "total says 7 results, the file holds 6" in refused("csl-json", write(tmp_path, "csl-json",
                                                                                js.replace(b'"total": 6',
                                                                                           b'"total": 7')))
    deep = b'{"results": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    assert "nested more than 64 levels" in refused("csl-json", write(tmp_path, "csl-json", deep))


def test_name_keys_linear() -> None:
    t = time.perf_counter()
    keys = name_keys("a" * 2_000_000)
    assert time.perf_counter() - t < 5 and "p:" + "A" in {k[:3] for k in keys} | {"p:A"}
    assert name_keys("Muhammad Khan") & name_keys("Mohammed Khan")


# ----- the real files ------------------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_files_load(shared_data: Path) -> None:
    s = shared_data / "sanctions"
    assert len(list(read_sdn_csv(s / "ofac_sdn_2024-05-03.csv"))) == 14_965
    assert len(list(read_sdn_csv(s / "ofac_sdn_2021-08-18.csv"))) == 9_083
    assert len(list(read_ofac_xml(s / "ofac_consolidated_nonsdn_2025-03-28.xml"))) == 443
    assert [len(list(read_un_xml(s / f"un_consolidated_{d}.xml"))) for d in ("2018-10-29", "2025-04-19",
                                                                           "2025-11-20")] == [1093, 877, 1000]
    for f in ("ofac_sdn_2024-05-03.csv", "ofac_sdn_2021-08-18.csv", "ofac_add_2026-06.csv", "ofac_alt_2026-06.csv"):
        assert (s / f).read_bytes().endswith(b"\r\n\x1a"), f  # as published


@pytest.mark.realdata
def test_real_2022_release_is_refused_as_edited_then_loads_repaired(shared_data: Path, tmp_path: Path) -> None:
    """The 2022-01 copy was edited by its carrier repository: LF line ends, no 0x1A, a last row renumbered to the
    existing ent_num 2677, and a test alias appended to alt.csv. Refused as it is; loads once the row is given
    back the ent_num its add.csv row has (34489)."""
    s = shared_data / "sanctions"
    with pytest.raises(DataError, match="duplicate ent_num 2677"):
        list(read_sdn_csv(s / "ofac_sdn_2022-01.csv", add=s / "ofac_add_2022-01.csv", alt=s / "ofac_alt_2022-01.csv"))
    fixed = tmp_path / "sdn.csv"
    fixed.write_bytes((s / "ofac_sdn_2022-01.csv").read_bytes().replace(b"\n2677,HAMER", b"\n34489,HAMER"))
    es = list(read_sdn_csv(fixed, add=s / "ofac_add_2022-01.csv", alt=s / "ofac_alt_2022-01.csv"))
    assert len(es) == 9_044
    with pytest.raises(DataError, match=r"ent_num \d+ is not in .* such ent_nums in all"):
        list(read_sdn_csv(s / "ofac_sdn_2021-08-18.csv", add=s / "ofac_add_2022-01.csv"))


@pytest.mark.realdata
def test_real_sdn_cut_and_broken_row_refused(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "sanctions" / "ofac_sdn_2024-05-03.csv").read_bytes()
    p = tmp_path / "sdn.csv"
    p.write_bytes(data[:200_000] + b'99999999,"BROKEN ROW')
    with pytest.raises(DataError) as e:
        list(read_sdn_csv(p))
    assert "\n" not in str(e.value)
    rng = random.Random(20261201)
    for _ in range(50):
        p.write_bytes(data[:rng.randrange(1, len(data))])
        with pytest.raises(DataError):
            list(read_sdn_csv(p))


@pytest.mark.realdata
def test_real_xml_cuts_refused(shared_data: Path, tmp_path: Path) -> None:
    s = shared_data / "sanctions"
    un = (s / "un_consolidated_2025-11-20.xml").read_bytes()
    p = tmp_path / "un.xml"
    p.write_bytes(un[:un.rindex(b"</ENTITY>") + 9])  # at an entity boundary
    with pytest.raises(DataError):
        list(read_un_xml(p))
    ofx = (s / "ofac_consolidated_nonsdn_2025-03-28.xml").read_bytes()
    p = tmp_path / "ofac.xml"
    p.write_bytes(ofx[:ofx.index(b"</sdnEntry>", 200_000) + 11] + b"\n</sdnList>\n")  # cut and closed again
    with pytest.raises(DataError, match="Record_Count says 443"):
        list(read_ofac_xml(p))
