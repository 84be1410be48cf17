"""Reach: exact geodesic distances between regions, coverage of a target by a range, reach polygons.

Definitions (FROM = launch region, TO = target region; distances along WGS-84 geodesics, in km):

* ``nearest_km`` — the shortest distance between any point of FROM and any point of TO (0 if they touch).
* ``full_coverage_km`` — the directed Hausdorff distance ``max_{p∈TO} min_{q∈FROM} d(p, q)``: the range that
  reaches every point of TO from *somewhere* in FROM.
* ``single_site_km`` — the constrained 1-centre ``min_{q∈FROM} max_{p∈TO} d(q, p)``: the range that reaches
  all of TO from *one* launch point in FROM (realised by ``single_site_points["from"]``).

Hence ``nearest ≤ full_coverage ≤ single_site``.

Algorithms (see :mod:`equilibrium.geo.index` for the boundary model, edges ≤ 10 km treated as geodesics):

* nearest: k-d tree on ECEF vertices gives a vertex-pair upper bound U; every vertex pair that could lie
  within U + (longest edge) is found with a conservative chord ball query and measured exactly; then every
  point-to-edge pair whose triangle-inequality lower bound beats U is minimised exactly along the edge
  (golden section on the geodesic segment). The minimum between two disjoint geodesic segments lies at an
  end point of one of them, so this is the exact edge-to-edge minimum (to < 1 mm).
* full_coverage: exact distance to FROM's boundary at TO's vertices and at an interior grid of TO (seeds
  for interior maxima at Voronoi vertices); the best candidates are maximised along TO's edges (nested
  golden section) and inside TO (pattern search).
* single_site: the farthest point of TO from any q is found among the vertices of TO chord-nearest to the
  antipode of q, measured exactly; ``F(q)`` is evaluated at FROM's vertices and an interior grid, then
  minimised along FROM's edges (golden section) and inside FROM (Nelder–Mead).
* coverage: TO is sampled with a grid whose cell weights are ellipsoidal cell areas calibrated so each
  polygon part's total equals its exact geodesic area (``pyproj.Geod.geometry_area_perimeter``); a sample's
  distance is the exact geodesic to the nearest FROM vertex (≤ 5 km above the edge-exact value, only near
  FROM). Cities get edge-exact distances. The per-pair distances are cached, so a new range is a threshold.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from equilibrium.errors import InvalidInput
from equilibrium.geo.caches import BoundedCache, nbytes, register
from equilibrium.geo.geodesic import GEOD, inverse, segment_extreme, to_ecef
from equilibrium.geo.index import BoundaryIndex, _workers, ball_pairs, build_index, geodesic_lower_m
from equilibrium.geo.regions import Region, resolve_region

FloatArray = NDArray[np.float64]

METHOD = ("WGS-84 geodesics (Karney 2013, pyproj.Geod); region boundaries as geodesic edges (<= 10 km); "
          "k-d-tree prefilter on ECEF vertices, exact edge refinement by golden-section search")

# ----------------------------------------------------------------------------------------------- indexes

# Caches keyed by Region.key (``spec@resolution``) are bounded: a client can vary the spec freely (``lat,lon``
# points, ``city:`` / ``site:`` specs). Bounds (the geo caches together stay under ~100 MB):
#   _INDEX     ≤ 256 entries and ≤ 48 MB: ~77 B per boundary vertex (arrays 64 B + k-d tree), i.e. ~1.6 KB
#              for a point, 0.2 MB for PAK, 0.6 MB IND, 5 MB CAN at 1:10m; all 511 countries, areas and
#              sub-regions at both resolutions take ~60 MB, the 256 largest ~56 MB.
#   _SEEDS     ≤ 1024 entries and ≤ 8 MB: ~0.4 KB for a point, 10–25 KB for a country (≤ 100 KB: ATA);
#              all areas at both resolutions ~5 MB.
#   _CELLS     ≤ 64 entries and ≤ 32 MB (area regions only): 24 B per sample, ≤ 40,000 samples, i.e.
#              0.2–0.55 MB (≤ 0.96 MB); slow to build (0.2–2.7 s), so it sits behind _COVERAGE.
#   _COVERAGE  ≤ 16 FROM/TO pairs: 16 B per TO sample + 16 B per city, ≤ ~0.7 MB per entry, ≤ ~11 MB.


def _index_bytes(idx: BoundaryIndex) -> int:
    """Estimated bytes of a :class:`BoundaryIndex`: its arrays, the k-d tree (~16 B per vertex) and ~1 KB
    of objects (the geometry is shared with the region caches and not counted)."""
    return nbytes(idx.lat, idx.lon, idx.nxt, idx.prv, idx.xyz, idx.edge_m) + 16 * idx.size + 1024


_INDEX: BoundedCache[BoundaryIndex] = BoundedCache(256, max_bytes=48 * 2**20, sizer=_index_bytes)
"""Region.key → :class:`BoundaryIndex` (LRU, ≤ 256 entries, ≤ 48 MB estimated)."""


def index_of(region: Region) -> BoundaryIndex:
    """The (cached) :class:`BoundaryIndex` of ``region``."""
    return _INDEX.get_or_compute(region.key, lambda: build_index(region.geometry))


def _region(r: Region | str, resolution: str = "10m") -> Region:
    return r if isinstance(r, Region) else resolve_region(r, resolution)


def _check_range(range_km: float) -> float:
    try:
        r = float(range_km)
    except (TypeError, ValueError):
        raise InvalidInput(f"range {range_km!r} is not a number (km)") from None
    if not math.isfinite(r):
        raise InvalidInput(f"range {range_km!r} km is not finite")
    if r < 0:
        raise InvalidInput(f"range {r:g} km is negative; a range must be >= 0 km")
    return r


def _pt(lat: float, lon: float) -> list[float]:
    return [round(float(lat), 6), round(float(lon), 6)]


# ------------------------------------------------------------------------------------------ grid samples


def _grid_inside(idx: BoundaryIndex, target: int) -> tuple[FloatArray, FloatArray, float]:
    """Cell centres (deg) of a regular lon/lat grid inside the region, about ``target`` of them in its bbox,
    and the grid step (deg)."""
    if idx.is_point:
        return np.zeros(0), np.zeros(0), 0.0
    x0, y0, x1, y1 = idx.geometry.bounds
    step = float(np.clip(math.sqrt(max((x1 - x0) * (y1 - y0), 1e-9) / target), 0.005, 1.0))
    lons = np.arange(x0 + step / 2, x1, step)
    lats = np.arange(y0 + step / 2, y1, step)
    if lons.size == 0 or lats.size == 0:
        return np.zeros(0), np.zeros(0), step
    mlon, mlat = np.meshgrid(lons, lats)
    glon, glat = mlon.ravel(), mlat.ravel()
    inside = shapely.contains_xy(idx.geometry, glon, glat)
    return glat[inside], glon[inside], step


_SEEDS: BoundedCache[tuple[FloatArray, FloatArray, float]] = BoundedCache(
    1024, max_bytes=8 * 2**20, sizer=lambda v: nbytes(v[0], v[1]) + 400)
"""Region.key → interior seed grid (LRU, ≤ 1024 entries, ≤ 8 MB estimated)."""


def _interior_seeds(key: str, idx: BoundaryIndex) -> tuple[FloatArray, FloatArray, float]:
    """Interior grid (~1,500 cells in the bbox) of the region ``key`` whose index is ``idx`` (cached)."""
    return _SEEDS.get_or_compute(key, lambda: _grid_inside(idx, 1500))


def _seeds(region: Region) -> tuple[FloatArray, FloatArray, float]:
    return _interior_seeds(region.key, index_of(region))


# ------------------------------------------------------------------------------------------- nearest


def _nearest(a: BoundaryIndex, b: BoundaryIndex) -> tuple[float, tuple[float, float], tuple[float, float]]:
    """Exact minimum geodesic distance (m) between regions and the realising points ((lat, lon) deg)."""
    if a.is_point and b.is_point:
        dpp = float(inverse(a.lat[0], a.lon[0], b.lat[0], b.lon[0])[0])
        return dpp, (a.lat[0], a.lon[0]), (b.lat[0], b.lon[0])
    if a.is_point or b.is_point:
        p, r = (a, b) if a.is_point else (b, a)
        if r.contains(p.lat, p.lon)[0]:
            q = (float(p.lat[0]), float(p.lon[0]))
            return 0.0, q, q
        d, la, lo = r.distance(p.lat, p.lon, k=8, iters=40)
        pp, rp = (float(p.lat[0]), float(p.lon[0])), (float(la[0]), float(lo[0]))
        return (float(d[0]), pp, rp) if a.is_point else (float(d[0]), rp, pp)
    if shapely.intersects(a.geometry, b.geometry):
        inb = b.contains(a.lat, a.lon)
        if inb.any():
            i = int(np.argmax(inb))
            q = (float(a.lat[i]), float(a.lon[i]))
            return 0.0, q, q
        ina = a.contains(b.lat, b.lon)
        if ina.any():
            i = int(np.argmax(ina))
            q = (float(b.lat[i]), float(b.lon[i]))
            return 0.0, q, q
        inter = shapely.intersection(a.geometry.boundary, b.geometry.boundary)
        rp = inter.representative_point() if not inter.is_empty else a.geometry.representative_point()
        q = (float(rp.y), float(rp.x))
        return 0.0, q, q
    chord, j = b.tree.query(a.xyz, k=1, workers=_workers(a.size))
    j = np.asarray(j, dtype=np.int64)
    top = np.argsort(chord)[:64]
    dv = inverse(a.lat[top], a.lon[top], b.lat[j[top]], b.lon[j[top]])[0]
    upper = float(dv.min())
    margin = max(a.max_edge_m, b.max_edge_m)
    ia = np.nonzero(geodesic_lower_m(chord) <= upper + margin)[0]
    ii, jj = ball_pairs(a, ia, b, upper + margin)
    d = inverse(a.lat[ii], a.lon[ii], b.lat[jj], b.lon[jj])[0]
    k = int(np.argmin(d))
    best = (float(d[k]), (float(a.lat[ii[k]]), float(a.lon[ii[k]])), (float(b.lat[jj[k]]), float(b.lon[jj[k]])))
    keep = d <= best[0] + margin
    ii, jj = ii[keep], jj[keep]
    # point-to-edge candidates both ways: A vertex vs B edges at jj, B vertex vs A edges at ii
    rows = []
    for side, (p_idx, e_idx, pidx, eidx) in enumerate(((a, b, ii, jj), (b, a, jj, ii))):
        starts = np.concatenate([eidx, e_idx.prv[eidx]])
        pts = np.concatenate([pidx, pidx])
        key = np.unique(np.stack([pts, starts], axis=1), axis=0)
        rows.append((side, p_idx, e_idx, key[:, 0], key[:, 1]))
    for side, p_idx, e_idx, pts, s0 in rows:
        s1 = e_idx.nxt[s0]
        d0 = inverse(p_idx.lat[pts], p_idx.lon[pts], e_idx.lat[s0], e_idx.lon[s0])[0]
        d1 = inverse(p_idx.lat[pts], p_idx.lon[pts], e_idx.lat[s1], e_idx.lon[s1])[0]
        lb = (d0 + d1 - e_idx.edge_m[s0]) / 2
        m = lb < best[0]
        if not m.any():
            continue
        pts, s0, s1 = pts[m], s0[m], s1[m]
        ds, sla, slo = segment_extreme(p_idx.lat[pts], p_idx.lon[pts], e_idx.lat[s0], e_idx.lon[s0],
                                       e_idx.lat[s1], e_idx.lon[s1], iters=40)
        k = int(np.argmin(ds))
        if ds[k] < best[0]:
            pp = (float(p_idx.lat[pts[k]]), float(p_idx.lon[pts[k]]))
            ep = (float(sla[k]), float(slo[k]))
            best = (float(ds[k]), pp, ep) if side == 0 else (float(ds[k]), ep, pp)
    return best


# ------------------------------------------------------------------------------------- full coverage


def _dist_to(a: BoundaryIndex, lat: FloatArray, lon: FloatArray, iters: int = 26
             ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact distance (m) from points to region ``a`` (0 inside), with the closest point of ``a`` (deg)."""
    d, la, lo = a.distance(lat, lon, k=4, iters=iters)
    inside = a.contains(lat, lon)
    if inside.any():
        d = np.where(inside, 0.0, d)
        la = np.where(inside, lat, la)
        lo = np.where(inside, lon, lo)
    return d, la, lo


_GOLD = (math.sqrt(5.0) - 1.0) / 2.0


def _golden_edges(b: BoundaryIndex, s0: NDArray[np.int64], fun: Any, iters: int = 24
                  ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Minimise ``fun(lat[], lon[]) -> values`` along each edge ``s0 → nxt`` of ``b`` (vectorised golden
    section over the geodesic edge, end points included). Returns ``(value, lat_deg, lon_deg)`` per edge."""
    s1 = b.nxt[s0]
    seg_s, seg_az, _ = inverse(b.lat[s0], b.lon[s0], b.lat[s1], b.lon[s1])

    def pos(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        lo, la, _ = GEOD.fwd(b.lon[s0], b.lat[s0], seg_az, seg_s * t, return_back_azimuth=False)
        return np.asarray(la), np.asarray(lo)

    def f(t: FloatArray) -> FloatArray:
        return np.asarray(fun(*pos(t)))

    lo_t = np.zeros(s0.size)
    hi_t = np.ones(s0.size)
    c = hi_t - _GOLD
    d = lo_t + _GOLD
    fc, fd = f(c), f(d)
    for _ in range(iters):
        left = fc < fd
        hi_t = np.where(left, d, hi_t)
        lo_t = np.where(left, lo_t, c)
        x = np.where(left, hi_t - _GOLD * (hi_t - lo_t), lo_t + _GOLD * (hi_t - lo_t))
        fx = f(x)
        c, d, fc, fd = (np.where(left, x, d), np.where(left, c, x), np.where(left, fx, fd), np.where(left, fc, fx))
    cand = np.stack([np.zeros(s0.size), np.ones(s0.size), (lo_t + hi_t) / 2])
    vals = np.stack([f(t) for t in cand])
    k = np.argmin(vals, axis=0)
    rows = np.arange(s0.size)
    t = cand[k, rows]
    la, lo = pos(t)
    return vals[k, rows], la, lo


def _edge_max(a: BoundaryIndex, b: BoundaryIndex, s0: NDArray[np.int64], iters: int = 24
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Maximise the exact distance (m) to ``a`` along edges ``s0 → nxt`` of ``b``; ``(m, lat, lon)``."""
    v, la, lo = _golden_edges(b, s0, lambda la, lo: -_dist_to(a, la, lo)[0], iters)
    return -v, la, lo


def _pattern_max(fun: Any, lat: float, lon: float, step: float, inside: Any, iters: int = 10
                 ) -> tuple[float, float, float]:
    """Maximise ``fun(lat[], lon[]) -> values`` from (lat, lon) by a shrinking 5×5 stencil restricted to
    ``inside``; ``step`` is the initial stencil spacing (deg). Returns ``(value, lat, lon)``."""
    best_v = float(fun(np.array([lat]), np.array([lon]))[0])
    offs = np.linspace(-1, 1, 5)
    for _ in range(iters):
        dl, dn = np.meshgrid(offs * step, offs * step)
        la = np.clip(lat + dl.ravel(), -90, 90)
        lo = np.clip(lon + dn.ravel(), -180, 180)
        ok = inside(la, lo)
        if ok.any():
            v = fun(la[ok], lo[ok])
            k = int(np.argmax(v))
            if v[k] > best_v:
                best_v, lat, lon = float(v[k]), float(la[ok][k]), float(lo[ok][k])
        step /= 2.5
    return best_v, lat, lon


def _full_coverage(a: BoundaryIndex, b: BoundaryIndex, seeds: tuple[FloatArray, FloatArray, float]
                   ) -> tuple[float, tuple[float, float], tuple[float, float]]:
    """Directed Hausdorff distance (m) from TO=b to FROM=a, with (point of a, point of b) in (lat, lon) deg."""
    if b.is_point:
        d, la, lo = _dist_to(a, b.lat, b.lon, iters=40)
        return float(d[0]), (float(la[0]), float(lo[0])), (float(b.lat[0]), float(b.lon[0]))
    if a.is_point:
        f, q = _farthest(b, a.lat, a.lon, refine=True)
        return float(f[0]), (float(a.lat[0]), float(a.lon[0])), (float(q[0][0]), float(q[1][0]))
    glat, glon, step = seeds
    lat = np.concatenate([b.lat, glat])
    lon = np.concatenate([b.lon, glon])
    nv = b.size
    ub, _ = a.nearest_vertices(lat, lon, k=4)
    ub = np.where(a.contains(lat, lon), 0.0, ub)
    top = np.argsort(-ub)[:32]
    d, _, _ = _dist_to(a, lat[top], lon[top])
    g0 = float(d.max())
    best_v = g0
    kk = int(top[int(np.argmax(d))])
    best_p = (float(lat[kk]), float(lon[kk]))
    # edges of b whose Lipschitz bound could exceed the best value
    vub = ub[:nv]
    bound = (vub + vub[b.nxt] + b.edge_m) / 2
    cand = np.nonzero(bound > g0)[0]
    cand = cand[np.argsort(-bound[cand])][:24]
    if cand.size:
        de, la, lo = _edge_max(a, b, cand)
        k = int(np.argmax(de))
        if de[k] > best_v:
            best_v, best_p = float(de[k]), (float(la[k]), float(lo[k]))
    # interior seeds that could exceed it (1-Lipschitz within half a cell diagonal)
    if glat.size:
        gub = ub[nv:]
        half = step * 111_320.0 * 0.75
        cand = np.nonzero(gub + half > best_v)[0]
        cand = cand[np.argsort(-gub[cand])][:4]

        def fun(la: FloatArray, lo: FloatArray) -> FloatArray:
            return _dist_to(a, la, lo, iters=22)[0]

        for c in cand:
            v, la0, lo0 = _pattern_max(fun, float(glat[c]), float(glon[c]), step, b.contains)
            if v > best_v:
                best_v, best_p = v, (la0, lo0)
    d, la, lo = _dist_to(a, np.array([best_p[0]]), np.array([best_p[1]]), iters=40)
    return float(d[0]), (float(la[0]), float(lo[0])), best_p


# --------------------------------------------------------------------------------------- single site


def _farthest(b: BoundaryIndex, lat: FloatArray, lon: FloatArray, m: int = 12, refine: bool = False
              ) -> tuple[FloatArray, tuple[FloatArray, FloatArray]]:
    """Exact maximum geodesic distance (m) from each point (deg) to region ``b`` and the farthest point.

    The farthest points from q are the nearest to its antipode −q (which lies on the ellipsoid too): the
    ``m`` chord-nearest vertices of ``b`` to −q are measured exactly and the largest kept. With ``refine``
    the edges next to that vertex are maximised too (changes results by < 1 m for 10 km edges).
    """
    lat = np.asarray(lat, dtype=np.float64).reshape(-1)
    lon = np.asarray(lon, dtype=np.float64).reshape(-1)
    mm = max(1, min(m, b.size))
    _, j = b.tree.query(-to_ecef(lat, lon), k=mm, workers=_workers(lat.size))
    j = np.asarray(j, dtype=np.int64).reshape(lat.size, mm)
    d = inverse(lat[:, None], lon[:, None], b.lat[j], b.lon[j])[0]
    k = np.argmax(d, axis=1)
    rows = np.arange(lat.size)
    out_d = d[rows, k]
    out_j = j[rows, k]
    plat, plon = b.lat[out_j].copy(), b.lon[out_j].copy()
    if refine and not b.is_point:
        for s0 in (out_j, b.prv[out_j]):
            de, la, lo = segment_extreme(lat, lon, b.lat[s0], b.lon[s0], b.lat[b.nxt[s0]], b.lon[b.nxt[s0]],
                                         maximize=True, iters=34)
            better = de > out_d
            out_d = np.where(better, de, out_d)
            plat = np.where(better, la, plat)
            plon = np.where(better, lo, plon)
    return out_d, (plat, plon)


def _single_site(a: BoundaryIndex, b: BoundaryIndex, seeds: tuple[FloatArray, FloatArray, float]
                 ) -> tuple[float, tuple[float, float], tuple[float, float]]:
    """Constrained 1-centre (m): min over q in FROM=a of the max distance to TO=b, with (q, farthest p)."""
    if a.is_point:
        f, (pla, plo) = _farthest(b, a.lat, a.lon, refine=True)
        return float(f[0]), (float(a.lat[0]), float(a.lon[0])), (float(pla[0]), float(plo[0]))
    glat, glon, step = seeds
    lat = np.concatenate([a.lat, glat])
    lon = np.concatenate([a.lon, glon])
    nv = a.size
    f, _ = _farthest(b, lat, lon)
    order = np.argsort(f)
    best_v = float(f[order[0]])
    best_q = (float(lat[order[0]]), float(lon[order[0]]))
    # boundary: golden-section minimisation along the edges next to the best boundary vertices
    vcand = order[order < nv][:6]
    if vcand.size:
        edges = np.unique(np.concatenate([vcand, a.prv[vcand]]))
        v, la, lo = _golden_edges(a, edges, lambda la, lo: _farthest(b, la, lo)[0], iters=30)
        k = int(np.argmin(v))
        if v[k] < best_v:
            best_v, best_q = float(v[k]), (float(la[k]), float(lo[k]))
    # interior: Nelder-Mead from the best interior seeds, constrained to a
    half = step * 111_320.0 * 0.75  # F is 1-Lipschitz: a cell cannot beat its centre by more
    icand = order[order >= nv][:1]
    icand = icand[f[icand] - half < best_v]
    if icand.size:
        from scipy.optimize import minimize

        def obj(x: FloatArray) -> float:
            la0, lo0 = float(x[1]), float(x[0])
            if not (-90 <= la0 <= 90 and -180 <= lo0 <= 180) or not a.contains(np.array([la0]),
                                                                                 np.array([lo0]))[0]:
                return 1e12
            return float(_farthest(b, np.array([la0]), np.array([lo0]))[0][0])

        for c in icand:
            x0 = np.array([lon[c], lat[c]])
            simplex = np.array([x0, x0 + [step / 2, 0], x0 + [0, step / 2]])
            r = minimize(obj, x0, method="Nelder-Mead",
                         options={"xatol": 1e-7, "fatol": 0.01, "initial_simplex": simplex, "maxfev": 400})
            if r.fun < best_v:
                best_v, best_q = float(r.fun), (float(r.x[1]), float(r.x[0]))
    f, (pla, plo) = _farthest(b, np.array([best_q[0]]), np.array([best_q[1]]), refine=True)
    return float(f[0]), best_q, (float(pla[0]), float(plo[0]))


# ---------------------------------------------------------------------------------------- results


def _boundary(frm: Region, to: Region | None = None) -> dict[str, Any]:
    regions = [frm] if to is None else [frm, to]
    datasets = list(dict.fromkeys(r.boundary["dataset"] for r in regions if r.boundary.get("resolution")))
    sources = list(dict.fromkeys(s for r in regions for s in r.boundary["source_ids"]))
    out: dict[str, Any] = {
        "dataset": " + ".join(datasets) if datasets else regions[0].boundary["dataset"],
        "resolution": frm.resolution,
        "source_ids": sources,
        "pov": frm.boundary["pov"],
        "from": frm.boundary,
    }
    if to is not None:
        out["to"] = to.boundary
    return out


def _pts(p: tuple[tuple[float, float], tuple[float, float]]) -> dict[str, list[float]]:
    return {"from": _pt(*p[0]), "to": _pt(*p[1])}


@dataclass
class DistanceResult:
    """Reach distances between two regions (km) and the points (lat, lon deg) that realise them."""

    frm: Region
    to: Region
    nearest_km: float
    nearest_points: tuple[tuple[float, float], tuple[float, float]]
    full_coverage_km: float
    full_coverage_points: tuple[tuple[float, float], tuple[float, float]]
    single_site_km: float
    single_site_points: tuple[tuple[float, float], tuple[float, float]]
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (km, deg); see the module docstring for the definitions."""
        return {
            "from": {"spec": self.frm.spec, "name": self.frm.name},
            "to": {"spec": self.to.spec, "name": self.to.name},
            "nearest_km": round(self.nearest_km, 3),
            "nearest_points": _pts(self.nearest_points),
            "full_coverage_km": round(self.full_coverage_km, 3),
            "full_coverage_points": _pts(self.full_coverage_points),
            "single_site_km": round(self.single_site_km, 3),
            "single_site_points": _pts(self.single_site_points),
            "boundary": _boundary(self.frm, self.to),
            "method": METHOD,
            "definitions": {
                "nearest_km": "shortest geodesic between any point of FROM and any point of TO",
                "full_coverage_km": "max over points of TO of the distance to the nearest point of FROM",
                "single_site_km": "min over launch points in FROM of the max distance to TO",
            },
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


def nearest_km(frm: Region | str, to: Region | str, resolution: str = "10m") -> float:
    """Only the nearest distance (km) between two regions (faster than :func:`distance`)."""
    a, b = _region(frm, resolution), _region(to, resolution)
    return _nearest(index_of(a), index_of(b))[0] / 1000.0


def distance(frm: Region | str, to: Region | str, resolution: str = "10m") -> DistanceResult:
    """Nearest, full-coverage and single-site distances (km) from region FROM to region TO.

    :param frm, to: :class:`Region` or spec (``"PAK"``, ``"USA:conus"``, ``"site:islamabad"``, ``"33.7,73.1"``).
    :param resolution: boundary scale, ``"10m"`` (default) or ``"50m"``.
    """
    t0 = time.perf_counter()
    a, b = _region(frm, resolution), _region(to, resolution)
    ia, ib = index_of(a), index_of(b)
    n = _nearest(ia, ib)
    fc = _full_coverage(ia, ib, _seeds(b))
    ss = _single_site(ia, ib, _seeds(a))
    # the definitions imply nearest <= full <= single; enforce against last-millimetre search noise
    full = max(fc[0], n[0])
    single = max(ss[0], full)
    return DistanceResult(a, b, n[0] / 1000.0, (n[1], n[2]), full / 1000.0, (fc[1], fc[2]), single / 1000.0,
                          (ss[1], ss[2]), (time.perf_counter() - t0) * 1000.0)


# ---------------------------------------------------------------------------------------- coverage


@dataclass
class _CoverageCache:
    weights: FloatArray  # m², per TO sample
    dist_m: FloatArray  # per TO sample
    city_idx: NDArray[np.int64]
    city_dist_m: FloatArray
    area_m2: float


_CELLS: BoundedCache[tuple[FloatArray, FloatArray, FloatArray, float]] = BoundedCache(
    64, max_bytes=32 * 2**20, sizer=lambda v: nbytes(v[0], v[1], v[2]) + 400)
"""Region.key → area samples (LRU, ≤ 64 entries, ≤ 32 MB estimated)."""


def _cells(key: str, idx: BoundaryIndex) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Samples of the region ``key`` whose index is ``idx`` (cached; see :func:`_build_cells`)."""
    return _CELLS.get_or_compute(key, lambda: _build_cells(idx))


def _build_cells(idx: BoundaryIndex) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Samples (lat, lon deg) of a region with area weights (m²) and its exact geodesic area (m²).

    Grid centres inside the region weighted by their ellipsoidal cell area; each polygon part's weights are
    scaled to its exact geodesic area; a part too small to hold a grid centre is represented by one point.
    """
    lat, lon, step = _grid_inside(idx, 40_000)
    parts = [p for p in shapely.get_parts(idx.geometry) if p.geom_type == "Polygon"]
    part_area = np.array([abs(GEOD.geometry_area_perimeter(p)[0]) for p in parts])
    # ellipsoidal area of a step×step cell at each latitude
    half = step / 2
    cell = np.array([abs(GEOD.polygon_area_perimeter([0, step, step, 0], [la - half, la - half, la + half,
                                                                          la + half])[0])
                     for la in np.unique(lat)]) if lat.size else np.zeros(0)
    w = cell[np.searchsorted(np.unique(lat), lat)] if lat.size else np.zeros(0)
    tree = shapely.STRtree(parts)
    pi, gi = tree.query(shapely.points(lon, lat), predicate="within") if lat.size else (np.zeros(0, int),) * 2
    owner = np.full(lat.size, -1, dtype=np.int64)
    owner[pi] = gi
    sums = np.bincount(owner[owner >= 0], weights=w[owner >= 0], minlength=len(parts))
    scale = np.where(sums > 0, part_area / np.where(sums > 0, sums, 1), 0.0)
    w = np.where(owner >= 0, w * scale[np.maximum(owner, 0)], 0.0)
    extra = np.nonzero(sums == 0)[0]
    if extra.size:
        rp = [parts[i].representative_point() for i in extra]
        lat = np.concatenate([lat, [p.y for p in rp]])
        lon = np.concatenate([lon, [p.x for p in rp]])
        w = np.concatenate([w, part_area[extra]])
    keep = w > 0
    return lat[keep], lon[keep], w[keep], float(part_area.sum())


def _coverage_bytes(cc: _CoverageCache) -> int:
    return nbytes(cc.weights, cc.dist_m, cc.city_idx, cc.city_dist_m) + 400


_COVERAGE: BoundedCache[_CoverageCache] = BoundedCache(16, sizer=_coverage_bytes)
"""(FROM key, TO key) → per-sample distances (LRU, ≤ 16 pairs)."""


def _coverage_cache(a: Region, b: Region) -> _CoverageCache:
    return _COVERAGE.get_or_compute((a.key, b.key), lambda: _build_coverage(a, b))


def _build_coverage(a: Region, b: Region) -> _CoverageCache:
    from equilibrium.geo.cities import city_indices_in, city_table

    ia, ib = index_of(a), index_of(b)
    if ib.is_point:
        lat, lon, w, area = ib.lat, ib.lon, np.ones(1), 0.0
        dist = _dist_to(ia, lat, lon, iters=34)[0]
    else:
        lat, lon, w, area = _cells(b.key, ib)
        dist, _ = ia.nearest_vertices(lat, lon, k=16)  # 16: chord order ≠ geodesic order at ~0.1 %
        dist = np.where(ia.contains(lat, lon), 0.0, dist)
    ci = city_indices_in(b)
    table = city_table()
    cd = _dist_to(ia, table.lat[ci], table.lon[ci], iters=30)[0] if ci.size else np.zeros(0)
    return _CoverageCache(w, dist, ci, cd, area)


register("reach._INDEX", _INDEX, "Region.key (spec@resolution; user-chosen points, cities, sites, regions)",
         "LRU; ~77 B per boundary vertex: ~1.6 KB point, 0.2 MB PAK, 5 MB CAN@10m")
register("reach._SEEDS", _SEEDS, "Region.key", "LRU; ~0.4 KB point, 10-25 KB country, <= 100 KB")
register("reach._CELLS", _CELLS, "Region.key (area regions only)", "LRU; 0.2-0.55 MB per region (<= 0.96 MB)")
register("reach._COVERAGE", _COVERAGE, "(FROM Region.key, TO Region.key)", "LRU; <= ~0.7 MB per pair")


@dataclass
class CoverageResult:
    """Share of TO within ``range_km`` of FROM, by geodesic area and by city population."""

    frm: Region
    to: Region
    range_km: float
    area_fraction: float
    population_fraction: float
    population_in_range: float
    population_total: float
    cities_in_range: int
    cities_total: int
    largest_in: list[dict[str, Any]]
    largest_out: list[dict[str, Any]]
    area_km2: float
    elapsed_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (fractions 0–1, km, km², persons)."""
        from equilibrium.geo.cities import CITIES_SOURCE, CITIES_SOURCE_ID

        return {
            "from": {"spec": self.frm.spec, "name": self.frm.name},
            "to": {"spec": self.to.spec, "name": self.to.name},
            "range_km": self.range_km,
            "area_fraction": round(self.area_fraction, 6),
            "population_fraction": round(self.population_fraction, 6),
            "population_in_range": int(self.population_in_range),
            "population_total": int(self.population_total),
            "cities_in_range": self.cities_in_range,
            "cities_total": self.cities_total,
            "largest_in": self.largest_in,
            "largest_out": self.largest_out,
            "area_km2": round(self.area_km2, 1),
            "boundary": _boundary(self.frm, self.to),
            "cities_source": CITIES_SOURCE,
            "cities_source_id": CITIES_SOURCE_ID,
            "method": ("area: grid samples of TO weighted by ellipsoidal cell area, calibrated per polygon to "
                       "its exact geodesic area; distance to FROM's nearest boundary vertex (exact geodesic); "
                       "cities: exact geodesic distance to FROM's boundary edges"),
            "notes": self.notes,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


def coverage(frm: Region | str, to: Region | str, range_km: float, resolution: str = "10m") -> CoverageResult:
    """Share of TO's geodesic area and of its cities15000 population within ``range_km`` (km) of FROM.

    The first query for a FROM/TO pair computes and caches the per-sample distances (~0.1–1 s); further
    ranges on the same pair are thresholds (< 10 ms).
    """
    r = _check_range(range_km)
    t0 = time.perf_counter()
    a, b = _region(frm, resolution), _region(to, resolution)
    cc = _coverage_cache(a, b)
    lim = r * 1000.0
    wsum = cc.weights.sum()
    area_fraction = float(cc.weights[cc.dist_m <= lim].sum() / wsum) if wsum > 0 else 0.0
    from equilibrium.geo.cities import city_table

    table = city_table()
    pop = table.population[cc.city_idx]
    inr = cc.city_dist_m <= lim
    ptot = float(pop.sum())
    pin = float(pop[inr].sum())

    def rows(sel: NDArray[np.bool_]) -> list[dict[str, Any]]:
        out = []
        for i, dm in zip(cc.city_idx[sel][:10], cc.city_dist_m[sel][:10], strict=True):
            c = table.cities[int(i)]
            out.append({"name": c.name, "country": c.country, "lat": c.lat, "lon": c.lon,
                        "population": c.population, "distance_km": round(float(dm) / 1000.0, 1)})
        return out

    notes = []
    if b.is_point:
        notes.append("TO is a point: area_fraction is 1 if it is within range, else 0")
    if cc.city_idx.size == 0:
        notes.append("no cities15000 place lies inside TO; population_fraction is 0")
    return CoverageResult(a, b, r, area_fraction, pin / ptot if ptot > 0 else 0.0, pin, ptot, int(inr.sum()),
                          int(inr.size), rows(inr), rows(~inr), cc.area_m2 / 1e6,
                          (time.perf_counter() - t0) * 1000.0, notes)


# ------------------------------------------------------------------------------------- distance field


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
        return np.asarray(self.km <= _check_range(range_km))

    def to_dict(self, decimals: int = 1) -> dict[str, Any]:
        """JSON-ready dict: ``lats``, ``lons`` (deg), ``km`` as nested lists (rows = latitudes)."""
        return {"from": {"spec": self.frm.spec, "name": self.frm.name}, "resolution_deg": self.resolution_deg,
                "lats": [round(float(x), 6) for x in self.lats], "lons": [round(float(x), 6) for x in self.lons],
                "km": np.round(self.km.astype(np.float64), decimals).tolist(), "boundary": _boundary(self.frm)}


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
    from equilibrium.geo.geodesic import A_M, E2

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
    a = _region(frm, resolution)
    ia = index_of(a)
    lats = np.asarray(-90 + res / 2 + res * np.arange(round(180 / res)), dtype=np.float64)
    lons = np.asarray(-180 + res / 2 + res * np.arange(round(360 / res)), dtype=np.float64)
    km = (_field_values(ia, lats, lons) / 1000.0).astype(np.float32)
    return DistanceField(a, lats, lons, km, res)


# ----------------------------------------------------------------------------------------------- ring


def ring(frm: Region | str, range_km: float, resolution: str = "10m", grid_deg: float | None = None
         ) -> dict[str, Any]:
    """Reach polygon: the set of points within ``range_km`` (km) of FROM, as a GeoJSON Feature.

    Computed as the filled contour ``d ≤ range`` of the distance field on a lon/lat node grid that includes
    ±180° and ±90° (so parts split at the antimeridian and close along the poles), with each contour vertex
    moved onto the exact level by regula falsi along its grid edge. RFC 7946: a MultiPolygon whose exterior
    rings are counter-clockwise and holes clockwise, longitudes in [-180, 180], latitudes in [-90, 90].
    ``grid_deg`` (deg) defaults to 0.5° globally, finer for short ranges.
    """
    r = _check_range(range_km)
    a = _region(frm, resolution)
    ia = index_of(a)
    polys = _ring_polygons(ia, r * 1000.0, grid_deg)
    coords = [[[[round(x, 5), round(y, 5)] for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
              for p in polys]
    return {"type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
            "properties": {"from": a.spec, "from_name": a.name, "range_km": r,
                           "area_km2": round(geodesic_area_m2(polys) / 1e6, 1),
                           "boundary": _boundary(a),
                           "method": "filled contour of the geodesic distance field, vertices refined to the level"}}


def geodesic_area_m2(polys: list[shapely.Polygon]) -> float:
    """Exact geodesic area (m²) of lon/lat polygons (deg) whose edges along ±180° / ±90° are cuts, not sides.

    ``pyproj.Geod`` reads a polygon spanning 360° of longitude as the thin sliver between its two antimeridian
    edges, so each polygon is cut into 45°-wide strips first (the cut lines are meridians, i.e. geodesics).
    """
    total = 0.0
    for p in polys:
        x0, _, x1, _ = p.bounds
        for lo in np.arange(-180.0, 180.0, 45.0):
            if lo + 45.0 < x0 or lo > x1:
                continue
            part = shapely.clip_by_rect(p, lo, -90.0, lo + 45.0, 90.0)
            for q in shapely.get_parts(part):
                if q.geom_type != "Polygon" or q.is_empty:
                    continue
                rings = [q.exterior, *q.interiors]
                areas = [abs(GEOD.polygon_area_perimeter(*np.asarray(r.coords).T[:2])[0]) for r in rings]
                total += areas[0] - sum(areas[1:])
    return total


def _ring_polygons(ia: BoundaryIndex, lim_m: float, grid_deg: float | None) -> list[shapely.Polygon]:
    import contourpy

    if lim_m == 0 and not ia.is_point:
        return [shapely.orient_polygons(p, exterior_cw=False) for p in shapely.get_parts(ia.geometry)
                if p.geom_type == "Polygon"]
    x0, y0, x1, y1 = (ia.lon.min(), ia.lat.min(), ia.lon.max(), ia.lat.max())
    dlat = lim_m / 110_574.0 + 0.5
    coslat = math.cos(math.radians(min(89.0, max(abs(y0 - dlat), abs(y1 + dlat)))))
    dlon = lim_m / (111_320.0 * max(coslat, 1e-6)) + 0.5
    regional = y0 - dlat > -89 and y1 + dlat < 89 and x0 - dlon > -180 and x1 + dlon < 180
    if regional:
        la0, la1, lo0, lo1 = y0 - dlat, y1 + dlat, x0 - dlon, x1 + dlon
        step = grid_deg or float(np.clip(math.sqrt((la1 - la0) * (lo1 - lo0) / 200_000), 0.01, 0.5))
    else:
        la0, la1, lo0, lo1 = -90.0, 90.0, -180.0, 180.0
        step = grid_deg or 0.5
    lats = np.linspace(la0, la1, max(3, int(round((la1 - la0) / step)) + 1))
    lons = np.linspace(lo0, lo1, max(3, int(round((lo1 - lo0) / step)) + 1))
    z = _field_values(ia, lats, lons)
    gen = contourpy.contour_generator(lons, lats, z, fill_type=contourpy.FillType.OuterOffset)
    filled: Any = gen.filled(-1.0, lim_m)
    pts_list, offs_list = filled[0], filled[1]
    out: list[shapely.Polygon] = []
    for pts, offs in zip(pts_list, offs_list, strict=True):
        pts = _refine_level(ia, np.asarray(pts, dtype=np.float64), lats, lons, lim_m)
        rings = [pts[offs[i]:offs[i + 1]] for i in range(len(offs) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        poly = shapely.Polygon(rings[0], rings[1:])
        if not poly.is_valid:
            from equilibrium.geo.topojson import polygons

            out.extend(polygons(shapely.make_valid(poly)))
        else:
            out.append(poly)
    out = [shapely.orient_polygons(p, exterior_cw=False) for p in out if p.area > 0]
    return out


def _refine_level(ia: BoundaryIndex, pts: FloatArray, lats: FloatArray, lons: FloatArray, lim_m: float,
                  iters: int = 4) -> FloatArray:
    """Move contour vertices lying on grid edges onto the level ``lim_m`` (regula falsi along the edge)."""
    if pts.size == 0:
        return pts
    lon, lat = pts[:, 0].copy(), pts[:, 1].copy()
    dlon = lons[1] - lons[0]
    dlat = lats[1] - lats[0]
    fi = (lon - lons[0]) / dlon
    fj = (lat - lats[0]) / dlat
    on_v = np.abs(fi - np.round(fi)) < 1e-9  # on a meridian grid line: move in latitude
    on_h = np.abs(fj - np.round(fj)) < 1e-9  # on a parallel: move in longitude
    for mask, coord, axis, step in ((on_v & ~on_h, lat, lats, dlat), (on_h & ~on_v, lon, lons, dlon)):
        idx = np.nonzero(mask)[0]
        if idx.size == 0:
            continue
        f = (coord[idx] - axis[0]) / step
        k = np.clip(np.floor(f), 0, axis.size - 2)
        lo_c = axis[0] + k * step
        hi_c = lo_c + step

        def val(c: FloatArray, idx: NDArray[np.int64] = idx, coord: FloatArray = coord) -> FloatArray:
            la = c if coord is lat else lat[idx]
            lo = lon[idx] if coord is lat else c
            d, _ = ia.nearest_vertices(la, lo, k=2)
            if not ia.is_point:
                d = np.where(ia.contains(la, lo), 0.0, d)
            return d - lim_m

        flo, fhi = val(lo_c), val(hi_c)
        ok = np.sign(flo) != np.sign(fhi)
        c = coord[idx].copy()
        for _ in range(iters):
            denom = np.where(fhi - flo == 0, 1.0, fhi - flo)
            mid = np.clip(lo_c - flo * (hi_c - lo_c) / denom, np.minimum(lo_c, hi_c), np.maximum(lo_c, hi_c))
            fm = val(mid)
            left = np.sign(fm) == np.sign(flo)
            lo_c, flo = np.where(left, mid, lo_c), np.where(left, fm, flo)
            hi_c, fhi = np.where(left, hi_c, mid), np.where(left, fhi, fm)
            c = np.where(ok, mid, c)
        coord[idx] = c
    return np.stack([np.clip(lon, -180, 180), np.clip(lat, -90, 90)], axis=1)


# -------------------------------------------------------------------------------------------- systems


def _verdict(low: float, high: float, dist_km: float) -> str:
    if low >= dist_km:
        return "yes"
    if high < dist_km:
        return "no"
    return "depends-on-source"


def systems(frm: Region | str, to: Region | str, catalog: Any = None, resolution: str = "10m") -> dict[str, Any]:
    """Which of FROM's country's missile systems reach TO's nearest point and cover all of TO.

    ``reaches_nearest`` / ``covers_all``: ``"yes"`` if every source's range (its low end) reaches
    ``nearest_km`` / ``full_coverage_km``, ``"no"`` if none does (high end short), else ``"depends-on-source"``.
    """
    a, b = _region(frm, resolution), _region(to, resolution)
    res = distance(a, b, resolution)
    if catalog is None:
        from equilibrium.catalog import catalog as _catalog

        catalog = _catalog()
    rows = []
    if a.iso3:
        own = sorted((s for s in catalog if s.country == a.iso3), key=lambda s: (s.range.nominal, s.name))
        for s in own:
            rows.append({"id": s.id, "name": s.name, "class": s.cls, "country": s.country,
                         "range_km": catalog.range_summary(s),
                         "reaches_nearest": _verdict(s.range.low, s.range.high, res.nearest_km),
                         "covers_all": _verdict(s.range.low, s.range.high, res.full_coverage_km),
                         "status": s.status})
    return {"from": {"spec": a.spec, "name": a.name}, "to": {"spec": b.spec, "name": b.name},
            "nearest_km": round(res.nearest_km, 3), "full_coverage_km": round(res.full_coverage_km, 3),
            "single_site_km": round(res.single_site_km, 3), "boundary": _boundary(a, b), "systems": rows}


@dataclass
class CoverageSamples:
    """The samples behind :func:`coverage`: TO's area samples (lat/lon deg, weights m², geodesic distance to FROM
    in m) and its cities (lat/lon deg, population, distance m). For range tests that vary with direction."""

    lat: FloatArray
    lon: FloatArray
    weights: FloatArray
    dist_m: FloatArray
    city_lat: FloatArray
    city_lon: FloatArray
    city_population: FloatArray
    city_dist_m: FloatArray
    city_names: list[str]


def coverage_samples(frm: Region | str, to: Region | str, resolution: str = "10m") -> CoverageSamples:
    """TO's area and city samples with their distances (m) to FROM (cached like :func:`coverage`)."""
    from equilibrium.geo.cities import city_table

    a, b = _region(frm, resolution), _region(to, resolution)
    cc = _coverage_cache(a, b)
    ib = index_of(b)
    if ib.is_point:
        lat, lon = ib.lat, ib.lon
    else:
        lat, lon, _, _ = _cells(b.key, ib)
    table = city_table()
    ci = cc.city_idx
    return CoverageSamples(lat=np.asarray(lat), lon=np.asarray(lon), weights=cc.weights, dist_m=cc.dist_m,
                           city_lat=table.lat[ci], city_lon=table.lon[ci], city_population=table.population[ci],
                           city_dist_m=cc.city_dist_m,
                           city_names=[f"{table.cities[int(i)].name}, {table.cities[int(i)].country}" for i in ci])
