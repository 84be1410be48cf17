"""Shared dependencies and parameter declarations of the API routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from equilibrium.web.service import GeoService

SPEC_HELP = ("Region spec: ISO3 code (`PAK`), sub-region (`USA:conus`, `IND:andaman-nicobar`), "
             "named site (`site:islamabad`), city (`city:Washington, US`) or `lat,lon` in degrees.")

FromSpec = Annotated[str, Query(alias="from", min_length=1, max_length=200, description="Launch " + SPEC_HELP,
                                examples=["PAK"])]
ToSpec = Annotated[str, Query(alias="to", min_length=1, max_length=200, description="Target " + SPEC_HELP,
                              examples=["IND"])]
RangeKm = Annotated[float, Query(ge=0, le=40_075, allow_inf_nan=False,
                                 description="Range in km (finite, 0 to 40,075 — one Earth circumference).",
                                 examples=[2750])]


def get_geo(request: Request) -> GeoService:
    """The app's cached :class:`GeoService`."""
    service: GeoService = request.app.state.geo
    return service
