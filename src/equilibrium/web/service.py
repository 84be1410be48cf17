"""The library calls behind the API, cached per app.

:class:`GeoService` wraps :mod:`equilibrium.geo` (imported lazily, so that importing the web package has no
side effects and needs no boundary files). Heavy calls are memoised (bounded LRU, concurrent identical calls
computed once) on their ``(from, to, ...)`` keys; each app gets its own caches.

:meth:`GeoService.field` builds what the browser needs to redraw the reach polygon and the coverage figures
while a range slider moves, without a server round-trip:

* the geodesic distance raster of FROM (:func:`equilibrium.geo.reach.distance_field`), quantised to whole km
  as little-endian uint16 and base64-encoded, rows north to south, so the page contours it with d3-contour at
  any range;
* sample cells of TO (cell centres inside the target, with an area weight ∝ cos(latitude)) and the cities of
  TO, each with its distance from FROM (bilinear in the raster: approximate, for the live preview only; the
  exact figures come from ``/api/reach/coverage`` once the slider settles);
* FROM and TO outlines as GeoJSON with d3-geo's winding (clockwise exterior rings, *not* RFC 7946).

"""

from __future__ import annotations

import base64
import math
import os
import threading
import time
from collections import OrderedDict
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from equilibrium.web.answers import Gate as _Gate
from equilibrium.web.answers import Memo as _Memo
from equilibrium.web.answers import trim_memory
from equilibrium.web.jsonio import clean  # noqa: F401

FIELD_RESOLUTIONS = (0.25, 0.5, 1.0, 2.0)
"""Raster steps (degrees) the field endpoint accepts."""

MAX_CELLS = 4000
"""Upper bound on the number of target sample cells sent to the browser."""


def d3_winding(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` with clockwise exterior rings and counter-clockwise holes (d3-geo's spherical convention).

    RFC 7946 GeoJSON is the opposite; d3-geo reads a counter-clockwise ring as "the whole sphere minus it".
    Exact for polygons smaller than a hemisphere that do not cross the antimeridian (Natural Earth splits there).
    """
    if geom.geom_type == "Polygon":
        return orient(geom, sign=-1.0)
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        parts = [d3_winding(g) for g in geom.geoms]
        return type(geom)(parts) if geom.geom_type == "MultiPolygon" else shapely.GeometryCollection(parts)
    return geom


def outline(geom: BaseGeometry, tolerance_deg: float | None = None) -> dict[str, Any]:
    """A light GeoJSON geometry for drawing ``geom`` (simplified by ``tolerance_deg``, by default about 1/300 of
    the region's size, 0.01° to 0.1°; d3 winding)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        if tolerance_deg is None:
            tolerance_deg = min(max(math.sqrt(geom.area) / 300, 0.01), 0.1)
        simple = geom.simplify(tolerance_deg, preserve_topology=True)
        if simple.is_empty:
            simple = geom
        geom = d3_winding(shapely.set_precision(simple, 1e-4))
    return dict(mapping(geom))


def _rows_north_to_south(lats: np.ndarray, km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if lats.size > 1 and lats[0] < lats[-1]:
        return lats[::-1], km[::-1, :]
    return lats, km


def bilinear(lats: np.ndarray, lons: np.ndarray, km: np.ndarray, plat: np.ndarray, plon: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of the raster ``km`` (rows ``lats`` ascending, columns ``lons`` ascending, degrees)
    at points ``(plat, plon)`` in degrees; longitudes wrap, latitudes clamp. Returns km."""
    plat = np.clip(np.asarray(plat, dtype=float), lats[0], lats[-1])
    plon = np.asarray(plon, dtype=float)
    dlon = (lons[-1] - lons[0]) / max(lons.size - 1, 1)
    periodic = lons.size > 1 and abs(lons[-1] + dlon - lons[0] - 360.0) < 1e-6
    plon = (plon - lons[0]) % 360.0 + lons[0]
    fi = np.interp(plat, lats, np.arange(lats.size))
    if periodic:
        fj = (plon - lons[0]) / dlon
    else:
        fj = np.interp(plon, lons, np.arange(lons.size))
    i0 = np.clip(np.floor(fi).astype(int), 0, max(lats.size - 2, 0))
    j0 = np.floor(fj).astype(int)
    ti = np.clip(fi - i0, 0, 1)
    tj = fj - j0
    n = lons.size
    if periodic:
        j0 %= n
        j1 = (j0 + 1) % n
    else:
        j0 = np.clip(j0, 0, n - 2) if n > 1 else np.zeros_like(j0)
        j1 = np.minimum(j0 + 1, n - 1)
        tj = np.clip(fj - j0, 0, 1)
    i1 = np.minimum(i0 + 1, lats.size - 1)
    top = km[i0, j0] * (1 - tj) + km[i0, j1] * tj
    bot = km[i1, j0] * (1 - tj) + km[i1, j1] * tj
    return top * (1 - ti) + bot * ti


def sample_cells(geom: BaseGeometry, target: int = 1500) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Cell centres inside ``geom`` on a regular lat/lon grid fine enough for about ``target`` cells.

    Returns ``(lat, lon, weight, step_deg)``; ``weight`` is the cell's relative area (cos latitude × step²),
    summing to 1. A point (or a target too small for any cell) gives its representative point, weight 1.
    """
    if geom.is_empty:
        return np.zeros(0), np.zeros(0), np.zeros(0), 0.0
    if geom.geom_type in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        pts = [geom] if geom.geom_type == "Point" else list(getattr(geom, "geoms", [geom.representative_point()]))
        lat = np.array([p.y for p in pts], dtype=float)
        lon = np.array([p.x for p in pts], dtype=float)
        return lat, lon, np.full(lat.size, 1.0 / lat.size), 0.0
    minx, miny, maxx, maxy = geom.bounds
    area = max(geom.area, 1e-9)
    step = min(max(math.sqrt(area / target), 0.01), 2.0)
    shapely.prepare(geom)
    lat = lon = np.zeros(0)
    for _ in range(8):
        xs = np.arange(math.floor(minx / step) * step + step / 2, maxx, step)
        ys = np.arange(math.floor(miny / step) * step + step / 2, maxy, step)
        gx, gy = np.meshgrid(xs, ys)
        inside = shapely.contains_xy(geom, gx.ravel(), gy.ravel())
        lat, lon = gy.ravel()[inside], gx.ravel()[inside]
        if lat.size > MAX_CELLS:
            step *= math.sqrt(lat.size / target)
            continue
        if lat.size < target / 4 and step > 0.01:
            step = max(step / 2, 0.01)
            continue
        break
    if lat.size > MAX_CELLS:
        keep = np.linspace(0, lat.size - 1, MAX_CELLS).astype(int)
        lat, lon = lat[keep], lon[keep]
    if lat.size == 0:
        p = geom.representative_point()
        return np.array([p.y]), np.array([p.x]), np.array([1.0]), 0.0
    w = np.cos(np.radians(lat))
    return lat, lon, w / w.sum(), step


def encode_raster(km: np.ndarray) -> str:
    """Base64 of ``km`` rounded to whole km as little-endian uint16 (NaN → 65535, clipped to 0..65535)."""
    q = np.nan_to_num(np.asarray(km, dtype=np.float64), nan=65535.0, posinf=65535.0, neginf=0.0)
    q = np.clip(np.rint(q), 0, 65535).astype("<u2")
    return base64.b64encode(q.tobytes(order="C")).decode("ascii")


class GeoService:
    """Cached access to :mod:`equilibrium.geo` for one app (``cache_size`` entries per call kind)."""

    def __init__(self, cache_size: int = 64) -> None:
        # Bounded caches (an unbounded or generous one grows with every new spec a client sends: a 0.25° raster
        # is 8 MB, a field payload 3 MB); concurrent identical calls compute once.
        # Misses of the heavy kinds run at most (cores) at once; cached answers never wait.
        heavy = _Gate(os.cpu_count() or 1)
        self.region = _Memo(self._region, 256, json=False, gate=heavy)
        self.distance_field = _Memo(self._distance_field, 4, json=False, gate=heavy)
        self.distance = _Memo(self._distance, cache_size * 4, gate=heavy)
        self.coverage = _Memo(self._coverage, cache_size * 4, gate=heavy)
        self.systems = _Memo(self._systems, cache_size, gate=heavy)
        self.ring = _Memo(self._ring, cache_size, gate=heavy)
        self.field = _Memo(self._field, max(4, cache_size // 4), gate=heavy)
        self.regions = _Memo(self._regions, 1)

    # --- thin, cached library calls -------------------------------------------------------------------
    def _regions(self) -> list[dict[str, Any]]:
        from equilibrium.geo.regions import list_regions

        return list(list_regions())

    def _region(self, spec: str) -> Any:
        from equilibrium.geo.regions import resolve_region

        return resolve_region(spec)

    def _distance(self, frm: str, to: str) -> dict[str, Any]:
        from equilibrium.geo import reach

        self.region(frm), self.region(to)
        return dict(reach.distance(frm, to).to_dict())

    def _coverage(self, frm: str, to: str, range_km: float) -> dict[str, Any]:
        from equilibrium.geo import reach

        self.region(frm), self.region(to)
        return dict(reach.coverage(frm, to, range_km).to_dict())

    def _systems(self, frm: str, to: str) -> dict[str, Any]:
        from equilibrium.geo import reach

        self.region(frm), self.region(to)
        return dict(reach.systems(frm, to))

    def _ring(self, frm: str, range_km: float) -> dict[str, Any]:
        from equilibrium.geo import reach

        self.region(frm)
        return dict(reach.ring(frm, range_km))

    def _distance_field(self, frm: str, resolution_deg: float) -> Any:
        from equilibrium.geo import reach

        self.region(frm)
        return reach.distance_field(frm, resolution_deg=resolution_deg)

    def _cities(self, region: Any) -> list[Any]:
        from equilibrium.geo.cities import cities_in

        return list(cities_in(region))

    # --- the slider payload -----------------------------------------------------------------------------
    def _field(self, frm: str, to: str, resolution_deg: float) -> dict[str, Any]:
        src = self.region(frm)
        dst = self.region(to)
        f = self.distance_field(frm, resolution_deg)
        lats = np.asarray(f.lats, dtype=float)
        lons = np.asarray(f.lons, dtype=float)
        km = np.asarray(f.km, dtype=np.float32)
        lats_ns, km_ns = _rows_north_to_south(lats, km)
        asc = lats_ns[::-1]
        km_asc = km_ns[::-1, :]

        clat, clon, cw, step = sample_cells(dst.geometry)
        cd = bilinear(asc, lons, km_asc, clat, clon) if clat.size else np.zeros(0)

        cities = self._cities(dst)
        if cities:
            plat = np.array([c.lat for c in cities], dtype=float)
            plon = np.array([c.lon for c in cities], dtype=float)
            dcity = bilinear(asc, lons, km_asc, plat, plon)
        else:
            dcity = np.zeros(0)
        city_rows = sorted(
            ({"name": c.name, "country": c.country, "lat": round(float(c.lat), 4), "lon": round(float(c.lon), 4),
              "population": int(c.population), "distance_km": round(float(d), 1)}
             for c, d in zip(cities, dcity, strict=True)),
            key=lambda r: -r["population"])

        dlat = float(lats_ns[1] - lats_ns[0]) if lats_ns.size > 1 else -resolution_deg
        dlon = float(lons[1] - lons[0]) if lons.size > 1 else resolution_deg
        if abs(lons.size * dlon - 360.0) < 1e-6:
            # A full circle of cell centres: repeat the first column east of the last so that contours run
            # continuously up to the antimeridian.
            km_ns = np.concatenate([km_ns, km_ns[:, :1]], axis=1)
        boundary = getattr(dst, "boundary", None) or getattr(src, "boundary", None) or {}
        return {
            "from": {"spec": src.spec, "name": src.name, "kind": src.kind},
            "to": {"spec": dst.spec, "name": dst.name, "kind": dst.kind},
            "resolution_deg": resolution_deg,
            "grid": {
                "nx": int(km_ns.shape[1]), "ny": int(km_ns.shape[0]),
                "lon0": float(lons[0]), "lat0": float(lats_ns[0]), "dlon": dlon, "dlat": dlat,
                "order": "row-major, rows north to south, columns west to east",
                "encoding": "base64 little-endian uint16, whole km (65535 = no data)",
                "max_km": float(np.nanmax(km)) if km.size else 0.0,
                "data": encode_raster(km_ns),
            },
            "cells": {
                "step_deg": step,
                "lat": np.round(clat, 4), "lon": np.round(clon, 4),
                "weight": np.round(cw, 8), "distance_km": np.round(cd, 1),
            },
            "cities": city_rows,
            "from_geometry": outline(src.geometry),
            "to_geometry": outline(dst.geometry),
            "winding": "d3-geo (clockwise exterior rings), not RFC 7946",
            "boundary": boundary,
            "method": ("distance raster from geo.reach.distance_field; cell and city distances bilinear in the "
                       "raster (preview only; exact figures from /api/reach/coverage)"),
        }
