"""The sanctions network: senders, actions, targets, legal authorities, programmes and list entries as a graph.

:func:`build_network` turns the curated record (optionally filtered to one target country and a date interval)
into a :class:`networkx.MultiDiGraph`. Every node has ``kind`` (what is drawn), ``group`` (``sender``, ``action``,
``entity``, ``authority``, ``program``, ``list-entry``, ``country``) and ``label``.

Nodes

* **actions** (``action:<id>``, kind ``action``): one node per action of the record, so that one announcement with
  several targets (three Karachi firms, four suppliers) is visible as one hub. Attributes: type, date, title of the
  announcement, authority, agency, implementing list, programme, sources, ``unverified``, note, and ``relation``
  (why it belongs to the country's network, below).
* **senders** (``sender:USA``): the sanctioning state (or ``UN``/``EU``).
* **entities** (``entity:<list_id>`` or ``entity:<ISO3>:<name>``): the targets. The same party named in several
  actions is one node (matched on its list id, else on country and normalised name). ``kind`` is ``government``
  (a ``PublicBody`` called "Government of ..."), ``state-entity`` (any other ``PublicBody`` or a target marked
  ``state``), ``person``, ``private-firm`` (``Company``) or ``organisation`` (anything else).
* **authorities** (``authority:<instrument>``): the legal instrument (``E.O. 13382``, ``AECA``, ``CAATSA``); the
  section (``§73(a)``, ``§1(a)(ii)``) is an attribute of the edge that cites it.
* **programmes** (``program:<name>``): the action's programme tag (``NPWMD``, ``SDGT``, ...).
* **list entries** (``list:<list>:<uid>``): when ``include_lists`` and the store has the target's ``list_id``
  loaded, the entry with its list name, programmes and first/last-seen list dates.
* **country** (``country:<ISO3>``): only when an announcement's title names the country but none of its actions
  targets it (see below).

Edges (key = ``kind``): ``sends`` sender → action; ``targets`` action → entity; ``under`` action → authority
(with ``section``); ``program`` action → programme; ``listed`` entity → list entry; ``mentions`` action → entity
(the action's note or its announcement's title names the entity; ``field`` and ``text`` say where); ``concerns``
action → country. ``sends``, ``targets`` and ``under`` carry the action's ``type``, ``date`` and ``sources``.

Supplier relations. The record has no structured "supplied" field; the graph does not invent one. Suppliers appear
in two ways, both read off the record itself: (1) targets of one action are co-designated in the same act and share
its action node; (2) a ``mentions`` edge joins an action to an entity that its note or its announcement's title
names by name or alias (whole word, case-sensitive): e.g. the April 2024 designation of Chinese and Belarusian firms,
whose note says they supplied chassis and machines for NDC, is joined to the National Development Complex.

Country filter. With ``country`` the graph holds (a) the actions with a target of that country
(``relation="target"``, the same selection as :func:`equilibrium.sanctions.actions`) and (b) the actions that do
not target it but are linked to it by the record's text: their note or announcement title names an entity of (a)
(``relation="mentions"``), or their announcement's title names the country and no action of that announcement
targets it (``relation="title"``; e.g. "State designates three PRC suppliers of missile-applicable items to
Pakistan"). Without ``country`` every action is included with ``relation="target"``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import sqlalchemy as sa

from equilibrium.errors import InvalidInput, NotFound, UnknownChoice
from equilibrium.sanctions.analytics import _country
from equilibrium.sanctions.models import Target
from equilibrium.sanctions.record import Record, Row, record
from equilibrium.sanctions.store import (  # loaded_lists: still part of this module's API
    LOAD_HINT,
    entity,
    existing_engine,
    loaded_lists,  # noqa: F401
)

GROUPS = ("sender", "action", "entity", "authority", "program", "list-entry", "country")
ENTITY_KINDS = ("government", "state-entity", "private-firm", "person", "organisation")


class UnknownCountry(UnknownChoice):
    """A country code or name that resolves to no country; ``suggestions`` holds close matches."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        super().__init__("country", name, suggestions)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _record_countries(rec: Record) -> list[str]:
    return sorted({t.country for r in rec for t in r.action.targets if t.country})


def resolve_country(country: str, rec: Record | None = None) -> str:
    """ISO3 of ``country`` (a code or a name), resolved as :func:`equilibrium.sanctions.actions` does; a name or
    code that is no country raises :class:`UnknownCountry` (an :class:`InvalidInput`) with close matches."""
    from rapidfuzz import process

    rec = rec if rec is not None else record()
    if not country or not country.strip():
        raise InvalidInput("the country is empty")
    try:
        iso = _country(country)
    except NotFound as exc:
        raise UnknownCountry(country, exc.suggestions) from None
    known = _record_countries(rec)
    if iso in known:
        return iso
    import pycountry

    if pycountry.countries.get(alpha_3=iso) is not None:
        return iso
    near = [m for m, s, _ in process.extract(iso, known, limit=3) if s >= 60]
    if not near:
        near = [m for m, _, _ in process.extract(iso, [c.alpha_3 for c in pycountry.countries], limit=3)]
    raise UnknownCountry(country, near)


def _country_names(iso: str) -> list[str]:
    import pycountry

    c = pycountry.countries.get(alpha_3=iso)
    if c is None:
        return []
    names = [getattr(c, k, None) for k in ("name", "common_name", "official_name")]
    return list(dict.fromkeys(n for n in names if n))


def _names_in(text: str | None, names: list[str]) -> list[str]:
    if not text:
        return []
    return [n for n in names if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", text)]


def _excerpt(text: str, name: str) -> str:
    """The sentence of ``text`` that names ``name``."""
    for s in re.split(r"(?<=[.;])\s+", text):
        if name in s:
            return s.strip()
    return text.strip()


def entity_kind(t: Target) -> str:
    """``government``, ``state-entity``, ``person``, ``private-firm`` or ``organisation`` (see module docstring)."""
    if t.schema_ in ("PublicBody", "Country") and t.name.casefold().startswith("government of"):
        return "government"
    if t.schema_ == "PublicBody" or t.state:
        return "state-entity"
    if t.schema_ == "Person":
        return "person"
    if t.schema_ == "Company":
        return "private-firm"
    return "organisation"


def _short(name: str, aliases: list[str]) -> str:
    if len(name) <= 34:
        return name
    short = sorted((a for a in aliases if 3 <= len(a) <= 34), key=len)
    return short[0] if short else name[:32].rstrip() + "…"




def build_network(country: str | None, *, since: str | None = None, until: str | None = None,
                  rec: Record | None = None, url: str | None = None, include_lists: bool = True) -> nx.MultiDiGraph:
    """The network of ``country``'s sanctions actions (every action when ``None``) between ``since`` and ``until``
    (ISO dates, inclusive); see the module docstring for nodes, edges and the country filter. ``url`` names the
    store whose list entries are attached (``include_lists``)."""
    rec = rec if rec is not None else record()
    iso = resolve_country(country, rec) if country is not None else None
    window = rec.select(since=since, until=until)
    relation: dict[str, tuple[str, str | None]] = {}
    if iso is None:
        rows = window
        relation = {r.action.id: ("target", None) for r in rows}
    else:
        rows = _country_rows(window, iso, rec, relation)

    g = nx.MultiDiGraph(country=iso or "", since=since or "", until=until or "")
    # Entity identity: a name (or alias) seen with a list id anywhere in the selection maps to that list id.
    ids_by_name: dict[tuple[str | None, str], str] = {}
    for r in rows:
        for t in r.action.targets:
            if t.list_id:
                for alias in (t.name, *t.aliases):
                    ids_by_name.setdefault((t.country, _norm(alias)), t.list_id)

    def entity_id(t: Target) -> str:
        lid = t.list_id or ids_by_name.get((t.country, _norm(t.name)))
        return f"entity:{lid}" if lid else f"entity:{t.country or 'XXX'}:{_norm(t.name)}"

    for r in rows:
        a, n = r.action, r.announcement
        aid = f"action:{a.id}"
        srcs = r.source_ids()
        rel, rel_text = relation[a.id]
        g.add_node(aid, kind="action", group="action", label=f"{r.date} {a.type}", type=a.type, date=r.date,
                   announcement=n.id, title=n.title, authority=a.authority.text, agency=a.agency,
                   implementing_list=a.implementing_list, program=a.program, sources=srcs,
                   unverified=a.unverified, note=a.note, relation=rel, relation_text=rel_text,
                   targets=[t.name for t in a.targets])
        common = {"type": a.type, "date": r.date, "sources": srcs}
        sid = f"sender:{a.sender}"
        if sid not in g:
            g.add_node(sid, kind="sender", group="sender", label=a.sender)
        g.add_edge(sid, aid, key="sends", kind="sends", **common)
        auth = f"authority:{a.authority.instrument}"
        if auth not in g:
            g.add_node(auth, kind="authority", group="authority", label=a.authority.instrument,
                       instrument=a.authority.instrument)
        g.add_edge(aid, auth, key="under", kind="under", section=a.authority.section, **common)
        for p in [x.strip() for x in (a.program or "").split(";") if x.strip()]:
            pid = f"program:{p}"
            if pid not in g:
                g.add_node(pid, kind="program", group="program", label=p)
            g.add_edge(aid, pid, key="program", kind="program", date=r.date)
        for t in a.targets:
            eid = entity_id(t)
            if eid not in g:
                g.add_node(eid, kind=entity_kind(t), group="entity", label=t.name, name=t.name, country=t.country,
                           schema=t.schema_, state=t.state, list_id=t.list_id, unlisted=t.unlisted,
                           aliases=list(t.aliases), notes=[])
            node = g.nodes[eid]
            node["aliases"] = list(dict.fromkeys([*node["aliases"], *t.aliases]))
            node["list_id"] = node["list_id"] or t.list_id
            node["state"] = node["state"] or t.state
            if t.note and t.note not in node["notes"]:
                node["notes"].append(t.note)
            g.add_edge(aid, eid, key="targets", kind="targets", **common)
    for _, d in g.nodes(data=True):
        if d["group"] == "entity":
            d["label"] = _short(d["name"], d["aliases"])
            d["actions"] = 0
    for _, v, k in g.edges(keys=True):
        if k == "targets":
            g.nodes[v]["actions"] += 1

    _mentions(g, rows)
    if iso is not None:
        cid = f"country:{iso}"
        for r in rows:
            rel, text = relation[r.action.id]
            if rel == "title":
                if cid not in g:
                    names = _country_names(iso)
                    g.add_node(cid, kind="country", group="country", label=names[0] if names else iso, iso3=iso)
                g.add_edge(f"action:{r.action.id}", cid, key="concerns", kind="concerns", field="title",
                           text=text or r.announcement.title, date=r.date)
    g.graph["lists"] = _attach_lists(g, url) if include_lists else "not requested"
    return g


def _country_rows(window: list[Row], iso: str, rec: Record, relation: dict[str, tuple[str, str | None]]) -> list[Row]:
    """The rows of ``window`` in ``iso``'s network; fills ``relation`` (see module docstring)."""
    core = [r for r in window if any(t.country == iso for t in r.action.targets)]
    for r in core:
        relation[r.action.id] = ("target", None)
    names = sorted({n for r in core for t in r.action.targets if t.country == iso for n in (t.name, *t.aliases)
                    if len(n) >= 3}, key=lambda s: (-len(s), s))
    targeted_anns = {r.announcement.id for r in rec if any(t.country == iso for t in r.action.targets)}
    cnames = _country_names(iso)
    for r in window:
        if r.action.id in relation:
            continue
        hit = next(((f, n, txt) for f, txt in (("note", r.action.note), ("title", r.announcement.title))
                    for n in _names_in(txt, names)), None)
        if hit:
            relation[r.action.id] = ("mentions", f"{hit[0]} names {hit[1]}")
        elif r.announcement.id not in targeted_anns and _names_in(r.announcement.title, cnames):
            relation[r.action.id] = ("title", r.announcement.title)
    return [r for r in window if r.action.id in relation]


def _mentions(g: nx.MultiDiGraph, rows: list[Row]) -> None:
    """``mentions`` edges: action → entity that the action's note or its announcement's title names (not one of
    the action's own targets)."""
    names: dict[str, str] = {}
    for eid, d in g.nodes(data=True):
        if d["group"] == "entity":
            for n in (d["name"], *d["aliases"]):
                if len(n) >= 3:
                    names.setdefault(n, eid)
    order = sorted(names, key=lambda s: (-len(s), s))
    for r in rows:
        aid = f"action:{r.action.id}"
        own = set(g.successors(aid))
        for field, text in (("note", r.action.note), ("title", r.announcement.title)):
            for n in _names_in(text, order):
                eid = names[n]
                if eid in own or g.has_edge(aid, eid, key="mentions"):
                    continue
                g.add_edge(aid, eid, key="mentions", kind="mentions", field=field, name=n,
                           text=_excerpt(text or "", n), date=r.date)


def _attach_lists(g: nx.MultiDiGraph, url: str | None) -> str:
    """Add a list-entry node for every entity whose list id the store holds; a one-line account of what was
    found."""
    wanted = {d["list_id"]: eid for eid, d in g.nodes(data=True) if d["group"] == "entity" and d.get("list_id")}
    if not wanted:
        return "no target has a list id"
    try:
        eng = existing_engine(url)
        if eng is None:
            return LOAD_HINT
        with eng.connect() as c:
            hits = c.execute(sa.select(entity).where(entity.c.uid.in_(sorted(wanted)))).all()
    except sa.exc.SQLAlchemyError as exc:
        return f"the store could not be read: {type(exc).__name__}"
    for h in hits:
        lid = f"list:{h.list_name}:{h.uid}"
        g.add_node(lid, kind="list-entry", group="list-entry", label=f"{h.list_name} {h.uid}", list=h.list_name,
                   uid=h.uid, name=h.name, schema=h.schema, programs=json.loads(h.programs),
                   first_seen=h.first_seen, last_seen=h.last_seen, in_latest=bool(h.in_latest))
        g.add_edge(wanted[h.uid], lid, key="listed", kind="listed", first_seen=h.first_seen, last_seen=h.last_seen)
    return f"{len(hits)} of {len(wanted)} list ids found in the store"


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """``{"country", "since", "until", "lists", "nodes": [{"id", "label", "kind", "group", ...}], "edges":
    [{"source", "target", "kind", ...}], "counts": {"nodes", "edges", "by_kind", "by_group", "edges_by_kind",
    "actions_by_relation"}}`` (JSON-ready; attributes that are None or empty are left out)."""
    nodes = [{"id": n, **_clean(d)} for n, d in g.nodes(data=True)]
    edges = [{"source": u, "target": v, **_clean(d)} for u, v, d in g.edges(data=True)]
    rel = Counter(d["relation"] for _, d in g.nodes(data=True) if d["group"] == "action")
    return {
        "country": g.graph.get("country") or None, "since": g.graph.get("since") or None,
        "until": g.graph.get("until") or None, "lists": g.graph.get("lists"),
        "nodes": nodes, "edges": edges,
        "counts": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                   "by_kind": dict(sorted(Counter(d["kind"] for _, d in g.nodes(data=True)).items())),
                   "by_group": dict(sorted(Counter(d["group"] for _, d in g.nodes(data=True)).items())),
                   "edges_by_kind": dict(sorted(Counter(k for _, _, k in g.edges(keys=True)).items())),
                   "actions_by_relation": dict(sorted(rel.items()))},
        "method": __doc__.split("\n\n")[0] if __doc__ else "",
    }


def _scalar(v: Any) -> Any:
    if isinstance(v, list | tuple | set):
        return "; ".join(str(x) for x in v)
    if isinstance(v, bool | int | float | str):
        return v
    return str(v)


def to_graphml(g: nx.MultiDiGraph, path: Path | str) -> Path:
    """Write ``g`` as GraphML at ``path`` (lists joined with ``"; "``, empty attributes left out); returns the
    path."""
    h = nx.MultiDiGraph(**{k: _scalar(v) for k, v in g.graph.items() if v is not None})
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{a: _scalar(x) for a, x in d.items() if x is not None})
    path = Path(path)
    try:
        nx.write_graphml(h, path)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}") from None
    return path


def summary(g: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """Counts by kind and the ``top`` entities by number of actions naming them as targets."""
    ents = sorted(((d["actions"], d["name"], d.get("country"), d["kind"]) for _, d in g.nodes(data=True)
                   if d["group"] == "entity"), key=lambda x: (-x[0], x[1]))
    by_kind: dict[str, int] = defaultdict(int)
    for _, d in g.nodes(data=True):
        by_kind[d["kind"]] += 1
    return {"by_kind": dict(sorted(by_kind.items())),
            "top_targets": [{"name": n, "country": c, "kind": k, "actions": a} for a, n, c, k in ents[:top]]}
