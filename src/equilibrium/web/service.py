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

:class:`TrajectoryService` wraps :mod:`equilibrium.trajectory` (flights take seconds): every result is memoised on
its request, concurrent identical requests compute once, and :func:`reach_polygon` turns the range by launch azimuth
into a GeoJSON polygon with the same d3-geo winding.
"""

from __future__ import annotations

import base64
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
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


# ------------------------------------------------------------------------------------------------- trajectory

REACH_POLYGON_AZIMUTHS = 72
"""Directions (every 5°) of the physics reach polygon drawn from the launch point."""

MAX_POLYGON_RANGE_KM = 19_900.0
"""Ranges are clipped here for the polygon: beyond it the geodesic passes the antipode and the ring folds."""


def _engine_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the trajectory engine; arithmetic failures on an odd vehicle become :class:`InvalidInput` (422),
    never a 500."""
    from equilibrium.errors import EquilibriumError, InvalidInput

    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except EquilibriumError:
        raise
    except (ArithmeticError, ValueError, IndexError) as exc:
        raise InvalidInput(f"the trajectory engine could not fly this vehicle: {exc}") from exc


def _earth(non_rotating: bool) -> Any:
    from equilibrium.trajectory import WGS84, EarthModel

    return EarthModel(omega=0.0, name="WGS-84, J2 gravity, not rotating") if non_rotating else WGS84


def reach_polygon(launch_point: tuple[float, float], azimuth_deg: list[float], range_km: list[float],
                  n: int = REACH_POLYGON_AZIMUTHS) -> dict[str, Any]:
    """GeoJSON Feature (Polygon) of the azimuth-dependent reach from ``launch_point`` (lat, lon in degrees): the
    WGS-84 geodesic of the range (km, interpolated periodically in the profile) in each of ``n`` directions.

    The ring runs in order of increasing azimuth (north, east, south, west): clockwise, with the launch point on
    its right, which is d3-geo's spherical convention for "the region inside" at any size, across the antimeridian
    or round a pole (*not* RFC 7946). Directions where no flight impacted are interpolated from their neighbours.
    """
    from pyproj import Geod

    lat0, lon0 = float(launch_point[0]), float(launch_point[1])
    xs = np.asarray(azimuth_deg, dtype=float) % 360.0
    ys = np.asarray(range_km, dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    props: dict[str, Any] = {"launch_point": [lat0, lon0], "azimuths": n,
                             "winding": "d3-geo (clockwise, increasing azimuth), not RFC 7946"}
    if not ok.any():
        return {"type": "Feature", "geometry": None, "properties": {**props, "note": "no direction impacted"}}
    xs, ys = xs[ok], ys[ok]
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    az = np.arange(n) * (360.0 / n)
    r = np.interp(az, np.concatenate([xs - 360.0, xs, xs + 360.0]), np.concatenate([ys, ys, ys]))
    r = np.clip(r, 0.0, MAX_POLYGON_RANGE_KM)
    lon, lat, _ = Geod(ellps="WGS84").fwd(np.full(n, lon0), np.full(n, lat0), az, r * 1e3)
    ring = [[round(float(x), 4), round(float(y), 4)] for x, y in zip(lon, lat, strict=True)]
    ring.append(ring[0])
    props.update({"min_range_km": float(r.min()), "max_range_km": float(r.max()),
                  "clipped": bool((r >= MAX_POLYGON_RANGE_KM).any())})
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}


class TrajectoryService:
    """Cached access to :mod:`equilibrium.trajectory` for one app. Flights take seconds, so every result is
    memoised on its request (``cache_size`` per kind); catalogue vehicles are memoised on the system id.

    A vehicle is named by ``("system", name)`` or ``("vehicle", json)`` (the spec's canonical JSON), hashable.
    """

    def __init__(self, geo: GeoService | None = None, cache_size: int = 64,
                 runner: Callable[..., Any] | None = None) -> None:
        self.geo = geo or GeoService()
        self.runner = runner
        self.system_vehicle = _Memo(partial(self._run, "system_vehicle_raw"), 128)
        self._sv_objects: dict[str, Any] = {}
        self.templates = _Memo(self._templates, 1)
        self.system = _Memo(self._system, 128)
        self.max_range = _Memo(partial(self._run, "max_range"), cache_size)
        self.payload_range = _Memo(partial(self._run, "payload_range"), cache_size)
        self.loft = _Memo(partial(self._run, "loft"), cache_size)
        self.size = _Memo(self._size, cache_size)
        self.reach = _Memo(self._reach_checked, cache_size)

    def _run(self, task: str, *args: Any) -> Any:
        """``self._<task>(*args)``: in a worker process under the time budget when the service has a ``runner``
        (:meth:`equilibrium.web.physics.WorkerPool.call`), else here."""
        if self.runner is not None:
            return self.runner(task, *args)
        return getattr(self, "_" + task)(*args)

    # --- vehicles ---------------------------------------------------------------------------------------
    def _system_vehicle_raw(self, system_id: str) -> dict[str, Any]:
        from equilibrium.trajectory import system_vehicle

        sv = _engine_call(system_vehicle, system_id)
        self._sv_objects[system_id] = sv.vehicle
        return {"about": sv.to_dict(), "vehicle": sv.vehicle.model_dump(mode="json", exclude_none=True)}

    def _resolve(self, source: tuple[str, str]) -> tuple[Any, dict[str, Any]]:
        """``(Vehicle, about)`` of a vehicle source; ``about`` is ``{"system": {...}}`` or ``{"vehicle": ...}``."""
        from equilibrium.trajectory import Vehicle

        kind, value = source
        if kind == "system":
            from equilibrium.catalog import catalog

            system_id = catalog().find(value).id
            sv = self.system_vehicle(system_id)
            vehicle = self._sv_objects.get(system_id) or Vehicle.model_validate(sv["vehicle"])
            return vehicle, {"system": sv["about"]}
        vehicle = Vehicle.model_validate_json(value)
        return vehicle, {"vehicle": {"name": vehicle.name, "launch_mass_kg": vehicle.launch_mass_kg,
                                     "payload_kg": vehicle.payload_kg, "stages": len(vehicle.stages)}}

    # --- endpoints --------------------------------------------------------------------------------------
    def _templates(self) -> dict[str, Any]:
        from equilibrium.trajectory import templates

        return {"templates": [t.summary() for t in templates().values()]}

    def _system(self, name: str) -> dict[str, Any]:
        from equilibrium.catalog import catalog

        s = catalog().find(name)
        sv = self.system_vehicle(s.id)
        return {**sv["about"], "class": s.cls, "country": s.country, "propellant": s.propellant,
                "catalogue_range_km": s.range.summary(), "vehicle": sv["vehicle"]}

    def _max_range(self, source: tuple[str, str], launch: tuple[float, float, float], non_rotating: bool,
                   history: bool) -> dict[str, Any]:
        from equilibrium.trajectory import Launch, max_range

        vehicle, about = self._resolve(source)
        res = _engine_call(max_range, vehicle, Launch(*launch), earth=_earth(non_rotating), record=history)
        out = dict(res.to_dict())
        if not history:
            out.pop("history", None)
        out.update(about)
        return out

    def _payload_range(self, source: tuple[str, str], payloads_kg: tuple[float, ...] | None,
                       launch: tuple[float, float, float], non_rotating: bool) -> dict[str, Any]:
        from equilibrium.trajectory import Launch, default_payloads, payload_range

        vehicle, about = self._resolve(source)
        payloads = list(payloads_kg) if payloads_kg else default_payloads(vehicle)
        points = _engine_call(payload_range, vehicle, payloads, Launch(*launch), earth=_earth(non_rotating))
        return {"points": points, "launch": {"lat_deg": launch[0], "lon_deg": launch[1], "azimuth_deg": launch[2]},
                "earth": _earth(non_rotating).name, **about}

    def _loft(self, template: str, apogee_km: float, range_km: float, time_s: float | None, fit: str,
              rotating: bool, launch: tuple[float, float, float]) -> dict[str, Any]:
        from equilibrium.trajectory import Launch, get_template, loft_fit

        earth = _earth(not rotating)
        res = _engine_call(loft_fit, get_template(template), apogee_km, range_km, time_s, fit=fit,
                           launch=Launch(*launch), earth=earth)
        out = dict(res.to_dict())
        out["standard"] = {k: v for k, v in out["standard"].items() if k != "history"}
        out["earth"] = earth.name
        return out

    def _size(self, template: str, payload_kg: float, range_km: float | None, frm: str | None,
              to: str | None) -> dict[str, Any]:
        from equilibrium.errors import InvalidInput

        target: dict[str, Any] | None = None
        if range_km is None:
            if not (frm and to):
                raise InvalidInput("give range_km, or from and to")
            dist = self.geo.distance(frm, to)
            range_km = float(dist["nearest_km"])
            target = {"from": dist["from"], "to": dist["to"], "nearest_km": dist["nearest_km"],
                      "full_coverage_km": dist["full_coverage_km"], "used": "nearest_km"}
            if not range_km > 0:
                raise InvalidInput(f"{frm} and {to} touch or overlap (nearest distance 0 km): nothing to size")
        out = dict(self._run("size_flight", template, float(range_km), float(payload_kg)))
        if target is not None:
            out["target"] = target
        return out

    def _size_flight(self, template: str, range_km: float, payload_kg: float) -> dict[str, Any]:
        from equilibrium.trajectory import get_template, size

        return dict(_engine_call(size, get_template(template), range_km, payload_kg).to_dict())

    def _reach_checked(self, frm: str, to: str, source: tuple[str, str]) -> dict[str, Any]:
        self.geo.region(frm), self.geo.region(to)  # unknown regions: 404 here, before a worker is busied
        return dict(self._run("reach", frm, to, source))

    def _reach(self, frm: str, to: str, source: tuple[str, str]) -> dict[str, Any]:
        from equilibrium.trajectory.reach import physics_reach

        self.geo.region(frm), self.geo.region(to)
        vehicle, about = self._resolve(source)
        out = dict(_engine_call(physics_reach, frm, to, vehicle))
        out.update(about)
        prof = out["azimuth_profile"]
        lat0, lon0 = out["launch_point"]
        out["polygon"] = reach_polygon((float(lat0), float(lon0)), list(prof["azimuth_deg"]), list(prof["range_km"]))
        return out
