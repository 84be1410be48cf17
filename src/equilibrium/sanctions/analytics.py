"""Analytics over the curated record: the sorted action list and the country asymmetry table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import countrynames
import pycountry
from rapidfuzz import process

from equilibrium.errors import InvalidInput, NotFound
from equilibrium.sanctions.models import ActionType
from equilibrium.sanctions.record import Record, Row, record

ACTION_TYPES: tuple[str, ...] = ActionType.__args__  # type: ignore[attr-defined]


def _country(code: str) -> str:
    """ISO3 for a country code or name (``countrynames``, the name table FollowTheMoney uses); an unknown name
    raises :class:`NotFound` with the closest ISO 3166 names (``pycountry``)."""
    c = code.strip()
    if len(c) == 3 and c.isalpha():
        return c.upper()
    iso3 = countrynames.to_code_3(c)
    if iso3:
        return str(iso3)
    names = {country.name: country.alpha_3 for country in pycountry.countries}
    near = [names[m[0]] for m in process.extract(c, list(names), limit=3)]  # ISO3 codes, valid input
    raise NotFound("country", code, near)


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


CATEGORIES: tuple[str, ...] = ("designation-state", "designation-private",
                               *[t for t in ACTION_TYPES if t != "designation"])
"""The asymmetry table's counting categories: designations split into those of state entities and of private
parties (see :func:`_kind`), then every other action type."""

SCOPES = ("all", "proliferation")
"""Which actions the asymmetry table counts: every action, or the proliferation-related ones
(:func:`is_proliferation`)."""

PROLIFERATION_RULE = ("an action is proliferation-related when its programme names (non-)proliferation or NPWMD, "
                      "or its legal authority is a non-proliferation instrument: the AECA (Glenn §102, §73 missile "
                      "sanctions), the Symington and Pressler Amendments, the NDAA FY1991 missile sanctions, "
                      "E.O. 13382 (WMD proliferators) or the Brownback waivers of the Glenn sanctions")
""":func:`is_proliferation` in words (stated by the answers that use it)."""

_PROLIF_PROGRAM = ("proliferation", "npwmd")
_PROLIF_AUTHORITY = ("aeca", "glenn", "symington", "pressler", "missile sanctions", "13382", "brownback")


def is_proliferation(r: Row) -> bool:
    """Whether ``r`` is proliferation-related (:data:`PROLIFERATION_RULE`)."""
    prog = (r.action.program or "").casefold()
    auth = r.action.authority.text.casefold()
    return any(k in prog for k in _PROLIF_PROGRAM) or any(k in auth for k in _PROLIF_AUTHORITY)


def asymmetry(countries: list[str], *, since: str | None = None, until: str | None = None, sender: str | None = None,
              categories: list[str] | None = None, scope: str = "all", verified_only: bool = False,
              rec: Record | None = None) -> dict[str, Any]:
    """Per country and year: counts of actions by category (designations of state entities vs private parties,
    menu and statutory sanctions, waivers, delistings, determinations not made, statements, legislative
    measures) and by authority, each count with the ids of the actions behind it; plus per-country totals.
    ``categories`` (default: every one of :data:`CATEGORIES`) are the categories counted; ``scope``
    ``proliferation`` counts only proliferation-related actions (:func:`is_proliferation`); ``verified_only``
    leaves out actions whose record entry is marked unverified (its primary text not read). Each country also
    lists the counted actions that are unverified."""
    if len(countries) < 1:
        raise InvalidInput("give at least one country")
    if scope not in SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    bad = [c for c in categories or [] if c not in CATEGORIES]
    if bad:
        from rapidfuzz import process

        raise NotFound("category", bad[0], [m for m, _, _ in process.extract(bad[0], list(CATEGORIES), limit=3)])
    counted = [c for c in CATEGORIES if not categories or c in categories]
    rec = rec if rec is not None else record()
    isos = [_country(c) for c in countries]
    out: dict[str, Any] = {"countries": isos, "since": since, "until": until, "sender": sender, "scope": scope,
                           "categories": counted}
    per: dict[str, Any] = {}
    for iso in isos:
        rows = rec.select(target_country=iso, since=since, until=until, sender=sender.upper() if sender else None)
        if scope == "proliferation":
            rows = [r for r in rows if is_proliferation(r)]
        rows = [r for r in rows if _kind(r, iso) in counted]
        if verified_only:
            rows = [r for r in rows if not r.action.unverified]
        unverified = [r.action.id for r in rows if r.action.unverified]
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
            "unverified": {"count": len(unverified), "actions": unverified},
            "totals": {k: {"count": len(v), "actions": v} for k, v in sorted(totals.items())},
            "by_authority": {k: {"count": len(v), "actions": v} for k, v in sorted(auth.items())},
            "years": [{"year": y, "counts": {k: len(v) for k, v in sorted(c.items())},
                       "actions": {k: v for k, v in sorted(c.items())}} for y, c in sorted(years.items())],
        }
    out["by_country"] = per
    return out
