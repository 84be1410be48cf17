"""What every reach algorithm shares: each region's cached boundary index (:mod:`equilibrium.geo.index`), interior
seed grid and area samples, the exact distance from points to a region, the range check and the statement of the
boundaries a result rests on. Distances in m inside, km at the interfaces; coordinates in degrees.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from equilibrium.errors import InvalidInput
from equilibrium.geo.caches import BoundedCache, nbytes, register
from equilibrium.geo.geodesic import GEOD
from equilibrium.geo.index import BoundaryIndex, build_index
from equilibrium.geo.regions import POINT_BOUNDARY, Region, resolve_region

FloatArray = NDArray[np.float64]


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


def region_of(r: Region | str, resolution: str = "10m") -> Region:
    return r if isinstance(r, Region) else resolve_region(r, resolution)


def check_range(range_km: float) -> float:
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


def seeds_of(region: Region) -> tuple[FloatArray, FloatArray, float]:
    """Interior seed grid of ``region`` (cached)."""
    return _interior_seeds(region.key, index_of(region))


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


_CELLS: BoundedCache[tuple[FloatArray, FloatArray, FloatArray, float]] = BoundedCache(
    64, max_bytes=32 * 2**20, sizer=lambda v: nbytes(v[0], v[1], v[2]) + 400)
"""(Region.key, target) → area samples (LRU, ≤ 64 entries, ≤ 32 MB estimated)."""


def area_samples(region: Region, target: int = 40_000) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Area samples of ``region`` about ``target`` grid cells in its bbox (cached; see :func:`_build_cells`):
    ``(lat, lon, weight_m2, area_m2)``."""
    idx = index_of(region)
    return _CELLS.get_or_compute((region.key, target), lambda: _build_cells(idx, target))


def _build_cells(idx: BoundaryIndex, target: int = 40_000) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Samples (lat, lon deg) of a region with area weights (m²) and its exact geodesic area (m²).

    Grid centres inside the region weighted by their ellipsoidal cell area; each polygon part's weights are
    scaled to its exact geodesic area; a part too small to hold a grid centre is represented by one point.
    """
    lat, lon, step = _grid_inside(idx, target)
    parts = [p for p in shapely.get_parts(idx.geometry) if p.geom_type == "Polygon"]
    part_area = np.array([abs(GEOD.geometry_area_perimeter(p)[0]) for p in parts])
    # ellipsoidal area of a step×step cell at each latitude
    half = step / 2
    cell = np.array([abs(GEOD.polygon_area_perimeter([0, step, step, 0], [la - half, la - half, la + half,
                                                                          la + half])[0])
                     for la in np.unique(lat)]) if lat.size else np.zeros(0)
    w = cell[np.searchsorted(np.unique(lat), lat)] if lat.size else np.zeros(0)
    # Which part holds each grid centre: the parts query a tree of the points with "contains", so shapely prepares
    # each (complex) part once; the reverse ("within" from every point) tests unprepared parts (5× slower).
    gi, pi = (shapely.STRtree(shapely.points(lon, lat)).query(parts, predicate="contains") if lat.size
              else (np.zeros(0, int),) * 2)
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


def boundary_of(frm: Region, to: Region | None = None) -> dict[str, Any]:
    """The boundaries a result between ``frm`` and ``to`` rests on: the data sets of the polygon regions (points
    have none), their scale, source ids and the point of view of their lines (``None`` when no Natural Earth line
    is involved, e.g. between two points), with each region's own ``boundary`` under ``from`` / ``to``."""
    regions = [frm] if to is None else [frm, to]
    polys = [r for r in regions if r.boundary.get("resolution")]
    datasets = list(dict.fromkeys(r.boundary["dataset"] for r in polys))
    sources = list(dict.fromkeys(s for r in regions for s in r.boundary["source_ids"]))
    out: dict[str, Any] = {
        "dataset": " + ".join(datasets) if datasets else POINT_BOUNDARY,
        "resolution": frm.resolution if polys else None,
        "source_ids": sources,
        "pov": next((r.boundary["pov"] for r in polys if r.boundary.get("pov")), None),
        "from": frm.boundary,
    }
    if to is not None:
        out["to"] = to.boundary
    return out


register("samples._INDEX", _INDEX, "Region.key (spec@resolution; user-chosen points, cities, sites, regions)",
         "LRU; ~77 B per boundary vertex: ~1.6 KB point, 0.2 MB PAK, 5 MB CAN@10m")
register("samples._SEEDS", _SEEDS, "Region.key", "LRU; ~0.4 KB point, 10-25 KB country, <= 100 KB")
register("samples._CELLS", _CELLS, "(Region.key, target) (area regions only)",
         "LRU; 0.2-0.55 MB per region (<= 0.96 MB)")
