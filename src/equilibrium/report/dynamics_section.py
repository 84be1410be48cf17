"""The brief's dynamics section: arms racing, forecast skill, UN alignment and a sanctions scenario, every number from
the dynamics questions (:mod:`equilibrium.questions.dynamics`) and cited.

Four parts, each built from one or more answers and each standing alone when another fails:

1. the India–Pakistan arms race (``dynamics.fit``, bilateral, levels): the military expenditure series with the
   tested break years, the Richardson estimates (reaction k, fatigue α with HAC SE and p), Granger p both ways, the
   Johansen rank, and the published findings with their verdicts;
2. forecast skill (``dynamics.backtest`` for Pakistan and India): in plain words whether each model beats a random
   walk with drift, with the MASE table;
3. alignment (``dynamics.alignment`` for Pakistan–US and Pakistan–China): the drift summary, measure by measure, and
   the published figures beside the computed ones;
4. the scenario (``dynamics.run``: :data:`SCENARIO` against :data:`COMPARE`, :data:`N_RUNS` runs): fan charts and
   the paired difference, with the scenario's sourced and assumed parameters.

The data files (SIPRI, Voeten, unvotes) are third-party and not shipped; they are looked up in
``$EQUILIBRIUM_DATA_DIR`` (or ``path``). A part whose file is absent says which file, who publishes it and how to
obtain it (:class:`~equilibrium.dynamics.data.DataFileMissing`) instead of failing. Answers are cached per process
and data folder (the four parts take about ten seconds of CPU).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from equilibrium.dynamics import alignment as _alignment
from equilibrium.dynamics.data import DataFileMissing, data_path_override, dataset_info
from equilibrium.errors import EquilibriumError
from equilibrium.questions.dynamics import dynamics_alignment, dynamics_backtest, dynamics_fit, dynamics_run
from equilibrium.report.context import BriefContext, Section
from equilibrium.report.context import environment as _environment
from equilibrium.report.context import unverified_badge as _unverified_badge
from equilibrium.report.dynamics_figures import Band, Fan, fan_figure, series_figure
from equilibrium.settings import get_settings

__all__ = ["COMPARE", "N_RUNS", "SCENARIO", "dynamics_section"]

SCENARIO = "sanctions-intensify"
"""The scenario of part 4."""
COMPARE = "baseline"
"""The scenario it is compared with (paired runs on the same seeds)."""
N_RUNS = 2_000
"""Runs of the ensemble (modest: the brief is rebuilt often; the CLI runs up to a million)."""
TARGETS = ("PAK", "IND")
"""Whose military expenditure is backtested."""
DYADS = ("PAK-USA", "PAK-CHN")
"""The alignment dyads."""
FAN_OUTPUTS: tuple[tuple[str, str, str, tuple[float, float] | None], ...] = (
    ("milex_ratio", "India / Pakistan military expenditure", "ratio (–)", None),
    ("alignment", "Pakistan's alignment", "0 = United States … 1 = China", (0.0, 1.0)),
    ("cost_pct_gdp", "Cumulative cost of sanctions to Pakistan", "% of GDP", None),
)
"""(output, title, unit, y limits) of the fan charts and the difference table."""
DIFF_YEARS_AHEAD = (5, 10, 20, 30)
"""Years after the base year at which the paired difference is tabulated."""
COUNTRY = {"CHN": "China", "IND": "India", "PAK": "Pakistan", "USA": "the United States"}
MODEL_LABEL = {"richardson": "Richardson action–reaction system", "var": "VAR(1) in growth rates",
               "arima": "ARIMA(1,1,0) with drift", "rw": "Random walk with drift"}
MODEL_WORDS = {"richardson": "the Richardson action–reaction system", "var": "a VAR(1) in growth rates",
               "arima": "ARIMA(1,1,0) with drift", "rw": "the random walk with drift"}

_CACHE: dict[tuple[str, ...], dict[str, Any]] = {}


# --- asking ---------------------------------------------------------------------------------------------------------


@dataclass
class Part:
    """One question's outcome: its answer (JSON), or the missing data file, or another error's message."""

    answer: dict[str, Any] | None = None
    missing: dict[str, Any] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.answer is not None


def _ask(name: str, fn: Callable[[dict[str, Any]], Any], params: dict[str, Any], path: Any) -> Part:
    """Ask ``fn(params)`` within the data folder ``path`` (default ``$EQUILIBRIUM_DATA_DIR``); answers are cached per
    process, question, parameters and folder."""
    folder = str(path) if path is not None else str(get_settings().data_dir)
    key = (name, json.dumps(params, sort_keys=True), folder)
    if key in _CACHE:
        return Part(answer=_CACHE[key])
    try:
        with data_path_override(path):
            ans: dict[str, Any] = fn(params).to_json()
    except DataFileMissing as exc:
        prob = exc.to_problem()
        return Part(missing={"dataset": str(prob.get("dataset", exc.dataset)), "title": str(prob.get("dataset_title")),
                             "publisher": str(prob.get("publisher")), "obtain": str(prob.get("obtain")),
                             "url": str(prob.get("url")), "message": exc.message})
    except EquilibriumError as exc:
        return Part(error=exc.message)
    _CACHE[key] = ans
    return Part(answer=ans)


# --- small renderers --------------------------------------------------------------------------------------------------


def p_text(p: float | None) -> str:
    """``p = 0.086`` / ``p < 0.001`` / ``p —``."""
    if p is None:
        return "p —"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def signed(x: float | None, digits: int = 3) -> str:
    """``+0.130`` / ``−0.070`` (a true minus sign); ``—`` for ``None``."""
    if x is None:
        return "—"
    return f"{'+' if x >= 0 else '−'}{abs(x):.{digits}f}"


def coef(fit: dict[str, Any], name: str) -> Markup:
    """``+0.130 (SE 0.074, p = 0.086)`` for the coefficient ``name`` of a Richardson fit, the value as a data
    attribute; an em dash when the equation has no such coefficient."""
    if name not in fit["params"]:
        return Markup("—")
    return Markup('<span data-coef="{}" data-value="{!r}"><strong>{}</strong> <span class="note">(SE {:.3f}, {})'
                  '</span></span>').format(name, float(fit["params"][name]), signed(fit["params"][name]),
                                           float(fit["se"][name]), p_text(fit["pvalues"][name]))


def _missing_block(ctx: BriefContext, m: dict[str, Any]) -> dict[str, Any]:
    try:
        cite = ctx.cite(dataset_info(m["dataset"]).sources)
    except EquilibriumError:
        cite = Markup("")
    return {**m, "cite": cite}


def _part_note(ctx: BriefContext, part: Part, what: str) -> Markup:
    """The sentence standing in for a part that could not be computed (the missing files, with who publishes them
    and how to obtain them, are listed at the top of the section)."""
    if part.missing is not None:
        m = part.missing
        return Markup('<p class="note dynamics-missing" data-dataset="{}">{} not computed: the {} file is not '
                      'available (published by {}; how to obtain it: see the list at the top of this section).</p>'
                      ).format(m["dataset"], what, m["title"], m["publisher"])
    return Markup('<p class="note error">{} not computed: {}</p>').format(what, part.error or "unknown error")


# --- part 1: arms race ------------------------------------------------------------------------------------------------


def _arms(ctx: BriefContext, fit: dict[str, Any], sipri: Markup) -> dict[str, Any]:
    eqs = []
    for f in fit["fits"]["fits"].values():
        eqs.append({"actor": f["actor"], "name": COUNTRY.get(f["actor"], f["actor"]), "rivals": f["rivals"],
                    "k": [Markup("k<sub>{}</sub> {}").format(r, coef(f, f"k_{r}")) for r in f["rivals"]],
                    "alpha": coef(f, "alpha" if "alpha" in f["params"] else "rho"), "n": f["n"],
                    "years": f"{f['years'][0]}–{f['years'][1]}", "r2": f"{f['r2']:.2f}", "formula": f["formula"]})
    g = fit["granger"]
    tests = {(t["cause"], t["effect"]): t for t in g["tests"]}
    ip, pi = tests.get(("IND", "PAK")), tests.get(("PAK", "IND"))
    v = fit["vecm"]
    granger = Markup("Granger causality ({} of log spending, lag {} by AIC, {}–{}, n = {}){}: India → Pakistan "
                     "<strong data-p=\"{!r}\">{}</strong> (F = {:.2f}), Pakistan → India <strong data-p=\"{!r}\">{}"
                     "</strong> (F = {:.2f}). Johansen trace test at 5 %: cointegration rank <strong data-rank=\"{}\">"
                     "{}</strong> ({}).").format(
        g["transform"], g["lag"], g["years"][0], g["years"][1], g["n"], sipri,
        float(ip["p_value"]) if ip else None, p_text(ip["p_value"] if ip else None), ip["f_stat"] if ip else 0.0,
        float(pi["p_value"]) if pi else None, p_text(pi["p_value"] if pi else None), pi["f_stat"] if pi else 0.0,
        v["rank"], v["rank"], v["note"])
    brk = []
    tested: set[int] = set()
    found: dict[int, str] = {}
    for actor, b in fit["breaks"].items():
        tested.update(int(c["year"]) for c in b["candidates"])
        for x in b["found"]:
            found[int(x["year"])] = actor
        s = b["sup_f"]
        cands = ", ".join(f"{c['year']} ({p_text(c['p_value'])})" for c in b["candidates"])
        brk.append(Markup("{} equation: sup-F {:.2f} at {} (bootstrap {}){}; break found by the data: {}; "
                          "candidate years (Chow): {}.").format(
            COUNTRY.get(actor, actor), s["f_stat"], s["year"], p_text(s["p_value"]),
            Markup(", constancy rejected") if s["rejects_constancy"] else Markup(", constancy not rejected"),
            ", ".join(str(x["year"]) for x in b["found"]) or "none", cands))
    findings = []
    for f in fit["findings"]:
        findings.append({"id": f["id"], "title": f["title"], "claim": f["claim"], "verdict": f["verdict"],
                         "cite": ctx.cite(f["sources"]),
                         "sample": {"period": None, "note": None, **(f.get("sample") or {})},
                         "checks": [{"verdict": c["verdict"], "estimate": c["estimate"].replace("_", " "),
                                     "reason": c["reason"]} for c in f["checks"]]})
    figure = Markup("")
    if ctx.figures:
        s = fit["series"]
        png = series_figure(s["years"], s["values"], tested=sorted(tested), found=found,
                            title="Military expenditure of India and Pakistan, constant 2022 US$ m")
        figure = ctx.figure(png, "Military expenditure of India and Pakistan by year, log scale, with break years",
                            Markup("Military expenditure, constant (2022) US$ m, log scale{}. Dashed: the candidate "
                                   "break years tested (fixed in advance); solid: the break the data chose in the "
                                   "equation named.").format(sipri))
    counts = {v: sum(1 for f in findings if f["verdict"] == v) for v in ("agree", "disagree", "inconclusive")}
    return {"eqs": eqs, "granger": granger, "breaks": brk, "findings": findings, "figure": figure, "counts": counts,
            "form": fit["form"], "se_kind": next(iter(fit["fits"]["fits"].values()))["se_kind"]}


# --- part 2: backtest -------------------------------------------------------------------------------------------------


def _horizons(hs: Sequence[int]) -> str:
    hs = list(hs)
    if len(hs) == 1:
        return f"{hs[0]} year ahead" if hs[0] == 1 else f"{hs[0]} years ahead"
    return f"{', '.join(str(h) for h in hs[:-1])} and {hs[-1]} years ahead"


def backtest_words(ans: dict[str, Any]) -> str:
    """Plain words: which models beat the random walk with drift at which horizons, with the MASE figures."""
    r = ans["result"]
    hs = [int(h) for h in r["horizons"]]
    mase = {(s["model"], int(s["horizon"])): float(s["mase"]) for s in r["scores"]}
    who = COUNTRY.get(ans["target"], ans["target"])
    parts = []
    for m, skill in r["skill"].items():
        good = [h for h in hs if skill.get(str(h))]
        words = MODEL_WORDS.get(m, m)
        nums = ", ".join(f"{mase[(m, h)]:.2f} vs {mase[('rw', h)]:.2f} at {h} yr" for h in (hs[0], hs[-1]))
        if not good:
            parts.append(f"{words} does not beat it at any horizon (MASE {nums})")
        elif len(good) == len(hs):
            parts.append(f"{words} beats it at every horizon (MASE {nums})")
        else:
            parts.append(f"{words} beats it only {_horizons(good)} (MASE {nums})")
    rich = r["skill"].get("richardson", {})
    verdict = ("so the arms-race model has forecasting skill" if all(rich.get(str(h)) for h in hs) else
               "so the arms-race model has no forecasting skill beyond a trend" if not any(rich.get(str(h)) for h in hs)
               else "so the arms-race model's skill is limited to some horizons")
    return (f"Forecasting {who}'s military expenditure 1–{hs[-1]} years ahead from every origin "
            f"{r['origins'][0]}–{r['origins'][1]}, against a random walk with drift: " + "; ".join(parts) +
            f"; {verdict}.")


def _backtest(ans: dict[str, Any]) -> dict[str, Any]:
    r = ans["result"]
    hs = [int(h) for h in r["horizons"]]
    by = {(s["model"], int(s["horizon"])): s for s in r["scores"]}
    rows = []
    for m in r["models"]:
        cells = []
        for h in hs:
            s = by.get((m, h))
            cells.append({"mase": f"{s['mase']:.2f}" if s else "—", "value": float(s["mase"]) if s else None,
                          "skilful": m != "rw" and bool(r["skill"].get(m, {}).get(str(h)))})
        rows.append({"model": m, "words": MODEL_LABEL.get(m, m), "cells": cells})
    return {"target": ans["target"], "name": COUNTRY.get(ans["target"], ans["target"]), "words": backtest_words(ans),
            "horizons": hs, "rows": rows, "scoring": r["scoring"]}


# --- part 3: alignment ------------------------------------------------------------------------------------------------


def _alignment_part(ctx: BriefContext, ans: dict[str, Any]) -> dict[str, Any]:
    rep = ans["report"]
    voeten = ctx.cite([*dataset_info("voeten-idealpoints").sources, *dataset_info("unvotes").sources])
    figs = {f.id: f for f in _alignment.published_figures()}
    arms_ids = [s.id for f in figs.values() if f.kind == "arms_import_share" for s in f.sources]
    lines = []
    for ln in rep["drift"]["lines"]:
        cite = ctx.cite(arms_ids) if ln["measure"] == "arms_import_share" else voeten
        lines.append({"measure": ln["measure"], "toward": ln["toward_china"], "text": ln["text"], "cite": cite})
    published = []
    for p in ans["published"]:
        f = figs.get(p["figure"])
        val = f"{100 * p['published']:.1f} %" if p["unit"] == "share" else f"{p['published']:g}"
        published.append({"id": p["figure"], "title": f.title if f else p["figure"], "value": val,
                          "stated": p["stated"], "relation": p["relation"], "unverified": p["unverified"],
                          "cite": ctx.cite([s.id for s in f.sources]) if f else Markup("")})
    return {"lines": lines, "drifting": rep["drift"]["drifting"], "not_drifting": rep["drift"]["not_drifting"],
            "notes": rep["drift"]["notes"], "published": published, "voeten": voeten,
            "versions": [rep["idealpoint_version"], rep["votes_version"]],
            "window": f"{rep['window'][0]}–{rep['window'][1] or 'the data’s last year'}"}


# --- part 4: scenario -------------------------------------------------------------------------------------------------


def _scenario(ctx: BriefContext, ans: dict[str, Any]) -> dict[str, Any]:
    e = ans["ensemble"]
    comp = ans["comparison"]
    params = ans["scenario_parameters"]
    sourced = [{"name": k, "cite": ctx.cite(v["sources"]), "note": v.get("note") or "",
                "value": _param_value(v), "unit": "" if v.get("unit") in (None, "-") else v["unit"]}
               for k, v in params["parameters"].items() if isinstance(v, dict) and v.get("sources")
               and not v.get("assumed")]
    assumed = [k for k, v in params["parameters"].items() if isinstance(v, dict) and v.get("assumed")]
    years = [int(y) for y in e["years"]]
    fans = []
    for key, title, unit, ylim in FAN_OUTPUTS:
        o = e["outputs"].get(key)
        if o is None:
            continue
        base = None
        if comp is not None:
            a = comp["fans_a"][key]
            base = Band(comp["a"], a["p5"], a["p50"], a["p95"])
        fans.append(Fan(title, unit, years, Band(ans["scenario"], o["p5"], o["p50"], o["p95"]), base, ylim))
    figure = Markup("")
    if ctx.figures and fans:
        png = fan_figure(fans, title=f"{params['title']} against {comp['a'] if comp else 'nothing'}: "
                                     f"{e['n_runs']:,} runs, P5–P95 and median")
        figure = ctx.figure(png, "Fan charts of the scenario against the baseline",
                            Markup("P5–P95 band and median per year over {:,} runs (seed {}) of the scenario "
                                   "(colour) and of {} (grey, dashed), {}–{}. Coefficients: bootstrap draws of the "
                                   "Richardson fits on SIPRI military expenditure{}; the other parameters as listed "
                                   "below.").format(e["n_runs"], e["seed"], comp["a"] if comp else "—", years[0],
                                                    years[-1], ctx.cite(dataset_info("sipri-milex").sources)))
    diff = []
    picks = [i - 1 for i in DIFF_YEARS_AHEAD if 0 < i <= len(years)]
    if comp is not None:
        for key, title, unit, _ in FAN_OUTPUTS:
            d = comp["difference"].get(key)
            if d is None:
                continue
            digits = 2 if key == "cost_pct_gdp" else 3
            diff.append({"key": key, "title": title, "unit": unit, "cells": [
                {"year": years[i], "value": float(d["p50"][i]), "text": signed(d["p50"][i], digits),
                 "ci": f"{signed(d['p50_lo95'][i], digits)} to {signed(d['p50_hi95'][i], digits)}"} for i in picks]})
    last = len(years) - 1
    headline = Markup("")
    if comp is not None and "cost_pct_gdp" in comp["difference"] and "alignment" in comp["difference"]:
        c, a = comp["difference"]["cost_pct_gdp"], comp["difference"]["alignment"]
        r = comp["difference"].get("milex_ratio")
        headline = Markup("By {}, the paired median difference ({} − {}) is <strong data-output=\"cost_pct_gdp\">{} "
                          "% of GDP</strong> in the cumulative cost of sanctions to Pakistan (95 % interval of the "
                          "median {} to {}), <strong data-output=\"alignment\">{}</strong> in Pakistan's alignment "
                          "toward China on the 0–1 index ({} to {}){}.").format(
            years[last], comp["b"], comp["a"], signed(c["p50"][last], 2), signed(c["p50_lo95"][last], 2),
            signed(c["p50_hi95"][last], 2), signed(a["p50"][last]), signed(a["p50_lo95"][last]),
            signed(a["p50_hi95"][last]),
            Markup(" and {} in the India / Pakistan expenditure ratio ({} to {})").format(
                signed(r["p50"][last]), signed(r["p50_lo95"][last]), signed(r["p50_hi95"][last])) if r else "")
    return {"title": params["title"], "description": params["description"], "figure": figure, "diff": diff,
            "diff_years": [years[i] for i in picks], "headline": headline, "sourced": sourced, "assumed": assumed,
            "n_runs": e["n_runs"], "seed": e["seed"], "compare": comp["a"] if comp else None,
            "notes": [n for n in ans["notes"] if not n.startswith("Assumed")]}


def _param_value(v: dict[str, Any]) -> str:
    if v.get("value") is not None:
        return f"{v['value']:g}"
    return f"{v.get('min', 0):g}–{v.get('max', 0):g}"


# --- the section --------------------------------------------------------------------------------------------------


@dataclass
class _Parts:
    fit: Part
    backtests: list[Part] = field(default_factory=list)
    alignment: Part = field(default_factory=Part)
    run: Part = field(default_factory=Part)


def ask_all(path: Any = None, n_runs: int = N_RUNS) -> _Parts:
    """The answers the section rests on (each a :class:`Part`)."""
    return _Parts(
        fit=_ask("fit", dynamics_fit, {"system": "bilateral", "form": "levels"}, path),
        backtests=[_ask("backtest", dynamics_backtest, {"target": t}, path) for t in TARGETS],
        alignment=_ask("alignment", dynamics_alignment, {"dyads": list(DYADS)}, path),
        run=_ask("run", dynamics_run, {"scenario": SCENARIO, "n_runs": n_runs, "compare_with": COMPARE}, path))


TEMPLATE = """\
<p class="lead">Is there an India–Pakistan arms race, can it forecast spending, is Pakistan drifting toward China in the
  UN General Assembly, and what would broader US sanctions change? The estimates below are computed by Equilibrium from
  the SIPRI military expenditure data{{ sipri }} and the UNGA voting data{{ voeten }}, and set beside the published
  findings; the scenario is a model whose parameters are sourced where a source gives them and marked as assumed
  otherwise.</p>
{% if missing %}
<div class="dynamics-missing">
<p class="note">{{ missing|length }} data file{{ '' if missing|length == 1 else 's' }} not available
  {%- if data_dir %} in <code>{{ data_dir }}</code>{% else %} (EQUILIBRIUM_DATA_DIR is not set){% endif %}. The product
  cannot redistribute them; to include the parts below that need them, obtain them as follows and set
  <code>EQUILIBRIUM_DATA_DIR</code> to the folder holding them:</p>
<ul id="dynamics-missing">
  {% for m in missing %}
  <li data-dataset="{{ m.dataset }}"><strong>{{ m.title }}</strong>{{ m.cite }}: published by {{ m.publisher }};
    {{ m.obtain }} (<a href="{{ m.url }}">{{ m.url }}</a>).</li>
  {% endfor %}
</ul>
</div>
{% endif %}

<h3>Arms racing: India and Pakistan</h3>
{% if arms %}
{{ arms.figure }}
<table id="dynamics-fits" class="evidence-table">
  <thead><tr><th>Equation: yearly change in log spending</th><th>Reaction to the rival, k</th>
    <th>{{ 'Fatigue α' if arms.form == 'levels' else 'Persistence ρ' }}</th><th>n, years, R²</th></tr></thead>
  <tbody>
  {% for e in arms.eqs %}
    <tr data-actor="{{ e.actor }}"><td><strong>{{ e.name }}</strong>
      {%- if e.rivals %} ← {{ e.rivals|join(', ') }}{% endif %}{{ sipri }}</td>
      <td>{% for k in e.k %}{{ k }}{{ '<br>'|safe if not loop.last else '' }}{% else %}—{% endfor %}</td>
      <td>{{ e.alpha }}</td><td>{{ e.n }}, {{ e.years }}, {{ e.r2 }}</td></tr>
  {% endfor %}
  </tbody>
</table>
<p class="note">Richardson equations in the {{ arms.form }} form on log military expenditure (constant 2022 US$):
  {{ arms.eqs[0].formula }}. Standard errors: {{ arms.se_kind }}.</p>
<p id="dynamics-tests">{{ arms.granger }}</p>
<ul id="dynamics-breaks">{% for b in arms.breaks %}<li>{{ b }}</li>{% endfor %}</ul>

<h4>Published findings against these estimates</h4>
<p>{{ arms.findings|length }} published findings: {{ arms.counts.agree }} agree, {{ arms.counts.disagree }} disagree and
  {{ arms.counts.inconclusive }} are inconclusive with the estimates above (a test at p &lt; 0.05 agrees or disagrees;
  0.05–0.1 is inconclusive). The authors' samples differ from ours, as noted.</p>
<table id="dynamics-findings" class="evidence-table">
  <thead><tr><th style="width:32%">Published finding</th><th style="width:11%">Verdict</th><th>Checks against our
    estimates</th></tr></thead>
  <tbody>
  {% for f in arms.findings %}
    <tr data-finding="{{ f.id }}" data-verdict="{{ f.verdict }}"><td><strong>{{ f.title }}</strong>{{ f.cite }}
      <br><span class="note">Claim: {{ f.claim }}.
      {%- if f.sample.period %} Sample {{ f.sample.period }}.{% endif %}
      {%- if f.sample.note %} {{ f.sample.note }}{% endif %}</span></td>
      <td><span class="verdict {{ f.verdict }}">{{ f.verdict }}</span></td>
      <td><ul class="checks">{% for c in f.checks %}<li>{{ c.estimate }}: {{ c.verdict }} ({{ c.reason }})</li>
        {% endfor %}</ul></td></tr>
  {% endfor %}
  </tbody>
</table>
{% else %}
{{ arms_note }}
{% endif %}

<h3>Forecast skill</h3>
{% for b in backtests %}
{% if b.ok %}
<p class="dynamics-backtest-words" data-target="{{ b.target }}">{{ b.words }}{{ sipri }}</p>
<table class="evidence-table compact dynamics-backtest" data-target="{{ b.target }}">
  <thead><tr><th>{{ b.name }}: MASE (lower is better)</th>{% for h in b.horizons %}<th class="num">{{ h }} yr</th>
    {% endfor %}</tr></thead>
  <tbody>
  {% for r in b.rows %}
    <tr data-model="{{ r.model }}"><td>{{ r.words }}</td>{% for c in r.cells %}
      <td class="num{{ ' skilful' if c.skilful else '' }}" data-mase="{{ c.value }}">{{ c.mase }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
{% else %}
{{ b.note }}
{% endif %}
{% endfor %}
{% if backtests and backtests[0].ok %}
<p class="note">Shaded: the model beats the random walk with drift at that horizon. {{ backtests[0].scoring }}.</p>
{% endif %}

<h3>Alignment: is Pakistan drifting toward China?</h3>
{% if align %}
<p>Measures drifting toward China ({{ align.window }}): <strong>{{ align.drifting|join(', ') or 'none' }}</strong>; not
  drifting: <strong>{{ align.not_drifting|join(', ') or 'none' }}</strong>.</p>
<ul id="dynamics-drift">
  {% for l in align.lines %}<li data-measure="{{ l.measure }}" data-toward="{{ 'true' if l.toward else 'false' }}">
    {{ l.text }}{{ l.cite }}</li>{% endfor %}
</ul>
{% for n in align.notes %}<p class="note">{{ n }}</p>{% endfor %}
{% if align.published %}
<h4>Published figures beside the computed ones</h4>
<ul id="dynamics-published">
  {% for p in align.published %}<li data-figure="{{ p.id }}"><strong>{{ p.title }}</strong>{{ p.cite }}
    {%- if p.unverified %}{{ unverified }}{% endif %}: published {{ p.value }} (“{{ p.stated }}”). {{ p.relation }}</li>
  {% endfor %}
</ul>
{% endif %}
<p class="note">Data: {{ align.versions|join('; ') }}{{ align.voeten }}.</p>
{% else %}
{{ align_note }}
{% endif %}

<h3>Scenario: {{ scen.title if scen else scenario }}</h3>
{% if scen %}
<p>{{ scen.description }} {{ scen.headline }}</p>
{{ scen.figure }}
{% if scen.diff %}
<table id="dynamics-diff" class="evidence-table compact">
  <thead><tr><th>Paired median difference, {{ scenario }} − {{ scen.compare }} (95 % interval of the median)</th>
    {% for y in scen.diff_years %}<th class="num">{{ y }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for d in scen.diff %}
    <tr data-output="{{ d.key }}"><td>{{ d.title }} <span class="note">({{ d.unit }})</span></td>{% for c in d.cells %}
      <td class="num" data-year="{{ c.year }}" data-value="{{ c.value }}">{{ c.text }}<br><span class="note">{{ c.ci }}
      </span></td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
{% endif %}
<p class="note">{{ scen.n_runs }} runs, seed {{ scen.seed }}; each run draws the reaction coefficients from the
  bootstrap of the fits and one noise path, and the compared scenario reuses the same seeds. {{ scen.notes|join(' ') }}
</p>
<p>Sourced parameters:</p>
<ul id="dynamics-sourced">{% for p in scen.sourced %}<li><code>{{ p.name }}</code> {{ p.value }} {{ p.unit }}
  {{- p.cite }}{% if p.note %}: {{ p.note }}{% endif %}</li>{% endfor %}</ul>
<p class="note">Assumed (no source gives them; the scenario file says why for each): {{ scen.assumed|join(', ') }}.</p>
{% else %}
{{ run_note }}
{% endif %}
<style>
  #dynamics .evidence-table td, #dynamics .evidence-table th { font-size: .84rem; }
  #dynamics table.compact td { padding: .2rem .4rem; font-size: .8rem; }
  #dynamics td.skilful { background: #dcefe1; font-weight: 700; }
  #dynamics .verdict { font-weight: 700; text-transform: uppercase; font-size: .72rem; }
  #dynamics .verdict.agree { color: #1e5b2e; } #dynamics .verdict.disagree { color: #8c2a0e; }
  #dynamics .verdict.inconclusive { color: #7a5200; }
  #dynamics ul.checks { margin: 0; padding-left: 1rem; }
</style>
"""


def dynamics_section(ctx: BriefContext, path: Any = None) -> Section:
    """Build the dynamics section from the data files in ``path`` (default ``$EQUILIBRIUM_DATA_DIR``)."""
    parts = ask_all(path)
    sipri = ctx.cite(dataset_info("sipri-milex").sources)
    voeten = ctx.cite([*dataset_info("voeten-idealpoints").sources, *dataset_info("unvotes").sources])
    missing: dict[str, dict[str, Any]] = {}
    for p in (parts.fit, *parts.backtests, parts.alignment, parts.run):
        if p.missing is not None:
            missing.setdefault(p.missing["dataset"], _missing_block(ctx, p.missing))
    arms = _arms(ctx, parts.fit.answer, sipri) if parts.fit.answer is not None else None
    backtests = []
    notes: set[str] = set()
    for p in parts.backtests:
        if p.answer is not None:
            backtests.append({"ok": True, **_backtest(p.answer)})
        elif (note := _part_note(ctx, p, "The backtest was")) not in notes:  # once when both fail alike
            notes.add(note)
            backtests.append({"ok": False, "note": note})
    align = _alignment_part(ctx, parts.alignment.answer) if parts.alignment.answer is not None else None
    scen = _scenario(ctx, parts.run.answer) if parts.run.answer is not None else None
    data_dir = str(path) if path is not None else (str(get_settings().data_dir) if get_settings().data_dir else None)
    body = Markup(_environment().from_string(TEMPLATE).render(
        sipri=sipri, voeten=voeten, missing=list(missing.values()), data_dir=data_dir, arms=arms,
        arms_note=_part_note(ctx, parts.fit, "The arms-race estimates were"), backtests=backtests, align=align,
        align_note=_part_note(ctx, parts.alignment, "The alignment measures were"), scen=scen,
        run_note=_part_note(ctx, parts.run, "The scenario ensemble was"), scenario=SCENARIO,
        unverified=_unverified_badge()))
    return Section(title="Dynamics: arms racing, alignment and a sanctions scenario", html=body, id="dynamics",
                   summary="Richardson fits of Indian and Pakistani military spending beside the published findings, "
                           "their forecast skill, Pakistan's UNGA alignment with the US and China, and the "
                           "sanctions-intensify scenario against the baseline.")
