"""Boundary indexes for exact geodesic distance queries between regions.

A :class:`BoundaryIndex` holds a region's boundary (every ring of every polygon, exteriors and holes) as
vertices with next/previous links (edges), the vertices' Earth-centred coordinates on the WGS-84 ellipsoid
and a :class:`scipy.spatial.cKDTree` over them. Edges longer than :data:`MAX_EDGE_M` are split by linear
interpolation in longitude/latitude (the data's own edge model, e.g. borders along a parallel), so every
edge is at most 10 km long; each edge is then treated as a geodesic segment, the difference being
< 10 m for a 10 km edge. Splitting changes no result: the split points lie on the original edges.

Distances are in metres, angles in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from equilibrium.geo.geodesic import (
    A_M,
    B_M,
    chord_upper_m,
    inverse,
    segment_extreme,
    to_ecef,
)

MAX_EDGE_M = 10_000.0
"""Longest boundary edge kept (m); longer edges are split."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _workers(n: int) -> int:
    """Threads for a k-d tree query of ``n`` points (threads only pay off for large batches)."""
    return -1 if n > 20_000 else 1


def geodesic_lower_m(chord_m: FloatArray | float) -> FloatArray:
    """Lower bound (m) of the geodesic length between ellipsoid points a chord ``chord_m`` (m) apart.

    Inverse of :func:`~equilibrium.geo.geodesic.chord_upper_m`: s ≥ b·θ with cos θ the larger of
    ``1 − c²/2a²`` and ``(a² + b² − c²) / 2ab``.
    """
    c = np.asarray(chord_m, dtype=np.float64)
    cos_t = np.maximum(1 - c * c / (2 * A_M * A_M), (A_M * A_M + B_M * B_M - c * c) / (2 * A_M * B_M))
    return np.asarray(B_M * np.arccos(np.clip(cos_t, -1.0, 1.0)))


def _rings(geom: BaseGeometry) -> list[FloatArray]:
    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords, dtype=np.float64)[:, :2]
            if len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
                xy = xy[:-1]
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(np.diff(xy, axis=0) != 0, axis=1)
            xy = xy[keep]
            if len(xy) >= 3:
                out.append(xy)
    return out


def _densify(xy: FloatArray) -> FloatArray:
    """Split the closed ring's edges longer than MAX_EDGE_M by linear interpolation in lon/lat (deg)."""
    nxt = np.roll(xy, -1, axis=0)
    s = inverse(xy[:, 1], xy[:, 0], nxt[:, 1], nxt[:, 0])[0]
    pieces = np.maximum(1, np.ceil(s / MAX_EDGE_M).astype(np.int64))
    if pieces.max() == 1:
        return xy
    idx = np.repeat(np.arange(len(xy)), pieces)
    start = np.repeat(np.cumsum(pieces) - pieces, pieces)
    frac = (np.arange(idx.size) - start) / pieces[idx]
    return np.asarray(xy[idx] + (nxt[idx] - xy[idx]) * frac[:, None], dtype=np.float64)


@dataclass(eq=False)
class BoundaryIndex:
    """Vertices (deg), edge links, ECEF coordinates (m) and k-d tree of one region's boundary.

    Edge ``i`` runs from vertex ``i`` to vertex ``nxt[i]``; ``edge_m[i]`` is its geodesic length (m).
    A point region has one vertex and no edges (``nxt[0] == 0``, ``edge_m[0] == 0``).
    """

    geometry: BaseGeometry
    lat: FloatArray
    lon: FloatArray
    nxt: IntArray
    prv: IntArray
    xyz: FloatArray
    tree: Any  # scipy.spatial.cKDTree (scipy is imported when an index is built: ~0.5 s)
    edge_m: FloatArray
    is_point: bool

    @property
    def max_edge_m(self) -> float:
        """Longest edge (m)."""
        return float(self.edge_m.max()) if self.edge_m.size else 0.0

    @property
    def size(self) -> int:
        """Number of vertices."""
        return int(self.lat.size)

    @cached_property
    def hull(self) -> IntArray:
        """Indices of the vertices on the 3-D convex hull of the ECEF vertices (the candidates for the
        farthest vertex from any point, by chord)."""
        if self.size < 8:
            return np.arange(self.size)
        from scipy.spatial import ConvexHull, QhullError

        try:
            return np.asarray(ConvexHull(self.xyz).vertices, dtype=np.int64)
        except (QhullError, ValueError):
            return np.arange(self.size)

    def contains(self, lat: FloatArray, lon: FloatArray) -> NDArray[np.bool_]:
        """Whether each point (deg) lies inside or on the region (always False for a point region)."""
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        out = np.zeros(lat.shape, dtype=bool)
        if self.is_point or lat.size == 0:
            return out
        x0, y0, x1, y1 = self.geometry.bounds
        m = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        if m.any():
            out[m] = shapely.intersects_xy(self.geometry, lon[m], lat[m])
        return out

    def nearest_vertices(self, lat: FloatArray, lon: FloatArray, k: int = 4
                         ) -> tuple[FloatArray, IntArray]:
        """Exact geodesic distance (m) to the closest of the ``k`` chord-nearest vertices, and its index."""
        lat = np.asarray(lat, dtype=np.float64).reshape(-1)
        lon = np.asarray(lon, dtype=np.float64).reshape(-1)
        k = max(1, min(k, self.size))
        _, j = self.tree.query(to_ecef(lat, lon), k=k, workers=_workers(lat.size))
        j = np.asarray(j, dtype=np.int64).reshape(lat.size, k)
        d = inverse(lat[:, None], lon[:, None], self.lat[j], self.lon[j])[0]
        best = np.argmin(d, axis=1)
        rows = np.arange(lat.size)
        return d[rows, best], j[rows, best]

    def distance(self, lat: FloatArray, lon: FloatArray, k: int = 4, iters: int = 30
                 ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Exact geodesic distance (m) from points (deg) to the boundary, and the closest boundary point.

        Candidates are the edges adjacent to the ``k`` chord-nearest vertices; an edge is searched (golden
        section) only if its triangle-inequality lower bound ``(d(P,A) + d(P,B) − |AB|)/2`` beats the best
        vertex distance. Points inside the region are *not* set to 0 here (see :meth:`contains`).
        :returns: ``(distance_m, lat_deg, lon_deg)`` of the closest boundary point.
        """
        lat = np.asarray(lat, dtype=np.float64).reshape(-1)
        lon = np.asarray(lon, dtype=np.float64).reshape(-1)
        n = lat.size
        k = max(1, min(k, self.size))
        _, j = self.tree.query(to_ecef(lat, lon), k=k, workers=_workers(lat.size))
        j = np.asarray(j, dtype=np.int64).reshape(n, k)
        dv = inverse(lat[:, None], lon[:, None], self.lat[j], self.lon[j])[0]
        best = np.argmin(dv, axis=1)
        rows = np.arange(n)
        dist = dv[rows, best].copy()
        jb = j[rows, best]
        plat, plon = self.lat[jb].copy(), self.lon[jb].copy()
        if self.is_point or n == 0:
            return dist, plat, plon
        # candidate edges: (v, nxt v) for every v among the k nearest and its predecessor
        starts = np.concatenate([j, self.prv[j]], axis=1)  # (n, 2k)
        ends = self.nxt[starts]
        pi = np.repeat(rows, starts.shape[1])
        s0 = starts.reshape(-1)
        s1 = ends.reshape(-1)
        d0 = inverse(lat[pi], lon[pi], self.lat[s0], self.lon[s0])[0]
        d1 = inverse(lat[pi], lon[pi], self.lat[s1], self.lon[s1])[0]
        lb = (d0 + d1 - self.edge_m[s0]) / 2
        m = lb < dist[pi] - 1e-3
        if m.any():
            pi, s0, s1 = pi[m], s0[m], s1[m]
            ds, sla, slo = segment_extreme(lat[pi], lon[pi], self.lat[s0], self.lon[s0], self.lat[s1],
                                           self.lon[s1], iters=iters)
            order = np.lexsort((ds, pi))
            pi, ds, sla, slo = pi[order], ds[order], sla[order], slo[order]
            first = np.ones(pi.size, dtype=bool)
            first[1:] = pi[1:] != pi[:-1]
            pi, ds, sla, slo = pi[first], ds[first], sla[first], slo[first]
            better = ds < dist[pi]
            pi = pi[better]
            dist[pi], plat[pi], plon[pi] = ds[better], sla[better], slo[better]
        return dist, plat, plon


def build_index(geometry: BaseGeometry) -> BoundaryIndex:
    """Build the :class:`BoundaryIndex` of a shapely geometry in lon/lat degrees (Point or (Multi)Polygon)."""
    if geometry.geom_type == "Point":
        lon0, lat0 = geometry.x, geometry.y
        lat = np.array([lat0])
        lon = np.array([lon0])
        xyz = to_ecef(lat, lon)
        z = np.zeros(1, dtype=np.int64)
        from scipy.spatial import cKDTree

        return BoundaryIndex(geometry, lat, lon, z, z.copy(), xyz, cKDTree(xyz), np.zeros(1), True)
    rings = [_densify(r) for r in _rings(geometry)]
    if not rings:
        raise ValueError("geometry has no polygon rings")
    sizes = np.array([len(r) for r in rings])
    offs = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    xy = np.concatenate(rings)
    local = np.concatenate([np.arange(s) for s in sizes])
    base = np.repeat(offs, sizes)
    size_v = np.repeat(sizes, sizes)
    nxt = base + (local + 1) % size_v
    prv = base + (local - 1) % size_v
    lat, lon = xy[:, 1].copy(), xy[:, 0].copy()
    edge_m = inverse(lat, lon, lat[nxt], lon[nxt])[0]
    xyz = to_ecef(lat, lon)
    shapely.prepare(geometry)
    return BoundaryIndex(geometry, lat, lon, nxt.astype(np.int64), prv.astype(np.int64), xyz,
                         _kdtree(xyz), edge_m, False)


def ball_pairs(a: BoundaryIndex, ia: IntArray, b: BoundaryIndex, radius_geodesic_m: float
               ) -> tuple[IntArray, IntArray]:
    """All (i in ``ia``, j) with j a vertex of ``b`` within a chord that could be ``radius_geodesic_m`` (m)."""
    r = float(chord_upper_m(radius_geodesic_m))
    lists = b.tree.query_ball_point(a.xyz[ia], r, workers=_workers(ia.size))
    lens = np.array([len(x) for x in lists], dtype=np.int64)
    if lens.sum() == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ii = np.repeat(ia, lens)
    jj = np.concatenate([np.asarray(x, dtype=np.int64) for x in lists if len(x)])
    return ii, jj


def _kdtree(xyz: NDArray[np.float64]) -> Any:
    """A :class:`scipy.spatial.cKDTree` over the unit vectors ``xyz`` (scipy imported here, not at start-up)."""
    from scipy.spatial import cKDTree

    return cKDTree(xyz, balanced_tree=False, compact_nodes=False)
