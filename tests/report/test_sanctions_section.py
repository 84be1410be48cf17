"""The brief's sanctions section: built by its builder, figures embedded, counts equal ``asymmetry()``, citations
resolve, unverified actions marked, no failure on an empty store or record."""

from __future__ import annotations

import base64
import html
import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from equilibrium.report.brief import SECTION_BUILDERS, render_brief
from equilibrium.sanctions.record import record


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh ``$EQUILIBRIUM_HOME`` (no store file) for the module."""
    d = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EQUILIBRIUM_HOME", str(d))
        mp.delenv("EQUILIBRIUM_DATABASE_URL", raising=False)
        yield d


@pytest.fixture(scope="module")
def page(home: Path) -> str:
    """The brief with the sanctions section only (with figures), as rendered HTML."""
    from equilibrium.report.sanctions_section import sanctions_section as _sanctions_builder

    return render_brief(sections=[_sanctions_builder], generated="2025-01-01")


def _section(page: str) -> str:
    m = re.search(r'<section id="sanctions">(.*?)</section>\s*<section id="references">', page, flags=re.S)
    assert m, "no sanctions section"
    return m.group(1)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n" and blob[12:16] == b"IHDR"
    w, h = struct.unpack(">II", blob[16:24])
    return int(w), int(h)


def test_registered_after_trajectory() -> None:
    from equilibrium.report.sanctions_section import sanctions_section as _sanctions_builder
    from equilibrium.report.trajectory_section import trajectory_section as _trajectory_builder

    assert SECTION_BUILDERS.index(_sanctions_builder) == SECTION_BUILDERS.index(_trajectory_builder) + 1


def test_section_renders_with_timeline_and_network(page: str) -> None:
    sec = _section(page)
    assert "<h2>Sanctions: US actions on India and Pakistan</h2>" in sec
    for h in ("Timeline, 1979–2024", "India and Pakistan since 1998: the asymmetry in counts",
              "Pakistan's sanctions network", "Key actions"):
        assert f"<h3>{h}</h3>" in html.unescape(sec)
    imgs = re.findall(r'<img alt="([^"]*)" src="data:image/png;base64,([^"]+)"', sec)
    alts = [html.unescape(a) for a, _ in imgs]
    assert any(a.startswith("Timeline of US sanctions actions") for a in alts)
    assert any(a.startswith("Network of Pakistan's sanctions actions") for a in alts)
    for _, data in imgs:
        w, h = _png_size(base64.b64decode(data))
        assert 700 <= w <= 2000 and 350 <= h <= 1400
    assert 'href="#sanctions"' in page  # in the table of contents


def _cells(table: str, attr: str) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for key, row in re.findall(rf'<tr data-{attr}="([^"]+)">(.*?)</tr>', table, flags=re.S):
        for iso, n, shown in re.findall(r'data-country="([A-Z]{3})" data-count="(\d+)">([^<]*)', row):
            shown = shown.strip()
            assert shown in (n, "—" if n == "0" else n) or (key == "total" and shown.startswith(f"{n} (")), (
                key, iso, shown)
            out[(html.unescape(key), iso)] = int(n)
    return out


def test_asymmetry_counts_equal_asymmetry(page: str) -> None:
    from equilibrium.sanctions.analytics import asymmetry

    sec = _section(page)
    a = asymmetry(["IND", "PAK"], since="1998")
    t1 = re.search(r'<table id="sanctions-asymmetry">(.*?)</table>', sec, flags=re.S)
    t2 = re.search(r'<table id="sanctions-authority">(.*?)</table>', sec, flags=re.S)
    assert t1 and t2
    cats = _cells(t1.group(1), "category")
    auths = _cells(t2.group(1), "authority")
    for iso in ("IND", "PAK"):
        per = a["by_country"][iso]
        assert cats.pop(("total", iso)) == per["total"]
        for k in a["categories"]:
            assert cats[(k, iso)] == per["totals"].get(k, {}).get("count", 0), (k, iso)
        for k, v in per["by_authority"].items():
            assert auths[(k, iso)] == v["count"], (k, iso)
        assert sum(n for (k, c), n in auths.items() if c == iso) == per["total"]
    assert {k for k, _ in cats} == set(a["categories"])
    # Visible numbers (the data attributes are what the test parses; the cells show the same counts).
    row = re.search(r'<tr data-category="designation-private">(.*?)</tr>', t1.group(1), flags=re.S)
    assert row and f">{a['by_country']['IND']['totals']['designation-private']['count']}<sup" in row.group(1)


def test_reading_states_the_counts_and_the_caveat(page: str) -> None:
    from equilibrium.sanctions.analytics import asymmetry

    sec = _section(page)
    m = re.search(r'</table>\s*<p>(.*?)</p>', sec, flags=re.S)
    assert m
    text = _text(m.group(1))
    a = asymmetry(["IND", "PAK"], since="1998")["by_country"]
    assert f"{a['IND']['total']} US actions naming India and {a['PAK']['total']} naming Pakistan" in text
    rows = {r.action.id: r for r in record()}
    for iso, name in (("IND", "India"), ("PAK", "Pakistan")):
        ids = [i for e in a[iso]["totals"].values() for i in e["actions"]]
        unv = sum(rows[i].action.unverified for i in ids)
        assert f"{unv} of the {a[iso]['total']} actions naming {name}" in text
    assert "The record is curated" in text
    caatsa_ind = [i for k, v in a["IND"]["by_authority"].items() if "CAATSA" in k for i in v["actions"]]
    if caatsa_ind and all(rows[i].action.type == "determination-not-made" for i in caatsa_ind):
        assert f"Of the actions naming India, {len(caatsa_ind)} cite CAATSA" in text
        assert "none imposes a sanction" in text


def test_every_citation_resolves(page: str) -> None:
    sec = _section(page)
    assert "\u27e6" not in page and "\u27e7" not in page
    cited = set(re.findall(r'href="#ref-(\d+)"', sec))
    assert len(cited) >= 20
    refs = re.search(r'<section id="references">(.*?)</section>', page, flags=re.S)
    assert refs
    for n in cited:
        li = re.search(rf'<li id="ref-{n}" value="{n}">(.*?)</li>', refs.group(1), flags=re.S)
        assert li, f"reference {n} missing"
        assert "Unresolved source id" not in li.group(1)
    assert "Unresolved source id" not in page
    # Every count cell that is not zero carries a citation (the totals row sums the cited cells above it).
    for tag, n, shown, cite in re.findall(r'<(td|th) class="num" data-country="[A-Z]{3}" data-count="(\d+)">([^<]*)'
                                          r'(<sup class="cite">)?', sec):
        if tag == "td" and n != "0":
            assert cite, (n, shown)


def test_key_actions_and_unverified_marked(page: str) -> None:
    sec = _section(page)
    rows = {r.action.id: r for r in record()}
    items = re.findall(r'<span data-action="([^"]+)" data-unverified="(true|false)">(.*?)</span>(?=[;.])', sec,
                       flags=re.S)
    assert items
    seen = {aid for aid, _, _ in items}
    for aid, flag, body in items:
        r = rows[aid]
        assert flag == ("true" if r.action.unverified else "false")
        assert ("(unverified)" in body) == r.action.unverified, aid
        assert re.search(r'<sup class="cite">\[<a href="#ref-\d+">', body), aid
    assert any(rows[a].action.unverified for a in seen)  # the 1991 M-11 sanctions
    for must in ("us-1990-pressler-pak-aid-cutoff", "us-2024-12-18-ndc-sdn", "us-2001-09-22-waiver-glenn-pakistan"):
        if must in rows:
            assert must in seen, must
    caatsa = [a for a, r in rows.items() if r.action.type == "determination-not-made" and "CAATSA" in
              r.action.authority.text and any(t.country == "IND" for t in r.action.targets)]
    assert set(caatsa) <= seen
    # Top targets: unverified ones are marked too.
    top = re.search(r'<ol id="sanctions-top-targets">(.*?)</ol>', sec, flags=re.S)
    assert top and "Government of Pakistan" in top.group(1) and "National Development Complex" in top.group(1)


def test_timeline_caption_counts_the_lanes(page: str) -> None:
    sec = _section(page)
    cap = _text(re.findall(r"<figcaption>(.*?)</figcaption>", sec, flags=re.S)[0])
    n_ind = len(record().select(target_country="IND", sender="USA"))
    n_pak = len(record().select(target_country="PAK", sender="USA"))
    assert f"India ({n_ind} actions)" in cap and f"Pakistan ({n_pak})" in cap


def test_empty_store_and_store_with_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from equilibrium.report.sanctions_section import sanctions_section as _sanctions_builder
    from equilibrium.sanctions.store import engine, ingest

    db = f"sqlite:///{tmp_path / 'store.db'}"
    engine(db)  # an empty, migrated store
    monkeypatch.setenv("EQUILIBRIUM_DATABASE_URL", db)
    sec = _section(render_brief(sections=[_sanctions_builder], generated="2025-01-01", figures=False))
    assert "could not be built" not in sec and "sanctions-asymmetry" in sec and "<img" not in sec
    p = tmp_path / "sdn_2025-01-02.csv"
    p.write_text('52049,"NATIONAL DEVELOPMENT COMPLEX",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a',
                 encoding="latin-1")
    ingest(p, url=db)
    sec = _section(render_brief(sections=[_sanctions_builder], generated="2025-01-01"))
    assert "list ids found in the store" in sec and sec.count("data:image/png;base64,") == 2


def test_empty_record(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from equilibrium.report.sanctions_section import sanctions_section as _sanctions_builder

    # An empty record: no record files (the cached shipped record is dropped before and after).
    monkeypatch.setattr(sys.modules["equilibrium.sanctions.record"], "record_files", lambda folder=None: [])
    record.cache_clear()
    try:
        assert len(record()) == 0
        page = render_brief(sections=[_sanctions_builder], generated="2025-01-01")
    finally:
        record.cache_clear()
    sec = _section(page)
    assert "could not be built" not in sec
    assert "The record holds none of the key episodes" in sec
    assert sec.count("data:image/png;base64,") == 2
    assert "0 US actions naming India and 0 naming Pakistan" in _text(sec)
