"""Catalogue additions from the data audit: DF-27 (China). Harbah (Pakistan) is not added: no source read gives
its range, and a system needs a sourced range (see the comment in data/missiles/pak.yml)."""

from __future__ import annotations

from equilibrium.catalog import catalog


def test_df27_loads() -> None:
    s = catalog().find("DF-27")
    assert s.id == "df-27"
    assert s.country == "CHN"
    assert s.cls == "IRBM"
    assert catalog().find("Dong Feng-27").id == "df-27"


def test_df27_range_is_the_sourced_interval() -> None:
    r = catalog().find("df-27").range
    assert r.unit == "km"
    assert (r.low, r.high) == (5000, 8000)
    # Every figure is the 5,000-8,000 km class (DoD 2021 and its relays, DoD 2025 as reported); the 2,100 km test
    # flight of February 2023 is a test distance, not a range figure.
    assert all((f.low, f.high) == (5000, 8000) for f in r.figures())
    # The DoD report itself was not read: its own figure is unverified, the press relays are not.
    assert r.any_unverified and not r.all_unverified
    assert r.verified_interval() == (5000, 8000)


def test_df27_primary_source_is_the_2021_dod_report() -> None:
    s = catalog().find("df-27")
    bib = catalog().bibliography
    dod = bib.get("cn-dod-cmpr-2021")
    assert dod.kind == "official"
    assert "2021" in dod.title and (dod.date or "").startswith("2021")
    assert "cn-dod-cmpr-2021" in s.range.source_ids()
    quoted = [f for f in s.range.figures() if f.quote]
    assert quoted and all(len(f.quote or "") <= 300 for f in quoted)


def test_df27_sources_resolve() -> None:
    s = catalog().find("df-27")
    bib = catalog().bibliography
    for sid in s.source_ids():
        assert sid in bib, sid
        src = bib.get(sid)
        assert src.title and src.publisher and src.url and src.kind, sid

