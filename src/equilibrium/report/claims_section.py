"""The brief's bottom line: the commentaries' claims and their computed verdicts, on one page, before the sections.

The verdicts come from the claims engine through its question ``claims.check``
(:mod:`equilibrium.questions.claims`): per claim the quote (shortened), the checkable reading, the verdict with its
robustness and the counter-setting, and a link to the section of the brief that holds the evidence (the claim's
question family: ``reach.*`` → the reach section, ``sanctions.*`` → the sanctions section, …). Each claim cites its
commentary and the sources of its evidence like the rest of the brief. A claim that cannot be checked (an opinion, a
forecast, or a data folder that is absent) says "not checkable" with the engine's reason.

:func:`claims_section` is the default builder (every claim, every section linkable); :func:`claims_section_for`
makes one for chosen claim ids and the sections present in the brief (``brief --claims … --sections …``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup

from equilibrium.errors import NotFound
from equilibrium.questions.claims import ClaimsCheck, ClaimVerdict, claim_review, claims_check, load_claims
from equilibrium.report.context import BriefContext, Section, SectionBuilder
from equilibrium.report.context import environment as _environment

__all__ = ["SECTION_ANCHORS", "VERDICT_ORDER", "claims_jsonld", "claims_section", "claims_section_for",
           "resolve_claim_ids", "short_quote", "short_why"]

SECTION_ANCHORS: dict[str, tuple[str, str]] = {
    "reach": ("reach", "Reach"),
    "trajectory": ("trajectory", "Trajectories"),
    "sanctions": ("sanctions", "Sanctions"),
    "evidence": ("evidence", "Evidence"),
    "dynamics": ("dynamics", "Dynamics"),
}
"""Question family (the part of a question name before the dot) → (anchor, label) of the section holding its
evidence. A family not listed here (``events``, ``population``, ``catalog``) points to the claim's own details."""

VERDICT_ORDER = ("supported", "mostly supported", "mixed", "mostly unsupported", "refuted", "not checkable")

QUOTE_CHARS = 140
"""Quotes longer than this are shortened (at a word boundary) in the bottom line; the details hold them whole."""

MAX_INLINE_CITES = 6
"""A claim's (and a setting's) evidence citations are shown inline when there are at most this many; otherwise once,
in the claim's details (all are cited either way)."""

ANCHOR = "bottom-line"


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def resolve_claim_ids(ids: Iterable[str] | None) -> list[str] | None:
    """The claim ids, deduplicated in order (``None``: every claim); :class:`NotFound` with the closest ids for an
    unknown one. Loading the claims files may raise :class:`DataError` (file:line)."""
    if ids is None:
        return None
    out = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    cs = load_claims()
    for i in out:
        cs.get(i)  # NotFound with close matches
    return out


def short_why(why: str | None, limit: int = 180) -> str:
    """The reason a claim is not checkable, cut for the bottom line: the part before a parenthesised elaboration
    (where the engine says how to obtain a missing data file), at most ``limit`` characters; the details hold it
    whole."""
    if not why:
        return ""
    head = why.split(" (", 1)[0].strip()
    return short_quote(head, limit) + ("" if head == why.strip() and len(head) <= limit else " (details below)")


def _pct(r: float | None) -> str:
    return "—" if r is None else f"{100 * r:.0f} %"


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.6g}"
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def _params(p: dict[str, Any]) -> str:
    return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in p.items()) or "(defaults)"


def _where(question: str | None, present: Sequence[str]) -> tuple[str, str] | None:
    """(anchor, label) of the section holding the evidence of ``question``, when that section is in the brief."""
    if not question:
        return None
    family = question.split(".", 1)[0]
    if family in SECTION_ANCHORS and family in present:
        return SECTION_ANCHORS[family]
    return None


def _verdicts(ids: Sequence[str] | None) -> list[ClaimVerdict]:
    if ids is None:
        answer: ClaimsCheck = claims_check({})
        return list(answer.verdicts)
    return [v for i in ids for v in claims_check({"id": i}).verdicts]


def _row(ctx: BriefContext, v: ClaimVerdict, present: Sequence[str], com_source: str | None) -> dict[str, Any]:
    question = v.question or (v.closest.question if v.closest else None)
    where = _where(question, present)
    ev_ids = [s.id for s in v.sources]
    ev_cite = ctx.cite(ev_ids)
    settings = [{"label": s.label, "reason": s.reason, "weight": f"{s.weight:g}", "params": _params(s.params),
                 "rule": s.rule, "value": "—" if s.error else _value(s.value),
                 "outcome": "failed" if s.error else ("holds" if s.holds else "does not hold"), "error": s.error,
                 "cite": ctx.cite(r.id for r in s.sources) if len(s.sources) <= MAX_INLINE_CITES else Markup("")}
                for s in v.settings]
    data_defaults = list(dict.fromkeys(f"{d.name}: {d.value}" for s in v.settings for d in s.defaults
                                       if d.source == "data"))
    return {"id": v.id, "anchor": f"claim-{v.id}", "quote": v.quote, "short": short_quote(v.quote),
            "claim": v.claim, "not_checked": v.not_checked, "kind": v.kind, "verdict": v.verdict,
            "css": v.verdict.replace(" ", "-"), "robustness": _pct(v.robustness), "counter": v.counter,
            "explanation": v.explanation, "why": v.why, "short_why": short_why(v.why), "closest": v.closest,
            "question": question,
            "params": _params(v.closest.params if v.closest and not v.question else v.params),
            "rule": v.rule, "where": where, "com_cite": ctx.cite([com_source] if com_source else []),
            "n_sources": len(ev_ids), "ev_cite": ev_cite, "inline": len(ev_ids) <= MAX_INLINE_CITES,
            "settings": settings, "evidence": v.evidence, "data": data_defaults,
            "settings_failed": v.settings_failed}


TEMPLATE = """\
<p class="lead">What the commentaries claim and what Equilibrium's own questions say about it. Each claim is read as
  one checkable statement, answered by a question with the stated parameters and again with reasonable alternatives
  (another region, source or threshold); the <em>robustness</em> is the weighted share of those settings under which
  the reading holds. Scale: ≥ 90 % supported, ≥ 65 % mostly supported, &gt; 35 % mixed, &gt; 10 % mostly
  unsupported, otherwise refuted. Opinions and forecasts, and claims whose data are not installed, are
  <em>not checkable</em>, with the reason.</p>
<p id="claims-tally" class="note">{{ total }} claim{{ '' if total == 1 else 's' }}:
  {% for k, n in tally %}<span class="verdict-badge v-{{ k|replace(' ', '-') }}">{{ k }}</span> {{ n }}
  {{- '' if loop.last else ', ' }}{% endfor %}.</p>
{% for g in groups %}
<h3 class="claims-commentary" data-commentary="{{ g.id }}">{{ g.author }}, “{{ g.title }}”
  <span class="note">({{ g.outlet }}, {{ g.date }})</span>{{ g.cite }}</h3>
<table class="claims-table" data-commentary="{{ g.id }}">
  <thead><tr><th style="width:47%">Claim (quoted) and the reading checked</th><th style="width:33%">Verdict</th>
    <th>Evidence</th></tr></thead>
  <tbody>
  {% for r in g.rows %}
    <tr data-claim="{{ r.id }}" data-verdict="{{ r.verdict }}">
      <td><q title="{{ r.quote }}">{{ r.short }}</q>{{ r.com_cite }}
        <br><span class="reading">{{ r.claim }}</span> <code class="claim-id">{{ r.id }}</code></td>
      <td><span class="verdict-badge v-{{ r.css }}">{{ r.verdict }}</span>
        {% if r.verdict != 'not checkable' %}<span class="robustness">robustness {{ r.robustness }}</span>
        <br><span class="note">{% if r.counter %}Counter-setting: {{ r.counter.label }}
          {%- if r.counter.reason %} ({{ r.counter.reason }}){% endif %}: the reading
          {{ 'holds' if r.counter.holds else 'does not hold' }} there.
          {%- else %}No alternative setting changes the outcome.{% endif %}</span>
        {% else %}<br><span class="note">{{ r.short_why }}</span>{% endif %}</td>
      <td>{% if r.where %}<a href="#{{ r.where[0] }}">{{ r.where[1] }} section</a>{% if r.question %}, {% endif %}
        {%- endif %}{% if r.question %}<code>{{ r.question }}</code>{% endif %}
        {% if r.n_sources %}<br><span class="note">{{ r.n_sources }} source{{ '' if r.n_sources == 1 else 's' }}
          {%- if r.inline %}{{ r.ev_cite }}{% endif %}</span>{% endif %}
        <br><a class="note" href="#{{ r.anchor }}">how it was checked</a></td>
    </tr>
  {% endfor %}
  </tbody>
</table>
{% endfor %}
<details id="claims-details"><summary>How each verdict was reached (readings, alternatives, values, sources)</summary>
{% for g in groups %}{% for r in g.rows %}
<div class="claim-detail" id="{{ r.anchor }}" data-claim="{{ r.id }}">
  <h4><code>{{ r.id }}</code> — <span class="verdict-badge v-{{ r.css }}">{{ r.verdict }}</span></h4>
  <p><q>{{ r.quote }}</q>{{ r.com_cite }} <span class="note">({{ r.kind }})</span></p>
  <p>Reading: {{ r.claim }}{% if r.not_checked %} <span class="note">Not checked by this reading:
    {{ r.not_checked }}</span>{% endif %}</p>
  <p>{{ r.explanation }}</p>
  {% if r.question %}<p class="note">{{ 'Closest evidence' if r.verdict == 'not checkable' and not r.settings
    else 'Question' }}: <code>{{ r.question }}</code> with {{ r.params }}
    {%- if r.where %} (see the <a href="#{{ r.where[0] }}">{{ r.where[1] }} section</a>){% endif %}.</p>{% endif %}
  {% if r.settings %}
  <table class="claims-settings">
    <thead><tr><th>Setting</th><th class="num">Weight</th><th>Parameters</th><th>Value</th><th>Outcome</th></tr>
    </thead>
    <tbody>
    {% for s in r.settings %}
      <tr><td>{{ s.label }}{% if s.reason %}<br><span class="note">{{ s.reason }}</span>{% endif %}</td>
        <td class="num">{{ s.weight }}</td><td><code>{{ s.params }}</code></td><td>{{ s.value }}{{ s.cite }}</td>
        <td>{{ s.outcome }}{% if s.error %}<br><span class="note">{{ s.error }}</span>{% endif %}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  <p class="note">Rule: {{ r.rule }}.{% if r.n_sources %} Sources of the evidence ({{ r.n_sources }}):
    {{ r.ev_cite }}.{% endif %}{% if r.data %} Data: {{ r.data|join('; ') }}.{% endif %}</p>
  {% endif %}
  {% if r.evidence %}<ul class="note">{% for e in r.evidence %}<li>{{ e }}</li>{% endfor %}</ul>{% endif %}
</div>
{% endfor %}{% endfor %}
</details>
<style>
  #bottom-line .claims-table td { font-size: .86rem; }
  #bottom-line .claims-table q { font-style: italic; }
  #bottom-line .reading { font-weight: 600; }
  #bottom-line code.claim-id { font-size: .72rem; color: var(--muted); }
  #bottom-line .verdict-badge { display: inline-block; font-size: .78rem; font-weight: 700; border-radius: 3px;
    padding: 0 .35rem; border: 1px solid currentColor; white-space: nowrap; }
  #bottom-line .robustness { font-size: .82rem; margin-left: .3rem; font-variant-numeric: tabular-nums; }
  #bottom-line .v-supported { color: #1e7d32; }
  #bottom-line .v-mostly-supported { color: #4f7d1e; }
  #bottom-line .v-mixed { color: var(--warn); }
  #bottom-line .v-mostly-unsupported { color: #b3541e; }
  #bottom-line .v-refuted { color: #a12b20; }
  #bottom-line .v-not-checkable { color: var(--muted); font-weight: 600; }
  #bottom-line .claim-detail { border-top: 1px solid var(--rule); margin-top: .8rem; }
  #bottom-line .claim-detail h4 { margin: .6rem 0 .2rem; font-size: .95rem; }
  #bottom-line .claims-settings td { font-size: .8rem; }
</style>
"""


def claims_section_for(ids: Sequence[str] | None = None,
                       sections: Sequence[str] = tuple(SECTION_ANCHORS)) -> SectionBuilder:
    """A builder of the bottom line for the claims ``ids`` (``None``: every claim, in file order), linking to the
    sections named in ``sections`` (the keys of :data:`SECTION_ANCHORS` present in the brief)."""
    chosen = resolve_claim_ids(ids)
    present = tuple(sections)

    def bottom_line(ctx: BriefContext) -> Section:
        return _build(ctx, chosen, present)

    return bottom_line


def claims_section(ctx: BriefContext) -> Section:
    """The default bottom line: every claim, every section linkable."""
    return _build(ctx, None, tuple(SECTION_ANCHORS))


def claims_jsonld(verdicts: Sequence[ClaimVerdict]) -> Markup:
    """The verdicts as one ``<script type="application/ld+json">`` block of schema.org ClaimReview objects (the
    brief carries its fact-check markup; each ``url`` is the claim's card, relative to where the workbench is
    served). ``<``, ``>`` and ``&`` are escaped as JSON unicode escapes so the block cannot end early."""
    cs = load_claims()
    docs = [claim_review(v, cs.commentary.get(v.id)) for v in verdicts]
    text = json.dumps(docs, ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup('<script type="application/ld+json" id="claimreview-jsonld">\n') + Markup(text) + \
        Markup("\n</script>")


def _build(ctx: BriefContext, ids: Sequence[str] | None, present: Sequence[str]) -> Section:
    cs = load_claims()
    verdicts = _verdicts(ids)
    groups: list[dict[str, Any]] = []
    for com in cs.commentaries:
        mine = [v for v in verdicts if v.commentary == com.id]
        if not mine:
            continue
        groups.append({"id": com.id, "title": com.title, "author": com.author, "outlet": com.outlet,
                       "date": com.date, "cite": ctx.cite([com.source]),
                       "rows": [_row(ctx, v, present, com.source) for v in mine]})
    orphans = [v for v in verdicts if v.commentary not in {g["id"] for g in groups}]
    if orphans:  # a claim with no commentary (should not happen with validated files): still shown
        groups.append({"id": "", "title": "Other claims", "author": "—", "outlet": "—", "date": "—",
                       "cite": Markup(""), "rows": [_row(ctx, v, present, None) for v in orphans]})
    if not verdicts and ids:
        raise NotFound("claim", ids[0])
    counts = {k: 0 for k in VERDICT_ORDER}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    tally = [(k, n) for k, n in counts.items() if n]
    body = Markup(_environment().from_string(TEMPLATE).render(groups=groups, tally=tally, total=len(verdicts)))
    body += claims_jsonld(verdicts)
    return Section(title="Bottom line: the commentaries' claims checked", html=body, id=ANCHOR,
                   summary="Each claim of the two commentaries with its verdict, robustness and counter-setting, "
                           "and where the evidence is.")
