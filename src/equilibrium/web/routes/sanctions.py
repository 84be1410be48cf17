"""The curated sanctions record: actions and the asymmetry between target countries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

router = APIRouter(prefix="/api/sanctions", tags=["sanctions"])

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@router.get("/actions", summary="Curated sanctions actions, sorted by date, with sources")
def actions(
    target_country: Annotated[str | None, Query(max_length=60, description="ISO3 or country name")] = None,
    sender: Annotated[str | None, Query(max_length=3, description="ISO3, UN or EU")] = None,
    authority: Annotated[str | None, Query(max_length=80, description="Substring, e.g. CAATSA")] = None,
    type: Annotated[list[str] | None, Query(description="Action types")] = None,  # noqa: A002
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
) -> dict[str, Any]:
    """``{"count", "actions": [...]}``: each action with its authority, list, targets and references."""
    from equilibrium.sanctions import actions as run

    return run(target_country=target_country, sender=sender, authority=authority, types=type, since=since,
               until=until)


@router.get("/asymmetry", summary="Actions per target country and year, by category and authority")
def asymmetry(
    countries: Annotated[list[str], Query(min_length=1, description="Target countries, e.g. IND and PAK")],
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    sender: Annotated[str | None, Query(max_length=3)] = None,
) -> dict[str, Any]:
    """Counts of designations of state entities and of private parties, waivers, determinations not made, ...
    per country and year, with the action ids behind every count."""
    from equilibrium.sanctions import asymmetry as run

    return run(countries, since=since, until=until, sender=sender)
