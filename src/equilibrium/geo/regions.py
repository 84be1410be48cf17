"""Region specs: resolve any spec to a :class:`~equilibrium.geo.countries.Region`, list and search them all.

Specs (see :func:`resolve_region`): ISO3 (``PAK``), country name (``Pakistan``), sub-region (``USA:conus``,
``USA:alaska``, ``USA:hawaii``, ``USA:guam``, ``IND:andaman-nicobar``, ``IND:lakshadweep``, ``IND:mainland``,
``CHN:hainan``, ``CHN:mainland``), an un-coded Natural Earth area (``area:siachen-glacier``, ``area:kosovo``),
a named site (``site:islamabad``), a city (``city:Washington, US``) or coordinates ``lat,lon`` (deg).

This module is the dispatcher above :mod:`~equilibrium.geo.countries` (boundary polygons),
:mod:`~equilibrium.geo.sites` and :mod:`~equilibrium.geo.cities`; it imports them, none of them imports it.
An unknown spec of any form is answered with the closest specs of *every* kind (:func:`suggest_specs`), so
``site:karachi`` suggests ``city:Karachi, PK``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.geo.atlas import check_resolution
from equilibrium.geo.caches import register
from equilibrium.geo.cities import CITIES_SOURCE, CITIES_SOURCE_ID, City, city_table, resolve_city
from equilibrium.geo.countries import (
    DISPUTED_AREAS,
    DISPUTED_NAMES,
    POV,
    SUBREGIONS,
    US_SOURCES,
    WORLD_SOURCES,
    Region,
    _country,
    _subregion,
    boundary_info,
    country_features,
    find_polygon_region,
    iso_table,
    polygon_specs,
)
from equilibrium.geo.names import fold
from equilibrium.geo.sites import list_sites, resolve_site

__all__ = ["DISPUTED_AREAS", "KINDS", "POV", "SUBREGIONS", "US_SOURCES", "WORLD_SOURCES", "Region", "SpecEntry",
           "_country", "_subregion", "country_features", "list_regions", "parse_coords", "resolve_region",
           "search_regions", "suggest_specs"]

KINDS = ("country", "subregion", "area", "site", "city")
"""The kinds of named region spec, in the order listings show them (coordinates are a sixth form, unnamed)."""

POINT_BOUNDARY = "none: a point (no boundary line is involved)"
"""What a point region's ``boundary.dataset`` says."""

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_COORD_RE = re.compile(rf"^\s*({_NUM})\s*[,\s]\s*({_NUM})\s*$")
_COORDISH_RE = re.compile(r"^[\s\d.,;:+\-eE°NSWnsw]*\d[\s\d.,;:+\-eE°NSWnsw]*$")


def _looks_numeric_pair(text: str) -> bool:
    """True for ``"x,y"`` where either side is a number (so ``"NaN,1"`` is judged as coordinates)."""
    if "," not in text:
        return False
    return any(re.fullmatch(rf"\s*{_NUM}\s*", side) is not None for side in text.split(","))


def parse_coords(text: str) -> tuple[float, float]:
    """Parse ``"lat,lon"`` (deg; also ``"lat lon"``) → ``(lat, lon)``; :class:`InvalidInput` if malformed.

    Latitude must lie in [-90, 90] and longitude in [-180, 180] (deg).
    """
    m = _COORD_RE.match(text)
    if not m:
        raise InvalidInput(f"malformed coordinates {text!r}: expected 'lat,lon' in decimal degrees, "
                           "e.g. '33.7,73.1'")
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90.0 <= lat <= 90.0):
        raise InvalidInput(f"latitude {lat} in {text!r} is outside [-90, 90] degrees")
    if not (-180.0 <= lon <= 180.0):
        raise InvalidInput(f"longitude {lon} in {text!r} is outside [-180, 180] degrees")
    return lat, lon


def _point_region(spec: str, name: str, kind: str, iso3: str | None, lat: float, lon: float,
                  location: str, source_ids: tuple[str, ...] | list[str], resolution: str,
                  extra: dict[str, Any] | None = None, note: str | None = None) -> Region:
    """A point region: no boundary line, so no point of view; ``location`` says where the point comes from."""
    return Region(spec=spec, name=name, kind=kind, iso3=iso3, geometry=_shapely_point(lon, lat),
                  boundary={**boundary_info(POINT_BOUNDARY, None, source_ids, None), "location": location},
                  resolution=resolution, note=note, extra={"lat": lat, "lon": lon, **(extra or {})})


def _shapely_point(lon: float, lat: float) -> Any:
    import shapely

    return shapely.Point(lon, lat)


def _not_found(text: str) -> NotFound:
    return NotFound("region", text, suggest_specs(text))


def resolve_region(spec: str, resolution: str = "10m") -> Region:
    """Resolve a region spec (see module docstring) at boundary ``resolution`` (``"10m"`` or ``"50m"``).

    Raises :class:`NotFound` (with up to three suggestions of any spec kind) for an unknown name,
    :class:`InvalidInput` for malformed or out-of-range coordinates, :class:`MissingDependency` if the boundary
    files are absent.
    """
    check_resolution(resolution)
    if not isinstance(spec, str) or not spec.strip():
        raise InvalidInput("empty region spec")
    text = spec.strip()
    low = text.casefold()
    if low.startswith("site:"):
        try:
            s = resolve_site(text[5:].strip())
        except NotFound:
            raise _not_found(text) from None
        return _point_region(f"site:{s.id}", s.name, "site", s.country, s.lat, s.lon,
                             "named site (equilibrium data/sites)" if s.kind != "capital"
                             else "national capital (GeoNames)", s.source_ids, resolution,
                             extra={"unverified": s.unverified}, note=s.note)
    if low.startswith("city:"):
        try:
            c = resolve_city(text[5:].strip())
        except NotFound:
            raise _not_found(text) from None
        return _point_region(f"city:{c.label}", c.label, "city", None, c.lat, c.lon,
                             f"city location from {CITIES_SOURCE}", (CITIES_SOURCE_ID,), resolution,
                             extra={"population": c.population, "country": c.country})
    if _COORDISH_RE.match(text) or _looks_numeric_pair(text):
        lat, lon = parse_coords(text)
        return _point_region(f"{lat:g},{lon:g}", f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'}, "
                             f"{abs(lon):.4f}°{'E' if lon >= 0 else 'W'}", "point", None, lat, lon,
                             "user coordinates (WGS-84)", (), resolution)
    found = find_polygon_region(text, resolution)
    if found is None:
        raise _not_found(text)
    return found


# ------------------------------------------------------------------------------------------- listing, search


@dataclass(frozen=True)
class SpecEntry:
    """One nameable region spec: ``spec`` (what to type), ``name``, ``kind`` (:data:`KINDS`), ``iso3`` of the
    country it lies in or belongs to (``None`` for an un-coded area), ``disputed`` (an area whose sovereignty is
    contested), ``aliases`` (other names it is found by), ``population`` (persons, cities only)."""

    spec: str
    name: str
    kind: str
    iso3: str | None
    disputed: bool = False
    aliases: tuple[str, ...] = ()
    population: int | None = None


@cache
def spec_entries(resolution: str = "10m") -> tuple[SpecEntry, ...]:
    """Every named spec except cities (countries, sub-regions, areas, sites), in :data:`KINDS` order."""
    out = [SpecEntry(r["spec"], r["name"], r["kind"], r["iso3"], r["disputed"], DISPUTED_NAMES.get(r["spec"], ()))
           for r in polygon_specs(resolution)]
    out.extend(SpecEntry(f"site:{s.id}", s.name, "site", s.country, aliases=(s.id, *s.aliases))
               for s in list_sites())
    return tuple(sorted(out, key=lambda e: KINDS.index(e.kind)))


@cache
def _iso2_to_iso3() -> dict[str, str]:
    return {row["iso2"]: row["iso3"] for row in iso_table().values()}


def _city_entry(c: City) -> SpecEntry:
    return SpecEntry(f"city:{c.label}", c.label, "city", _iso2_to_iso3().get(c.country), population=c.population)


_FUZZY_CITIES = 8000
"""Cities searched by fuzzy name (the most populous); every city is found by its exact name."""


@cache
def _search_keys(resolution: str) -> tuple[list[str], list[tuple[str, SpecEntry]]]:
    """Folded searchable keys (spec, name, aliases; city names and labels) and, per key, (key, entry)."""
    rows: list[tuple[str, SpecEntry]] = []
    for e in spec_entries(resolution):
        for key in dict.fromkeys((e.spec, e.name, *e.aliases)):
            rows.append((fold(key), e))
    for c in city_table().cities[:_FUZZY_CITIES]:
        e = _city_entry(c)
        rows.append((fold(c.name), e))
        rows.append((fold(c.label), e))
    return [k for k, _ in rows], rows


register("regions.spec_entries", spec_entries, "resolution ('10m' / '50m')", "fixed small set; unbounded")
register("regions._search_keys", _search_keys, "resolution ('10m' / '50m')",
         "fixed small set; unbounded; ~2 MB per entry")


def search_regions(query: str | None = None, kinds: Sequence[str] | None = None, limit: int | None = 25,
                   resolution: str = "10m") -> list[tuple[SpecEntry, float]]:
    """Specs matching ``query`` with their score (0–100), best first; every named spec but cities when ``query``
    is empty (score 100, in :data:`KINDS` order).

    A query matches a spec or a name exactly (accents and case ignored; score 100), an alias or a city's alternate
    name exactly (95), or fuzzily (rapidfuzz WRatio ≥ 75 on names, aliases and, for the 8,000 most populous
    cities, ``Name, CC`` labels; score × 0.94). A ``site:`` or ``city:`` prefix is ignored (``kinds`` restricts
    the kind). Ties: disputed areas first, then kind order, then population.
    """
    check_resolution(resolution)
    want = set(kinds) if kinds else set(KINDS)
    unknown = want - set(KINDS)
    if unknown:
        raise InvalidInput(f"unknown region kind {sorted(unknown)[0]!r}; known: {', '.join(KINDS)}")
    text = re.sub(r"^(site|city):\s*", "", (query or "").strip(), flags=re.IGNORECASE)
    if not text:
        listed = [(e, 100.0) for e in spec_entries(resolution) if e.kind in want]
        return listed[:limit] if limit else listed
    q = fold(text)
    scores: dict[str, tuple[float, SpecEntry]] = {}

    def add(e: SpecEntry, score: float) -> None:
        if e.kind in want and score > scores.get(e.spec, (-1.0, e))[0]:
            scores[e.spec] = (score, e)

    keys, rows = _search_keys(resolution)
    for key, e in rows:
        if key == q:
            add(e, 100.0 if key in (fold(e.spec), fold(e.name)) else 95.0)
    if "city" in want:
        table = city_table()
        name, _, cc = q.rpartition(",") if "," in q else (q, "", "")
        for i in table.by_name.get(name.strip(), ())[:50]:
            c = table.cities[i]
            if not cc.strip() or c.country.casefold() == cc.strip():
                add(_city_entry(c), 100.0 if fold(c.name) == name.strip() else 95.0)
    from rapidfuzz import fuzz, process

    for _key, score, i in process.extract(q, keys, scorer=fuzz.WRatio, limit=100, score_cutoff=75):
        add(rows[i][1], float(score) * 0.94)  # below an exact match of a name or an alias
    ranked = sorted(scores.values(), key=lambda t: (-round(t[0], 6), not t[1].disputed, KINDS.index(t[1].kind),
                                                     -(t[1].population or 0), t[1].name))
    out = [(e, round(s, 1)) for s, e in ranked]
    return out[:limit] if limit else out


def suggest_specs(text: str, limit: int = 3, resolution: str = "10m") -> list[str]:
    """Up to ``limit`` specs of any kind close to ``text`` (its ``site:``/``city:`` prefix ignored, so a wrong
    kind still finds the place: ``site:karachi`` → ``city:Karachi, PK``)."""
    t = re.sub(r"^(site|city):\s*", "", text.strip(), flags=re.IGNORECASE)
    if not t:
        return []
    return [e.spec for e, _ in search_regions(t, limit=limit, resolution=resolution)]


def list_regions(resolution: str = "10m") -> list[dict[str, Any]]:
    """Every country, un-coded area and sub-region: ``{"spec", "name", "kind", "iso3"}`` (+ ``disputed``)."""
    out = []
    for r in polygon_specs(resolution):
        row = {k: r[k] for k in ("spec", "name", "kind", "iso3")}
        if r["kind"] == "area":
            row["disputed"] = r["disputed"]
        out.append(row)
    return out
