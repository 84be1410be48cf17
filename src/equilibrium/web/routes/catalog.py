"""The missile catalogue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from equilibrium.catalog import MissileSystem, catalog
from equilibrium.web.problems import API_PROBLEMS

router = APIRouter(prefix="/api/catalog", tags=["catalog"], responses=API_PROBLEMS)


def system_json(s: MissileSystem) -> dict[str, Any]:
    """A system as JSON (field names as in the data files, e.g. ``class``) plus ``range_km``: the range summary
    (``low``, ``high``, ``nominal``, ``unverified``, per-source ``values``, ``sources``)."""
    body = s.model_dump(by_alias=True, mode="json", exclude_none=True)
    body["range_km"] = s.range.summary()
    return body


@router.get("/systems", summary="Catalogued missile systems")
def systems(
    country: Annotated[str | None, Query(max_length=3, description="ISO3 country code, e.g. PAK")] = None,
    cls: Annotated[str | None, Query(max_length=8, description="Vehicle class, e.g. IRBM")] = None,
) -> dict[str, Any]:
    """``{"systems": [...]}`` filtered by ``country`` and ``cls``, sorted by country then range."""
    return {"systems": [system_json(s) for s in catalog().select(country or None, cls or None)]}


@router.get("/systems/{name}", summary="One missile system by name, id or alias")
def system(name: Annotated[str, Path(min_length=1, max_length=200)]) -> dict[str, Any]:
    """The system called ``name`` (case, spacing and roman numerals ignored); 404 with suggestions otherwise."""
    return system_json(catalog().find(name))
