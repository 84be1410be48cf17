"""Sanctions questions.

Over the curated record (``data/sanctions``): ``sanctions.actions`` (the actions, with their sources),
``sanctions.asymmetry`` (counts per target country, year and category) and ``sanctions.network`` (senders,
actions, targets, authorities, programmes and the store's list entries as a graph).

Over the store of loaded lists (``equilibrium sanctions ingest``): ``sanctions.screen`` (a name against the lists),
``sanctions.history`` (one list entity's first/last-seen dates and changes) and ``sanctions.snapshots`` (the list
snapshots loaded). These state the store and the list snapshots they read in ``defaults`` and are never cached by
the web layer (``cache=0``): a load or a dropped snapshot shows at once. With no list loaded, screening and
history answer :class:`~equilibrium.errors.MissingDependency` with the store's ``LOAD_HINT`` on every edge.

Dates are ISO text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), countries ISO3, scores 0–1.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from equilibrium.errors import MissingDependency
from equilibrium.provenance import bibliography
from equilibrium.questions.base import Answer, Example, Params, Stated, question
from equilibrium.questions.common import stated_data
from equilibrium.sanctions import record
from equilibrium.sanctions.analytics import CATEGORIES, PROLIFERATION_RULE, _country, asymmetry
from equilibrium.sanctions.models import ActionType, ListName

__all__ = [
    "ActionItem", "ActionTarget", "ActionsParams", "AsymmetryParams", "CountCell", "CountryAsymmetry",
    "HistoryChange", "HistoryParams", "ListSnapshotUsed", "NetworkCounts", "NetworkEdge", "NetworkNode",
    "NetworkParams", "Reference", "SanctionsActions", "SanctionsAsymmetry", "SanctionsHistory", "SanctionsNetwork",
    "SanctionsScreen", "SanctionsSnapshots", "ScreenParams", "ScreeningCandidate", "ScreeningFeature",
    "ScreeningIndex", "SnapshotRow", "SnapshotsParams", "YearCounts", "sanctions_actions", "sanctions_asymmetry",
    "sanctions_history", "sanctions_network", "sanctions_screen", "sanctions_snapshots", "store_defaults",
]

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Category = Literal["designation-state", "designation-private", "menu-sanction", "statutory-sanction", "waiver",
                   "delisting", "determination-not-made", "statement", "legislative-measure"]
"""The asymmetry table's counting categories (:data:`equilibrium.sanctions.analytics.CATEGORIES`)."""
CountryText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


def _date(v: object) -> object:
    if isinstance(v, str) and not re.fullmatch(DATE, v.strip()):
        raise ValueError("must be a date YYYY, YYYY-MM or YYYY-MM-DD")
    return v.strip() if isinstance(v, str) else v


DateText = Annotated[str, BeforeValidator(_date)]
"""An ISO date, year or year-month (``1998``, ``1998-05``, ``1998-05-13``), refused in words otherwise."""


def _upper(v: object) -> object:
    return v.strip().upper() if isinstance(v, str) else v


def _record_defaults() -> list[Stated]:
    return stated_data("record", "bibliography")


def _window(since: str | None, until: str | None) -> Stated:
    if since or until:
        return Stated(name="window", value=f"{since or 'the first action'} to {until or 'the last action'} "
                                           "(inclusive; the action's effective date, else its announcement date)",
                      source="given")
    return Stated(name="window", value="every date in the record", source="default")


# ------------------------------------------------------------------------------------------------ store state

class ListSnapshotUsed(BaseModel):
    """The latest snapshot of one loaded list: its list date, the entities of the list now in the store, when it
    was loaded (UTC) and the SHA-256 of its file(s)."""

    model_config = ConfigDict(populate_by_name=True)

    list_name: str = Field(alias="list")
    list_date: str
    entities: int
    loaded_at: str
    sha256: str


def _store() -> tuple[str, list[ListSnapshotUsed]]:
    from equilibrium.sanctions.store import store_state  # local: pulls sqlalchemy

    st = store_state()
    return st["store"], [ListSnapshotUsed(**x) for x in st["lists"]]


def store_defaults(store: str, lists: list[ListSnapshotUsed]) -> list[Stated]:
    """``store`` (its URL, password hidden) and one ``list:NAME`` entry per loaded list (date, entities, loaded
    at), as :class:`Stated` data entries."""
    out = [Stated(name="store", value=store, source="data",
                  note="EQUILIBRIUM_DATABASE_URL, else $EQUILIBRIUM_HOME/equilibrium.db")]
    if not lists:
        out.append(Stated(name="lists", value="none loaded", source="data"))
    for x in lists:
        out.append(Stated(name=f"list:{x.list_name}", value=f"snapshot {x.list_date}, {x.entities:,} entities, "
                                                              f"loaded {x.loaded_at}", source="data",
                          note=f"sha256 {x.sha256}"))
    return out


def _require_lists(lists: list[ListSnapshotUsed]) -> None:
    from equilibrium.sanctions.store import LOAD_HINT  # local: pulls sqlalchemy

    if not any(x.entities for x in lists):
        raise MissingDependency(LOAD_HINT)


# ------------------------------------------------------------------------------------------------ sanctions.actions

class Reference(BaseModel):
    """A source of an action, from the bibliography."""

    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None


class ActionTarget(BaseModel):
    """A party an action names: FollowTheMoney schema, name, aliases, country (ISO3), whether a state organ or
    state-owned, and its list entry (``list_id``) or ``unlisted``."""

    model_config = ConfigDict(populate_by_name=True)

    name: str
    schema_: str = Field(alias="schema")
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    state: bool = False
    list_id: str | None = None
    unlisted: bool = False
    note: str | None = None


class ActionItem(BaseModel):
    """One action of the record: what (type), who (sender, agency), under which legal authority and list, on whom
    (targets), when (``date``: effective, else announced) and on what sources."""

    id: str
    announcement: str
    title: str
    date: str
    date_announced: str
    date_effective: str | None = None
    end_date: str | None = None
    type: ActionType
    sender: str
    agency: str
    authority: str
    implementing_list: ListName
    program: str | None = None
    targets: list[ActionTarget]
    sources: list[str] = Field(description="Source ids: the action's, then its announcement's.")
    references: list[Reference] = Field(description="The sources with title, publisher, date, URL and kind.")
    unverified: bool
    note: str | None = None


def action_item(row: Any) -> ActionItem:
    """A :class:`~equilibrium.sanctions.Row` as an :class:`ActionItem`."""
    return ActionItem.model_validate(row.to_dict(bibliography()))


class ActionsParams(Params):
    """Which actions: every filter optional, all must match."""

    target_country: CountryText | None = Field(None, description="Targets' country, ISO3 or name.",
                                               examples=["PAK"])
    sender: str | None = Field(None, min_length=2, max_length=3, description="Sanctioning state (ISO3), UN or EU.",
                               examples=["USA"])
    authority: str | None = Field(None, min_length=1, max_length=80,
                                  description="Legal authority, case-insensitive substring: 'CAATSA', 'E.O. 13382', "
                                              "'AECA §73'.")
    types: list[ActionType] | None = Field(None, alias="type", description="Action type(s).")
    since: DateText | None = Field(None, pattern=DATE, description="From this date (YYYY[-MM[-DD]], inclusive).",
                              examples=["2020"])
    until: DateText | None = Field(None, pattern=DATE, description="Up to this date (YYYY[-MM[-DD]], inclusive).")

    @field_validator("sender", mode="before")
    @classmethod
    def _sender(cls, v: object) -> object:
        return _upper(v)


class SanctionsActions(Answer):
    """The record's actions matching the filters, sorted by date."""

    question: Literal["sanctions.actions"] = "sanctions.actions"
    count: int
    actions: list[ActionItem]


def _filters_stated(p: ActionsParams) -> list[Stated]:
    out = []
    for name, v in (("target_country", p.target_country), ("sender", p.sender), ("authority", p.authority),
                    ("type", ", ".join(p.types) if p.types else None)):
        out.append(Stated(name=name, value=v, source="given") if v else Stated(name=name, value="any"))
    return out


@question("sanctions.actions", params=ActionsParams, answer=SanctionsActions, cli=("sanctions", "actions"),
          http=("GET", "/api/sanctions/actions"), summary="Curated sanctions actions, sorted by date, with sources",
          examples=[Example({"target_country": "PAK", "since": "2023"}, ["--target-country", "PAK", "--since",
                                                                          "2023"]),
                    Example({"type": ["waiver", "determination-not-made"], "sender": "usa"},
                            ["--type", "waiver,determination-not-made", "--sender", "usa"])])
def sanctions_actions(p: ActionsParams) -> SanctionsActions:
    """The record's actions matching every filter, sorted by date, each with its legal authority, targets and
    sources; an unknown country is :class:`~equilibrium.errors.NotFound` with close names."""
    rows = record().select(target_country=_country(p.target_country) if p.target_country else None,
                           sender=p.sender, authority=p.authority, types=p.types, since=p.since, until=p.until)
    return SanctionsActions(count=len(rows), actions=[action_item(r) for r in rows],
                            defaults=[*_filters_stated(p), _window(p.since, p.until), *_record_defaults()])


# ------------------------------------------------------------------------------------------------ sanctions.asymmetry

class CountCell(BaseModel):
    """A count of actions and the ids of the actions behind it."""

    count: int
    actions: list[str]


class YearCounts(BaseModel):
    """One year's counts by category, with the action ids behind each."""

    year: int
    counts: dict[str, int]
    actions: dict[str, list[str]]


class CountryAsymmetry(BaseModel):
    """One target country: total actions counted, counts by category and by legal authority, and per year."""

    country: str = Field(description="ISO3.")
    total: int
    unverified: CountCell = Field(description="The counted actions whose record entry is marked unverified (its "
                                              "primary text not read).")
    totals: dict[str, CountCell] = Field(description="By category (only categories with actions).")
    by_authority: dict[str, CountCell]
    years: list[YearCounts]


class AsymmetryParams(Params):
    """Which countries to compare, over which window, which actions count."""

    countries: list[CountryText] = Field(min_length=1, max_length=20,
                                         description="Target countries (ISO3 or names), e.g. IND and PAK.",
                                         examples=[["IND", "PAK"]])
    since: DateText | None = Field(None, pattern=DATE, description="From this date (YYYY[-MM[-DD]], inclusive).",
                              examples=["1998"])
    until: DateText | None = Field(None, pattern=DATE, description="Up to this date (YYYY[-MM[-DD]], inclusive).")
    sender: str | None = Field(None, min_length=2, max_length=3, description="Only this sender (ISO3, UN or EU).")
    categories: list[Category] | None = Field(None, alias="category",
                                              description="Count only these categories (default: all).")
    scope: Literal["all", "proliferation"] = Field("all", description="Count every action, or only the "
                                                                      "proliferation-related ones.")
    verified_only: bool = Field(False, description="Leave out actions whose record entry is marked unverified "
                                                   "(its primary text not read).")

    @field_validator("sender", mode="before")
    @classmethod
    def _sender(cls, v: object) -> object:
        return _upper(v)


class SanctionsAsymmetry(Answer):
    """Per target country and year: actions by category (designations of state entities vs private parties, menu
    and statutory sanctions, waivers, delistings, determinations not made, statements, legislative measures) and
    by authority, each count with the actions behind it."""

    question: Literal["sanctions.asymmetry"] = "sanctions.asymmetry"
    countries: list[str] = Field(description="ISO3, in the order asked.")
    since: str | None
    until: str | None
    sender: str | None
    scope: Literal["all", "proliferation"]
    categories: list[Category] = Field(description="The categories counted, in table order.")
    by_country: dict[str, CountryAsymmetry]


@question("sanctions.asymmetry", params=AsymmetryParams, answer=SanctionsAsymmetry, cli=("sanctions", "asymmetry"),
          http=("GET", "/api/sanctions/asymmetry"),
          summary="Actions per target country and year, by category and authority",
          examples=[Example({"countries": ["IND", "PAK"], "since": "1998"}, ["IND", "PAK", "--since", "1998"]),
                    Example({"countries": ["IND", "PAK"], "since": "1998", "scope": "proliferation",
                             "category": ["designation-state", "designation-private"]},
                            ["IND", "PAK", "--since", "1998", "--scope", "proliferation", "--category",
                             "designation-state,designation-private"])])
def sanctions_asymmetry(p: AsymmetryParams) -> SanctionsAsymmetry:
    """Counts per country of ``p.countries``, year and category (``p.categories``, default all) of the record's
    actions (``p.scope``: all, or proliferation-related) between ``p.since`` and ``p.until``, each with the ids of
    the actions behind it."""
    raw = asymmetry(list(p.countries), since=p.since, until=p.until, sender=p.sender,
                    categories=list(p.categories) if p.categories else None, scope=p.scope,
                    verified_only=p.verified_only)
    per = {iso: CountryAsymmetry(country=iso, **v) for iso, v in raw["by_country"].items()}
    n_unverified = sum(c.unverified.count for c in per.values())
    defaults = [
        _window(p.since, p.until),
        Stated(name="sender", value=p.sender, source="given") if p.sender else
        Stated(name="sender", value="every sender in the record (mostly the United States)"),
        Stated(name="scope", value="proliferation-related actions only" if p.scope == "proliferation"
               else "every action", source="given" if p.scope != "all" else "default",
               note=PROLIFERATION_RULE if p.scope == "proliferation" else None),
        Stated(name="categories", value=", ".join(raw["categories"]),
               source="given" if p.categories else "default",
               note=None if p.categories else f"all {len(CATEGORIES)} categories"),
        Stated(name="records", value="verified entries only" if p.verified_only else "every entry",
               source="given" if p.verified_only else "default",
               note=None if p.verified_only else f"{n_unverified} of the counted actions are marked unverified "
                                                 "(primary text not read); verified_only leaves them out"),
        Stated(name="counting", value="one count per action naming a target of the country; a designation counts "
                                      "as designation-state when any of its targets of that country is a state organ "
                                      "or state-owned, else designation-private", source="assumed"),
        *_record_defaults(),
    ]
    return SanctionsAsymmetry(countries=raw["countries"], since=p.since, until=p.until, sender=p.sender,
                              scope=p.scope, categories=raw["categories"], by_country=per, defaults=defaults,
                              notes=["Counts of actions in the curated record, not of every measure ever taken."])


# ------------------------------------------------------------------------------------------------ sanctions.network

class NetworkNode(BaseModel):
    """A node: ``id``, ``label``, ``kind`` (what is drawn), ``group`` (sender, action, entity, authority, program,
    list-entry, country) and the attributes of its group (others null)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    id: str
    label: str
    kind: str
    group: str
    # actions
    type: str | None = None
    date: str | None = None
    announcement: str | None = None
    title: str | None = None
    authority: str | None = None
    agency: str | None = None
    implementing_list: str | None = None
    program: str | None = None
    sources: list[str] | None = None
    unverified: bool | None = None
    note: str | None = None
    relation: str | None = Field(None, description="Why the action is in the country's network: target, mentions "
                                                   "or title.")
    relation_text: str | None = None
    targets: list[str] | None = None
    # entities
    name: str | None = None
    country: str | None = None
    schema_: str | None = Field(None, alias="schema")
    state: bool | None = None
    list_id: str | None = None
    unlisted: bool | None = None
    aliases: list[str] | None = None
    notes: list[str] | None = None
    actions: int | None = Field(None, description="Entities: actions naming it as a target.")
    # authorities, countries, list entries
    instrument: str | None = None
    iso3: str | None = None
    list_name: str | None = Field(None, alias="list")
    uid: str | None = None
    programs: list[str] | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    in_latest: bool | None = None


class NetworkEdge(BaseModel):
    """An edge ``source`` → ``target`` of ``kind`` (sends, targets, under, program, listed, mentions, concerns)
    with its attributes (others null)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    kind: str
    type: str | None = None
    date: str | None = None
    sources: list[str] | None = None
    section: str | None = None
    field: str | None = None
    name: str | None = None
    text: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


class NetworkCounts(BaseModel):
    """Nodes and edges, and their counts by kind, group and (actions) relation."""

    nodes: int
    edges: int
    by_kind: dict[str, int]
    by_group: dict[str, int]
    edges_by_kind: dict[str, int]
    actions_by_relation: dict[str, int]


class NetworkParams(Params):
    """Whose network, over which window, with or without the store's list entries."""

    country: CountryText | None = Field(None, description="Target country, ISO3 or name (e.g. PAK); none: every "
                                                          "action.", examples=["PAK"])
    since: DateText | None = Field(None, pattern=DATE, description="From this date (YYYY[-MM[-DD]], inclusive).")
    until: DateText | None = Field(None, pattern=DATE, description="Up to this date (YYYY[-MM[-DD]], inclusive).")
    lists: bool = Field(True, description="Attach the store's list entries of the targets.")


class SanctionsNetwork(Answer):
    """Senders, actions, targets (suppliers included), legal authorities, programmes and list entries as a
    graph."""

    question: Literal["sanctions.network"] = "sanctions.network"
    country: str | None
    since: str | None
    until: str | None
    lists: str = Field(description="What the store gave: list ids found, 'not requested', or why none.")
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    counts: NetworkCounts
    method: str


@question("sanctions.network", params=NetworkParams, answer=SanctionsNetwork, cli=("sanctions", "network"),
          http=("GET", "/api/sanctions/network"), cache=0,
          summary="Senders, actions, targets, authorities, programmes and list entries as a graph",
          examples=[Example({"country": "PAK"}, ["PAK"]),
                    Example({"country": "IND", "since": "2020", "lists": False}, ["IND", "--since", "2020",
                                                                                  "--no-lists"])])
def sanctions_network(p: NetworkParams) -> SanctionsNetwork:
    """The network of ``p.country``'s actions (every action when none) between ``p.since`` and ``p.until``: one
    node per action, sender, target, legal instrument, programme and (``p.lists``) list entry of the store;
    suppliers linked by co-designation and by the record's notes (``mentions`` edges). An unknown country is
    422 with ``suggestions``."""
    from equilibrium.sanctions.network import build_network, to_json  # local: pulls networkx and sqlalchemy

    store, lists = _store() if p.lists else ("", [])
    data = to_json(build_network(p.country, since=p.since, until=p.until, include_lists=p.lists))
    defaults = [_window(p.since, p.until), *_record_defaults()]
    if p.lists:
        defaults += store_defaults(store, lists)
    else:
        defaults.append(Stated(name="lists", value="not attached", source="given"))
    return SanctionsNetwork(**data, defaults=defaults)


# ------------------------------------------------------------------------------------------------ sanctions.screen

class ScreeningFeature(BaseModel):
    """One non-zero feature of the matcher's score."""

    score: float
    detail: str | None = None


class ScreeningCandidate(BaseModel):
    """A list entity matching the query: its id (``OFAC-12345``), primary name, schema, programmes, the lists it
    is on, the score (0–1) and the matcher's explanation (its non-zero features)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    name: str
    score: float = Field(description="0–1.")
    schema_: str = Field(alias="schema")
    programs: list[str]
    lists: list[str]
    explanation: dict[str, ScreeningFeature]


class ScreeningIndex(BaseModel):
    """The screening index: list entities in it, candidates scored, and the method."""

    entities: int
    pool: int
    method: str


class ScreenParams(Params):
    """A name to screen, with optional schema and country, how many candidates and which matcher."""

    q: str = Field(min_length=1, max_length=500, description="Name to screen.",
                   examples=["National Development Complex"])
    schema_: Literal["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Thing"] | None = \
        Field(None, alias="schema", description="FollowTheMoney schema of the query.")
    country: CountryText | None = Field(None, description="Country of the query (code or name).")
    limit: int = Field(10, ge=1, le=100, description="Candidates to return.")
    algorithm: Literal["logic-v2", "ofac"] = Field("logic-v2", description="nomenklatura matcher: logic-v2 "
                                                                           "(rule-based, explainable) or ofac.")

    @field_validator("q", mode="before")
    @classmethod
    def _length(cls, v: object) -> object:
        from equilibrium.sanctions.screening import MAX_QUERY_CHARS  # local: pulls numpy and sqlalchemy

        if isinstance(v, str) and len(v) > MAX_QUERY_CHARS:  # before the bound, with the domain's message
            raise ValueError(f"query is {len(v):,} characters; the limit is {MAX_QUERY_CHARS:,}")
        return v


class SanctionsScreen(Answer):
    """Candidates for a name from the loaded lists, best first."""

    question: Literal["sanctions.screen"] = "sanctions.screen"
    query: str
    schema_: str | None = Field(alias="schema")
    country: str | None
    algorithm: str
    candidates: list[ScreeningCandidate]
    index: ScreeningIndex
    lists_loaded: list[ListSnapshotUsed] = Field(description="The latest snapshot of every list screened.")


def _screen_stated(p: ScreenParams) -> list[Stated]:
    # (given or default by value: the web layer re-validates the full parameters, so fields_set is not kept)
    return [Stated(name="algorithm", value=f"nomenklatura {p.algorithm}",
                   source="given" if p.algorithm != "logic-v2" else "default"),
            Stated(name="limit", value=str(p.limit), source="given" if p.limit != 10 else "default"),
            Stated(name="candidates", value="the 15 list entities sharing the most name keys (trigrams; a Metaphone "
                                            "key counts twice) are scored", source="assumed")]


@question("sanctions.screen", params=ScreenParams, answer=SanctionsScreen, cli=("sanctions", "screen"),
          http=("GET", "/api/sanctions/screen"), runs_in="screening", cache=0,
          summary="Screen a name against the loaded lists (nomenklatura matchers)",
          examples=[Example({"q": "National Development Complex", "limit": 3},
                            ["National Development Complex", "--limit", "3"])])
def sanctions_screen(p: ScreenParams) -> SanctionsScreen:
    """Candidates best first with ``score`` (0–1), programmes, lists and the matcher's ``explanation``, from the
    lists loaded in the store; :class:`~equilibrium.errors.MissingDependency` (503) naming the command that loads
    a list when none is loaded."""
    from equilibrium.sanctions.screening import screen  # local: pulls numpy and sqlalchemy

    store, lists = _store()
    _require_lists(lists)
    res = screen(p.q, schema=p.schema_, country=p.country, limit=p.limit, algorithm=p.algorithm)
    return SanctionsScreen(query=res["query"], schema_=res["schema"], country=res["country"],
                           algorithm=res["algorithm"], candidates=res["candidates"], index=res["index"],
                           lists_loaded=lists, defaults=[*_screen_stated(p), *store_defaults(store, lists)])


# ------------------------------------------------------------------------------------------------ sanctions.history

class HistoryChange(BaseModel):
    """One recorded change of a list entity: ``added``, ``removed`` or ``changed`` in the snapshot of
    ``list_date``."""

    kind: str
    list_date: str


class HistoryParams(Params):
    """One list entity by its id."""

    uid: str = Field(min_length=1, max_length=64, description="List entity id, e.g. OFAC-11357 or UN-110447.",
                     examples=["OFAC-52049"])


class SanctionsHistory(Answer):
    """First-seen and last-seen list dates of a list entity, whether it is in its list's latest snapshot, and its
    recorded changes."""

    question: Literal["sanctions.history"] = "sanctions.history"
    uid: str
    list_name: str = Field(alias="list")
    name: str
    schema_: str = Field(alias="schema")
    programs: list[str]
    first_seen: str
    last_seen: str
    in_latest: bool
    changes: list[HistoryChange]


@question("sanctions.history", params=HistoryParams, answer=SanctionsHistory, cli=("sanctions", "history"),
          http=("GET", "/api/sanctions/history"), cache=0, summary="A list entity's first/last-seen dates and changes",
          examples=[Example({"uid": "OFAC-52049"}, ["OFAC-52049"])])
def sanctions_history(p: HistoryParams) -> SanctionsHistory:
    """First/last-seen list dates and changes of the list entity ``p.uid``; :class:`~equilibrium.errors.NotFound`
    when no loaded list has it, :class:`~equilibrium.errors.MissingDependency` when no list is loaded."""
    from equilibrium.sanctions.store import history  # local: pulls sqlalchemy

    store, lists = _store()
    _require_lists(lists)
    h = history(p.uid)
    return SanctionsHistory(**h, defaults=store_defaults(store, lists))


# ------------------------------------------------------------------------------------------------ sanctions.snapshots

class SnapshotRow(BaseModel):
    """A loaded snapshot: list, list date, file SHA-256 and paths, when loaded (UTC), counts, the entities added,
    removed and changed against the list's previous snapshot, whether it can be dropped exactly, and whether it is
    its list's latest."""

    model_config = ConfigDict(populate_by_name=True)

    list_name: str = Field(alias="list")
    list_date: str
    sha256: str
    files: list[str]
    loaded_at: str
    entities: int
    names: int
    addresses: int
    added: int
    removed: int
    changed: int
    reversible: bool
    latest: bool


class SnapshotsParams(Params):
    """Every list, or one."""

    list_name: str | None = Field(None, alias="list", min_length=2, max_length=16,
                                  description="Only this list: OFAC-SDN, OFAC-NONSDN, UN-SC, US-CSL or EU-FSF "
                                              "(case ignored).", examples=["OFAC-SDN"])


class SanctionsSnapshots(Answer):
    """The list snapshots loaded in the store, per list in date order."""

    question: Literal["sanctions.snapshots"] = "sanctions.snapshots"
    list_name: str | None = Field(alias="list")
    count: int
    snapshots: list[SnapshotRow]


@question("sanctions.snapshots", params=SnapshotsParams, answer=SanctionsSnapshots, cli=("sanctions", "snapshots"),
          http=("GET", "/api/sanctions/snapshots"), cache=0, summary="The list snapshots loaded in the store",
          examples=[Example({}, []), Example({"list": "ofac-sdn"}, ["ofac-sdn"])])
def sanctions_snapshots(p: SnapshotsParams) -> SanctionsSnapshots:
    """The snapshots loaded (all lists, or ``p.list_name``): dates, file hashes, counts and changes."""
    from equilibrium.sanctions.store import LOAD_HINT, snapshots  # local: pulls sqlalchemy

    store, lists = _store()
    res = snapshots(p.list_name)
    notes = [] if res["snapshots"] else [LOAD_HINT]
    return SanctionsSnapshots(list_name=res["list"], count=res["count"], snapshots=res["snapshots"],
                              defaults=store_defaults(store, lists), notes=notes)
