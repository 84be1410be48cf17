"""Region specs, sub-regions, sites, cities and bad input."""

from __future__ import annotations

import pytest
import shapely

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.geo.cities import cities_in, resolve_city
from equilibrium.geo.regions import list_regions, parse_coords, resolve_region
from equilibrium.geo.sites import list_sites, resolve_site
from equilibrium.provenance import data_path, load_bibliography

pytestmark = pytest.mark.usefixtures("atlas")


@pytest.mark.parametrize(("spec", "kind", "iso3"), [
    ("PAK", "country", "PAK"), ("pak", "country", "PAK"), ("Pakistan", "country", "PAK"),
    ("IND", "country", "IND"), ("CHN", "country", "CHN"), ("USA", "country", "USA"),
    ("USA:conus", "subregion", "USA"), ("usa:Alaska", "subregion", "USA"), ("USA:hawaii", "subregion", "USA"),
    ("IND:andaman-nicobar", "subregion", "IND"), ("IND:mainland", "subregion", "IND"),
    ("IND:lakshadweep", "subregion", "IND"), ("CHN:hainan", "subregion", "CHN"),
    ("area:siachen-glacier", "area", None), ("Siachen Glacier", "area", None),
    ("site:islamabad", "site", "PAK"), ("site:sonmiani", "site", "PAK"),
    ("city:Washington, US", "city", None), ("33.7,73.1", "point", None),
])
def test_resolve(spec: str, kind: str, iso3: str | None) -> None:
    r = resolve_region(spec)
    assert r.kind == kind
    assert r.iso3 == iso3
    assert r.geometry.is_valid
    assert set(r.boundary) >= {"dataset", "resolution", "source_ids", "pov"}


def test_subregion_contents() -> None:
    an = resolve_region("IND:andaman-nicobar")
    assert len(shapely.get_parts(an.geometry)) >= 10
    port_blair = shapely.Point(92.73, 11.62)
    assert an.geometry.distance(port_blair) < 0.05
    conus = resolve_region("USA:conus").geometry
    assert conus.contains(shapely.Point(-98.0, 39.0))
    assert not conus.contains(shapely.Point(-150.0, 61.2))  # Anchorage
    assert resolve_region("USA:alaska").geometry.contains(shapely.Point(-147.7, 64.8))  # Fairbanks
    assert resolve_region("USA:hawaii").geometry.contains(shapely.Point(-155.5, 19.6))


def test_de_facto_point_of_view() -> None:
    pak, ind, chn = (resolve_region(s).geometry for s in ("PAK", "IND", "CHN"))
    assert pak.contains(shapely.Point(74.31, 35.92))  # Gilgit
    assert ind.contains(shapely.Point(74.80, 34.08))  # Srinagar
    assert chn.contains(shapely.Point(79.0, 35.0))  # Aksai Chin
    assert "disputed" in resolve_region("PAK").boundary["pov"]


def test_unknown_region_suggests() -> None:
    with pytest.raises(NotFound) as exc:
        resolve_region("PAKK")
    assert "PAK" in exc.value.suggestions
    assert len(exc.value.suggestions) <= 3
    with pytest.raises(NotFound) as exc:
        resolve_region("USA:cnous")
    assert "USA:conus" in exc.value.suggestions
    with pytest.raises(NotFound):
        resolve_region("site:nowhere-at-all")
    with pytest.raises(NotFound):
        resolve_region("city:Qwertyville, ZZ")


@pytest.mark.parametrize("text", ["91,0", "0,181", "-90.5,10", "33.7;73.1", "33.7,", "1,2,3", "NaN,1"])
def test_bad_coordinates(text: str) -> None:
    with pytest.raises((InvalidInput, NotFound)) as exc:
        resolve_region(text)
    if any(c.isdigit() for c in text):
        assert isinstance(exc.value, InvalidInput)


def test_parse_coords() -> None:
    assert parse_coords(" 33.7 , 73.1 ") == (33.7, 73.1)
    assert parse_coords("-90,180") == (-90.0, 180.0)
    with pytest.raises(InvalidInput, match="latitude"):
        parse_coords("95,0")


def test_bad_resolution() -> None:
    with pytest.raises(InvalidInput):
        resolve_region("PAK", "1m")


def test_list_regions() -> None:
    rows = list_regions()
    specs = {r["spec"] for r in rows}
    assert {"PAK", "IND", "CHN", "USA", "USA:conus", "IND:andaman-nicobar", "area:siachen-glacier"} <= specs
    assert all({"spec", "name", "kind"} <= set(r) for r in rows)
    assert any(r.get("disputed") for r in rows if r["kind"] == "area")


def test_cities() -> None:
    dc = resolve_city("Washington, US")
    assert dc.country == "US" and abs(dc.lat - 38.9) < 0.1
    assert resolve_city("Karachi").country == "PK"
    assert resolve_city("Lahore, PAK").country == "PK"
    names = {c.name for c in cities_in(resolve_region("IND:andaman-nicobar"))}
    assert "Port Blair" in names
    pak = cities_in(resolve_region("PAK"))
    assert pak[0].population >= pak[-1].population
    assert {"Karachi", "Lahore"} <= {c.name for c in pak[:5]}
    assert cities_in(resolve_region("site:islamabad")) == []


def test_sites_cite_known_sources() -> None:
    bib = load_bibliography([data_path("sources.yml")])
    for s in list_sites():
        for sid in s.source_ids:
            assert sid in bib, f"site {s.id} cites unknown source {sid}"
    assert resolve_site("Sonmiani Flight Test Range").id == "sonmiani"
    assert resolve_site("new delhi").country == "IND"
