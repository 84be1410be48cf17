"""A small TopoJSON decoder (quantised, delta-encoded arcs) producing shapely 2 geometries.

We decode ourselves rather than depend on the PyPI ``topojson`` package: that package is an *encoder*
(GeoJSON → TopoJSON) and its reader goes through GeoPandas; the format's decoding is ~50 lines
(TopoJSON specification 1.0, §2.1.2 "transforms", §2.2.5 "arcs"): each arc is a list of positions, with
quantised topologies storing the first position absolute and the others as deltas, all in integer
quantisation units mapped to degrees by ``x = q * scale + translate``. A geometry's arc index ``i < 0``
means arc ``~i`` reversed. Coordinates are longitude/latitude in degrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
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


def _polygon(rings: list[list[int]], arcs: list[NDArray[np.float64]]) -> shapely.Polygon | None:
    """Polygon from rings of arc indices; rings collapsed by quantisation (< 4 positions) are dropped."""
    coords = [_ring(r, arcs) for r in rings]
    if len(coords[0]) < 4:
        return None
    return shapely.Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4])


def geometry(obj: dict[str, Any], arcs: list[NDArray[np.float64]]) -> BaseGeometry | None:
    """Shapely geometry (lon/lat deg) of one TopoJSON geometry object; ``None`` for a null geometry.

    Invalid polygons (self-touching rings after quantisation) are repaired part by part with
    ``shapely.make_valid(method="structure")``; parts that still touch or overlap are dissolved with
    ``shapely.union_all``.
    """
    kind = obj.get("type")
    if kind in ("Polygon", "MultiPolygon"):
        parts = [_polygon(p, arcs) for p in (obj["arcs"] if kind == "MultiPolygon" else [obj["arcs"]])]
        polys: list[shapely.Polygon] = []
        for p in parts:
            if p is not None:
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
