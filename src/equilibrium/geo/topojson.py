"""A small TopoJSON decoder (quantised, delta-encoded arcs) producing shapely 2 geometries.

We decode ourselves rather than depend on the PyPI ``topojson`` package: that package is an *encoder*
(GeoJSON → TopoJSON) and its reader goes through GeoPandas; the format's decoding is ~50 lines
(TopoJSON specification 1.0, §2.1.2 "transforms", §2.2.5 "arcs"): each arc is a list of positions, with
quantised topologies storing the first position absolute and the others as deltas, all in integer
quantisation units mapped to degrees by ``x = q * scale + translate``. A geometry's arc index ``i < 0``
means arc ``~i`` reversed. Coordinates are longitude/latitude in degrees.

world-atlas rings have spherical semantics (d3-geo), which a flat lon/lat polygon does not share in two cases,
both handled by :func:`planar_polygons`:

- a ring crossing the antimeridian (Russia, Fiji) steps from about +180° to about −180° (consecutive
  longitudes differing by more than 180°). It is unwrapped (each such step taken the short way round) and
  cut at ±180°, the crossing latitude interpolated linearly; the parts are moved back within ±180° and
  closed along the ±180° meridian;
- a ring going once round a pole (Antarctica's coast: its longitudes advance by a net ±360°) encloses that
  pole; it is closed along the pole (lat ±90°) and cut at ±180° the same way. In the 1:50m file,
  Antarctica's exterior ring is a line along the pole itself (lat −89.999°) and the coast is a hole ring
  round the pole; such a degenerate polar ring (no latitude extent) stands for the pole and is dropped, and
  the regions bounded by several polar rings of one polygon combine by symmetric difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry


def decode_arcs(topology: dict[str, Any]) -> list[NDArray[np.float64]]:
    """Absolute arc coordinates (deg): one ``(n, 2)`` array of (lon, lat) per arc."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        a = np.asarray(arc, dtype=np.float64)[:, :2]
        if transform:
            a = np.cumsum(a, axis=0) * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(a)
    return arcs


def _ring(indices: list[int], arcs: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    parts = []
    for k, i in enumerate(indices):
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(a if k == 0 else a[1:])  # consecutive arcs share their junction point
    ring = np.concatenate(parts)
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return ring


def _polygon(rings: list[list[int]], arcs: list[NDArray[np.float64]]) -> list[shapely.Polygon]:
    """Polygon parts (lon/lat deg, within ±180°) from rings of arc indices.

    Rings collapsed by quantisation (< 4 positions) are dropped. A polygon with a ring crossing the
    antimeridian is made planar by :func:`planar_polygons`; others are returned as decoded.
    """
    coords = [_ring(r, arcs) for r in rings]
    if len(coords[0]) < 4:
        return []
    if any(_crosses(c) for c in coords):
        return planar_polygons(coords)
    return [shapely.Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4])]


def _crosses(ring: NDArray[np.float64]) -> bool:
    """True when consecutive longitudes (deg) of ``ring`` differ by more than 180° (a step across ±180°)."""
    return bool(len(ring) > 1 and np.abs(np.diff(ring[:, 0])).max() > 180.0)


def _unwrap(lon: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitudes (deg) made continuous: steps larger than 180° are taken the short way round."""
    if len(lon) < 2:
        return lon
    d = (np.diff(lon) + 180.0) % 360.0 - 180.0
    return np.concatenate([lon[:1], lon[0] + np.cumsum(d)])


_POLE_LINE_DEG = 89.9
"""|latitude| (deg) above which a ring of constant latitude is taken as a line along the pole itself."""

_WINDOWS = tuple((k, shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)) for k in (-1, 0, 1))


def _fold(geom: BaseGeometry) -> BaseGeometry:
    """An unwrapped lon/lat geometry (lon within ±540°) cut at ±180° (deg) and moved back within ±180°."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    out: list[shapely.Polygon] = []
    for k, window in _WINDOWS:
        part = shapely.intersection(geom, window)
        if not part.is_empty:
            out.extend(polygons(shapely.affinity.translate(part, xoff=-360.0 * k) if k else part))
    return shapely.MultiPolygon(out) if out else shapely.MultiPolygon()


def _ring_region(ring: NDArray[np.float64]) -> tuple[BaseGeometry, bool]:
    """The planar region (lon/lat deg within ±180°) enclosed by one ring, and whether it goes round a pole.

    A polar ring is closed along the pole on the side of its mean latitude (lat ±90°); a degenerate one (no
    latitude extent and within :data:`_POLE_LINE_DEG` of the pole: a line along the pole itself) encloses
    nothing. A ring at constant latitude away from the pole (a parallel) is an ordinary polar cap.
    """
    lon, lat = ring[:, 0], ring[:, 1]
    lon_u = _unwrap(lon)
    if abs(lon_u[-1] - lon_u[0]) > 180.0:  # net ±360°: goes once round a pole
        if np.ptp(lat) < 1e-6 and abs(lat.mean()) > _POLE_LINE_DEG:  # a line along the pole itself
            return shapely.MultiPolygon(), True
        pole = -90.0 if lat.mean() < 0 else 90.0
        coords = np.vstack([np.column_stack([lon_u, lat]), [[lon_u[-1], pole], [lon_u[0], pole]]])
        return _fold(shapely.Polygon(coords)), True
    return _fold(shapely.Polygon(np.column_stack([lon_u, lat]))), False


def planar_polygons(rings: list[NDArray[np.float64]]) -> list[shapely.Polygon]:
    """Planar polygons (lon/lat deg, within ±180°) of one spherical polygon given as closed rings (deg).

    ``rings[0]`` is the exterior, the others holes, each an ``(n, 2)`` array of (lon, lat). Rings crossing
    the antimeridian are cut at ±180°; rings going round a pole are closed along it (see module docstring).
    The result is the exterior's region (or the symmetric difference of the polar rings' regions when the
    exterior goes round a pole) less the other holes' regions.
    """
    regions = [_ring_region(r) for r in rings if len(r) >= 4]
    if not regions:
        return []
    if regions[0][1]:
        base: BaseGeometry = shapely.MultiPolygon()
        for g, polar in regions:
            if polar:
                base = shapely.symmetric_difference(base, g)
        holes = [g for g, polar in regions[1:] if not polar]
    else:
        base = regions[0][0]
        holes = [g for g, _ in regions[1:]]
    if holes:
        base = shapely.difference(base, shapely.union_all(holes))
    return polygons(base)


def geometry(obj: dict[str, Any], arcs: list[NDArray[np.float64]]) -> BaseGeometry | None:
    """Shapely geometry (lon/lat deg, within ±180°) of one TopoJSON geometry object; ``None`` for a null one.

    Polygons crossing the antimeridian or going round a pole are made planar (see module docstring).

    Invalid polygons (self-touching rings after quantisation) are repaired part by part with
    ``shapely.make_valid(method="structure")``; parts that still touch or overlap are dissolved with
    ``shapely.union_all``.
    """
    kind = obj.get("type")
    if kind in ("Polygon", "MultiPolygon"):
        polys: list[shapely.Polygon] = []
        for rings in obj["arcs"] if kind == "MultiPolygon" else [obj["arcs"]]:
            for p in _polygon(rings, arcs):
                polys.extend([p] if p.is_valid else _repair(p))
        if not polys:
            return None
        geom: BaseGeometry = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
    elif kind is None:
        return None
    else:
        raise ValueError(f"unsupported TopoJSON geometry type {kind!r}")
    if not geom.is_valid:  # parts touching along an edge or overlapping after quantisation: dissolve
        polys = polygons(shapely.union_all(polygons(geom)))
        if not polys:
            return None
        geom = shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0]
    return geom


def _repair(p: shapely.Polygon) -> list[shapely.Polygon]:
    return polygons(shapely.make_valid(p, method="structure", keep_collapsed=False))


def polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    """Every non-empty Polygon inside ``geom`` (exploding multi-parts and collections recursively)."""
    if isinstance(geom, shapely.Polygon):
        return [] if geom.is_empty else [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def features(topology: dict[str, Any], name: str) -> Iterator[tuple[str | None, dict[str, Any], BaseGeometry]]:
    """Yield ``(id, properties, geometry)`` for every non-null geometry of object ``name``."""
    arcs = decode_arcs(topology)
    for obj in topology["objects"][name]["geometries"]:
        geom = geometry(obj, arcs)
        if geom is None or geom.is_empty:
            continue
        yield obj.get("id"), obj.get("properties") or {}, geom
