"""Country resolution: ISO3, names (countrynames, pycountry), COW codes, organisations, close matches."""

from __future__ import annotations

import pycountry
import pytest

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.evidence.countries import _tables, from_cow, resolve, resolve_name, split_names


@pytest.mark.parametrize("query,code", [
    ("PAK", "PAK"), ("pak", "PAK"), ("Pakistan", "PAK"), ("770", "PAK"), ("IN", "IND"), ("India", "IND"),
    ("750", "IND"), ("United States of America", "USA"), ("2", "USA"), ("Soviet Union", "RUS"), ("365", "RUS"),
    ("Yugoslavia", "SRB"), ("260", "DEU"), ("German Democratic Republic", "DDR"), ("Korea, North", "PRK"),
    ("Egypt, Arab Rep.", "EGY"), ("Cote DIvoire", "CIV"), ("EU", "EU"), ("1000", "EU"), ("EEC", "EU"),
    ("UN", "UN"), ("817", "COW817"), ("South Vietnam", "COW817"), ("Burma", "MMR"), ("Zaire", "COD")])
def test_resolve(query: str, code: str) -> None:
    assert resolve(query).code == code


def test_cow_codes_of_a_state() -> None:
    assert resolve("DEU").cow == (255, 260) and resolve("DEU").name == "Germany"
    assert from_cow(260).name == "German Federal Republic"  # type: ignore[union-attr]
    assert from_cow(99999) is None and from_cow("x") is None


def test_unknown_country_suggests_close_matches() -> None:
    with pytest.raises(NotFound) as exc:
        resolve("Pakistn")
    assert exc.value.suggestions[0] == "Pakistan"
    with pytest.raises(NotFound, match="COW country code"):
        resolve("99999")
    with pytest.raises(InvalidInput):
        resolve("  ")


def test_data_names() -> None:
    assert resolve_name("G8") is None and resolve_name("Commonwealth") is None
    assert [c.code if c else raw for raw, c in split_names("Denmark, Netherlands,  Sweden, Germany")] == [
        "DNK", "NLD", "SWE", "DEU"]
    assert [c.code for _, c in split_names("Korea, North") if c] == ["PRK"]
    assert [c.code for _, c in split_names("Congo, Democratic Republic of the") if c] == ["COD"]
    assert [c.code if c else raw for raw, c in split_names("Syria, Russia, Iran")] == ["SYR", "RUS", "IRN"]


def test_crosswalk_codes_are_iso_or_marked() -> None:
    t = _tables()
    for cow, c in t.by_cow.items():
        if c.kind == "organisation" or c.code.startswith("COW") or c.code == "XKX":
            continue
        iso = pycountry.countries.get(alpha_3=c.code) or pycountry.historic_countries.get(alpha_3=c.code)
        assert iso is not None, (cow, c)
    assert from_cow(770).code == "PAK" and from_cow(750).code == "IND" and from_cow(710).code == "CHN"  # type: ignore[union-attr]
