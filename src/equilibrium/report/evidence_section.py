"""The brief's evidence section: what published sanctions data say about goals like the Pakistan case.

Four parts, each cited; the data sets found and the base rates come from the evidence questions
(:mod:`equilibrium.questions.evidence`: ``evidence.datasets``, ``evidence.base_rate``), the episodes and the
comparable shares from :mod:`equilibrium.evidence`, the published findings from the shipped findings table
(:mod:`equilibrium.evidence.findings`). Per-data-set facts (headline and secondary shares, their words, the goal
group's codes and why) are read from the codebooks:

1. base rates for nonproliferation-type goals against all goals, per available data set (the codebook's
   ``goal_groups`` entry :data:`GOAL`), with ``n`` and 95 % Wilson intervals, the US-as-sender
   subsets where ``n >= MIN_N``, and an interval figure;
2. the published findings side by side with our comparable share (each finding's ``compare_with``, mapped to our
   rates named by each finding's ``compare_with``);
3. the South Asia episodes (India or Pakistan as target) with their links to the curated record;
4. a plain reading of the commentaries' claim against these numbers, with the caveat on selection effects.

The data files cannot be shipped: they are looked up in ``$EQUILIBRIUM_DATA_DIR``. A data set that is absent (or
fails to load) is listed with who publishes it and how to obtain it; with none present the section still shows the
published findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from equilibrium.errors import EquilibriumError
from equilibrium.evidence.codebooks import codebook
from equilibrium.evidence.episodes import THEMES, cases
from equilibrium.evidence.findings import Comparison, findings
from equilibrium.evidence.loaders import data_path_override, load
from equilibrium.evidence.rates import base_rates
from equilibrium.questions.evidence import base_rate, datasets, record_actions
from equilibrium.report.context import BriefContext, Section
from equilibrium.report.context import environment as _environment
from equilibrium.report.context import unverified_badge as _unverified_badge
from equilibrium.report.evidence_figures import IntervalRow, interval_figure
from equilibrium.sanctions.record import record as sanctions_record

GOAL = "nonproliferation"
"""The goal group of each data set's codebook (``goal_groups``) standing for goals like those pursued against
Pakistan's missile and nuclear programmes: its codes, the reason they were chosen and (China-TIES) the file used are
data in the codebooks. A row is in the goal group when any of its coded issues is one of the codes (GSDB: the pair's
objective), as ``evidence.base_rate(goal=...)`` filters."""


def goal_codes(dataset: str) -> tuple[str, ...]:
    """The goal group's codes for ``dataset`` (from its codebook)."""
    return codebook(dataset).goal_group(GOAL).codes


def headline(dataset: str) -> tuple[str, str]:
    """(rate, words) of the data set's headline share (its codebook's ``headline``)."""
    h = codebook(dataset).headline
    return h.rate, h.words


def secondary(dataset: str) -> tuple[str, str] | None:
    """(rate, words) of the data set's secondary share, if its codebook names one."""
    s = codebook(dataset).secondary
    return (s.rate, s.words) if s else None


def rate_words(dataset: str, rate: str) -> str:
    """Plain words for a share of ``dataset`` (its codebook's ``rate_words``)."""
    return codebook(dataset).words(rate)


SENDER = "USA"
MIN_N = 10
"""The US-as-sender subsets are shown when their denominator is at least this."""

SUBSETS: tuple[tuple[str, str, bool], ...] = (
    ("all", "All goals", False),
    ("goal", "Nonproliferation-type goals", False),
    ("us_all", "All goals, US sender", True),
    ("us_goal", "Nonproliferation-type, US sender", True),
)
"""(key, label, US-sender subset) of the four shares per data set."""

BUSTER_FINDINGS = ("early-2015-busted", "early-spice-black-knights")
"""Findings about third-party support of the target (cited in the reading)."""

THREAT_FINDING = "drezner-2003-threats"
"""The finding on the selection of imposed cases (cited in the caveat)."""

COUNTRIES = {"PAK": "Pakistan", "IND": "India"}


def pct(x: float | None) -> str:
    """``45 %`` (no value: an em dash)."""
    return "—" if x is None else f"{100 * x:.0f} %"


def share_text(r: dict[str, Any]) -> str:
    """``45 % (95 % CI 42–48 %; 526 of 1,162)``, or ``no cases (n = 0)``."""
    if not r["n"]:
        return "no cases (n = 0)"
    lo, hi = r["ci95"]
    return f"{pct(r['share'])} (95 % CI {100 * lo:.0f}–{100 * hi:.0f} %; {r['k']:,} of {r['n']:,})"


def cell(r: dict[str, Any] | None) -> Markup:
    """A table cell's content with the exact numbers as data attributes."""
    if r is None:
        return Markup('<span class="note">n &lt; {}: not shown</span>').format(MIN_N)
    if not r["n"]:
        return Markup('<span data-k="0" data-n="0">n = 0</span>')
    lo, hi = r["ci95"]
    return Markup('<span data-k="{}" data-n="{}" data-share="{!r}" data-lo="{!r}" data-hi="{!r}">{} '
                  '<span class="note">({:.0f}–{:.0f} %)</span><br><span class="note">{:,} / {:,}</span></span>').format(
        r["k"], r["n"], float(r["share"]), float(lo), float(hi), pct(r["share"]), 100 * lo, 100 * hi, r["k"], r["n"])


# --- data ---------------------------------------------------------------------------------------------------------


@dataclass
class Available:
    """What the data directory holds: per data set its codebook summary and either its tidy table or why not."""

    data_dir: str | None
    path: Any = None
    frames: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, dict[str, Any]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)


def available(path: Any = None) -> Available:
    """Load every data set found by :func:`equilibrium.evidence.datasets` (``path`` or ``$EQUILIBRIUM_DATA_DIR``);
    a data set not found, or that fails to load, is listed in ``missing`` with the reason."""
    with data_path_override(path):
        info = datasets({})
    out = Available(data_dir=info.data_dir, path=path)
    for ds, e in info.datasets.items():
        summary = e.model_dump(exclude={"files", "message", "missing", "definition", "found"})
        out.summaries[ds] = summary
        if not e.found:
            out.missing[ds] = {**summary, "message": e.message or ""}
            continue
        try:
            out.frames[ds] = load(ds, path)
        except EquilibriumError as exc:
            out.missing[ds] = {**summary, "message": f"the file was found but did not load: {exc.message}"}
    return out


def goal_mask(df: Any, dataset: str) -> Any:
    """Rows of the tidy table ``df`` whose coded issues (GSDB: the pair's objective) include a goal code."""
    codes = set(goal_codes(dataset))
    return df["issues"].map(lambda t: bool(codes & set(t))).astype(bool)


def goal_role(dataset: str) -> str | None:
    """The China-TIES file the goal group uses (``target``), from the codebook; ``None`` elsewhere."""
    return codebook(dataset).goal_group(GOAL).role


def goal_rates(dataset: str, path: Any = None) -> dict[str, dict[str, Any]]:
    """The ``evidence.base_rate`` answers (as JSON) of ``dataset`` for all goals and the goal group, each for any
    sender and for the US among the senders (keys of :data:`SUBSETS`); ``path`` as the CLI's ``--path``."""
    kw: dict[str, Any] = {"dataset": dataset, "role": goal_role(dataset)}
    with data_path_override(path):
        return {"all": base_rate(kw).to_json(), "goal": base_rate(kw, goal=GOAL).to_json(),
                "us_all": base_rate(kw, sender=SENDER).to_json(),
                "us_goal": base_rate(kw, goal=GOAL, sender=SENDER).to_json()}


def _shown(res: dict[str, Any], rate: str, us: bool) -> dict[str, Any] | None:
    r: dict[str, Any] = res["rates"][rate]
    return None if us and r["n"] < MIN_N else r


# --- part 1: base rates ---------------------------------------------------------------------------------------------


def _base_rates(ctx: BriefContext, av: Available) -> list[dict[str, Any]]:
    out = []
    for ds, df in av.frames.items():
        cb = codebook(ds)
        res = goal_rates(ds, av.path)
        sec = secondary(ds)
        measures = [headline(ds)] + ([sec] if sec else [])
        rows = []
        for rate, words in measures:
            d = res["all"]["definition"]["rates"][rate]
            rows.append({"rate": rate, "words": words, "numerator": d["numerator"], "denominator": d["denominator"],
                         "cells": [{"key": key, "value": _shown(res[key], rate, us), "html": cell(_shown(res[key], rate,
                                                                                                          us))}
                                   for key, _, us in SUBSETS]})
        labels = {c.slug: f"{c.code} {c.slug}" for c in cb.codelists["objective" if ds == "gsdb" else "issue"].values()}
        years = [int(y) for y in df["start_year"].dropna()]
        out.append({"dataset": ds, "title": cb.title, "short": cb.short, "cite": ctx.cite(cb.sources),
                    "definition": res["all"]["definition"], "unit": res["all"]["unit"], "rows": rows, "res": res,
                    "codes": [labels.get(c, c) if ds != "gsdb" else c for c in goal_codes(ds)],
                    "reason": cb.goal_group(GOAL).reason, "role": goal_role(ds),
                    "period": f"{min(years)}–{max(years)}" if years else "—"})
    return out


def _figure(ctx: BriefContext, blocks: list[dict[str, Any]]) -> Markup:
    rows = []
    for b in blocks:
        rate, words = headline(b["dataset"])
        who = " (China as target)" if b["role"] == "target" else ""
        name = f"{b['short']}{who}: {words}"
        for key, label, us in SUBSETS:
            r = _shown(b["res"][key], rate, us)
            if r is None:
                continue
            rows.append(IntervalRow(block=name, label=label, group="goal" if "goal" in key else "all", us=us,
                                    k=int(r["k"]), n=int(r["n"]), ci95=tuple(r["ci95"]) if r["ci95"] else None))
    png = interval_figure(rows, title="Success shares: nonproliferation-type goals against all goals")
    cap = (Markup("Success shares with 95 % Wilson intervals, one row per data set and goal group: ")
           + Markup("; ").join(Markup("{} {} ({}){}").format(b["short"], headline(b["dataset"])[1],
                                                              ", ".join(b["codes"]), b["cite"]) for b in blocks)
           + Markup(". The share and k / n are written right of each row; US-sender rows (hollow squares) are drawn "
                    "only where n ≥ {}. Each data set counts successes under its own definition (see the table), so "
                    "rows of different data sets are not directly comparable.").format(MIN_N))
    return ctx.figure(png, "Success shares with 95 % intervals by data set and goal group", cap)


# --- part 2: published findings ---------------------------------------------------------------------------------------


def _value_text(v: Any) -> str:
    def p(x: float) -> str:
        return f"{round(100 * x, 6):g} %"

    if v.unit == "share":
        if v.value is not None:
            s = p(v.value)
        elif v.min is not None and v.max is not None:
            s = f"{p(v.min)}–{p(v.max)}"
        elif v.max is not None:
            s = f"at most {p(v.max)}"
        else:
            s = f"at least {p(v.min)}"
        if v.numerator is not None and v.denominator is not None:
            s += f" ({v.numerator:,} of {v.denominator:,})"
    elif v.unit == "count":
        n = v.value if v.value is not None else v.max
        s = f"{int(n or 0):,}" + (f" of {v.denominator:,}" if v.denominator else "")
    else:
        s = f"{v.value:g}" if v.value is not None else f"{v.min:g}–{v.max:g}"
    return s


def _comparable(c: Comparison, av: Available) -> dict[str, Any]:
    """Our share for a finding's ``compare_with`` entry (split or restricted as it says), or why there is none."""
    ds = c.dataset.replace("_", "-")
    short = codebook(ds).short
    if ds not in av.frames:
        return {"short": short, "items": [], "words": "",
                "why_none": f"{short} file not available (see the list at the top of this section)"}
    rates, opts, words = (c.measure,), c.base_rate_options(), c.subset_text()
    df = av.frames[ds]
    res = base_rates(ds, df, by=opts.get("by"), sender=opts.get("sender"))
    items = []
    if "by" in opts:
        rate = rates[0]
        for g in res["groups"]:
            r = g["rates"][rate]
            if r["n"] >= MIN_N:
                items.append({"label": f"{rate_words(ds, rate)}, {g['label']}", **r})
        small = sum(1 for g in res["groups"] if g["rates"][rate]["n"] < MIN_N)
        if small:
            words = (words + "; " if words else "") + f"{small} group{'s' if small != 1 else ''} with n < {MIN_N} " \
                                                     "not shown"
    else:
        items = [{"label": rate_words(ds, rate), **res["rates"][rate]} for rate in rates]
    years = [int(y) for y in df["start_year"].dropna()]
    d = res["definition"]
    return {"short": short, "items": items, "why_none": None, "words": words, "definition": d["name"],
            "unit": res["unit"], "period": f"{min(years)}–{max(years)}" if years else "—",
            "denominator": d["rates"][rates[0]]["denominator"]}


def _findings(ctx: BriefContext, av: Available) -> list[dict[str, Any]]:
    out = []
    for f in findings():
        values = [{"text": _value_text(v), "label": v.label, "stated": v.stated, "cite": ctx.cite(v.sources),
                   "unverified": v.unverified or f.unverified} for v in f.values]
        comps = []
        for c in f.compare_with:
            comp = _comparable(c, av)
            period = f.sample.period or "not stated"
            if comp["why_none"] is None:
                basis = (f"Published: unit {f.unit_of_analysis}, period {period}. Ours: unit {comp['unit']}, "
                         f"start years {comp['period']}, over {comp['denominator']} ({comp['definition']}).")
            else:
                basis = f"Published: unit {f.unit_of_analysis}, period {period}."
            comps.append({"dataset": c.dataset.replace("_", "-"), "measure": c.measure, "why": c.why_differs,
                          "basis": basis, **comp,
                          "shares": [{**i, "text": share_text(i)} for i in comp["items"]]})
        out.append({"id": f.id, "title": f.title, "kind": f.kind, "vals": values, "definition": f.definition,
                    "sample": f.sample, "cite": ctx.cite([s.id for s in f.sources]), "unverified": f.unverified,
                    "partly_unverified": f.partly_unverified,
                    "source_ids": [s.id for s in f.sources], "checked": f.verification.checked, "comps": comps})
    return out


# --- part 3: South Asia episodes ----------------------------------------------------------------------------------


def _action_sources() -> dict[str, list[str]]:
    try:
        return {r.action.id: list(r.source_ids()) for r in sanctions_record()}
    except EquilibriumError:
        return {}


def _episodes(ctx: BriefContext, av: Available) -> dict[str, Any]:
    """Episodes with India or Pakistan as target (one row per data-set episode), the nonproliferation-theme or
    record-linked ones first; and the count of episodes with them only as a sender."""
    if not av.frames:
        return {"main": [], "other": [], "as_sender": [], "error": None}
    theme = set(THEMES["nonproliferation"]["issues"])
    sources = _action_sources()
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    as_sender: list[dict[str, Any]] = []
    actions, record = record_actions()
    try:
        for iso, name in COUNTRIES.items():
            if av.path is None:
                found = cases(iso, role="any", actions=actions, record=record)["cases"]
            else:
                found = [e for ds in av.frames for e in cases(iso, dataset=ds, path=av.path, role="any",
                                                               actions=actions, record=record)["cases"]]
            senders_only: dict[str, int] = {}
            for e in found:
                if e["role"] != "target":
                    sh = codebook(e["dataset"]).short
                    senders_only[sh] = senders_only.get(sh, 0) + 1
                    continue
                key = (e["dataset"], str(e["china_role"]), e["case_id"])
                if key in rows:
                    continue
                links = [x["action"] for x in e["links"]]
                years = (f"{e['start_year']}–{e['end_year']}" if e["end_year"] and e["end_year"] != e["start_year"]
                         else f"{e['start_year']}" + ("–" if e["ongoing"] else ""))
                sa = [t["name"] for t in e["targets"] if t["code"] in COUNTRIES]
                rows[key] = {"dataset": e["dataset"], "short": codebook(e["dataset"]).short, "case_id": e["case_id"],
                             "years": years, "start": e["start_year"] or 0, "target": ", ".join(sa),
                             "senders": ", ".join(s["name"] for s in e["senders"]),
                             "issues": ", ".join(i["slug"] for i in e["issues"]) or "—", "outcome": e["outcome"],
                             "links": links, "weak": len(e["weak_links"]),
                             "link_cite": ctx.cite([s for a in links for s in sources.get(a, [])]),
                             "theme": bool(theme & {i["slug"] for i in e["issues"]}), "raw": e}
            as_sender.append({"country": name, "counts": senders_only})
    except EquilibriumError as exc:
        return {"main": [], "other": [], "as_sender": [], "error": exc.message}
    ordered = sorted(rows.values(), key=lambda r: (r["start"], r["dataset"], r["case_id"]))
    main = [r for r in ordered if r["theme"] or r["links"]]
    other = [r for r in ordered if not (r["theme"] or r["links"])]
    return {"main": main, "other": other, "as_sender": as_sender, "error": None}


# --- part 4: the reading ------------------------------------------------------------------------------------------


def _reading(ctx: BriefContext, blocks: list[dict[str, Any]], eps: dict[str, Any],
             fnd: list[dict[str, Any]]) -> Markup:
    """Sentences that state only what the numbers show."""
    by_id = {f["id"]: f for f in fnd}
    out: list[Markup] = [Markup("The commentaries say that “an examination of historical evidence strongly suggests "
                                "that [sanctions] often fail”.")]
    succ: list[tuple[float, str, int]] = []
    for b in blocks:
        ds = b["dataset"]
        rate, words = headline(ds)
        res = b["res"]
        a, g = res["all"]["rates"][rate], res["goal"]["rates"][rate]
        ua = _shown(res["us_goal"], rate, True)
        unit = "concluded case–objective pairs" if ds == "gsdb" else (
            "imposed cases with a final outcome" if "imposed" in rate else "cases")
        who = " with China as the target" if b["role"] == "target" else ""
        if a["n"]:
            succ.append((float(a["share"]), f"{b['short']}{who}, {words}", int(a["n"])))
        sec = secondary(ds)
        s = Markup("Under {}’s definition{}, {} of {}{} {}{}; for the nonproliferation-type goals ({}) "
                   "{}").format(b["short"], b["cite"], share_text(a), unit, who, codebook(ds).headline.verb,
                                "" if sec is None else Markup(" ({}: {})").format(
                                    sec[1], share_text(res["all"]["rates"][sec[0]])),
                                ", ".join(b["codes"]), share_text(g))
        if ua is not None:
            s += Markup(", and with the United States among the senders {}").format(share_text(ua))
        out.append(s + Markup("."))
    out.append(_BREAK)
    if succ:
        lo_b, hi_b = max(succ, key=lambda x: x[0]), min(succ, key=lambda x: x[0])
        lead = ("So in every available data set most counted outcomes are not successes under its headline "
                "definition" if all(x[0] < 0.5 for x in succ) else
                "So the share of counted outcomes that are not successes under each data set’s headline definition "
                "ranges")
        out.append(Markup("{}, from {} ({}) to {} ({}, n = {}): how often sanctions “fail” depends on the "
                          "definition and the data set.").format(lead, pct(1 - lo_b[0]), lo_b[1], pct(1 - hi_b[0]),
                                                                 hi_b[1], hi_b[2]))
        loose = [(b["short"], sec[1], b["res"]["all"]["rates"][sec[0]])
                 for b in blocks if (sec := secondary(b["dataset"])) is not None]
        loose = [x for x in loose if x[2]["n"] and x[2]["share"] >= 0.5]
        if loose:
            out.append(Markup("Under the other measure in the table successes are the majority: {}.").format(
                "; ".join(f"{short} {words}, {share_text(r)}" for short, words, r in loose)))
        overlap = []
        for b in blocks:
            rate = headline(b["dataset"])[0]
            a, g = b["res"]["all"]["rates"][rate], b["res"]["goal"]["rates"][rate]
            if a["n"] and g["n"]:
                overlap.append(g["ci95"][0] <= a["ci95"][1] and a["ci95"][0] <= g["ci95"][1])
        if overlap and all(overlap):
            out.append(Markup("For every data set the interval of the nonproliferation-type goals overlaps that of all "
                              "goals: these data do not show such goals failing more often than others."))
        elif overlap:
            out.append(Markup("In {} of {} data sets the interval of the nonproliferation-type goals does not overlap "
                              "that of all goals.").format(overlap.count(False), len(overlap)))
    out.append(_BREAK)
    pak = [r for r in eps["main"] if "Pakistan" in r["target"] and r["theme"]]
    if pak:
        per: dict[str, dict[str, int]] = {}
        for r in pak:
            for o in (r["raw"].get("outcomes") or [{"label": r["outcome"]}]):
                lab = o["label"]
                per.setdefault(r["short"], {})[lab] = per.setdefault(r["short"], {}).get(lab, 0) + 1
        out.append(Markup("For Pakistan itself the data sets hold {} nonproliferation-type episodes (table above): "
                          "{}.").format(len(pak), Markup("; ").join(
            Markup("{} {}").format(ds, ", ".join(f"{lab.lower()} {n}" for lab, n in sorted(c.items(),
                                                                                          key=lambda x: -x[1])))
            for ds, c in per.items())))
    out.append(_BREAK)
    bust = [by_id[i] for i in BUSTER_FINDINGS if i in by_id]
    out.append(Markup("On the second claim, that sanctions fail more when a great power such as China backs the "
                      "target: none of these data sets codes third-party support for the target (China-TIES codes "
                      "China as a sender or a target, not as a backer), so these numbers cannot test it. The "
                      "published findings that speak to it are on sanctions busters{}{}.").format(
        ctx.cite([s for f in bust for s in f["source_ids"]]),
        Markup(" (one of them unverified)") if any(f["unverified"] for f in bust) else Markup("")))
    out.append(_BREAK)
    thr = by_id.get(THREAT_FINDING)
    out.append(Markup("Caveat on selection: imposed sanctions are the cases in which threats did not work (targets "
                      "that would give in tend to do so before imposition{}), so shares over imposed cases understate "
                      "what the threat of sanctions achieves; every data set holds only the episodes its coders "
                      "found and judged, and GSDB’s ongoing pairs are left out as right-censored. The goal-group "
                      "shares rest on small n; their intervals are wide.").format(
        thr["cite"] if thr else Markup("")))
    paras: list[list[Markup]] = [[]]
    for m in out:
        if m is _BREAK:
            paras.append([])
        else:
            paras[-1].append(m)
    return Markup("").join(Markup("<p>{}</p>").format(Markup(" ").join(p)) for p in paras if p)


_BREAK = Markup("")


# --- the section --------------------------------------------------------------------------------------------------

TEMPLATE = """\
<p class="lead">What the published sanctions data sets and the literature say about whether sanctions reach goals like
  those the United States pursues against Pakistan's missile programme. Every share below is computed by Equilibrium
  from the data set named, under that data set's own definition of success, with its number of cases n and a 95 %
  Wilson interval; the published findings are shown as their authors report them.</p>
{% if missing %}
<div class="evidence-missing">
<p class="note">{{ missing|length }} of {{ total }} data set{{ '' if total == 1 else 's' }} not available
  {%- if data_dir %} in <code>{{ data_dir }}</code>{% else %} (EQUILIBRIUM_DATA_DIR is not set){% endif %}. The
  product cannot redistribute these files; to include them, obtain them as follows and set
  <code>EQUILIBRIUM_DATA_DIR</code> to the folder holding them:</p>
<ul id="evidence-missing">
  {% for ds, m in missing.items() %}
  <li data-dataset="{{ ds }}"><strong>{{ m.title }}</strong>{{ m.cite }}: published by {{ m.publisher }}; {{ m.obtain }}
    (<a href="{{ m.url }}">{{ m.url }}</a>).</li>
  {% endfor %}
</ul>
</div>
{% endif %}

<h3>Base rates for goals like the Pakistan case</h3>
{% if blocks %}
<p>Goal codes used (a row is in the goal group when any of its coded issues is one of them):</p>
<ul id="evidence-codes">
  {% for b in blocks %}
  <li data-dataset="{{ b.dataset }}"><strong>{{ b.short }}</strong>{{ b.cite }}: <code>{{ b.codes|join(', ') }}</code>.
    {{ b.reason }}</li>
  {% endfor %}
</ul>
{{ figure }}
<table id="evidence-base-rates" class="evidence-table">
  <thead><tr><th>Data set and share (numerator over denominator)</th>
    {% for s in subsets %}<th class="num">{{ s[1] }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for b in blocks %}{% for r in b.rows %}
    <tr data-dataset="{{ b.dataset }}" data-rate="{{ r.rate }}">
      <td><strong>{{ b.short }}</strong>{% if b.role %} (China as {{ b.role }}){% endif %}{{ b.cite }}, {{ r.words }}
        <br><span class="note">{{ r.numerator }}, over {{ r.denominator }}; definition {{ b.definition.name }};
        start years {{ b.period }}</span></td>
      {% for c in r.cells %}<td class="num" data-subset="{{ c.key }}">{{ c.html }}</td>{% endfor %}
    </tr>
  {% endfor %}{% endfor %}
  </tbody>
</table>
<p class="note">Shares with the 95 % Wilson interval in brackets and k / n below. “US sender”: the United States is one
  of the episode's senders. US-sender subsets with n &lt; {{ min_n }} are not shown.</p>
{% else %}
<p class="note" id="evidence-no-data">No evidence data set is available, so no base rate is computed here; the
  published findings follow.</p>
{% endif %}

<h3>Published findings side by side</h3>
<table id="evidence-findings" class="evidence-table">
  <thead><tr><th style="width:30%">Published finding (definition, sample)</th><th style="width:17%">Published value</th>
    <th style="width:25%">Our comparable share</th><th>Why they differ</th></tr></thead>
  <tbody>
  {% for f in findings %}
    {% set nrows = [f.comps|length, 1]|max %}
    <tr data-finding="{{ f.id }}" data-unverified="{{ 'true' if f.unverified else 'false' }}">
      <td rowspan="{{ nrows }}"><strong>{{ f.title }}</strong>{{ f.cite }}
        {%- if f.unverified %}{{ unverified }}{% endif %}
        <br><span class="note">Definition: {{ f.definition }} Sample: {{ f.sample.dataset }}
        {%- if f.sample.cases %}, {{ f.sample.cases }} cases{% endif %}
        {%- if f.sample.period %}, {{ f.sample.period }}{% endif %}.</span></td>
      <td rowspan="{{ nrows }}">{% if f.vals %}<ul class="evidence-values">{% for v in f.vals %}
        <li>{{ v.label }}: <strong>{{ v.text }}</strong>{{ v.cite }}
          {%- if v.unverified %}{{ unverified }}{% endif %}</li>
        {% endfor %}</ul>{% else %}<span class="note">no number (a qualitative finding)</span>{% endif %}</td>
      {% if f.comps %}{% for c in f.comps %}{% if not loop.first %}</tr><tr data-finding="{{ f.id }}">{% endif %}
      <td data-dataset="{{ c.dataset }}" data-measure="{{ c.measure }}"><strong>{{ c.short }}</strong>
        {%- if c.words %} ({{ c.words }}){% endif %}:
        {% if c.why_none %}<span class="note">{{ c.why_none }}</span>
        {%- else %}<ul class="evidence-values">{% for i in c.shares %}
        <li data-k="{{ i.k }}" data-n="{{ i.n }}">{{ i.label }}: {{ i.text }}</li>{% endfor %}</ul>{% endif %}</td>
      <td>{{ c.why }} <span class="note">{{ c.basis }}</span></td>
      {% endfor %}{% else %}<td colspan="2"><span class="note">no comparable share</span></td>{% endif %}
    </tr>
  {% endfor %}
  </tbody>
</table>
<p class="note">The “why they differ” sentence is the findings table's own; the line after it sets the published unit
  and period against ours, as the definitions state them.</p>

<h3>South Asia episodes</h3>
{% if episodes.error %}
<p class="note">The episodes could not be listed: {{ episodes.error }}</p>
{% elif not blocks %}
<p class="note">No data set available: no episodes to list.</p>
{% else %}
<p>Episodes with India or Pakistan as target whose issues are nonproliferation-type ({{ theme|join(', ') }}) or that are
  linked to an action of the curated record (same target country, sender and years, and an authority of the same
  theme); the action ids are those of the curated record shown in the sanctions section.</p>
<table id="evidence-episodes" class="evidence-table compact">
  <thead><tr><th>Data set</th><th>Years</th><th>Target</th><th>Sender(s)</th><th>Issue</th><th>Outcome</th>
    <th>Curated actions</th></tr></thead>
  <tbody>
  {% for r in episodes.main %}
    <tr data-dataset="{{ r.dataset }}" data-case="{{ r.case_id }}">
      <td>{{ r.short }} <span class="note">{{ r.case_id }}</span></td><td>{{ r.years }}</td><td>{{ r.target }}</td>
      <td>{{ r.senders }}</td><td>{{ r.issues }}</td><td>{{ r.outcome }}</td>
      <td>{% if r.links %}{% for a in r.links %}<code>{{ a }}</code>{{ '' if loop.last else ', ' }}{% endfor %}
        {{- r.link_cite }}{% else %}—{% endif %}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
{% if episodes.other %}
<details id="evidence-episodes-other"><summary>The other {{ episodes.other|length }} episodes with India or Pakistan as
  target</summary>
<table class="evidence-table compact">
  <thead><tr><th>Data set</th><th>Years</th><th>Target</th><th>Sender(s)</th><th>Issue</th><th>Outcome</th></tr></thead>
  <tbody>
  {% for r in episodes.other %}
    <tr data-dataset="{{ r.dataset }}" data-case="{{ r.case_id }}">
      <td>{{ r.short }} <span class="note">{{ r.case_id }}</span></td><td>{{ r.years }}</td><td>{{ r.target }}</td>
      <td>{{ r.senders }}</td><td>{{ r.issues }}</td><td>{{ r.outcome }}</td></tr>
  {% endfor %}
  </tbody>
</table>
</details>
{% endif %}
<p class="note">Not listed: episodes with the country only as a sender (
  {%- for s in episodes.as_sender %}{{ s.country }}:
  {% for ds, n in s.counts.items() %}{{ n }} in {{ ds }}{{ '' if loop.last else ', ' }}{% else %}none{% endfor %}
  {{- '; ' if not loop.last else '' }}{% endfor %}).
  A case listed by two data sets appears once per data set.</p>
{% endif %}

<h3>Reading</h3>
<div id="evidence-reading">{{ reading }}</div>
<style>
  #evidence .evidence-table td, #evidence .evidence-table th { font-size: .84rem; }
  #evidence table.compact td { padding: .2rem .4rem; font-size: .78rem; }
  #evidence ul.evidence-values { margin: 0; padding-left: 1rem; }
  #evidence-base-rates td:first-child { width: 34%; }
</style>
"""


def evidence_section(ctx: BriefContext, path: Any = None) -> Section:
    """Build the evidence section from the data sets in ``path`` (default ``$EQUILIBRIUM_DATA_DIR``)."""
    av = available(path)
    missing = {ds: {**m, "cite": ctx.cite(codebook(ds).sources)} for ds, m in av.missing.items()}
    blocks = _base_rates(ctx, av)
    figure = _figure(ctx, blocks) if ctx.figures and blocks else Markup("")
    fnd = _findings(ctx, av)
    eps = _episodes(ctx, av)
    reading = _reading(ctx, blocks, eps, fnd)
    body = Markup(_environment().from_string(TEMPLATE).render(
        missing=missing, total=len(av.summaries), data_dir=av.data_dir, blocks=blocks, figure=figure,
        subsets=SUBSETS, min_n=MIN_N, findings=fnd, unverified=_unverified_badge(), episodes=eps,
        theme=THEMES["nonproliferation"]["issues"], reading=reading))
    return Section(title="Evidence: do sanctions reach goals like these?", html=body, id="evidence",
                   summary="Base rates for nonproliferation-type goals in GSDB, TIES, EUSANCT and China-TIES, the "
                           "published findings beside them, and the South Asia episodes.")

