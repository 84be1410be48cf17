"""Loading, checking and querying the curated sanctions record (``data/sanctions/actions-*.yml``).

Every file is validated against :mod:`equilibrium.sanctions.models`; errors name ``file:line`` and the field.
Every source id must resolve in the bibliography; ids are unique across files. Dates are ISO text, compared as
text after padding (``1998`` < ``1998-05`` < ``1998-05-13``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from equilibrium.errors import DataError, InvalidInput
from equilibrium.provenance import Bibliography, data_path, load_bibliography
from equilibrium.provenance.yamlio import load_yaml, validate_items
from equilibrium.sanctions.models import Action, Announcement


@dataclass(frozen=True)
class Row:
    """One action with its announcement (the unit of every query)."""

    announcement: Announcement
    action: Action

    @property
    def date(self) -> str:
        """Effective date if given, else the announcement date (ISO text)."""
        return self.action.date_effective or self.announcement.date_announced

    @property
    def year(self) -> int:
        """Year of :attr:`date`."""
        return int(self.date[:4])

    def source_ids(self) -> list[str]:
        """The action's sources, then the announcement's official and secondary sources (no repeats)."""
        ids = list(self.action.sources)
        if self.announcement.official_source:
            ids.append(self.announcement.official_source)
        ids += self.announcement.secondary_sources
        return list(dict.fromkeys(ids))

    def to_dict(self, bib: Bibliography | None = None) -> dict[str, Any]:
        """JSON-ready view; with ``bib`` each source comes with its title, publisher, date, url and kind."""
        a, n = self.action, self.announcement
        out: dict[str, Any] = {
            "id": a.id, "announcement": n.id, "title": n.title, "date": self.date,
            "date_announced": n.date_announced, "date_effective": a.date_effective, "end_date": a.end_date,
            "type": a.type, "sender": a.sender, "agency": a.agency, "authority": a.authority.text,
            "implementing_list": a.implementing_list, "program": a.program,
            "targets": [t.model_dump(by_alias=True, exclude_none=True) for t in a.targets],
            "sources": self.source_ids(), "unverified": a.unverified, "note": a.note,
        }
        if bib is not None:
            out["references"] = [_ref(bib, s) for s in self.source_ids()]
        return out


def _ref(bib: Bibliography, sid: str) -> dict[str, Any]:
    s = bib.sources.get(sid) if hasattr(bib, "sources") else None
    if s is None:
        return {"id": sid}
    return {"id": sid, "title": s.title, "publisher": s.publisher, "date": s.date, "url": s.url, "kind": s.kind}


class Record:
    """The curated record: announcements and their actions, with queries."""

    def __init__(self, announcements: Sequence[Announcement], files: Sequence[Path]) -> None:
        self.announcements = list(announcements)
        self.files = list(files)
        self.rows = sorted((Row(n, a) for n in self.announcements for a in n.actions),
                           key=lambda r: (_pad(r.date), r.action.id))

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def select(self, *, target_country: str | None = None, sender: str | None = None,
               authority: str | None = None, types: Iterable[str] | None = None, since: str | None = None,
               until: str | None = None, state: bool | None = None) -> list[Row]:
        """Rows matching every filter: target country (ISO3), sender (ISO3, ``UN``, ``EU``), authority (case-
        insensitive substring of ``instrument section``), action types, date interval (ISO, inclusive), and
        whether any target is a state organ or state-owned."""
        for name, d in (("since", since), ("until", until)):
            if d is not None and not _is_date(d):
                raise InvalidInput(f"{name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {d!r}")
        tset = set(types) if types else None
        out = []
        for r in self.rows:
            a = r.action
            if target_country and not any(t.country == target_country for t in a.targets):
                continue
            if sender and a.sender != sender:
                continue
            if authority and authority.lower() not in a.authority.text.lower():
                continue
            if tset is not None and a.type not in tset:
                continue
            if since and _pad(r.date) < _pad(since):
                continue
            if until and _pad(r.date, end=True) > _pad(until, end=True):
                continue
            if state is not None and any(t.state for t in a.targets) != state:
                continue
            out.append(r)
        return out

    def source_ids(self) -> set[str]:
        """Every source id the record cites."""
        return {s for r in self.rows for s in r.source_ids()}


def _is_date(d: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d))


def _pad(d: str, end: bool = False) -> str:
    """``1998`` → ``1998-00-00`` (``1998-99-99`` with ``end``) so that partial dates sort and compare."""
    parts = d.split("-")
    fill = "99" if end else "00"
    while len(parts) < 3:
        parts.append(fill)
    return "-".join(parts)


def record_files(folder: Path | None = None) -> list[Path]:
    """The record's files (``actions-*.yml``), sorted."""
    return sorted((folder or data_path("sanctions")).glob("actions-*.yml"))


def load_record(files: Sequence[Path] | None = None, bib: Bibliography | None = None) -> Record:
    """Validate and load the record; :class:`DataError` listing ``file:line: field: message`` for every problem
    (schema, duplicate id, unresolved source id)."""
    files = list(files) if files is not None else record_files()
    bib = bib or load_bibliography()
    errors: list[str] = []
    anns: list[Announcement] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            doc = load_yaml(f)
        except DataError as exc:
            errors += exc.errors or [str(exc)]
            continue
        for i, n in validate_items(doc, "announcements", Announcement, errors, what="announcement"):
            loc: tuple[Any, ...] = ("announcements", i)
            for key, where in [(n.id, loc + ("id",))] + [(a.id, loc + ("actions", j, "id"))
                                                         for j, a in enumerate(n.actions)]:
                if key in seen:
                    errors.append(f"{doc.where(where)}: duplicate id {key!r} (first in {seen[key]})")
                seen.setdefault(key, str(f))
            refs: list[tuple[str, tuple[Any, ...]]] = []
            if n.official_source:
                refs.append((n.official_source, loc + ("official_source",)))
            refs += [(s, loc + ("secondary_sources", k)) for k, s in enumerate(n.secondary_sources)]
            for j, a in enumerate(n.actions):
                refs += [(s, loc + ("actions", j, "sources", k)) for k, s in enumerate(a.sources)]
            for sid, where in refs:
                if sid not in bib:
                    errors.append(f"{doc.where(where)}: unresolved source id {sid!r}")
            anns.append(n)
    if errors:
        raise DataError("invalid sanctions record", errors)
    return Record(anns, files)


@lru_cache(maxsize=1)
def record() -> Record:
    """The shipped record (cached)."""
    return load_record()
