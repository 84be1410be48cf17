"""Reach: distances, coverage at a range, the catalogued systems against a target, range rings, and the
distance raster the browser contours while a range slider moves."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from equilibrium.errors import InvalidInput
from equilibrium.web.problems import API_PROBLEMS
from equilibrium.web.routes.deps import FromSpec, RangeKm, ToSpec, get_geo
from equilibrium.web.service import FIELD_RESOLUTIONS, GeoService

router = APIRouter(prefix="/api/reach", tags=["reach"], responses=API_PROBLEMS)
Geo = Annotated[GeoService, Depends(get_geo)]


@router.get("/distance", summary="Nearest, full-coverage and single-site distances (km)")
def distance(frm: FromSpec, to: ToSpec, geo: Geo) -> dict[str, Any]:
    """``nearest_km`` (closest points), ``full_coverage_km`` (range needed from somewhere in FROM to reach every
    point of TO), ``single_site_km`` (one launch site covering all of TO), with the points and the boundary set."""
    return geo.distance(frm, to)


@router.get("/coverage", summary="Share of a target within a range")
def coverage(frm: FromSpec, to: ToSpec, range_km: RangeKm, geo: Geo) -> dict[str, Any]:
    """``area_fraction`` and ``population_fraction`` (0–1) of TO within ``range_km`` of FROM, with the cities in
    and out of range (10 largest each)."""
    return geo.coverage(frm, to, float(range_km))


@router.get("/systems", summary="FROM's catalogued systems against TO")
def systems(frm: FromSpec, to: ToSpec, geo: Geo) -> dict[str, Any]:
    """For each system of FROM's country: its range interval and whether it reaches the nearest point of TO and
    covers all of TO (``yes``/``no``/``depends-on-source``)."""
    return geo.systems(frm, to)


@router.get("/ring", summary="Reach polygon of FROM at a range (GeoJSON Feature)")
def ring(frm: FromSpec, range_km: RangeKm, geo: Geo) -> dict[str, Any]:
    """A GeoJSON Feature (MultiPolygon, RFC 7946: split at ±180°, counter-clockwise exteriors) of every point
    within ``range_km`` of FROM."""
    return geo.ring(frm, float(range_km))


@router.get("/field", summary="Distance raster, target cells and cities for client-side range updates")
def field(frm: FromSpec, to: ToSpec, geo: Geo,
          resolution_deg: Annotated[float, Query(ge=0.25, le=2, allow_inf_nan=False,
                                                 description="Raster step in degrees: 0.25, 0.5, 1 or 2.")] = 0.5,
          ) -> dict[str, Any]:
    """Everything the page needs to redraw the reach polygon and the coverage figures without a server
    round-trip while a range slider moves:

    * ``grid``: geodesic distance (km) from FROM on a regular lat/lon raster, uint16 little-endian base64,
      rows north→south; contour it at the range to get the reach polygon;
    * ``cells``: sample cells of TO (``lat``, ``lon``, area ``weight`` summing to 1, ``distance_km``);
    * ``cities``: cities of TO with ``population`` and ``distance_km``;
    * ``from_geometry``/``to_geometry``: outlines with d3-geo winding (clockwise exterior rings).

    Cell and city distances are interpolated in the raster (a preview); ``/api/reach/coverage`` gives the
    exact figures.
    """
    if resolution_deg not in FIELD_RESOLUTIONS:
        raise InvalidInput(f"resolution_deg must be one of {', '.join(map(str, FIELD_RESOLUTIONS))}, "
                           f"not {resolution_deg}")
    return geo.field(frm, to, float(resolution_deg))
