"""The brief's sanctions section: US actions on India and Pakistan from the curated record.

Four parts, every count and fact from the curated record: the asymmetry counts from the ``sanctions.asymmetry``
question (:mod:`equilibrium.questions.sanctions`, the answer the CLI and the HTTP API give), the network from
:func:`~equilibrium.sanctions.network.build_network` (the graph the ``sanctions.network`` question serialises; the
figure needs the graph itself), each cited through the sources of the actions behind it:

1. a timeline of US actions on Pakistan, on India and on the third-country suppliers that the record links to
   Pakistan's programme (an action of the same announcement as a Pakistani target, or one that
   :func:`~equilibrium.sanctions.network.build_network` joins to Pakistan by its note or title), key episodes
   labelled;
2. the asymmetry table India vs Pakistan since 1998 (counts by category and by authority) with a plain reading;
3. Pakistan's sanctions network and its most connected targets;
4. the key actions, one item per announcement.

The record is curated: it holds what has been catalogued, not every US action. An empty store only means that no
list entries are attached to the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from equilibrium.errors import EquilibriumError
from equilibrium.questions.sanctions import sanctions_asymmetry
from equilibrium.report.context import BriefContext, Section, render_template
from equilibrium.report.context import unverified_badge as _unverified_badge
from equilibrium.report.sanctions_figures import Lane, Span, network_figure, timeline_figure
from equilibrium.sanctions.record import record

COUNTRIES = ("IND", "PAK")
"""The asymmetry table's countries, in column order."""

SINCE = "1998"
"""Start of the asymmetry table (the 1998 nuclear tests)."""

SENDER = "USA"
NETWORK_COUNTRY = "PAK"
TOP_TARGETS = 8
FIRST_YEAR, LAST_YEAR = 1979, 2024

NDC = "National Development Complex"

NAMES = {"IND": "India", "PAK": "Pakistan", "CHN": "China", "HKG": "Hong Kong", "BLR": "Belarus", "TUR": "Turkey"}

CATEGORY_TEXT = {
    "designation-state": "Designations of state entities",
    "designation-private": "Designations of private parties (firms, persons)",
    "menu-sanction": "Menu sanctions (chosen from a statute's menu)",
    "statutory-sanction": "Statutory sanctions (imposed by a statute, no list entry)",
    "waiver": "Waivers",
    "delisting": "Delistings",
    "determination-not-made": "Determinations not made",
    "statement": "Statements",
    "legislative-measure": "Legislative measures",
}

TYPE_TEXT = {"designation": "designation", "menu-sanction": "menu sanction", "statutory-sanction": "statutory sanction",
             "waiver": "waiver", "delisting": "delisting", "determination-not-made": "determination not made",
             "statement": "statement", "legislative-measure": "legislative measure"}

LANE_INDIA, LANE_PAKISTAN, LANE_SUPPLIERS = 0, 1, 2


@dataclass(frozen=True)
class Episode:
    """A key episode: its label on the timeline (``{span}`` is replaced by the years or the month of its actions),
    the lane it is drawn on and the actions it covers."""

    key: str
    label: str
    lane: int
    match: Callable[[Any], bool]


def _instrument(r: Any, word: str) -> bool:
    return word.casefold() in r.action.authority.text.casefold()


def _targets(r: Any, iso: str) -> bool:
    return any(t.country == iso for t in r.action.targets)


EPISODES: tuple[Episode, ...] = (
    Episode("symington", "Symington {span}", LANE_PAKISTAN,
            lambda r: _instrument(r, "Symington") and r.action.type == "statutory-sanction"),
    Episode("pressler", "Pressler aid cut-off {span}", LANE_PAKISTAN,
            lambda r: _instrument(r, "Pressler") and r.action.type == "statutory-sanction"),
    Episode("m11", "Missile sanctions {span}", LANE_SUPPLIERS,
            lambda r: r.action.type == "statutory-sanction" and r.year < 1998),
    Episode("glenn-pak", "Glenn sanctions {span}", LANE_PAKISTAN,
            lambda r: _instrument(r, "Glenn") and r.action.type == "statutory-sanction"),
    Episode("glenn-ind", "Glenn sanctions {span}", LANE_INDIA,
            lambda r: _instrument(r, "Glenn") and r.action.type == "statutory-sanction"),
    Episode("waivers-pak", "Waivers {span}", LANE_PAKISTAN,
            lambda r: r.action.type == "waiver" and 1998 <= r.year <= 2001),
    Episode("waivers-ind", "Waivers {span}", LANE_INDIA,
            lambda r: r.action.type == "waiver" and 1998 <= r.year <= 2001),
    Episode("caatsa-ind", "CAATSA: no determination on the S-400, {span}", LANE_INDIA,
            lambda r: _instrument(r, "CAATSA") and r.action.type == "determination-not-made"),
    Episode("suppliers", "Suppliers sanctioned {span}", LANE_SUPPLIERS,
            lambda r: r.action.type in ("designation", "statutory-sanction") and r.year >= 2023),
    Episode("ndc", "NDC designated {span}", LANE_PAKISTAN,
            lambda r: r.action.type == "designation" and any(t.name == NDC for a in r.announcement.actions
                                                             for t in a.targets if a.type == "designation")),
)
"""The labelled episodes (those that match no action are left out)."""

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _span_text(dates: Sequence[str]) -> str:
    """``1990``, ``May 1998``, ``1998–2001``."""
    years = sorted({d[:4] for d in dates})
    if len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    months = sorted({d[5:7] for d in dates if len(d) >= 7})
    if len(months) == 1 and all(len(d) >= 7 for d in dates):
        return f"{MONTHS[int(months[0]) - 1]} {years[0]}"
    return years[0]


def _cite_rows(ctx: BriefContext, rows: Iterable[Any]) -> Markup:
    return ctx.cite([s for r in rows for s in r.source_ids()])


UNVERIFIED = Markup(' <span class="fig-unverified" title="not yet checked against the primary source">'
                    "(unverified)</span>")
"""How an unverified action (or a count resting on one) is marked."""


def _badge(rows: Iterable[Any]) -> Markup:
    return UNVERIFIED if any(r.action.unverified for r in rows) else Markup("")


def _num(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else str(n)


# --- lanes --------------------------------------------------------------------------------------------------------


def _lanes(rec: Any, network: Any) -> list[list[Any]]:
    """Rows of the three lanes: actions naming India; naming Pakistan; naming a third-country party that the
    record links to Pakistan's programme (actions naming both Pakistani and foreign parties are in both lanes)."""
    rows = [r for r in rec if r.action.sender == SENDER]
    ind = [r for r in rows if _targets(r, "IND")]
    pak = [r for r in rows if _targets(r, "PAK")]
    pak_anns = {r.announcement.id for r in pak}
    linked = set()
    if network is not None:
        linked = {n.removeprefix("action:") for n, d in network.nodes(data=True)
                  if d.get("group") == "action" and d.get("relation") in ("mentions", "title")}
    sup = [r for r in rows
           if any(t.country not in (None, "PAK", "IND") for t in r.action.targets)
           and (r.action.id in linked or r.announcement.id in pak_anns)]
    return [ind, pak, sup]


def _supplier_label(rows: list[Any]) -> str:
    isos = sorted({t.country for r in rows for t in r.action.targets if t.country not in (None, "PAK", "IND")})
    return "Suppliers to\nPakistan's programme" + (f"\n({', '.join(isos)})" if isos else "")


# --- the asymmetry table -------------------------------------------------------------------------------------------


def _asymmetry(ctx: BriefContext, rec: Any) -> dict[str, Any]:
    """The asymmetry table from the ``sanctions.asymmetry`` question (every category, since :data:`SINCE`), each
    count cited to the actions of ``rec`` behind it."""
    a = sanctions_asymmetry(countries=list(COUNTRIES), since=SINCE)
    by_id = {r.action.id: r for r in rec}
    per = a.by_country

    def cell(iso: str, group: str, key: str) -> dict[str, Any]:
        e = (per[iso].totals if group == "totals" else per[iso].by_authority).get(key)
        rows = [by_id[i] for i in (e.actions if e else [])]
        return {"count": e.count if e else 0, "cite": _cite_rows(ctx, rows), "unverified":
                sum(r.action.unverified for r in rows)}

    categories = [{"key": k, "text": CATEGORY_TEXT.get(k, k), "cells": [cell(c, "totals", k) for c in COUNTRIES]}
                  for k in a.categories]
    auths = sorted({k for c in COUNTRIES for k in per[c].by_authority})
    authorities = [{"key": k, "text": k, "cells": [cell(c, "by_authority", k) for c in COUNTRIES]} for k in auths]
    totals = []
    for c in COUNTRIES:
        ids = [i for e in per[c].totals.values() for i in e.actions]
        totals.append({"iso": c, "count": per[c].total, "unverified": sum(by_id[i].action.unverified for i in ids),
                       "rows": [by_id[i] for i in ids]})
    return {"raw": a, "categories": categories, "authorities": authorities, "totals": totals, "by_id": by_id}


def _reading(ctx: BriefContext, t: dict[str, Any]) -> Markup:
    """One paragraph stating only what the counts show."""
    by_id = t["by_id"]
    per = t["raw"].by_country

    def ids(iso: str, *keys: str) -> list[str]:
        return [i for k in keys if (e := per[iso].totals.get(k)) is not None for i in e.actions]

    def n(iso: str, *keys: str) -> int:
        return len(ids(iso, *keys))

    def cite(iso: str, *keys: str) -> Markup:
        return _cite_rows(ctx, [by_id[i] for i in ids(iso, *keys)])

    name = {c: NAMES.get(c, c) for c in COUNTRIES}
    i, p = COUNTRIES
    out = [Markup("Since {} the record catalogues {} US actions naming {} and {} naming {} (each count in the "
                  "tables is cited to the sources of the actions behind it).").format(
        SINCE, per[i].total, name[i], per[p].total, name[p])]
    des = []
    for c in COUNTRIES:
        st, pr = n(c, "designation-state"), n(c, "designation-private")
        if st + pr == 0:
            des.append(Markup("{} has no designation").format(name[c]))
        elif st == 0:
            des.append(Markup("{}'s {} designation{} {} all of private parties, none of a state entity").format(
                name[c], st + pr, "s" if pr != 1 else "", "are" if pr != 1 else "is") + cite(c, "designation-private"))
        else:
            des.append(Markup("{}'s {} comprise {} of a state entity{} and {} of private parties").format(
                name[c], f"{st + pr} designation" + ("s" if st + pr != 1 else ""), st, cite(c, "designation-state"),
                pr) + cite(c, "designation-private"))
    out.append(Markup("; ").join(des) + Markup("."))
    parts = []
    for key, text in (("statutory-sanction", "Statutory sanctions"), ("menu-sanction", "menu sanctions"),
                      ("waiver", "waivers"), ("determination-not-made", "determinations not made")):
        parts.append(Markup("{}: {} {}{}, {} {}{}").format(text, name[i], n(i, key), cite(i, key), name[p],
                                                             n(p, key), cite(p, key)))
    out.append(Markup("; ").join(parts) + Markup("."))
    for c in COUNTRIES:
        caatsa = [r for r in t["totals"][COUNTRIES.index(c)]["rows"] if "caatsa" in r.action.authority.text.casefold()]
        if not caatsa:
            continue
        imposed = [r for r in caatsa if r.action.type in ("designation", "menu-sanction", "statutory-sanction")]
        kinds: dict[str, int] = {}
        for r in caatsa:
            k = CATEGORY_TEXT.get(r.action.type, r.action.type).split(" (")[0].lower()
            kinds[k] = kinds.get(k, 0) + 1
        listed = ", ".join(f"{v} {k}" for k, v in kinds.items())
        out.append(Markup("Of the actions naming {}, {} cite{} CAATSA ({}){}; {} impose{} a sanction or a "
                          "designation.").format(name[c], len(caatsa), "" if len(caatsa) != 1 else "s", listed,
                                                 _cite_rows(ctx, caatsa), "none" if not imposed else len(imposed),
                                                 "s" if len(imposed) <= 1 else ""))
    un = [(c["iso"], c["unverified"], c["count"]) for c in t["totals"]]
    out.append(Markup("The record is curated: the counts are of what it catalogues, not of every US action, and "
                      "{} are marked unverified (not yet checked against a primary source).").format(
        Markup(" and ").join(Markup("{} of the {} actions naming {}").format(u, tot, NAMES.get(c, c))
                             for c, u, tot in un)))
    return Markup(" ").join(out)


# --- the network --------------------------------------------------------------------------------------------------


def _network(rec: Any) -> tuple[Any, str | None]:
    """Pakistan's network over ``rec`` (with the store's list entries when it has them), or ``None`` and why it
    could not be built."""
    from equilibrium.sanctions.network import build_network  # local: pulls networkx and sqlalchemy

    try:
        return build_network(NETWORK_COUNTRY, rec=rec), None
    except EquilibriumError as exc:
        return None, exc.message
    except Exception:  # noqa: BLE001 - a store that cannot be read must not fail the brief: no list entries
        try:
            return build_network(NETWORK_COUNTRY, rec=rec, include_lists=False), None
        except EquilibriumError as exc:
            return None, exc.message


def _top_targets(ctx: BriefContext, g: Any) -> list[dict[str, Any]]:
    ents = [(n, d) for n, d in g.nodes(data=True) if d.get("group") == "entity"]
    ents.sort(key=lambda nd: (-int(nd[1].get("actions", 0)), -g.degree(nd[0]), str(nd[1].get("name"))))
    out = []
    for n, d in ents[:TOP_TARGETS]:
        acts = [u for u, _, k in g.in_edges(n, keys=True) if k == "targets"]
        mentions = [u for u, _, k in g.in_edges(n, keys=True) if k in ("mentions",)]
        srcs = [s for a in acts for s in g.nodes[a].get("sources") or []]
        msrcs = [s for a in mentions for s in g.nodes[a].get("sources") or []]
        dates = sorted(str(g.nodes[a].get("date", "")) for a in acts)
        name = d.get("name") or d.get("label")
        iso = d.get("country") or ""
        out.append({"id": n, "name": name, "shown": d.get("label") if d.get("label") != name else None,
                    "country": NAMES.get(iso, iso or "—"),
                    "kind": str(d.get("kind", "")).replace("-", " "), "actions": len(acts), "mentions": len(mentions),
                    "cite": ctx.cite(srcs), "mention_cite": ctx.cite(msrcs), "dates": dates,
                    "unverified": UNVERIFIED if acts and all(g.nodes[a].get("unverified") for a in acts)
                    else Markup("")})
    return out


def _label_nodes(g: Any) -> list[str]:
    """The main nodes: the sender, countries, entities targeted by two or more actions (or else the top five),
    authorities and programmes with three or more actions."""
    out = [n for n, d in g.nodes(data=True) if d.get("group") in ("sender", "country")]
    ents = sorted(((n, d) for n, d in g.nodes(data=True) if d.get("group") == "entity"),
                  key=lambda nd: -int(nd[1].get("actions", 0)))
    main = [n for n, d in ents if int(d.get("actions", 0)) >= 2] or [n for n, _ in ents[:5]]
    out += main
    out += [n for n, d in g.nodes(data=True) if d.get("group") in ("authority", "program") and g.in_degree(n) >= 3]
    return out


# --- key actions --------------------------------------------------------------------------------------------------


def _episodes(lanes: list[list[Any]]) -> list[tuple[Episode, list[Any]]]:
    out = []
    for e in EPISODES:
        rows = [r for r in lanes[e.lane] if e.match(r)]
        if rows:
            out.append((e, rows))
    return out


def _targets_text(rows: Sequence[Any]) -> str:
    names = list(dict.fromkeys(t.name for r in rows for t in r.action.targets))
    if len(names) > 3:
        return ", ".join(names[:3]) + f" and {len(names) - 3} more"
    return ", ".join(names)


def _key_actions(ctx: BriefContext, episodes: list[tuple[Episode, list[Any]]]) -> list[dict[str, Any]]:
    """One item per announcement of the episodes' actions, by date; per action its type, authority, targets,
    citation and unverified badge."""
    by_ann: dict[str, list[Any]] = {}
    for _, rows in episodes:
        for r in rows:
            lst = by_ann.setdefault(r.announcement.id, [])
            if r not in lst:
                lst.append(r)
    items = []
    for rows in sorted(by_ann.values(), key=lambda rs: (min(r.date for r in rs), rs[0].announcement.id)):
        rows.sort(key=lambda r: (r.date, r.action.id))
        acts = [{"id": r.action.id, "type": TYPE_TEXT.get(r.action.type, r.action.type),
                 "authority": r.action.authority.text, "targets": _targets_text([r]), "date": r.date,
                 "unverified": r.action.unverified, "cite": _cite_rows(ctx, [r]), "badge": _badge([r])}
                for r in rows]
        items.append({"date": rows[0].date, "title": rows[0].announcement.title, "actions": acts,
                      "unverified": any(r.action.unverified for r in rows)})
    return items


# --- figures ------------------------------------------------------------------------------------------------------


def _timeline(ctx: BriefContext, lanes: list[list[Any]], episodes: list[tuple[Episode, list[Any]]]) -> Markup:
    labels = ["India", "Pakistan", _supplier_label(lanes[LANE_SUPPLIERS])]
    fl = [Lane(label, [{"date": r.date, "type": r.action.type, "unverified": r.action.unverified} for r in rows])
          for label, rows in zip(labels, lanes, strict=True)]
    spans = [Span(e.lane, min(r.date for r in rows), max(r.date for r in rows),
                  e.label.format(span=_span_text([r.date for r in rows]))) for e, rows in episodes]
    png = timeline_figure(fl, spans, title=f"US actions on India, Pakistan and Pakistan's suppliers, "
                                           f"{FIRST_YEAR}–{LAST_YEAR}", first_year=FIRST_YEAR, last_year=LAST_YEAR)
    n = [len(x) for x in lanes]
    both = sum(1 for r in lanes[LANE_SUPPLIERS] if _targets(r, "PAK"))
    cap = (Markup("US actions by target, one marker per action: India ({} actions){}, Pakistan ({}){}, and "
                  "third-country suppliers linked by the record to Pakistan's programme ({}){} (co-announced with a "
                  "Pakistani target, or named with it in the action's note or its announcement's title").format(
        n[0], _cite_rows(ctx, lanes[0]), n[1], _cite_rows(ctx, lanes[1]), n[2], _cite_rows(ctx, lanes[2]))
        + (Markup("; {} action{} naming both Pakistani and foreign parties appear{} in both lanes").format(
            _num(both), "s" if both != 1 else "", "" if both != 1 else "s")
           if both else Markup(""))
        + Markup("). Marker shape and colour give the action type; hollow markers are actions not yet checked "
                 "against a primary source; brackets group the actions of a labelled episode. A marker's date is the "
                 "action's effective date, else its announcement's date (a year or a month alone is drawn "
                 "mid-period); markers closer than their width are stacked."))
    return ctx.figure(png, "Timeline of US sanctions actions on India, Pakistan and Pakistan's suppliers", cap)


def _network_figure(ctx: BriefContext, g: Any) -> Markup:
    png = network_figure(g, title="Pakistan's sanctions network in the record", label_nodes=_label_nodes(g))
    acts = [d for _, d in g.nodes(data=True) if d.get("group") == "action"]
    srcs = [s for d in acts for s in d.get("sources") or []]
    by_kind: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        by_kind[d.get("kind", "")] = by_kind.get(d.get("kind", ""), 0) + 1
    ents = sum(1 for _, d in g.nodes(data=True) if d.get("group") == "entity")
    cap = Markup("Pakistan's sanctions network: {} actions{} (the sender's hub is the United States), {} targeted "
                 "parties, {} legal authorities and {} programmes; edges join a sender to its actions and an action "
                 "to its targets, authority and programme; dashed edges join an action to a party that its note or "
                 "its announcement's title names; a party's size grows with the number of actions naming it. "
                 "Kamada–Kawai layout started from a spring layout with a fixed seed (7). List entries: {}.").format(
        len(acts), ctx.cite(srcs), ents, by_kind.get("authority", 0), by_kind.get("program", 0),
        g.graph.get("lists") or "none")
    return ctx.figure(png, "Network of Pakistan's sanctions actions, targets and authorities", cap)


# --- the section --------------------------------------------------------------------------------------------------


def sanctions_section(ctx: BriefContext) -> Section:
    """Build the sanctions section (timeline, asymmetry table and reading, network, key actions)."""
    rec = record()
    g, network_error = _network(rec)
    lanes = _lanes(rec, g)
    episodes = _episodes(lanes)
    timeline = _timeline(ctx, lanes, episodes) if ctx.figures else Markup("")
    table = _asymmetry(ctx, rec)
    reading = _reading(ctx, table)
    network_fig = _network_figure(ctx, g) if ctx.figures and g is not None else Markup("")
    top = _top_targets(ctx, g) if g is not None else []
    key = _key_actions(ctx, episodes)
    body = render_template("sections/sanctions.html.j2", countries=[NAMES.get(c, c) for c in COUNTRIES],
                           isos=COUNTRIES, since=SINCE, timeline=timeline, table=table, reading=reading,
                           network_figure=network_fig, network_error=network_error, top=top, key=key,
                           lists=(g.graph.get("lists") if g is not None else None), unverified=_unverified_badge(),
                           n_records=len(rec), first_year=FIRST_YEAR, last_year=LAST_YEAR)
    return Section(title="Sanctions: US actions on India and Pakistan", html=body, id="sanctions",
                   summary="A timeline of US sanctions actions, the India–Pakistan asymmetry since 1998 and "
                           "Pakistan's sanctions network, from the curated record.")
