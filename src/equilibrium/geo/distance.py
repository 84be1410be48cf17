"""Reach distances between regions: nearest, full coverage (directed Hausdorff) and single site (constrained
1-centre).

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
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from equilibrium.geo.geodesic import GEOD, inverse, segment_extreme, to_ecef
from equilibrium.geo.index import BoundaryIndex, _workers, ball_pairs, geodesic_lower_m
from equilibrium.geo.regions import Region
from equilibrium.geo.samples import _dist_to, _pt, boundary_of, index_of, region_of, seeds_of

FloatArray = NDArray[np.float64]

METHOD = ("WGS-84 geodesics (Karney 2013, pyproj.Geod); region boundaries as geodesic edges (<= 10 km); "
          "k-d-tree prefilter on ECEF vertices, exact edge refinement by golden-section search")


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
            "boundary": boundary_of(self.frm, self.to),
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
    a, b = region_of(frm, resolution), region_of(to, resolution)
    return _nearest(index_of(a), index_of(b))[0] / 1000.0


def distance(frm: Region | str, to: Region | str, resolution: str = "10m") -> DistanceResult:
    """Nearest, full-coverage and single-site distances (km) from region FROM to region TO.

    :param frm, to: :class:`Region` or spec (``"PAK"``, ``"USA:conus"``, ``"site:islamabad"``, ``"33.7,73.1"``).
    :param resolution: boundary scale, ``"10m"`` (default) or ``"50m"``.
    """
    t0 = time.perf_counter()
    a, b = region_of(frm, resolution), region_of(to, resolution)
    ia, ib = index_of(a), index_of(b)
    n = _nearest(ia, ib)
    fc = _full_coverage(ia, ib, seeds_of(b))
    ss = _single_site(ia, ib, seeds_of(a))
    # the definitions imply nearest <= full <= single; enforce against last-millimetre search noise
    full = max(fc[0], n[0])
    single = max(ss[0], full)
    return DistanceResult(a, b, n[0] / 1000.0, (n[1], n[2]), full / 1000.0, (fc[1], fc[2]), single / 1000.0,
                          (ss[1], ss[2]), (time.perf_counter() - t0) * 1000.0)
