"""Analytics over the curated record: the sorted action list and the country asymmetry table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.sanctions.models import ActionType
from equilibrium.sanctions.record import Record, Row, record

ACTION_TYPES: tuple[str, ...] = ActionType.__args__  # type: ignore[attr-defined]


def _country(code: str) -> str:
    """ISO3 for a country code or name (pycountry-free: the geo layer knows every Natural Earth country)."""
    from equilibrium.geo.regions import resolve_region

    c = code.strip()
    if len(c) == 3 and c.isalpha():
        return c.upper()
    try:
        r = resolve_region(c)
    except NotFound:
        raise
    if not r.iso3:
        raise InvalidInput(f"{code!r} is not a country")
    return r.iso3


def _types(types: list[str] | None) -> list[str] | None:
    if not types:
        return None
    bad = [t for t in types if t not in ACTION_TYPES]
    if bad:
        from rapidfuzz import process

        near = [m for m, _, _ in process.extract(bad[0], list(ACTION_TYPES), limit=3)]
        raise NotFound("action type", bad[0], near)
    return types


def actions(*, target_country: str | None = None, sender: str | None = None, authority: str | None = None,
            types: list[str] | None = None, since: str | None = None, until: str | None = None,
            rec: Record | None = None) -> dict[str, Any]:
    """The record's actions matching the filters, sorted by date, with their sources (JSON-ready)."""
    rec = rec if rec is not None else record()
    from equilibrium.provenance import bibliography

    rows = rec.select(target_country=_country(target_country) if target_country else None,
                      sender=sender.upper() if sender else None, authority=authority, types=_types(types),
                      since=since, until=until)
    bib = bibliography()
    return {"filters": {"target_country": target_country, "sender": sender, "authority": authority,
                        "types": types, "since": since, "until": until},
            "count": len(rows), "actions": [r.to_dict(bib) for r in rows]}


def _kind(r: Row, country: str) -> str:
    """Counting category of an action for a target country: designations split into state entities and
    private parties; other types as they are."""
    if r.action.type != "designation":
        return r.action.type
    ts = [t for t in r.action.targets if t.country == country]
    return "designation-state" if any(t.state for t in ts) else "designation-private"


def asymmetry(countries: list[str], *, since: str | None = None, until: str | None = None, sender: str | None = None,
              rec: Record | None = None) -> dict[str, Any]:
    """Per country and year: counts of actions by category (designations of state entities vs private parties,
    menu and statutory sanctions, waivers, delistings, determinations not made, statements, legislative
    measures) and by authority, each count with the ids of the actions behind it; plus per-country totals."""
    if len(countries) < 1:
        raise InvalidInput("give at least one country")
    rec = rec if rec is not None else record()
    isos = [_country(c) for c in countries]
    out: dict[str, Any] = {"countries": isos, "since": since, "until": until, "sender": sender,
                           "categories": ["designation-state", "designation-private",
                                          *[t for t in ACTION_TYPES if t != "designation"]]}
    per: dict[str, Any] = {}
    for iso in isos:
        rows = rec.select(target_country=iso, since=since, until=until, sender=sender.upper() if sender else None)
        years: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        auth: dict[str, list[str]] = defaultdict(list)
        totals: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            k = _kind(r, iso)
            years[r.year][k].append(r.action.id)
            totals[k].append(r.action.id)
            auth[r.action.authority.text].append(r.action.id)
        per[iso] = {
            "total": len(rows),
            "totals": {k: {"count": len(v), "actions": v} for k, v in sorted(totals.items())},
            "by_authority": {k: {"count": len(v), "actions": v} for k, v in sorted(auth.items())},
            "years": [{"year": y, "counts": {k: len(v) for k, v in sorted(c.items())},
                       "actions": {k: v for k, v in sorted(c.items())}} for y, c in sorted(years.items())],
        }
    out["by_country"] = per
    return out
