// The evidence panel: what published sanctions data sets (GSDB R3, TIES v4, EUSANCT, China-TIES) say about outcomes.
//
// * interval bars (Observable Plot, GET /api/evidence/base-rate): one row per group (objective/issue, decade,
//   sender, ...), the share as a dot and its 95 % Wilson interval as a bar, n printed beside; the measure is any of
//   the data set's shares (its headline share first);
// * the published findings (GET /api/evidence/findings) beside our computed figures: a plot with the published value
//   as a marker next to the comparable computed share (from each finding's compare_with) and a table with the
//   definition each used, the citations and why the figures differ; unverified findings are marked;
// * the South Asia episodes (GET /api/evidence/cases?target=PAK|IND): data set, years, sender, issue, outcome and
//   the curated record's actions linked to the episode (a click shows the action in the sanctions panel).
//
// The data files are not shipped: when one is absent the API answers 503 (code data-file-missing) with the publisher and how to obtain the
// file, and the panel shows that note in #evidence-missing (the published findings are shown all the same).
// #evidence-status reads "loading", "ready" after the first draw, "working" while a query runs, "updated" after
// later draws, "missing" when the data set's file is absent, "error" (problem+json in #evidence-error). #evidence
// carries data-ready="true", data-dataset, data-by and data-measure once drawn; #evidence-intervals data-rows counts
// the interval rows drawn; #evidence-findings and #evidence-cases data-rows count their table rows.
import { getJSON, esc, showProblem, ApiError } from "./api.js";
import { writeHash, panelParams, onPanelHash, setSelect } from "./urlstate.js";

const $ = (sel) => document.querySelector(sel);
const pct = (x, d = 0) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(d)} %`);
const fmtInt = (x) => Math.round(x).toLocaleString("en");
const INK = "#1d2430";
const OURS = "#2b6cb0";
const PUBLISHED = "#c2410c";
const BY_LABEL = { objective: "Objective", issue: "Issue", decade: "Decade", sender: "Primary sender",
  target: "Target", multilateral: "Unilateral / multilateral", role: "China's role" };
const MAX_GROUPS = 30;

/** "imposed_target_acquiesced_share" -> "imposed target acquiesced". */
const rateLabel = (name) => String(name).replace(/_share$/, "").replaceAll("_", " ");

export function initEvidence() {
  const st = {
    queryId: 0,
    drawn: false,
    datasets: null,
    result: null,
    findings: null,
    cases: null,
  };
  const root = $("#evidence");
  // Each data set's label comes from its codebook (GET /api/evidence/datasets), as do its headline share and groupings.
  const dsLabel = (ds) => st.datasets?.datasets?.[String(ds).replace("_", "-")]?.label || ds;
  const setStatus = (t) => {
    $("#evidence-status").textContent = t;
  };
  const showError = (err) => showProblem($("#evidence-error"), err);

  // ----------------------------------------------------------------------------------------- missing files
  function missingNote(m) {
    const names = (m.usual_names || []).map((n) => `<code>${esc(n)}</code>`).join(" or ");
    const url = m.url ? ` (<a href="${esc(m.url)}" target="_blank" rel="noopener">${esc(m.url)}</a>)` : "";
    return `<p><strong>${esc(m.title || m.dataset_title || m.dataset)}: data file not found.</strong> ` +
      `It is not shipped with Equilibrium: it is published by ${esc(m.publisher)}${url}. To obtain it: ` +
      `${esc(m.obtain)}. Save it as ${names} in the folder named by <code>EQUILIBRIUM_DATA_DIR</code>` +
      `${m.data_dir ? ` (now <code>${esc(m.data_dir)}</code>)` : " (not set)"} and reload.</p>`;
  }

  function showMissing(problem) {
    const box = $("#evidence-missing");
    if (!problem) {
      box.hidden = true;
      box.innerHTML = "";
      return;
    }
    const list = problem.missing?.length ? problem.missing : [problem];
    box.innerHTML = list.map((m) => missingNote({ ...m, data_dir: problem.data_dir })).join("");
    box.hidden = false;
  }

  const isMissing = (err) => err instanceof ApiError && err.problem?.code === "data-file-missing";

  // ------------------------------------------------------------------------------------------- controls
  function fillMeasures(ds) {
    const entry = st.datasets.datasets[ds];
    const sel = $("#evidence-measure");
    const prev = sel.value;
    const rates = entry.definition.rates;
    sel.innerHTML = Object.entries(rates).map(([name, r]) =>
      `<option value="${esc(name)}" title="${esc(`${r.numerator} / ${r.denominator}`)}">${esc(rateLabel(name))}` +
      `${name === entry.headline ? " (headline)" : ""}</option>`).join("");
    sel.value = prev in rates ? prev : entry.headline;
  }

  function fillBy(ds) {
    const entry = st.datasets.datasets[ds];
    const sel = $("#evidence-by");
    let prev = sel.value;
    if (prev === "objective" && ds !== "gsdb") prev = "issue";
    if (prev === "issue" && ds === "gsdb") prev = "objective";
    const choices = entry.by.filter((b) => b !== "target");
    sel.innerHTML = choices.map((b) => `<option value="${esc(b)}">${esc(BY_LABEL[b] || b)}</option>`).join("");
    sel.value = choices.includes(prev) ? prev : choices[0];
  }

  // ------------------------------------------------------------------------------------------ interval bars
  async function drawIntervals(res, measure) {
    const Plot = await import("@observablehq/plot");
    const box = $("#evidence-intervals");
    const all = { label: "All", all: true, ...res.rates[measure] };
    const groups = (res.groups || []).map((g) => ({ label: g.label, rows: g.rows, ...g.rates[measure] }));
    const shown = groups.slice(0, MAX_GROUPS);
    const rows = [all, ...shown];
    box.dataset.rows = String(shown.length);
    const ok = rows.filter((r) => r.share !== null && r.share !== undefined);
    const width = Math.max(420, Math.min(box.clientWidth || 700, 900));
    const short = (s) => (s.length > 34 ? `${s.slice(0, 33)}…` : s);
    const tip = (r) => `${r.label}\n${pct(r.share, 1)} (${r.k} of ${r.n})\n95 % interval ${pct(r.ci95?.[0], 1)}–${pct(r.ci95?.[1], 1)}`;
    const chart = Plot.plot({
      width,
      height: 44 + rows.length * 24,
      marginLeft: 210,
      marginRight: 96,
      marginTop: 8,
      marginBottom: 34,
      style: { fontSize: "12px", background: "transparent", overflow: "visible" },
      x: { domain: [0, 1], grid: true, tickFormat: (x) => `${Math.round(100 * x)} %`,
        label: `${rateLabel(measure)} — share with 95 % Wilson interval` },
      y: { domain: rows.map((r) => r.label), label: null, tickFormat: short, padding: 0.2 },
      marks: [
        Plot.ruleY(ok, { y: "label", x1: (r) => r.ci95[0], x2: (r) => r.ci95[1], stroke: (r) => (r.all ? INK : OURS),
          strokeOpacity: 0.35, strokeWidth: 9, strokeLinecap: "round" }),
        Plot.dot(ok, { y: "label", x: "share", r: 4.5, fill: (r) => (r.all ? INK : OURS), stroke: "#fff",
          strokeWidth: 1, title: tip, tip: { fontSize: 12 } }),
        Plot.text(rows, { y: "label", x: (r) => (r.ci95 ? r.ci95[1] : 0), dx: 9, textAnchor: "start",
          text: (r) => (r.share === null || r.share === undefined ? "n = 0" : `${pct(r.share)}  n = ${fmtInt(r.n)}`),
          fill: "#4a5568", fontVariant: "tabular-nums" }),
      ],
    });
    chart.classList.add("ev-plot");
    chart.setAttribute("aria-label", `${dsLabel(res.dataset)}: ${rateLabel(measure)} by ${res.by}`);
    box.innerHTML = "";
    box.append(chart);
    const more = groups.length - shown.length;
    const d = res.definition;
    const r = d.rates[measure];
    $("#evidence-rates-title").textContent = `${dsLabel(res.dataset)}: ${rateLabel(measure)} by ` +
      `${(BY_LABEL[res.by] || res.by).toLowerCase()}`;
    $("#evidence-definition").innerHTML = `<span class="k">Definition</span> <code>${esc(d.name)}</code>: ` +
      `${esc(r.numerator)} over ${esc(r.denominator)}. ${esc(d.text)} <span class="k">Groups:</span> ` +
      `${esc(res.group_rule)}.${more > 0 ? ` ${more} smaller group(s) not drawn.` : ""} ` +
      `<span class="k">Alternatives:</span> ${esc(d.alternatives.join("; "))}. ` +
      `<span class="k">Sources:</span> ${res.sources.map((s) => (s.url
        ? `<a href="${esc(s.url)}" target="_blank" rel="noopener">${esc(s.title || s.id)}</a>` : esc(s.title || s.id))).join("; ")}` +
      `${res.rows_excluded ? `. ${res.rows_excluded} row(s) of the file could not be read and were left out` : ""}.`;
  }

  // ----------------------------------------------------------------------------------------------- findings
  function publishedText(v) {
    const num = v.unit === "share"
      ? (v.value !== undefined ? pct(v.value, v.value * 100 % 1 ? 1 : 0) : `${pct(v.min)}–${pct(v.max)}`)
      : v.unit === "count" ? fmtInt(v.value ?? v.min) : `${v.value ?? `${v.min}–${v.max}`}`;
    const counts = v.numerator !== undefined ? ` (${v.numerator}/${v.denominator})` : "";
    const badge = v.unverified ? ' <span class="badge unverified">unverified</span>' : "";
    return `<li><span class="num">${esc(num)}</span>${esc(counts)} <span class="k">${esc(v.label)}</span>${badge}</li>`;
  }

  function computedText(c) {
    const x = c.computed || {};
    const head = `<span class="ds">${esc(dsLabel(c.dataset))}</span> `;
    if (x.status === "missing") {
      return `<li>${head}<span class="muted">file not installed (published by ${esc(x.publisher)}; how to obtain it: see the South Asia episodes note below)</span></li>`;
    }
    if (x.status !== "ok") return `<li>${head}<span class="muted">${esc(x.message || "not computed")}</span></li>`;
    const filt = Object.entries(x.filters || {}).map(([k, v]) => `${k} ${v}`).join(", ");
    const groups = x.groups?.length
      ? `<div class="groups">by ${esc(BY_LABEL[x.by] || x.by)}: ${x.groups.filter((g) => g.n).map((g) =>
        `${esc(g.label)} ${pct(g.share)} <span class="k">(n=${g.n})</span>`).join(" · ")}</div>` : "";
    const alt = x.alternative ? `<div class="groups">${esc(x.alternative.definition)}: ${pct(x.alternative.share, 1)} ` +
      `<span class="k">(n=${fmtInt(x.alternative.n)})</span></div>` : "";
    return `<li>${head}<span class="num">${pct(x.share, 1)}</span> <span class="k">[${pct(x.ci95?.[0], 1)}–` +
      `${pct(x.ci95?.[1], 1)}], n=${fmtInt(x.n)}</span> ${esc(rateLabel(x.label))}${filt ? ` (${esc(filt)})` : ""}` +
      `<div class="def"><code>${esc(x.definition)}</code>: ${esc(x.numerator)} over ${esc(x.denominator)}</div>${groups}${alt}` +
      `<details><summary>why the figures differ</summary>${esc(c.why_differs)}</details></li>`;
  }

  function reference(r) {
    const title = r.url ? `<a href="${esc(r.url)}" target="_blank" rel="noopener">${esc(r.title || r.id)}</a>` : esc(r.title || r.id);
    const by = [r.author, r.date].filter(Boolean).map(esc).join(", ");
    return `<li>${by ? `${by}: ` : ""}${title}${r.locator ? ` <span class="k">(${esc(r.locator)})</span>` : ""}</li>`;
  }

  function drawFindingsTable(res) {
    const body = $("#evidence-findings tbody");
    body.innerHTML = res.findings.map((f) => {
      const badge = f.unverified ? ' <span class="badge unverified">unverified</span>'
        : f.partly_unverified ? ' <span class="badge unverified">partly unverified</span>' : "";
      const def = f.definition.length > 180
        ? `${esc(f.definition.slice(0, 170))}… <details><summary>more</summary>${esc(f.definition)}</details>` : esc(f.definition);
      return `<tr data-id="${esc(f.id)}"${f.unverified ? ' class="unverified"' : ""}>` +
        `<td class="finding"><strong>${esc(f.title)}</strong>${badge}<div class="k">${esc(f.kind.replace("_", " "))} · ` +
        `${esc(f.sample.dataset)}${f.sample.period ? `, ${esc(f.sample.period)}` : ""}</div></td>` +
        `<td><ul class="vals">${f.values.map(publishedText).join("") || '<li class="muted">no number (qualitative)</li>'}</ul></td>` +
        `<td class="def">${def}</td>` +
        `<td><ul class="ours">${f.compare_with.map(computedText).join("") || '<li class="muted">—</li>'}</ul></td>` +
        `<td><ul class="refs">${(f.references || f.sources).map(reference).join("")}</ul></td></tr>`;
    }).join("");
    $("#evidence-findings").dataset.rows = String(res.findings.length);
    const miss = res.data_files_missing || [];
    $("#evidence-findings-note").innerHTML = `${res.count} published findings, ${res.unverified} unverified (marked). ` +
      "Our figure is the comparable share the finding names, computed from the data set under our stated definition." +
      (miss.length ? ` Not installed here: ${miss.map((m) => `${esc(dsLabel(m.dataset))} (published by ` +
        `${esc(m.publisher)})`).join("; ")}.` : "");
  }

  /** Rows of the comparison plot: one per finding x comparison with a published share and a computed share. */
  function comparisonRows(res) {
    const rows = [];
    for (const f of res.findings) {
      if (f.kind === "method") continue;
      const vals = f.values.filter((v) => v.unit === "share" && (f.kind !== "recoding" || v.label.startsWith("overall")))
        .slice(0, 2); // the finding's headline shares (every value is in the table)
      if (!vals.length) continue;
      for (const c of f.compare_with) {
        const x = c.computed;
        const label = `${f.title.length > 44 ? `${f.title.slice(0, 43)}…` : f.title} · ${dsLabel(c.dataset)}`;
        rows.push({ label, f, c, x: x?.status === "ok" ? x : null, vals });
      }
    }
    return rows;
  }

  async function drawFindingsPlot(res) {
    const Plot = await import("@observablehq/plot");
    const box = $("#evidence-findings-plot");
    const rows = comparisonRows(res);
    box.dataset.rows = String(rows.length);
    if (!rows.length) {
      box.innerHTML = '<p class="muted">No published share to compare.</p>';
      return;
    }
    const ours = rows.filter((r) => r.x && r.x.share !== null);
    const pub = rows.flatMap((r) => r.vals.map((v) => ({ label: r.label, v, f: r.f })));
    const points = pub.filter((p) => p.v.value !== undefined);
    const ranges = pub.filter((p) => p.v.min !== undefined && p.v.max !== undefined);
    const width = Math.max(420, Math.min(box.clientWidth || 700, 900));
    const chart = Plot.plot({
      width,
      height: 44 + rows.length * 22,
      marginLeft: 330,
      marginRight: 20,
      marginTop: 8,
      marginBottom: 34,
      style: { fontSize: "11.5px", background: "transparent", overflow: "visible" },
      x: { domain: [0, 1], grid: true, tickFormat: (x) => `${Math.round(100 * x)} %`, label: "share" },
      y: { domain: rows.map((r) => r.label), label: null, padding: 0.2 },
      marks: [
        Plot.ruleY(ours, { y: "label", x1: (r) => r.x.ci95[0], x2: (r) => r.x.ci95[1], stroke: OURS,
          strokeOpacity: 0.35, strokeWidth: 8, strokeLinecap: "round" }),
        Plot.dot(ours, { y: "label", x: (r) => r.x.share, r: 4, fill: OURS, stroke: "#fff",
          title: (r) => `Ours (${r.x.definition}): ${pct(r.x.share, 1)}, n=${r.x.n}\n${r.x.numerator} over ${r.x.denominator}` }),
        Plot.ruleY(ranges, { y: "label", x1: (p) => p.v.min, x2: (p) => p.v.max, stroke: PUBLISHED, strokeWidth: 2,
          strokeDasharray: (p) => (p.v.unverified ? "3 2" : null) }),
        Plot.dot(points, { y: "label", x: (p) => p.v.value, symbol: "diamond", r: 5, stroke: PUBLISHED, strokeWidth: 1.6,
          fill: (p) => (p.v.unverified ? "#fff" : PUBLISHED),
          title: (p) => `Published: ${p.v.label} ${pct(p.v.value, 1)}${p.v.unverified ? " (unverified)" : ""}\n${p.f.definition}` }),
      ],
    });
    chart.classList.add("ev-plot");
    chart.setAttribute("aria-label", "Published findings beside our computed shares");
    box.innerHTML = "";
    box.append(chart);
  }

  async function loadFindings() {
    const res = await getJSON("evidence/findings");
    st.findings = res;
    drawFindingsTable(res);
    await drawFindingsPlot(res);
  }

  // -------------------------------------------------------------------------------------------------- cases
  function showAction(country, id) {
    const S = window.equilibriumSanctions;
    const sel = $("#sanctions-country");
    const go = () => {
      S?.cy?.getElementById(`action:${id}`).emit("tap");
      $("#sanctions")?.scrollIntoView({ behavior: "smooth", block: "start" });
    };
    if (S && sel && sel.value !== country && [...sel.options].some((o) => o.value === country)) {
      sel.value = country;
      S.run().then(go);
    } else {
      go();
    }
  }

  function drawCases(res) {
    const box = $("#evidence-cases");
    const code = res.country.code;
    const years = (e) => `${e.start_year ?? "?"}–${e.end_year ?? (e.ongoing ? "…" : "?")}`;
    const links = (e) => (e.links || []).map((x) =>
      `<button type="button" class="linklike" data-action="${esc(x.action)}" data-country="${esc(code)}" ` +
      `title="${esc(`${x.date} ${x.type}: ${x.title} (${x.authority})`)}"><code>${esc(x.action)}</code></button>`).join(" ");
    const weak = (e) => (e.weak_links?.length ? ` <span class="k" title="${esc(e.weak_links.map((x) => x.action).join(", "))}">` +
      `+${e.weak_links.length} weak</span>` : "");
    const newest = [...res.cases].reverse(); // the API lists oldest first; the recent episodes carry the links
    box.querySelector("tbody").innerHTML = newest.map((e) => `<tr>` +
      `<td>${esc(dsLabel(e.dataset))}</td><td><code>${esc(e.case_id)}</code>${e.name ? `<div class="k">${esc(e.name)}</div>` : ""}</td>` +
      `<td class="num">${years(e)}</td><td>${esc(e.role)}</td>` +
      `<td>${esc(e.senders.map((s) => s.code).join(", "))}</td>` +
      `<td>${esc(e.issues.map((i) => i.label).join("; "))}</td><td>${esc(e.outcome || "—")}</td>` +
      `<td>${links(e) || '<span class="muted">—</span>'}${weak(e)}</td></tr>`).join("") ||
      '<tr><td colspan="8" class="muted">No episode in the installed data sets.</td></tr>';
    box.dataset.rows = String(res.cases.length);
    box.dataset.country = code;
    const per = Object.entries(res.datasets).map(([ds, v]) => (v.found
      ? `${dsLabel(ds)} ${v.count} (${v.as_target} as target, ${v.linked} linked)`
      : `${dsLabel(ds)}: not installed — published by ${esc(v.missing?.publisher || "?")}`)).join("; ");
    $("#evidence-cases-note").innerHTML = `${res.count} episode(s) with ${esc(res.country.name)} as ${esc(res.role)}: ` +
      `${per}. <span class="k">Links:</span> ${esc(res.link_rule.strength)}`;
  }

  async function loadCases() {
    const iso = $("#evidence-cases-country").value;
    const box = $("#evidence-cases");
    try {
      const res = await getJSON("evidence/cases", { target: iso });
      st.cases = res;
      drawCases(res);
    } catch (err) {
      box.querySelector("tbody").innerHTML = "";
      box.dataset.rows = "0";
      $("#evidence-cases-note").innerHTML = isMissing(err)
        ? (err.problem.missing || []).map((m) => missingNote({ ...m, data_dir: err.problem.data_dir })).join("")
        : `<span class="error-text">${esc(err.problem?.detail || err.message)}</span>`;
    }
  }

  // --------------------------------------------------------------------------------------------------- query
  async function run() {
    const id = ++st.queryId;
    const ds = $("#evidence-dataset").value;
    const by = $("#evidence-by").value;
    const measure = $("#evidence-measure").value;
    setStatus("working");
    showError(null);
    try {
      const res = await getJSON("evidence/base-rate", { dataset: ds, by });
      if (id !== st.queryId) return;
      st.result = res;
      showMissing(null);
      const m = measure in res.rates ? measure : res.headline;
      await drawIntervals(res, m);
      const h = res.rates[m];
      $("#evidence-summary").textContent = `${fmtInt(res.rows)} ${res.unit} rows of ${res.title}; ` +
        `${rateLabel(m)}: ${pct(h.share, 1)} (${h.k} of ${h.n}), 95 % interval ${pct(h.ci95?.[0], 1)}–${pct(h.ci95?.[1], 1)}.`;
      Object.assign(root.dataset, { ready: "true", dataset: ds, by: res.by, measure: m, missing: "false" });
      setStatus(st.drawn ? "updated" : "ready");
      st.drawn = true;
    } catch (err) {
      if (id !== st.queryId) return;
      if (isMissing(err)) {
        showMissing(err.problem);
        $("#evidence-intervals").innerHTML = '<p class="muted">No data file: see the note above.</p>';
        $("#evidence-intervals").dataset.rows = "0";
        $("#evidence-summary").textContent = "";
        Object.assign(root.dataset, { ready: "true", dataset: ds, missing: "true" });
        setStatus("missing");
        st.drawn = true;
        return;
      }
      showError(err);
      setStatus("error");
    }
  }

  async function init() {
    setStatus("loading");
    st.datasets = await getJSON("evidence/datasets");
    const names = Object.keys(st.datasets.datasets);
    const sel = $("#evidence-dataset");
    sel.innerHTML = names.map((d) => {
      const e = st.datasets.datasets[d];
      return `<option value="${esc(d)}">${esc(dsLabel(d))}${e.found ? "" : " (file not installed)"}</option>`;
    }).join("");
    sel.value = names.includes("gsdb") ? "gsdb" : names[0];
    $("#evidence-by").innerHTML = '<option value="objective">Objective</option>';
    fillBy(sel.value);
    fillMeasures(sel.value);
    sel.addEventListener("change", () => {
      fillBy(sel.value);
      fillMeasures(sel.value);
      writeEvidenceHash();
      run();
    });
    $("#evidence-by").addEventListener("change", () => {
      writeEvidenceHash();
      run();
    });
    $("#evidence-measure").addEventListener("change", () => {
      writeEvidenceHash();
      if (st.result && st.result.dataset === sel.value) {
        drawIntervals(st.result, $("#evidence-measure").value).then(() => {
          root.dataset.measure = $("#evidence-measure").value;
        });
      } else {
        run();
      }
    });
    $("#evidence-cases-country").addEventListener("change", () => {
      writeEvidenceHash();
      loadCases();
    });
    $("#evidence-cases").addEventListener("click", (ev) => {
      const b = ev.target.closest?.("button[data-action]");
      if (b) showAction(b.dataset.country, b.dataset.action);
    });
    const findings = loadFindings().catch((err) => {
      $("#evidence-findings-note").innerHTML = `<span class="error-text">${esc(err.problem?.detail || err.message)}</span>`;
    });
    onPanelHash("evidence", (p) => {
      const cases = $("#evidence-cases-country").value;
      applyParams(p);
      run();
      if ($("#evidence-cases-country").value !== cases) loadCases();
    });
    const p = panelParams("evidence");
    if (p) applyParams(p);
    await Promise.all([run(), findings, loadCases()]);
  }

  // ------------------------------------------------------------------------------------------------ URL state
  // `#evidence?dataset=gsdb&by=objective&measure=…&cases=PAK`, written as the user changes the controls; on load and
  // on hashchange the values are set and the panel drawn.
  function writeEvidenceHash() {
    writeHash("evidence", { dataset: $("#evidence-dataset").value, by: $("#evidence-by").value,
      measure: $("#evidence-measure").value, cases: $("#evidence-cases-country").value });
  }

  function applyParams(p) {
    const sel = $("#evidence-dataset");
    if (p.dataset !== undefined && setSelect(sel, String(p.dataset).replace("_", "-"))) {
      fillBy(sel.value);
      fillMeasures(sel.value);
    }
    if (p.by !== undefined) setSelect($("#evidence-by"), p.by);
    if (p.measure !== undefined) setSelect($("#evidence-measure"), p.measure);
    const cases = p.cases ?? p.target;
    if (cases !== undefined) setSelect($("#evidence-cases-country"), cases);
  }

  window.equilibriumEvidence = { state: st, run };
  init().catch((err) => {
    showError(err);
    setStatus("error");
  });
}
