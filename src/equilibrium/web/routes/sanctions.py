"""The curated sanctions record: actions and the asymmetry between target countries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from equilibrium.web.problems import API_PROBLEMS

router = APIRouter(prefix="/api/sanctions", tags=["sanctions"], responses=API_PROBLEMS)

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


@router.get("/network", summary="Senders, actions, targets, authorities, programmes and list entries as a graph")
def network(
    country: Annotated[str | None, Query(max_length=60, description="Target country, ISO3 or name (e.g. PAK); "
                                                                    "none: every action")] = None,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    lists: Annotated[bool, Query(description="Attach the store's list entries of the targets")] = True,
) -> dict[str, Any]:
    """``{"nodes": [{"id", "label", "kind", "group", ...}], "edges": [{"source", "target", "kind", ...}],
    "counts"}``: one node per action, sender, target, legal instrument, programme and list entry; suppliers
    linked by co-designation and by the record's notes (``mentions`` edges). An unknown country answers 422 with
    ``suggestions``."""
    from equilibrium.sanctions.network import build_network, to_json

    return to_json(build_network(country, since=since, until=until, include_lists=lists))


@router.get("/screen", summary="Screen a name against the loaded lists (nomenklatura matchers)")
def screen(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name to screen")],
    schema: Annotated[str | None, Query(max_length=32, description="Person, Organization, Company, ...")] = None,
    country: Annotated[str | None, Query(max_length=60, description="Country of the query (code or name)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    algorithm: Annotated[str, Query(max_length=16, description="logic-v2 or ofac")] = "logic-v2",
) -> dict[str, Any]:
    """Candidates best first with ``score`` (0–1), programmes, lists and the matcher's ``explanation``. With no
    list loaded in the store the answer is an empty ``candidates`` list and a ``note`` naming the command that
    loads one (not an error)."""
    from equilibrium.sanctions.screening import screen as run
    from equilibrium.sanctions.store import LOAD_HINT, loaded_lists

    if not q.strip():
        from equilibrium.errors import InvalidInput

        raise InvalidInput("the name to screen is empty")
    loaded = loaded_lists()
    if not loaded or not any(x["entities"] for x in loaded):
        return {"query": q, "schema": schema, "country": country, "algorithm": algorithm, "candidates": [],
                "lists_loaded": loaded or [], "note": LOAD_HINT}
    pool = getattr(request.app.state, "screening", None)
    if pool is None:
        res = run(q, schema=schema, country=country, limit=limit, algorithm=algorithm)
    else:  # in the screening worker process, under the time budget (the store named now, from this process)
        from equilibrium.settings import get_settings

        res = pool.call("screen", q, schema=schema, country=country, limit=limit, algorithm=algorithm,
                        url=get_settings().database_url)
    res["lists_loaded"] = loaded
    return res
