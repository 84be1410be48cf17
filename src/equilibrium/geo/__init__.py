"""Geography and geodesy: boundaries, regions, cities, sites, WGS-84 geodesics and missile reach.

Pure library code (no CLI, web or plotting). Importing this package has no side effects and loads nothing;
boundary files, city lists and indexes are loaded on first use and cached per process.

Main entry points (distances in km and coordinates in degrees in every ``to_dict()``):

* :func:`equilibrium.geo.regions.resolve_region`, :func:`~equilibrium.geo.regions.list_regions`
* :func:`equilibrium.geo.regions.search_regions`: every spec kind, fuzzy names
* :func:`equilibrium.geo.distance.distance`, :func:`equilibrium.geo.coverage.coverage`,
  :func:`equilibrium.geo.rings.ring`, :func:`equilibrium.geo.field.distance_field`,
  :func:`equilibrium.geo.field.field_payload` (one module per algorithm)
* :func:`equilibrium.geo.geodesic.inverse`, :func:`~equilibrium.geo.geodesic.direct`
* :func:`equilibrium.geo.cities.resolve_city`, :func:`~equilibrium.geo.cities.cities_in`
* :func:`equilibrium.geo.caches.cache_info`: size and bound of every geo cache (caches keyed by user-chosen
  specs are bounded LRUs)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "resolve_region": "regions", "list_regions": "regions", "search_regions": "regions", "Region": "countries",
    "distance": "distance", "coverage": "coverage", "ring": "rings", "distance_field": "field",
    "field_payload": "field", "DistanceResult": "distance", "CoverageResult": "coverage", "DistanceField": "field",
    "inverse": "geodesic", "direct": "geodesic",
    "City": "cities", "resolve_city": "cities", "cities_in": "cities",
    "resolve_site": "sites", "list_sites": "sites",
    "cache_info": "caches",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Lazy re-export of the submodules' public names (keeps ``import equilibrium.geo`` free)."""
    if name in _EXPORTS:
        return getattr(import_module(f"equilibrium.geo.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'equilibrium.geo' has no attribute {name!r}")
