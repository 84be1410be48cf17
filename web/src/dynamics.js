// The dynamics panel: the South Asian strategic order as data (SIPRI military expenditure, Voeten UNGA ideal points
// and votes), the estimated arms-race relationships, their forecast skill and scenario ensembles.
//
// Loaded lazily: nothing is asked until #dynamics-load is pressed (each part is a few seconds of server time). Then
// four independent parts, each with its own note when it fails:
// * fit (GET /api/dynamics/fit?system=&form=): the military expenditure series (log scale) with the tested break
//   years marked, the Richardson fits (k, α or ρ with HAC SE and p), Granger p both ways, the Johansen VECM rank, and
//   the published findings with their verdicts (agree / disagree / inconclusive) and sources;
// * backtest (GET /api/dynamics/backtest?target=PAK|IND): MASE per horizon per model, cells where a model beats the
//   random walk with drift highlighted;
// * alignment (GET /api/dynamics/alignment?dyads=PAK-USA&dyads=PAK-CHN): ideal-point distance and vote coincidence
//   per year, the drift summary, the published figures;
// * run (POST /api/dynamics/run): fan charts (P5/P50/P95 per year) of the expenditure ratio, Pakistan's alignment and
//   the sanctions cost for a scenario beside the compared one (baseline), and the paired difference.
//
// Missing data files answer 503 problem+json (code data-file-missing): the part shows who publishes the file and how
// to obtain it. #dynamics-status reads "idle", "loading", "ready" (every part answered, some perhaps with a note),
// "working" while a part reloads, "updated" after. #dynamics carries data-ready="true" once every part answered and
// data-fit/-backtest/-alignment/-run = "ready" | "missing" | "error" | "loading"; tables and charts carry data-rows.
import "./dynamics.css";
import { getJSON, postJSON, esc, showProblem, ApiError } from "./api.js";
import { writeHash, panelParams, onPanelHash, setSelect, one } from "./urlstate.js";

const $ = (sel) => document.querySelector(sel);
const COUNTRY = { CHN: "China", IND: "India", PAK: "Pakistan", USA: "United States" };
const COLOUR = { CHN: "#c0392b", IND: "#d97706", PAK: "#15803d" };
const DYAD_COLOUR = { "PAK-USA": "#2b6cb0", "PAK-CHN": "#c0392b" };
const SCEN = "#b4441f";
const BASE = "#5d6675";
const MODEL_LABEL = { richardson: "Richardson system", var: "VAR(1) in growth", arima: "ARIMA(1,1,0)",
  rw: "Random walk with drift" };
const FAN_OUTPUTS = ["milex_ratio", "alignment", "cost_pct_gdp"];
const FAN_TITLE = { milex_ratio: "India / Pakistan military expenditure", alignment: "Pakistan's alignment (0 US … 1 China)",
  cost_pct_gdp: "Cumulative cost of sanctions (% of GDP)" };

const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "—" : Number(x).toFixed(d));
const fmtP = (p) => (p === null || p === undefined ? "—" : p < 0.001 ? "< 0.001" : p.toFixed(3));
const fmtInt = (x) => (x === null || x === undefined ? "—" : Math.round(x).toLocaleString("en"));
const pct = (x, d = 1) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(d)} %`);
const signed = (x, d = 2) => (x === null || x === undefined ? "—" : `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(d)}`);
const isMissing = (err) => err instanceof ApiError && err.problem?.code === "data-file-missing";

export function initDynamics() {
  const root = $("#dynamics");
  if (!root) return;
  const st = { loaded: false, sources: new Map(), fit: null, backtest: null, alignment: null, run: null, ids: {} };

  const setStatus = (t) => {
    $("#dynamics-status").textContent = t;
  };
  const busy = (on, text = "Computing…") => {
    $("#dynamics-busy").hidden = !on;
    $("#dynamics-busy-text").textContent = text;
  };

  // ------------------------------------------------------------------------------------------------ citations
  async function loadSources() {
    if (st.sources.size) return;
    try {
      const res = await getJSON("sources");
      for (const s of res.sources) st.sources.set(s.id, s);
    } catch {
      // the ids are shown as they are
    }
  }

  function cite(ids) {
    return (ids || []).map((raw) => {
      const id = typeof raw === "string" ? raw : raw.id;
      const s = st.sources.get(id);
      const title = s ? esc(s.title || id) : esc(id);
      const by = s ? [s.author || s.publisher, s.date].filter(Boolean).map(esc).join(", ") : "";
      const link = s?.url ? `<a href="${esc(s.url)}" target="_blank" rel="noopener">${title}</a>` : title;
      const loc = typeof raw === "object" && raw.locator ? ` <span class="k">(${esc(raw.locator)})</span>` : "";
      return `<li data-source="${esc(id)}">${by ? `${by}: ` : ""}${link}${loc} <code class="k">${esc(id)}</code></li>`;
    }).join("");
  }

  // ------------------------------------------------------------------------------------------ failure notes
  function missingNote(p) {
    const names = (p.usual_names || []).map((n) => `<code>${esc(n)}</code>`).join(" or ");
    const url = p.url ? ` (<a href="${esc(p.url)}" target="_blank" rel="noopener">${esc(p.url)}</a>)` : "";
    return `<div class="ev-missing dyn-missing" data-dataset="${esc(p.dataset)}"><p><strong>` +
      `${esc(p.dataset_title || p.dataset)}: data file not found.</strong> It is not shipped with Equilibrium: it is ` +
      `published by ${esc(p.publisher)}${url}. To obtain it: ${esc(p.obtain)}.${names ? ` Save it as ${names}` : ""} in ` +
      `the folder named by <code>EQUILIBRIUM_DATA_DIR</code>${p.data_dir ? ` (now <code>${esc(p.data_dir)}</code>)` :
        " (not set)"} and reload.</p></div>`;
  }

  function failure(err) {
    if (isMissing(err)) return missingNote(err.problem);
    const p = err instanceof ApiError ? err.problem : { title: "Error", detail: String(err?.message || err) };
    return `<div class="error">${`<strong>${esc(p.title || "Error")}</strong>: ${esc(p.detail || "")}`}</div>`;
  }

  /** Run one part: mark it loading, draw its answer, or put the failure note in ``box``. */
  async function part(name, box, fn) {
    const id = (st.ids[name] || 0) + 1;
    st.ids[name] = id;
    root.dataset[name] = "loading";
    try {
      await fn(() => id === st.ids[name]);
      if (id === st.ids[name]) root.dataset[name] = "ready";
    } catch (err) {
      if (id !== st.ids[name]) return;
      root.dataset[name] = isMissing(err) ? "missing" : "error";
      box.innerHTML = failure(err);
      box.hidden = false;
      if (!isMissing(err)) console.error(err); // eslint-disable-line no-console
    }
  }

  // ---------------------------------------------------------------------------------------------- part: fit
  function breakMarks(res) {
    // the tested years: the literature's candidate years (fixed in advance) and the breaks the data chose, per equation
    const tested = new Map();
    const found = [];
    for (const [actor, b] of Object.entries(res.breaks || {})) {
      for (const c of b.candidates || []) {
        const t = tested.get(c.year) || { year: c.year, lines: [] };
        t.lines.push(`${actor} equation: Chow p = ${fmtP(c.p_value)}`);
        tested.set(c.year, t);
      }
      for (const f of b.found || []) found.push({ year: f.year, actor, p: f.p_value, supf: b.sup_f });
    }
    return { tested: [...tested.values()], found };
  }

  async function drawSeries(res) {
    const Plot = await import("@observablehq/plot");
    const box = $("#dynamics-series");
    const rows = [];
    for (const [iso, vals] of Object.entries(res.series.values)) {
      res.series.years.forEach((y, i) => {
        if (vals[i] !== null && vals[i] > 0) rows.push({ iso, year: y, v: vals[i] });
      });
    }
    const { tested, found } = breakMarks(res);
    const years = res.series.years;
    const width = Math.max(420, Math.min(box.clientWidth || 700, 900));
    const chart = Plot.plot({
      width,
      height: 300,
      marginLeft: 62,
      marginRight: 44,
      marginTop: 22,
      style: { fontSize: "12px", background: "transparent", overflow: "visible" },
      x: { domain: [years[0], years[years.length - 1]], tickFormat: (d) => String(d), label: null },
      y: { type: "log", grid: true, label: null, tickFormat: "~s" },
      color: { domain: Object.keys(COLOUR), range: Object.values(COLOUR) },
      marks: [
        Plot.ruleX(tested, { x: "year", stroke: "#7b8594", strokeDasharray: "4 3", strokeWidth: 1,
          title: (t) => `${t.year}: candidate break year tested\n${t.lines.join("\n")}` }),
        Plot.text(tested, { x: "year", frameAnchor: "top", dy: -12, text: (t) => String(t.year), fill: "#5d6675",
          fontSize: 10 }),
        Plot.ruleX(found, { x: "year", stroke: (f) => COLOUR[f.actor] || "#333", strokeWidth: 2,
          title: (f) => `${f.year}: break found in the ${f.actor} equation (ruptures PELT), Chow p = ${fmtP(f.p)} ` +
            `(nominal)\nsup-F ${fmt(f.supf?.f_stat)} at ${f.supf?.year}, bootstrap p = ${fmtP(f.supf?.p_value)}` }),
        Plot.text(found, { x: "year", frameAnchor: "bottom", dy: -4, dx: 4, textAnchor: "start",
          text: (f) => `break ${f.actor} ${f.year}`, fill: (f) => COLOUR[f.actor] || "#333", fontWeight: 700,
          fontSize: 10.5 }),
        Plot.line(rows, { x: "year", y: "v", stroke: "iso", strokeWidth: 2 }),
        Plot.text(rows, Plot.selectLast({ x: "year", y: "v", z: "iso", text: "iso", fill: "iso", dx: 5,
          textAnchor: "start", fontWeight: 700 })),
        Plot.dot(rows, Plot.pointerX({ x: "year", y: "v", stroke: "iso", r: 3.5,
          title: (r) => `${COUNTRY[r.iso]} ${r.year}: US$ ${fmtInt(r.v)} m (constant 2022)` })),
      ],
    });
    chart.classList.add("dyn-plot");
    chart.setAttribute("aria-label", "Military expenditure by year, log scale, with the tested break years");
    box.innerHTML = "";
    box.append(chart);
    box.dataset.rows = String(rows.length);
    $("#dynamics-series-title").textContent = `Military expenditure ${Object.keys(res.series.values).join(", ")} ` +
      `${years[0]}–${years[years.length - 1]} (US$ m, constant 2022, log scale)`;
    $("#dynamics-series-legend").innerHTML = Object.keys(res.series.values).map((iso) =>
      `<span class="item"><svg width="22" height="6"><line x1="0" y1="3" x2="22" y2="3" stroke="${COLOUR[iso]}" ` +
      `stroke-width="2"/></svg> ${esc(COUNTRY[iso])}</span>`).join("") +
      '<span class="item"><svg width="8" height="14"><line x1="4" y1="0" x2="4" y2="14" stroke="#7b8594" ' +
      'stroke-dasharray="4 3"/></svg> candidate break year (Chow test, fixed in advance)</span>' +
      '<span class="item"><svg width="8" height="14"><line x1="4" y1="0" x2="4" y2="14" stroke="#333" ' +
      'stroke-width="2"/></svg> break found by the data (colour: the equation)</span>';
    const sipri = (res.defaults || []).find((d) => d.name === "data:SIPRI milex");
    $("#dynamics-series-note").innerHTML = `Source: SIPRI Military Expenditure Database${sipri ? ` (<code>` +
      `${esc(sipri.value)}</code>; ${esc(sipri.note || "")})` : ""}. Hover a line for the year's figure, a rule for ` +
      "the tests.";
  }

  function coefCell(fit, name) {
    if (!(name in fit.params)) return "—";
    const p = fit.pvalues[name];
    const strong = p !== null && p < 0.05;
    return `<span class="num${strong ? " sig" : ""}">${signed(fit.params[name], 3)}</span> ` +
      `<span class="k">(${fmt(fit.se[name], 3)}, p ${fmtP(p)})</span>`;
  }

  function drawFits(res) {
    const body = $("#dynamics-fits tbody");
    const fits = Object.values(res.fits.fits);
    const own = res.form === "differences" ? "rho" : "alpha";
    $("#dynamics-fits thead").innerHTML = `<tr><th>Equation (log spending)</th><th>Reaction k (SE, p)</th>` +
      `<th>${own === "rho" ? "Persistence ρ" : "Fatigue α"} (SE, p)</th><th>n, years, R²</th></tr>`;
    body.innerHTML = fits.map((f) => {
      const ks = f.rivals.length ? f.rivals.map((r) => `<div>k<sub>${esc(r)}</sub> ${coefCell(f, `k_${r}`)}</div>`).join("")
        : '<span class="muted">no rival (own trend)</span>';
      return `<tr data-actor="${esc(f.actor)}" title="${esc(f.formula)}"><th>${esc(COUNTRY[f.actor] || f.actor)}` +
        `${f.rivals.length ? ` <span class="k">← ${esc(f.rivals.join(", "))}</span>` : ""}</th><td>${ks}</td>` +
        `<td>${coefCell(f, own)}</td><td class="k">${f.n}, ${f.years[0]}–${f.years[1]}, R² ${fmt(f.r2, 2)}</td></tr>`;
    }).join("");
    $("#dynamics-fits").dataset.rows = String(fits.length);
    const g = res.granger;
    const gt = (c, e) => g.tests.find((t) => t.cause === c && t.effect === e);
    const ip = gt("IND", "PAK");
    const pi = gt("PAK", "IND");
    const v = res.vecm;
    $("#dynamics-tests").innerHTML =
      `<dt>Granger India → Pakistan</dt><dd><span class="num" data-p="${ip?.p_value}">p ${fmtP(ip?.p_value)}</span> ` +
      `<span class="k">F ${fmt(ip?.f_stat)}, ${ip?.rejects_no_causality ? "causality detected" : "none detected"}</span></dd>` +
      `<dt>Granger Pakistan → India</dt><dd><span class="num" data-p="${pi?.p_value}">p ${fmtP(pi?.p_value)}</span> ` +
      `<span class="k">F ${fmt(pi?.f_stat)}, ${pi?.rejects_no_causality ? "causality detected" : "none detected"}</span></dd>` +
      `<dt>VECM (Johansen) rank</dt><dd><span class="num">${v.rank}</span> <span class="k">${esc(v.note || "")}</span></dd>`;
    $("#dynamics-fit-note").innerHTML = `Richardson equations on log spending, ${esc(res.form)} form, HAC standard ` +
      `errors (${esc(fits[0]?.se_kind || "")}); unit: ${esc(fits[0]?.unit || "")}. Granger: ${esc(g.transform)}, lag ` +
      `${g.lag} (${esc(g.lag_selection)}), n ${g.n}, ${g.years[0]}–${g.years[1]}. VECM: ${esc(v.rank_test)}, ` +
      `${v.k_ar_diff} lagged differences, ${v.years[0]}–${v.years[1]}. Bold: p &lt; 0.05.`;
  }

  function drawFindings(res) {
    const body = $("#dynamics-findings tbody");
    body.innerHTML = res.findings.map((f) => {
      const checks = (f.checks || []).map((c) => `<li><span class="verdict ${esc(c.verdict)}">${esc(c.verdict)}</span> ` +
        `${esc(c.estimate.replace("_", " "))}: ${esc(c.reason)}</li>`).join("");
      const sample = [f.sample?.period, f.sample?.data].filter(Boolean).map(esc).join("; ");
      return `<tr data-id="${esc(f.id)}" data-verdict="${esc(f.verdict)}"><td><strong>${esc(f.title)}</strong>` +
        `<div class="k">${esc(f.claim)}${sample ? ` · ${sample}` : ""}</div>` +
        `${f.sample?.note ? `<div class="k">${esc(f.sample.note)}</div>` : ""}</td>` +
        `<td><span class="verdict ${esc(f.verdict)}">${esc(f.verdict)}</span></td>` +
        `<td><ul class="checks">${checks}</ul></td><td><ul class="refs">${cite(f.sources)}</ul></td></tr>`;
    }).join("");
    $("#dynamics-findings").dataset.rows = String(res.findings.length);
    const n = (v) => res.findings.filter((f) => f.verdict === v).length;
    $("#dynamics-findings-note").textContent = `${res.findings.length} published findings: ${n("agree")} agree, ` +
      `${n("disagree")} disagree, ${n("inconclusive")} inconclusive with these estimates (p < 0.05 agrees or ` +
      "disagrees; 0.05–0.1 is inconclusive). The samples differ from the authors' (see each finding).";
  }

  async function loadFit() {
    const box = $("#dynamics-series");
    await part("fit", box, async (current) => {
      box.innerHTML = '<p class="muted">Estimating…</p>';
      $("#dynamics-fits tbody").innerHTML = "";
      $("#dynamics-findings tbody").innerHTML = "";
      const res = await getJSON("dynamics/fit", { system: $("#dynamics-system").value, form: $("#dynamics-form").value });
      if (!current()) return;
      st.fit = res;
      await loadSources();
      drawFits(res);
      drawFindings(res);
      await drawSeries(res);
    });
    if (root.dataset.fit !== "ready") {
      $("#dynamics-fits").dataset.rows = "0";
      $("#dynamics-findings").dataset.rows = "0";
      $("#dynamics-fit-note").textContent = "No fit: see the note in the chart's place.";
      $("#dynamics-findings-note").textContent = "The findings are compared once the fit is computed.";
    }
  }

  // ----------------------------------------------------------------------------------------- part: backtest
  function drawBacktest(res) {
    const r = res.result;
    const table = $("#dynamics-backtest");
    const hs = r.horizons;
    const by = new Map(r.scores.map((s) => [`${s.model}:${s.horizon}`, s]));
    const models = Object.keys(r.models);
    table.querySelector("thead").innerHTML = `<tr><th>Model (MASE, lower is better)</th>` +
      `${hs.map((h) => `<th class="h">${h} yr ahead</th>`).join("")}</tr>`;
    table.querySelector("tbody").innerHTML = models.map((m) => {
      const cells = hs.map((h) => {
        const s = by.get(`${m}:${h}`);
        const skil = m !== "rw" && r.skill?.[m]?.[String(h)];
        return `<td class="num${skil ? " skilful" : ""}${m === "rw" ? " ref" : ""}" data-model="${esc(m)}" ` +
          `data-horizon="${h}" data-mase="${s?.mase ?? ""}" title="MAPE ${fmt(s?.mape_pct, 1)} %, relative MASE ` +
          `${fmt(s?.relative_mase)}, n ${s?.n ?? "—"}${skil ? ": beats the random walk" : ""}">${fmt(s?.mase)}</td>`;
      }).join("");
      return `<tr data-model="${esc(m)}"><th title="${esc(r.models[m])}">${esc(MODEL_LABEL[m] || m)}</th>${cells}</tr>`;
    }).join("");
    table.dataset.rows = String(models.length);
    table.dataset.target = res.target;
    $("#dynamics-backtest-note").innerHTML = `<span class="skilful-key">highlighted</span>: beats the random walk with ` +
      `drift at that horizon. ${esc(res.summary)} <span class="k">Origins ${r.origins[0]}–${r.origins[1]}; ` +
      `${esc(r.scoring)}. Data: SIPRI military expenditure.</span>`;
  }

  async function loadBacktest() {
    const box = $("#dynamics-backtest-note");
    await part("backtest", box, async (current) => {
      $("#dynamics-backtest tbody").innerHTML = '<tr><td class="muted">Backtesting…</td></tr>';
      box.textContent = "";
      const res = await getJSON("dynamics/backtest", { target: $("#dynamics-target").value });
      if (!current()) return;
      st.backtest = res;
      drawBacktest(res);
    });
    if (root.dataset.backtest !== "ready") {
      $("#dynamics-backtest tbody").innerHTML = "";
      $("#dynamics-backtest").dataset.rows = "0";
    }
  }

  // ---------------------------------------------------------------------------------------- part: alignment
  async function drawAlignment(res) {
    const Plot = await import("@observablehq/plot");
    const rep = res.report;
    const dist = [];
    for (const [dy, d] of Object.entries(rep.distances)) {
      for (const r of d.rows) dist.push({ dyad: dy, year: r.year, v: r.distance, lo: r.low, hi: r.high });
    }
    const agree = [];
    for (const [dy, d] of Object.entries(rep.agreement)) {
      for (const r of d.rows) if (r.coincidence !== null) agree.push({ dyad: dy, year: Number(r.period), v: r.coincidence, n: r.n_common });
    }
    const color = { domain: Object.keys(DYAD_COLOUR), range: Object.values(DYAD_COLOUR) };
    const start = rep.window[0];
    const boxD = $("#dynamics-distance");
    const boxC = $("#dynamics-coincidence");
    const w = Math.max(300, Math.min(boxD.clientWidth || 420, 640));
    const common = { width: w, height: 240, marginLeft: 46, marginRight: 60, marginTop: 26,
      style: { fontSize: "11.5px", background: "transparent", overflow: "visible" }, color };
    const startRule = Plot.ruleX([start], { stroke: "#b9c0ca", strokeDasharray: "2 3" });
    const dChart = Plot.plot({
      ...common,
      title: "Ideal-point distance (Voeten; larger = farther apart)",
      x: { tickFormat: (d) => String(d), label: null },
      y: { grid: true, label: null, zero: true },
      marks: [
        startRule,
        Plot.areaY(dist, { x: "year", y1: "lo", y2: "hi", fill: "dyad", fillOpacity: 0.12 }),
        Plot.line(dist, { x: "year", y: "v", stroke: "dyad", strokeWidth: 2 }),
        Plot.text(dist, Plot.selectLast({ x: "year", y: "v", z: "dyad", text: "dyad", fill: "dyad", dx: 4,
          textAnchor: "start", fontWeight: 700, fontSize: 10 })),
        Plot.dot(dist, Plot.pointerX({ x: "year", y: "v", stroke: "dyad", r: 3,
          title: (r) => `${r.dyad} ${r.year}: ${fmt(r.v)} (${fmt(r.lo)}–${fmt(r.hi)})` })),
      ],
    });
    const cChart = Plot.plot({
      ...common,
      title: "Vote coincidence (share of common votes identical)",
      x: { tickFormat: (d) => String(d), label: null },
      y: { grid: true, domain: [0, 1], label: null, tickFormat: (x) => `${Math.round(100 * x)} %` },
      marks: [
        startRule,
        Plot.line(agree, { x: "year", y: "v", stroke: "dyad", strokeWidth: 2 }),
        Plot.text(agree, Plot.selectLast({ x: "year", y: "v", z: "dyad", text: "dyad", fill: "dyad", dx: 4,
          textAnchor: "start", fontWeight: 700, fontSize: 10 })),
        Plot.dot(agree, Plot.pointerX({ x: "year", y: "v", stroke: "dyad", r: 3,
          title: (r) => `${r.dyad} ${r.year}: ${pct(r.v)} of ${r.n} common votes` })),
      ],
    });
    for (const [box, chart, rows, label] of [[boxD, dChart, dist, "Ideal-point distance by year"],
      [boxC, cChart, agree, "Vote coincidence by year"]]) {
      chart.classList.add("dyn-plot");
      chart.setAttribute("aria-label", label);
      box.innerHTML = "";
      box.append(chart);
      box.dataset.rows = String(rows.length);
    }
    $("#dynamics-align-legend").innerHTML = Object.entries(DYAD_COLOUR).map(([dy, c]) =>
      `<span class="item"><svg width="22" height="6"><line x1="0" y1="3" x2="22" y2="3" stroke="${c}" stroke-width="2"/>` +
      `</svg> ${esc(dy.replace("-", "–"))}</span>`).join("") +
      '<span class="item">band: the distance\'s conservative interval (each country\'s posterior 5th–95th ' +
      "percentiles)</span><span class=\"item\">dotted rule: start of the trend window</span>";
    const lines = rep.drift?.lines || [];
    $("#dynamics-drift").innerHTML = `<p class="drift-head">Window ${rep.window[0]}–${rep.window[1] ?? "the data's last year"}. Measures drifting toward China: ` +
      `${esc((rep.drift?.drifting || []).join(", ") || "none")}; not drifting: ` +
      `${esc((rep.drift?.not_drifting || []).join(", ") || "none")}.</p>` +
      `<ul>${lines.map((l) => {
        const cut = l.text.indexOf(". ");
        const head = cut > 0 ? l.text.slice(0, cut + 1) : l.text;
        const rest = cut > 0 ? l.text.slice(cut + 2) : "";
        return `<li data-measure="${esc(l.measure)}"><span class="verdict ${l.toward_china ? "disagree" : "agree"}">` +
          `${l.toward_china ? "drift" : "no drift"}</span> ${esc(head)}${rest ? `<span class="rest">${esc(rest)}</span>` :
          ""}</li>`;
      }).join("")}</ul>` +
      `${(rep.drift?.notes || []).map((n) => `<p class="k">${esc(n)}</p>`).join("")}`;
    const pub = (res.published || []).map((p) => {
      const val = p.unit === "share" ? pct(p.published) : fmt(p.published, 0);
      return `<li data-figure="${esc(p.figure)}"><span class="num">${esc(val)}</span> published ` +
        `<span class="k">(“${esc(p.stated)}”, <code>${esc(p.figure)}</code>)</span>${p.unverified ?
        ' <span class="badge unverified">unverified</span>' : ""}: ${esc(p.relation)}</li>`;
    }).join("");
    const shares = (res.arms?.published_shares || []).map((s) =>
      `<li><span class="num">${pct(s.value, 0)}</span> ${esc(s.title)}${s.unverified ? ' <span class="badge unverified">' +
        "unverified</span>" : ""}<ul class="refs">${cite(s.sources)}</ul></li>`).join("");
    $("#dynamics-align-note").innerHTML = `Data: ${esc(rep.idealpoint_version)}; ${esc(rep.votes_version)}. ` +
      `${pub ? `<details><summary>Published figures beside the computed ones (${res.published.length})</summary>` +
        `<ul class="pub">${pub}</ul></details>` : ""}` +
      `${shares ? `<details><summary>China's published share of Pakistan's arms imports (SIPRI TIV)</summary>` +
        `<ul class="pub">${shares}</ul><p class="k">${esc(res.arms.note || "")}</p></details>` : ""}`;
  }

  async function loadAlignment() {
    const box = $("#dynamics-drift");
    await part("alignment", box, async (current) => {
      $("#dynamics-distance").innerHTML = '<p class="muted">Computing the alignment measures…</p>';
      $("#dynamics-coincidence").innerHTML = "";
      box.innerHTML = "";
      const res = await getJSON("dynamics/alignment", [["dyads", "PAK-USA"], ["dyads", "PAK-CHN"]]);
      if (!current()) return;
      st.alignment = res;
      await loadSources();
      await drawAlignment(res);
    });
    if (root.dataset.alignment !== "ready") {
      $("#dynamics-distance").innerHTML = '<p class="muted">No alignment measures: see the note below.</p>';
      $("#dynamics-distance").dataset.rows = "0";
      $("#dynamics-coincidence").dataset.rows = "0";
    }
  }

  // ---------------------------------------------------------------------------------------------- part: run
  async function drawFans(res) {
    const Plot = await import("@observablehq/plot");
    const box = $("#dynamics-fans");
    const comp = res.comparison;
    const years = res.ensemble.years;
    const outs = res.ensemble.outputs;
    const series = (fans, who) => (o) => years.map((y, i) => ({ who, year: y, p5: fans[o].p5[i], p50: fans[o].p50[i],
      p95: fans[o].p95[i] }));
    box.innerHTML = "";
    const w = Math.max(280, Math.min(((box.clientWidth || 900) - 24) / 3, 460));
    let n = 0;
    for (const o of FAN_OUTPUTS) {
      if (!outs[o]) continue;
      const rows = series(outs, res.scenario)(o);
      const base = comp ? series(comp.fans_a, comp.a)(o) : [];
      const chart = Plot.plot({
        width: w,
        height: 230,
        marginLeft: 48,
        marginRight: 14,
        marginTop: 26,
        title: FAN_TITLE[o],
        style: { fontSize: "11px", background: "transparent", overflow: "visible" },
        x: { tickFormat: (d) => String(d), label: null, ticks: 5 },
        y: { grid: true, label: null,
          ...(o === "alignment" ? { domain: [0, 1] } : {}), zero: o === "cost_pct_gdp" },
        marks: [
          Plot.areaY(base, { x: "year", y1: "p5", y2: "p95", fill: BASE, fillOpacity: 0.16 }),
          Plot.line(base, { x: "year", y: "p50", stroke: BASE, strokeWidth: 1.6, strokeDasharray: "5 3" }),
          Plot.areaY(rows, { x: "year", y1: "p5", y2: "p95", fill: SCEN, fillOpacity: 0.22 }),
          Plot.line(rows, { x: "year", y: "p50", stroke: SCEN, strokeWidth: 2 }),
          Plot.dot([...rows, ...base], Plot.pointerX({ x: "year", y: "p50", fill: (r) => (r.who === res.scenario ? SCEN : BASE),
            r: 3, title: (r) => `${r.who} ${r.year}: median ${fmt(r.p50, 3)} (P5 ${fmt(r.p5, 3)}, P95 ${fmt(r.p95, 3)})` })),
        ],
      });
      chart.classList.add("dyn-plot");
      chart.setAttribute("aria-label", `Fan chart: ${FAN_TITLE[o]}`);
      const fig = document.createElement("div");
      fig.className = "dyn-fan";
      fig.dataset.output = o;
      fig.append(chart);
      box.append(fig);
      n += 1;
    }
    box.dataset.charts = String(n);
    box.dataset.scenario = res.scenario;
    $("#dynamics-fans-legend").innerHTML =
      `<span class="item"><svg width="26" height="12"><rect x="0" y="1" width="26" height="10" fill="${SCEN}" ` +
      `fill-opacity=".22"/><line x1="0" y1="6" x2="26" y2="6" stroke="${SCEN}" stroke-width="2"/></svg> ` +
      `${esc(res.scenario_parameters?.title || res.scenario)}: P5–P95 and median</span>` +
      (comp ? `<span class="item"><svg width="26" height="12"><rect x="0" y="1" width="26" height="10" fill="${BASE}" ` +
        `fill-opacity=".16"/><line x1="0" y1="6" x2="26" y2="6" stroke="${BASE}" stroke-width="1.6" ` +
        `stroke-dasharray="5 3"/></svg> ${esc(comp.a)}</span>` : "");
  }

  function drawDiff(res) {
    const table = $("#dynamics-diff");
    const comp = res.comparison;
    if (!comp) {
      table.querySelector("thead").innerHTML = "";
      table.querySelector("tbody").innerHTML = "";
      table.dataset.rows = "0";
      return;
    }
    const years = comp.years;
    const picks = [4, 9, 19, years.length - 1].filter((i, k, a) => i < years.length && a.indexOf(i) === k);
    table.querySelector("thead").innerHTML = `<tr><th>Difference ${esc(comp.b)} − ${esc(comp.a)} (median of paired ` +
      `runs, 95 % interval of the median)</th>${picks.map((i) => `<th class="h">${years[i]}</th>`).join("")}</tr>`;
    table.querySelector("tbody").innerHTML = FAN_OUTPUTS.filter((o) => comp.difference[o]).map((o) => {
      const d = comp.difference[o];
      const digits = o === "cost_pct_gdp" ? 2 : 3;
      return `<tr data-output="${esc(o)}"><th>${esc(FAN_TITLE[o])}</th>${picks.map((i) =>
        `<td class="num" data-year="${years[i]}" data-p50="${d.p50[i]}">${signed(d.p50[i], digits)} <span class="k">` +
        `[${signed(d.p50_lo95[i], digits)}, ${signed(d.p50_hi95[i], digits)}]</span></td>`).join("")}</tr>`;
    }).join("");
    table.dataset.rows = String(FAN_OUTPUTS.filter((o) => comp.difference[o]).length);
  }

  function drawParams(res) {
    const ps = res.scenario_parameters?.parameters || {};
    $("#dynamics-params ul").innerHTML = Object.entries(ps).map(([name, p]) => {
      const val = p.value !== undefined ? fmt(p.value, 3).replace(/\.?0+$/, "") :
        `${fmt(p.min, 3).replace(/\.?0+$/, "")}–${fmt(p.max, 3).replace(/\.?0+$/, "")}`;
      const why = p.assumed ? `<span class="badge assumed">assumed</span> ${esc(p.why || "")}` : esc(p.note || "");
      return `<li><code>${esc(name)}</code> <span class="num">${esc(val)}</span> <span class="k">${esc(p.unit)}</span> ` +
        `${why}${p.sources?.length ? `<ul class="refs">${cite(p.sources)}</ul>` : ""}</li>`;
    }).join("");
  }

  async function loadRun() {
    const box = $("#dynamics-run-note");
    await part("run", box, async (current) => {
      const fans = $("#dynamics-fans");
      fans.innerHTML = '<p class="muted">Running the ensemble…</p>';
      fans.dataset.charts = "0";
      box.textContent = "";
      const body = { scenario: $("#dynamics-scenario").value, n_runs: Number($("#dynamics-runs").value) || 2000 };
      const cw = $("#dynamics-compare").value;
      if (cw && cw !== body.scenario) body.compare_with = cw;
      const res = await postJSON("dynamics/run", body);
      if (!current()) return;
      st.run = res;
      await loadSources();
      await drawFans(res);
      drawDiff(res);
      drawParams(res);
      const e = res.ensemble;
      box.innerHTML = `${esc(res.scenario_parameters?.description || "")} ${fmtInt(e.n_runs)} runs, seed ${e.seed}, ` +
        `${e.years[0]}–${e.years[e.years.length - 1]}; coefficients: ${esc(e.coefficients)}. ` +
        `${(res.notes || []).map(esc).join(" ")}`;
    });
    if (root.dataset.run !== "ready") {
      $("#dynamics-fans").innerHTML = "";
      $("#dynamics-fans").dataset.charts = "0";
      drawDiff({});
    }
  }

  // ------------------------------------------------------------------------------------------------- wiring
  async function loadAll() {
    const first = !st.loaded;
    st.loaded = true;
    $("#dynamics-load").disabled = true;
    showProblem($("#dynamics-error"), null);
    setStatus(first ? "loading" : "working");
    busy(true, "Computing the fits, backtest, alignment and ensemble…");
    root.dataset.ready = "false";
    await loadSources();
    // sequential: each part is a heavy request and the server may run one at a time
    await loadFit();
    await loadBacktest();
    await loadAlignment();
    await loadRun();
    busy(false);
    root.dataset.ready = "true";
    setStatus(first ? "ready" : "updated");
    $("#dynamics-load").disabled = false;
    $("#dynamics-load").textContent = "Reload";
  }

  async function onePart(fn, text) {
    if (!st.loaded) return;
    setStatus("working");
    busy(true, text);
    await fn();
    busy(false);
    setStatus("updated");
  }

  function load() {
    return loadAll().catch((err) => {
      busy(false);
      showProblem($("#dynamics-error"), err);
      setStatus("error");
    });
  }
  $("#dynamics-load").addEventListener("click", () => {
    writeDynamicsHash();
    load();
  });
  const changed = (fn, text) => () => {
    writeDynamicsHash();
    onePart(fn, text);
  };
  $("#dynamics-system").addEventListener("change", changed(loadFit, "Estimating…"));
  $("#dynamics-form").addEventListener("change", changed(loadFit, "Estimating…"));
  $("#dynamics-target").addEventListener("change", changed(loadBacktest, "Backtesting…"));
  for (const sel of ["#dynamics-scenario", "#dynamics-compare", "#dynamics-runs"]) {
    $(sel).addEventListener("change", writeDynamicsHash);
  }
  $("#dynamics-run-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    writeDynamicsHash();
    if (!st.loaded) {
      $("#dynamics-load").click();
      return;
    }
    onePart(loadRun, "Running the ensemble…");
  });

  // ------------------------------------------------------------------------------------------------ URL state
  // `#dynamics?system=&form=&target=&scenario=&compare=&runs=` (compare=none: no comparison), written as the user
  // changes the controls; on load and on hashchange the values are set and the panel loads (once loaded, the parts
  // whose controls changed reload). The claims' names compare_with and n_runs are read too.
  const CONTROLS = { system: "#dynamics-system", form: "#dynamics-form", target: "#dynamics-target",
    scenario: "#dynamics-scenario", compare: "#dynamics-compare", runs: "#dynamics-runs" };
  function values() {
    return Object.fromEntries(Object.entries(CONTROLS).map(([k, sel]) => [k, $(sel).value]));
  }
  function writeDynamicsHash() {
    const v = values();
    writeHash("dynamics", { ...v, compare: v.compare || "none" });
  }
  function applyParams(p) {
    const before = values();
    for (const key of ["system", "form", "target", "scenario"]) if (p[key] !== undefined) setSelect($(CONTROLS[key]), p[key]);
    const cw = p.compare ?? p.compare_with;
    if (cw !== undefined) {
      if (one(cw) === "none" || one(cw) === "") $("#dynamics-compare").value = "";
      else setSelect($("#dynamics-compare"), cw);
    }
    const runs = Number(one(p.runs ?? p.n_runs));
    if (Number.isFinite(runs) && runs > 0) $("#dynamics-runs").value = String(Math.round(runs));
    const after = values();
    const diff = (...keys) => keys.some((k) => before[k] !== after[k]);
    if (!st.loaded) {
      if (!$("#dynamics-load").disabled) load();
      return;
    }
    if (diff("system", "form")) onePart(loadFit, "Estimating…");
    if (diff("target")) onePart(loadBacktest, "Backtesting…");
    if (diff("scenario", "compare", "runs")) onePart(loadRun, "Running the ensemble…");
  }
  onPanelHash("dynamics", applyParams);
  {
    const p = panelParams("dynamics");
    if (p) applyParams(p);
  }
  window.equilibriumDynamics = { state: st, load: loadAll };
}

initDynamics();
