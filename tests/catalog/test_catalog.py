"""The shipped missile catalogue: coverage of the systems the issue names, fuzzy lookup, sourcing rules."""

from __future__ import annotations

import pytest

from equilibrium.catalog import catalog
from equilibrium.errors import NotFound

REQUIRED = {
    "PAK": ["Abdali", "Ghaznavi", "Shaheen-I", "Shaheen-IA", "Shaheen-II", "Shaheen-III", "Ghauri", "Ababeel",
            "Nasr", "Fatah-I", "Babur", "Babur-3", "Ra'ad"],
    "IND": ["Prithvi-II", "Agni-I", "Agni-II", "Agni-III", "Agni-IV", "Agni-V", "Agni-P", "K-15", "K-4", "K-5",
            "BrahMos", "Nirbhay", "Pralay"],
    "CHN": ["DF-11", "DF-15", "DF-16", "DF-17", "DF-21", "DF-26", "DF-31", "DF-41", "JL-2", "JL-3", "CJ-10"],
}


@pytest.mark.parametrize(("country", "name"), [(c, n) for c, names in REQUIRED.items() for n in names])
def test_required_system_present(country: str, name: str) -> None:
    s = catalog().find(name)
    assert s.country == country, (name, s.country)


def test_reference_systems_present() -> None:
    refs = [s for s in catalog() if s.reference]
    names = {s.id for s in refs}
    assert any("scud" in n for n in names), names
    assert any("minuteman" in n for n in names), names


@pytest.mark.parametrize("query,expected", [("Shaheen 3", "Shaheen-III"), ("shaheen-iii", "Shaheen-III"),
                                            ("Hatf-VI", "Shaheen-II"), ("agni 5", "Agni-V")])
def test_fuzzy_names(query: str, expected: str) -> None:
    assert catalog().find(query).name == expected


def test_unknown_name_suggests() -> None:
    with pytest.raises(NotFound) as exc:
        catalog().find("Shaheen-9")
    assert exc.value.suggestions and any("Shaheen" in s for s in exc.value.suggestions)


def test_every_range_is_sourced_and_positive() -> None:
    bib = catalog().bibliography
    for s in catalog():
        assert s.range.figures(), s.id
        assert 0 < s.range.low <= s.range.high <= 20_000, s.id
        for sid in s.source_ids():
            assert sid in bib, (s.id, sid)


def test_official_and_analyst_sources_are_distinguished() -> None:
    """At least the headline Pakistani and Indian ranges cite both an official and an analyst source."""
    bib = catalog().bibliography
    both = 0
    for s in catalog():
        kinds = {bib.attribution(f) for f in s.range.figures()}
        if "official" in kinds and "analyst" in kinds:
            both += 1
    assert both >= 10, both


def test_select_filters() -> None:
    irbm = catalog().select(country="IND", cls="IRBM")
    assert irbm and all(s.country == "IND" and s.cls == "IRBM" for s in irbm)
    with pytest.raises(NotFound):
        catalog().select(country="PAQ")
