"""The distance field: geodesic distance (km) from a region at every node of a global lat/lon raster, and the web
page's slider payload built on it (:func:`field_payload`: the raster quantised for d3-contour, area samples of the
target and its cities with their distances, outlines with d3-geo winding).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from equilibrium.errors import InvalidInput
from equilibrium.geo.caches import BoundedCache, nbytes, register
from equilibrium.geo.cities import City, cities_in
from equilibrium.geo.geodesic import A_M, E2, inverse
from equilibrium.geo.index import BoundaryIndex, _workers
from equilibrium.geo.regions import Region
from equilibrium.geo.samples import area_samples, boundary_of, check_range, index_of, region_of

FloatArray = NDArray[np.float64]


@dataclass
class DistanceField:
    """Geodesic distance (km, float32) from region FROM on a lat/lon grid of cell centres (deg).

    ``km[i, j]`` is the distance at ``(lats[i], lons[j])``; 0 inside FROM. Each value is the exact geodesic
    to FROM's chord-nearest boundary vertex (≤ half an edge, i.e. ≤ 5 km, above the edge-exact distance,
    only within a few hundred km of FROM; far away the difference is below 10 m).
    """

    frm: Region
    lats: FloatArray
    lons: FloatArray
    km: NDArray[np.float32]
    resolution_deg: float

    def within(self, range_km: float) -> NDArray[np.bool_]:
        """Boolean raster: cells within ``range_km`` (km)."""
        return np.asarray(self.km <= check_range(range_km))

    def to_dict(self, decimals: int = 1) -> dict[str, Any]:
        """JSON-ready dict: ``lats``, ``lons`` (deg), ``km`` as nested lists (rows = latitudes)."""
        return {"from": {"spec": self.frm.spec, "name": self.frm.name}, "resolution_deg": self.resolution_deg,
                "lats": [round(float(x), 6) for x in self.lats], "lons": [round(float(x), 6) for x in self.lons],
                "km": np.round(self.km.astype(np.float64), decimals).tolist(), "boundary": boundary_of(self.frm)}


_COARSE_DEG = 2.0
"""Spacing (deg) of the coarse node grid whose k-nearest vertices seed the fine distance field."""
_COARSE_K = 2
"""Vertices per coarse node offered to an ordinary fine node (4 nodes × 2 = 8 candidates)."""
_COARSE_K_FAR = 8
"""Vertices per coarse node offered to a fine node near FROM's antipode (4 × 8, best 16 by chord)."""
_FAR_M = 12_300_000.0
"""Cells whose coarse neighbours lie beyond this chord (m; geodesic ≳ 17,000 km) choose their vertex among the
four chord-best candidates by exact geodesic, since near the antipode chord and geodesic order disagree."""
_FAR_CANDIDATES = 16
_NEAR_M = 1_500_000.0
"""Cells whose coarse neighbours lie within this chord (m) of FROM get a full k-d-tree query."""


def _grid_xyz(lats: FloatArray, lons: FloatArray) -> FloatArray:
    """ECEF (m), shape (n, m, 3), of the nodes of the grid ``lats × lons`` (deg) on the ellipsoid."""
    la = np.radians(lats)
    lo = np.radians(lons)
    sl, cl = np.sin(la), np.cos(la)
    nrad = A_M / np.sqrt(1 - E2 * sl * sl)
    xyz = np.empty((lats.size, lons.size, 3))
    xyz[..., 0] = (nrad * cl)[:, None] * np.cos(lo)[None, :]
    xyz[..., 1] = (nrad * cl)[:, None] * np.sin(lo)[None, :]
    xyz[..., 2] = (nrad * (1 - E2) * sl)[:, None]
    return xyz


def _field_values(ia: BoundaryIndex, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Distances (m) from region ``ia`` at every node of the grid ``lats × lons`` (deg), shape (n, m).

    Each value is the exact geodesic to the chord-nearest boundary vertex. To avoid 10⁶ slow far-field
    k-d-tree queries, the nearest vertices of each node of a 2° grid are found first; a fine node picks the
    chord-nearest among the 2 best of each of its four surrounding coarse nodes; nodes near
    FROM (coarse chord < 1,500 km) get a full k-d-tree query; nodes beyond ~17,000 km choose among the
    four chord-best candidates by exact geodesic. The benchmark reports the largest difference from brute force (exact
    geodesics to every vertex) on a sample of nodes.
    """
    glat = np.broadcast_to(lats[:, None], (lats.size, lons.size)).ravel()
    glon = np.broadcast_to(lons[None, :], (lats.size, lons.size)).ravel()
    if ia.is_point:
        return inverse(glat, glon, ia.lat[0], ia.lon[0])[0].reshape(lats.size, lons.size)
    xyz = _grid_xyz(lats, lons)
    clat = np.linspace(-90.0, 90.0, int(round(180 / _COARSE_DEG)) + 1)
    clon = np.linspace(-180.0, 180.0, int(round(360 / _COARSE_DEG)) + 1)
    k = min(_COARSE_K_FAR, ia.size)
    kn = min(_COARSE_K, k)
    cd, cj = ia.tree.query(_grid_xyz(clat, clon).reshape(-1, 3), k=k, workers=_workers(clat.size * clon.size))
    cd = np.asarray(cd).reshape(clat.size, clon.size, k)
    cj = np.asarray(cj, dtype=np.int64).reshape(clat.size, clon.size, k)
    i0 = np.clip(np.floor((lats - clat[0]) / _COARSE_DEG).astype(np.int64), 0, clat.size - 2)
    j0 = np.clip(np.floor((lons - clon[0]) / _COARSE_DEG).astype(np.int64), 0, clon.size - 2)
    j: NDArray[Any] = np.empty((lats.size, lons.size), dtype=np.int64)
    near: NDArray[Any] = np.zeros((lats.size, lons.size), dtype=bool)
    far = np.zeros((lats.size, lons.size), dtype=bool)
    vx = ia.xyz.astype(np.float32)
    xyz32 = xyz.astype(np.float32)
    far_rows: list[NDArray[np.int64]] = []
    far_cols: list[NDArray[np.int64]] = []
    far_cand: list[NDArray[np.int64]] = []
    for r0 in range(0, lats.size, 24):
        rs = np.arange(r0, min(r0 + 24, lats.size))
        a0 = i0[rs][:, None]
        a1 = a0 + 1
        jj0 = j0[None, :]
        cand = np.concatenate([cj[a0, jj0, :kn], cj[a0, jj0 + 1, :kn], cj[a1, jj0, :kn], cj[a1, jj0 + 1, :kn]],
                              axis=2)
        dmin = np.minimum.reduce([cd[a0, jj0, 0], cd[a0, jj0 + 1, 0], cd[a1, jj0, 0], cd[a1, jj0 + 1, 0]])
        near[rs] = dmin < _NEAR_M
        far[rs] = dmin > _FAR_M
        diff = vx[cand] - xyz32[rs][:, :, None, :]
        c2 = np.einsum("rcki,rcki->rck", diff, diff)
        j[rs] = np.take_along_axis(cand, np.argmin(c2, axis=2)[..., None], axis=2)[..., 0]
        if far[rs].any():  # near the antipode chord and geodesic order disagree: keep candidates for later
            rr, cc = np.nonzero(far[rs])
            a0f, a1f, j0f = a0[rr, 0], a1[rr, 0], j0[cc]
            cand_f = np.concatenate([cj[a0f, j0f], cj[a0f, j0f + 1], cj[a1f, j0f], cj[a1f, j0f + 1]], axis=1)
            dif = vx[cand_f] - xyz32[rs[rr], cc][:, None, :]
            top = np.argsort(np.einsum("cki,cki->ck", dif, dif), axis=1)[:, :_FAR_CANDIDATES]
            far_rows.append(rs[rr])
            far_cols.append(cc)
            far_cand.append(np.take_along_axis(cand_f, top, axis=1))
    if far_rows:  # one threaded batch of geodesics for every far cell's candidates
        fr, fc, cf = np.concatenate(far_rows), np.concatenate(far_cols), np.concatenate(far_cand)
        dg = inverse(np.repeat(lats[fr], cf.shape[1]), np.repeat(lons[fc], cf.shape[1]), ia.lat[cf].ravel(),
                     ia.lon[cf].ravel())[0].reshape(cf.shape)
        j[fr, fc] = cf[np.arange(cf.shape[0]), np.argmin(dg, axis=1)]
    j = j.ravel()
    near = near.ravel()
    if near.any():
        _, jn = ia.tree.query(xyz.reshape(-1, 3)[near], k=1, workers=_workers(int(near.sum())))
        j[near] = jn
    d = inverse(glat, glon, ia.lat[j], ia.lon[j])[0]
    d[ia.contains(glat, glon)] = 0.0
    return d.reshape(lats.size, lons.size)


def _field_values_bruteforce(ia: BoundaryIndex, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Reference for :func:`_field_values`: full k-d-tree query at every node (slow for far nodes)."""
    glat = np.broadcast_to(lats[:, None], (lats.size, lons.size)).ravel()
    glon = np.broadcast_to(lons[None, :], (lats.size, lons.size)).ravel()
    _, j = ia.tree.query(_grid_xyz(lats, lons).reshape(-1, 3), k=1, workers=-1)
    d = inverse(glat, glon, ia.lat[j], ia.lon[j])[0]
    d[ia.contains(glat, glon)] = 0.0
    return d.reshape(lats.size, lons.size)


def distance_field(frm: Region | str, resolution_deg: float = 0.25, resolution: str = "10m") -> DistanceField:
    """Global raster of geodesic distance (km) from FROM at cell centres every ``resolution_deg`` (deg)."""
    res = float(resolution_deg)
    if not (0.01 <= res <= 10) or not math.isfinite(res) or abs(180 / res - round(180 / res)) > 1e-9:
        raise InvalidInput(f"resolution_deg {resolution_deg!r} must divide 180 and lie in [0.01, 10] degrees")
    a = region_of(frm, resolution)
    ia = index_of(a)
    lats = np.asarray(-90 + res / 2 + res * np.arange(round(180 / res)), dtype=np.float64)
    lons = np.asarray(-180 + res / 2 + res * np.arange(round(360 / res)), dtype=np.float64)
    km = (_field_values(ia, lats, lons) / 1000.0).astype(np.float32)
    return DistanceField(a, lats, lons, km, res)


# ------------------------------------------------------------------------------------- the slider payload

FIELD_RESOLUTIONS = (0.25, 0.5, 1.0, 2.0)
"""Raster steps (deg) of :func:`field_payload`."""

FIELD_CELLS = 3000
"""About this many grid cells in the target's bounding box are sampled for the preview (fewer lie inside)."""

_FIELD: BoundedCache[DistanceField] = BoundedCache(4, sizer=lambda f: nbytes(f.km, f.lats, f.lons) + 400)
"""(Region.key, resolution_deg) → :class:`DistanceField` (LRU, ≤ 4 entries: a 0.25° raster is 8 MB)."""

register("field._FIELD", _FIELD, "(FROM Region.key, resolution_deg)", "LRU; 0.5-8 MB per raster")


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


def bilinear(lats: FloatArray, lons: FloatArray, km: NDArray[Any], plat: FloatArray, plon: FloatArray
             ) -> FloatArray:
    """Bilinear interpolation of the raster ``km`` (rows ``lats`` ascending, columns ``lons`` ascending, deg) at
    points ``(plat, plon)`` (deg); longitudes wrap when the columns span the globe, latitudes clamp. Returns km."""
    plat = np.clip(np.asarray(plat, dtype=float), lats[0], lats[-1])
    plon = np.asarray(plon, dtype=float)
    dlon = (lons[-1] - lons[0]) / max(lons.size - 1, 1)
    periodic = lons.size > 1 and abs(lons[-1] + dlon - lons[0] - 360.0) < 1e-6
    plon = (plon - lons[0]) % 360.0 + lons[0]
    fi = np.interp(plat, lats, np.arange(lats.size))
    fj = (plon - lons[0]) / dlon if periodic else np.interp(plon, lons, np.arange(lons.size))
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
    return np.asarray(top * (1 - ti) + bot * ti, dtype=np.float64)


def encode_raster(km: NDArray[Any]) -> str:
    """Base64 of ``km`` rounded to whole km as little-endian uint16 (NaN → 65535, clipped to 0..65535)."""
    q = np.nan_to_num(np.asarray(km, dtype=np.float64), nan=65535.0, posinf=65535.0, neginf=0.0)
    q = np.clip(np.rint(q), 0, 65535).astype("<u2")
    return base64.b64encode(q.tobytes(order="C")).decode("ascii")


@dataclass
class FieldPayload:
    """What the web page needs to redraw the reach polygon and the coverage figures while a range slider moves.

    ``km_ns``: the distance raster (km) with rows north to south (``lat0`` the first row's latitude, ``dlat`` < 0)
    and, for a full circle of columns, the first column repeated east of the last so that contours run up to the
    antimeridian. ``cell_*``: area samples of TO (ellipsoidal cell areas calibrated to each part's geodesic area,
    as :func:`equilibrium.geo.coverage.coverage`; ``cell_weight`` sums to 1) with their distance (km, bilinear in
    the raster). ``cities``: TO's cities (most populous first) with their distance (km, bilinear).
    """

    frm: Region
    to: Region
    resolution_deg: float
    km_ns: NDArray[np.float32]
    lon0: float
    lat0: float
    dlon: float
    dlat: float
    max_km: float
    cell_step_deg: float
    cell_lat: FloatArray
    cell_lon: FloatArray
    cell_weight: FloatArray
    cell_km: FloatArray
    cities: list[tuple[City, float]]


def field_payload(frm: Region | str, to: Region | str, resolution_deg: float = 0.5,
                  resolution: str = "10m") -> FieldPayload:
    """The slider payload of FROM → TO on a ``resolution_deg`` raster (one of :data:`FIELD_RESOLUTIONS`, deg)."""
    if resolution_deg not in FIELD_RESOLUTIONS:
        raise InvalidInput(f"resolution_deg must be one of {', '.join(map(str, FIELD_RESOLUTIONS))}, "
                           f"not {resolution_deg}")
    a, b = region_of(frm, resolution), region_of(to, resolution)
    f = _FIELD.get_or_compute((a.key, float(resolution_deg)), lambda: distance_field(a, resolution_deg, resolution))
    lats, lons = np.asarray(f.lats, dtype=float), np.asarray(f.lons, dtype=float)
    km = np.asarray(f.km, dtype=np.float32)
    if b.is_point:
        clat, clon, cw, step = np.array([b.geometry.y]), np.array([b.geometry.x]), np.ones(1), 0.0
    else:
        clat, clon, w, _ = area_samples(b, FIELD_CELLS)
        cw = w / w.sum() if w.sum() > 0 else np.full(w.size, 1.0 / max(w.size, 1))
        x0, y0, x1, y1 = b.geometry.bounds
        step = float(np.clip(math.sqrt(max((x1 - x0) * (y1 - y0), 1e-9) / FIELD_CELLS), 0.005, 1.0))
    ckm = bilinear(lats, lons, km, clat, clon) if clat.size else np.zeros(0)
    cities = cities_in(b)
    dcity = bilinear(lats, lons, km, np.array([c.lat for c in cities]), np.array([c.lon for c in cities])) \
        if cities else np.zeros(0)
    km_ns = km[::-1, :]
    dlon = float(lons[1] - lons[0]) if lons.size > 1 else resolution_deg
    if abs(lons.size * dlon - 360.0) < 1e-6:
        km_ns = np.concatenate([km_ns, km_ns[:, :1]], axis=1)
    return FieldPayload(frm=a, to=b, resolution_deg=float(resolution_deg), km_ns=km_ns, lon0=float(lons[0]),
                        lat0=float(lats[-1]), dlon=dlon, dlat=-(float(lats[1] - lats[0]) if lats.size > 1
                                                                else resolution_deg),
                        max_km=float(np.nanmax(km)) if km.size else 0.0, cell_step_deg=step, cell_lat=clat,
                        cell_lon=clon, cell_weight=cw, cell_km=ckm,
                        cities=sorted(zip(cities, (float(d) for d in dcity), strict=True),
                                      key=lambda t: -t[0].population))
