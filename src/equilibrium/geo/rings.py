"""Reach polygons (range rings): every point within a range of a region, as RFC 7946 GeoJSON valid across ±180° and
the poles, and the exact geodesic area of lon/lat polygons."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from equilibrium.geo.field import _field_values
from equilibrium.geo.geodesic import GEOD
from equilibrium.geo.index import BoundaryIndex
from equilibrium.geo.regions import Region
from equilibrium.geo.samples import boundary_of, check_range, index_of, region_of
from equilibrium.geo.topojson import polygons as valid_polygons

FloatArray = NDArray[np.float64]


def ring(frm: Region | str, range_km: float, resolution: str = "10m", grid_deg: float | None = None
         ) -> dict[str, Any]:
    """Reach polygon: the set of points within ``range_km`` (km) of FROM, as a GeoJSON Feature.

    Computed as the filled contour ``d ≤ range`` of the distance field on a lon/lat node grid that includes
    ±180° and ±90° (so parts split at the antimeridian and close along the poles), with each contour vertex
    moved onto the exact level by regula falsi along its grid edge. RFC 7946: a MultiPolygon whose exterior
    rings are counter-clockwise and holes clockwise, longitudes in [-180, 180], latitudes in [-90, 90].
    ``grid_deg`` (deg) defaults to 0.5° globally, finer for short ranges.
    """
    r = check_range(range_km)
    a = region_of(frm, resolution)
    ia = index_of(a)
    polys = _ring_polygons(ia, r * 1000.0, grid_deg)
    coords = [[[[round(x, 5), round(y, 5)] for x, y in ring.coords] for ring in (p.exterior, *p.interiors)]
              for p in polys]
    return {"type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
            "properties": {"from": a.spec, "from_name": a.name, "range_km": r,
                           "area_km2": round(geodesic_area_m2(polys) / 1e6, 1),
                           "boundary": boundary_of(a),
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
            out.extend(valid_polygons(shapely.make_valid(poly)))
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
