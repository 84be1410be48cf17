"""``events.find`` and ``population.rank``: the sourced events and population tables the claims rest on.

``data/claims/events.yml`` (top-level ``events:``) lists dated events a commentary names: nuclear tests, first
flight tests, the March 2022 accidental missile launch into Pakistan and India's statement, agreements. Each has an
id, a date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), a kind, the countries involved (ISO3), a title, a text in our
own words, source ids and ``unverified``.

``data/claims/population.yml`` (top-level ``population:``) holds population tables, each of one publisher and year
(World Bank WDI 2024, UNFPA's State of World Population 2023), with enough countries to rank the most populous.

Both files are validated with pydantic on load (``file:line`` in a :class:`~equilibrium.errors.DataError`), and
every source id must resolve in the bibliography.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from equilibrium.errors import DataError, InvalidInput, NotFound, UnknownChoice
from equilibrium.provenance.bibliography import bibliography, data_path
from equilibrium.provenance.yamlio import LocatedYaml, load_yaml, validate_items
from equilibrium.questions.base import Answer, Example, Params, Stated, question

__all__ = [
    "EVENT_KINDS", "Citation", "Event", "EventItem", "EventsFind", "EventsParams", "PopulationRank",
    "PopulationRankParams", "PopulationRow", "PopulationTable", "RankedRow", "events_find", "load_events",
    "load_population", "population_rank",
]

EventKind = Literal["nuclear-test", "first-flight-test", "accidental-launch", "official-statement", "agreement"]
EVENT_KINDS: tuple[str, ...] = ("nuclear-test", "first-flight-test", "accidental-launch", "official-statement",
                                "agreement")
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_ISO3 = r"^[A-Z]{3}$"
_ID = r"^[a-z0-9][a-z0-9._-]*$"


# ------------------------------------------------------------------------------------------------ data models

class Event(BaseModel):
    """One dated event of ``events.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    date: str = Field(pattern=_DATE, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    kind: EventKind
    countries: list[str] = Field(min_length=1, description="ISO3 codes of the countries involved.")
    title: str = Field(min_length=1)
    text: str = Field(min_length=1, description="What happened, in our own words.")
    sources: list[str] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None

    @field_validator("countries")
    @classmethod
    def _iso3(cls, v: list[str]) -> list[str]:
        for c in v:
            if not re.fullmatch(_ISO3, c):
                raise ValueError(f"country {c!r} is not an ISO3 code (three capitals)")
        return v

    @property
    def year(self) -> int:
        return int(self.date[:4])


class PopulationRow(BaseModel):
    """One country's population in a table (persons)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: str = Field(pattern=_ISO3)
    name: str = Field(min_length=1)
    value: int = Field(gt=0, description="Persons.")
    unverified: bool = False


class PopulationTable(BaseModel):
    """A population table of one publisher and reference year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    sources: list[str] = Field(min_length=1)
    unverified: bool = False
    note: str | None = None
    rows: list[PopulationRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> PopulationTable:
        seen: set[str] = set()
        for r in self.rows:
            if r.country in seen:
                raise ValueError(f"country {r.country} listed twice")
            seen.add(r.country)
        return self


def _check_sources(doc: LocatedYaml, key: str, items: list[tuple[int, Any]], errors: list[str]) -> None:
    bib = bibliography()
    for i, item in items:
        for j, sid in enumerate(item.sources):
            if sid not in bib:
                errors.append(f"{doc.where((key, i, 'sources', j))}: sources: unknown source id {sid!r} "
                              "(add it to sources.yml)")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def load_events(path: Path | str | None = None) -> list[Event]:
    """The events of ``path`` (default the shipped ``data/claims/events.yml``), sorted by date; :class:`DataError`
    with ``file:line`` for a bad entry, a duplicate id or an unresolved source id."""
    return list(_load_events(str(path) if path is not None else str(data_path("claims", "events.yml"))))


@cache
def _load_events(path: str) -> tuple[Event, ...]:
    doc = load_yaml(path)
    errors: list[str] = []
    items = validate_items(doc, "events", Event, errors, what="event")
    seen: dict[str, int] = {}
    for i, e in items:
        if e.id in seen:
            errors.append(f"{doc.where(('events', i, 'id'))}: id: duplicate event id {e.id!r} "
                          f"(first at line {doc.line_of(('events', seen[e.id]))})")
        seen.setdefault(e.id, i)
    _check_sources(doc, "events", items, errors)
    if errors:
        raise DataError("invalid events file", errors)
    return tuple(sorted((e for _, e in items), key=lambda e: (e.date, e.id)))


def load_population(path: Path | str | None = None) -> list[PopulationTable]:
    """The population tables of ``path`` (default the shipped ``data/claims/population.yml``); :class:`DataError`
    with ``file:line`` for a bad table, a duplicate id or an unresolved source id."""
    return list(_load_population(str(path) if path is not None else str(data_path("claims", "population.yml"))))


@cache
def _load_population(path: str) -> tuple[PopulationTable, ...]:
    doc = load_yaml(path)
    errors: list[str] = []
    items = validate_items(doc, "population", PopulationTable, errors, what="table")
    seen: set[str] = set()
    for i, t in items:
        if t.id in seen:
            errors.append(f"{doc.where(('population', i, 'id'))}: id: duplicate table id {t.id!r}")
        seen.add(t.id)
    _check_sources(doc, "population", items, errors)
    if errors:
        raise DataError("invalid population file", errors)
    return tuple(t for _, t in items)


# ------------------------------------------------------------------------------------------------ answers

class Citation(BaseModel):
    """A source from the bibliography."""

    id: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None


def _cite(ids: list[str]) -> list[Citation]:
    return [Citation.model_validate(c) for c in bibliography().cite(ids)]


def _upper(v: object) -> object:
    return v.strip().upper() if isinstance(v, str) else v


class EventsParams(Params):
    """Which events: every filter optional, all must match."""

    kind: EventKind | None = Field(None, description="Only events of this kind.", examples=["nuclear-test"])
    country: str | None = Field(None, description="Only events involving this country (ISO3).", examples=["PAK"])
    year_from: int | None = Field(None, ge=1900, le=2100, description="Events in or after this year.")
    year_to: int | None = Field(None, ge=1900, le=2100, description="Events in or before this year.")
    id: str | None = Field(None, min_length=1, max_length=100, description="One event by id.")

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, v: object) -> object:
        v = _upper(v)
        if isinstance(v, str) and not re.fullmatch(_ISO3, v):
            raise ValueError("must be an ISO3 code, e.g. PAK")
        return v

    @model_validator(mode="after")
    def _window(self) -> EventsParams:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError(f"year_from {self.year_from} is after year_to {self.year_to}")
        return self


class EventItem(BaseModel):
    """One event with its year and cited sources."""

    id: str
    date: str
    year: int
    kind: EventKind
    countries: list[str]
    title: str
    text: str
    sources: list[str]
    references: list[Citation]
    unverified: bool
    note: str | None = None


class EventsFind(Answer):
    """The matching events, oldest first."""

    question: Literal["events.find"] = "events.find"
    count: int
    kinds: list[str] = Field(default_factory=lambda: list(EVENT_KINDS), description="The event kinds.")
    events: list[EventItem]


def _events_defaults(p: EventsParams) -> list[Stated]:
    path = data_path("claims", "events.yml")
    out = [Stated(name="data:events", value=f"events.yml, sha256 {_digest(path)}", source="data")]
    given = {k: v for k, v in p.model_dump().items() if v is not None}
    out.append(Stated(name="filters", value=", ".join(f"{k}={v}" for k, v in given.items()) or "none (every event)",
                      source="given" if given else "default"))
    return out


@question("events.find", params=EventsParams, answer=EventsFind, http=("GET", "/api/events"),
          summary="Sourced events (nuclear tests, first flight tests, statements, agreements), by kind, country, "
                  "years or id",
          examples=[Example({"kind": "nuclear-test"}, []), Example({"country": "PAK", "year_from": 1998,
                                                                    "year_to": 1999}, []),
                    Example({"id": "ind-accidental-missile-2022-03-09"}, [])])
def events_find(p: EventsParams) -> EventsFind:
    """The events matching every given filter, oldest first; an unknown ``id`` is refused with close ids."""
    events = load_events()
    if p.id is not None and p.id not in {e.id for e in events}:
        import difflib

        raise NotFound("event", p.id, difflib.get_close_matches(p.id, [e.id for e in events], n=5, cutoff=0.4))
    rows = [e for e in events
            if (p.id is None or e.id == p.id) and (p.kind is None or e.kind == p.kind)
            and (p.country is None or p.country in e.countries)
            and (p.year_from is None or e.year >= p.year_from) and (p.year_to is None or e.year <= p.year_to)]
    out = [EventItem(id=e.id, date=e.date, year=e.year, kind=e.kind, countries=list(e.countries), title=e.title,
                     text=e.text, sources=list(e.sources), references=_cite(list(e.sources)),
                     unverified=e.unverified, note=e.note) for e in rows]
    notes = []
    if any(e.unverified for e in out):
        notes.append("events marked unverified rest on a source we did not read in full or on the commentary "
                     "itself")
    return EventsFind(count=len(out), events=out, notes=notes, defaults=_events_defaults(p))


# ------------------------------------------------------------------------------------------------ population.rank

class PopulationRankParams(Params):
    """Which country to rank, in which table."""

    country: str = Field(description="ISO3 code, e.g. PAK.", examples=["PAK"])
    table: str = Field("wdi-2024", min_length=1, max_length=60,
                       description="Population table id (data/claims/population.yml): wdi-2024 (World Bank WDI, "
                                   "2024) or unfpa-swop-2023 (UNFPA State of World Population 2023, mid-2023).")

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, v: object) -> object:
        v = _upper(v)
        if isinstance(v, str) and not re.fullmatch(_ISO3, v):
            raise ValueError("must be an ISO3 code, e.g. PAK")
        return v


class RankedRow(BaseModel):
    """One row of the ranked table."""

    rank: int
    country: str
    name: str
    value: int
    unverified: bool


class PopulationRank(Answer):
    """A country's rank by population in one table, with the table sorted (most populous first)."""

    question: Literal["population.rank"] = "population.rank"
    country: str
    name: str
    rank: int = Field(description="1 = most populous among the table's countries.")
    value: int = Field(description="Population (persons).")
    year: int
    table: str
    title: str
    sources: list[str]
    references: list[Citation]
    unverified: bool
    tables: list[str] = Field(description="Every table id available.")
    rows: list[RankedRow]


@question("population.rank", params=PopulationRankParams, answer=PopulationRank,
          http=("GET", "/api/population/rank"),
          summary="A country's rank by population (World Bank WDI 2024 or UNFPA 2023), with the table",
          examples=[Example({"country": "PAK"}, []), Example({"country": "PAK", "table": "unfpa-swop-2023"}, [])])
def population_rank(p: PopulationRankParams) -> PopulationRank:
    """Rank ``country`` by population among the table's countries (which include the most populous ten or more,
    so ranks up to the table's length are world ranks)."""
    tables = load_population()
    by_id = {t.id: t for t in tables}
    if p.table not in by_id:
        import difflib

        raise UnknownChoice("population table", p.table, difflib.get_close_matches(p.table, list(by_id), n=3,
                                                                                    cutoff=0.3) or list(by_id))
    t = by_id[p.table]
    ranked = [RankedRow(rank=i + 1, country=r.country, name=r.name, value=r.value, unverified=r.unverified or
                        t.unverified) for i, r in enumerate(sorted(t.rows, key=lambda r: (-r.value, r.country)))]
    mine = next((r for r in ranked if r.country == p.country), None)
    if mine is None:
        raise InvalidInput(f"country {p.country} is not in table {t.id} (it lists the {len(ranked)} most populous "
                           f"countries: {', '.join(r.country for r in ranked)}); its rank is below {len(ranked)}")
    path = data_path("claims", "population.yml")
    return PopulationRank(country=mine.country, name=mine.name, rank=mine.rank, value=mine.value, year=t.year,
                          table=t.id, title=t.title, sources=list(t.sources), references=_cite(list(t.sources)),
                          unverified=mine.unverified, tables=list(by_id), rows=ranked,
                          notes=[n for n in [t.note, f"ranked among the {len(ranked)} countries of the table, "
                                             "which lists the world's most populous"] if n],
                          defaults=[Stated(name="table", value=f"{t.id}: {t.title}",
                                           source="given" if p.table != "wdi-2024" else "default"),
                                    Stated(name="data:population", value=f"population.yml, sha256 {_digest(path)}",
                                           source="data")])
