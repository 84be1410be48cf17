"""The curated record as FollowTheMoney entities (``followthemoney`` package): one entity per target and one
``Sanction`` per action and target, so that the record can be merged with OpenSanctions data."""

from __future__ import annotations

import hashlib
from typing import Any

from equilibrium.sanctions.record import Record, record


def _slug(*parts: str) -> str:
    return "eq-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def to_ftm(rec: Record | None = None) -> list[dict[str, Any]]:
    """Entity dicts (``id``, ``schema``, ``properties``): targets (by schema, name and country, deduplicated) and
    ``Sanction`` entities linking each action to each of its targets."""
    from followthemoney import model

    rec = rec if rec is not None else record()
    ents: dict[str, Any] = {}
    out: list[dict[str, Any]] = []
    for r in rec:
        a = r.action
        for t in a.targets:
            schema = "Organization" if t.schema_ == "Country" else t.schema_
            tid = _slug(schema, t.name, t.country or "")
            if tid not in ents:
                e = model.make_entity(schema)
                e.id = tid
                e.add("name", t.name)
                for al in t.aliases:
                    e.add("alias", al)
                if t.country:
                    e.add("country", t.country, fuzzy=True)
                ents[tid] = e
            s = model.make_entity("Sanction")
            s.id = _slug("sanction", a.id, tid)
            s.add("entity", tid)
            s.add("authority", a.agency)
            s.add("program", a.program or a.authority.text)
            s.add("provisions", a.authority.text)
            s.add("reason", a.type)
            s.add("listingDate", r.announcement.date_announced)
            if a.date_effective:
                s.add("startDate", a.date_effective)
            if a.end_date:
                s.add("endDate", a.end_date)
            if t.list_id:
                s.add("authorityId", t.list_id)
            s.add("country", a.sender if len(a.sender) == 3 else None, fuzzy=True)
            out.append(s.to_dict())
    return [e.to_dict() for e in ents.values()] + out
