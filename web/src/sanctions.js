// The sanctions panel: the curated record of sanctions actions on a target country, drawn three ways.
//
// * a timeline of the country's actions (Observable Plot): one dot per action on a time axis, one row per action
//   type, coloured by type; hollow when the record marks the action unverified; a diamond when the action does not
//   target the country but is linked to it by the record's text (suppliers); tooltips give title, authority and
//   date; a click selects the action in the network;
// * the network (cytoscape.js, GET /api/sanctions/network): sender -> action -> targets, authorities, programmes,
//   list entries; dashed edges where an action's note or title names an entity (supplier links); a click on a node
//   shows its details and sources in #sanctions-details;
// * the India/Pakistan asymmetry table (GET /api/sanctions/asymmetry) and a screening box (GET
//   /api/sanctions/screen; a note instead of results when no list is loaded in the store: the 503 problem's
//   detail).
//
// #sanctions-status reads "loading", then "ready" after the first draw, "working" while a query runs, "updated"
// after later draws, "error" (problem+json in #sanctions-error). #sanctions carries data-ready="true" and
// data-country once drawn; #sanctions-timeline data-marks and #sanctions-network data-nodes/data-edges count what
// was drawn. window.equilibriumSanctions exposes the cytoscape instance and the last answers.
import { ApiError, getJSON, esc, showProblem } from "./api.js";
import { writeHash, panelParams, onPanelHash, setSelect, one, truthy } from "./urlstate.js";

const $ = (sel) => document.querySelector(sel);
const fmtInt = (x) => Math.round(x).toLocaleString("en");

export const TYPE_COLOURS = {
  designation: "#b4441f",
  "menu-sanction": "#d97706",
  "statutory-sanction": "#7c3aed",
  waiver: "#2f855a",
  delisting: "#0f766e",
  "determination-not-made": "#64748b",
  statement: "#2b6cb0",
  "legislative-measure": "#9d174d",
};
const TYPES = Object.keys(TYPE_COLOURS);
const CATEGORY_COLOURS = {
  ...TYPE_COLOURS,
  "designation-state": "#8c2a0e",
  "designation-private": "#e4572e",
};
const NODE_COLOURS = {
  sender: "#1d2430",
  authority: "#4a5568",
  program: "#a0aec0",
  "list-entry": "#0f766e",
  country: "#2d3748",
  government: "#553c9a",
  "state-entity": "#c2255c",
  "private-firm": "#2b6cb0",
  person: "#d69e2e",
  organisation: "#718096",
};
const NODE_LABELS = {
  sender: "Sender",
  authority: "Legal authority",
  program: "Programme",
  "list-entry": "List entry (store)",
  country: "Country",
  government: "Government",
  "state-entity": "State entity",
  "private-firm": "Private firm",
  person: "Person",
  organisation: "Organisation",
};
const FIRST = ["PAK", "IND", "CHN"];

/** "1998", "1998-05" or "1998-05-13" -> a UTC Date (first day of the period). */
function parseDate(s) {
  const [y, m, d] = String(s).split("-").map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function initSanctions() {
  const st = {
    queryId: 0,
    drawn: false,
    network: null,
    asymmetry: null,
    cy: null,
    sources: new Map(),
    names: new Map(),
    selected: null,
  };
  const setStatus = (t) => {
    $("#sanctions-status").textContent = t;
  };
  const showError = (err) => showProblem($("#sanctions-error"), err);
  const country = () => $("#sanctions-country").value;
  const since = () => {
    const v = $("#sanctions-since").value.trim();
    return /^\d{4}$/.test(v) ? v : "";
  };
  const countryName = (iso) => st.names.get(iso) || iso;
  const scope = () => $("#sanctions-scope")?.value || "all";
  const verifiedOnly = () => Boolean($("#sanctions-verified")?.checked);

  // ------------------------------------------------------------------------------------------------ timeline
  async function drawTimeline(net) {
    const Plot = await import("@observablehq/plot");
    const box = $("#sanctions-timeline");
    const acts = net.nodes.filter((n) => n.group === "action").map((n) => ({ ...n, when: parseDate(n.date) }));
    box.dataset.marks = String(acts.length);
    if (!acts.length) {
      box.innerHTML = '<p class="muted">No action in the record for this selection.</p>';
      return;
    }
    const types = TYPES.filter((t) => acts.some((a) => a.type === t));
    const width = Math.max(480, Math.min(box.clientWidth || 1100, 1460));
    const tip = (a) => [
      a.title,
      `${a.date} · ${a.type}${a.unverified ? " (unverified)" : ""}`,
      `Authority: ${a.authority}${a.program ? ` · ${a.program}` : ""}`,
      `Targets: ${(a.targets || []).join("; ")}`,
      a.relation !== "target" ? `Linked: ${a.relation_text || a.relation}` : null,
    ].filter(Boolean).join("\n");
    const chart = Plot.plot({
      width,
      height: 34 + types.length * 44,
      marginLeft: 150,
      marginRight: 20,
      marginTop: 8,
      marginBottom: 28,
      style: { fontSize: "12px", background: "transparent", overflow: "visible" },
      x: { type: "utc", label: null, grid: true, nice: true },
      fy: { domain: types, label: null, padding: 0.08 },
      marks: [
        Plot.frame({ stroke: "#eef0f3", anchor: "bottom" }),
        Plot.dot(acts, Plot.dodgeY("middle", {
          x: "when",
          fy: "type",
          r: 5.5,
          padding: 1.5,
          symbol: (a) => (a.relation === "target" ? "circle" : "diamond"),
          stroke: (a) => TYPE_COLOURS[a.type] || "#1d2430",
          strokeWidth: 1.6,
          fill: (a) => TYPE_COLOURS[a.type] || "#1d2430",
          fillOpacity: (a) => (a.unverified ? 0 : 0.9),
          title: tip,
          tip: { fontSize: 12, maxWidth: 420 },
        })),
      ],
    });
    chart.classList.add("sanc-plot");
    chart.setAttribute("aria-label", `Timeline of sanctions actions on ${countryName(net.country)}`);
    chart.addEventListener("click", () => {
      if (chart.value?.id) select(chart.value.id, true);
    });
    box.innerHTML = "";
    box.append(chart);
  }

  function timelineKey(net) {
    const present = new Set(net.nodes.filter((n) => n.group === "action").map((n) => n.type));
    const dot = (c, hollow, diamond = false) => diamond
      ? `<svg width="14" height="14"><path d="M7 1.5 L12.5 7 L7 12.5 L1.5 7 Z" fill="${c}" fill-opacity="${hollow ? 0 : 0.9}" stroke="${c}" stroke-width="1.6"/></svg>`
      : `<svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="${c}" fill-opacity="${hollow ? 0 : 0.9}" stroke="${c}" stroke-width="1.6"/></svg>`;
    const parts = TYPES.filter((t) => present.has(t)).map((t) =>
      `<span class="item">${dot(TYPE_COLOURS[t], false)} ${esc(t)}</span>`);
    const acts = net.nodes.filter((n) => n.group === "action");
    if (acts.some((a) => a.unverified)) parts.push(`<span class="item">${dot("#5d6675", true)} unverified (hollow)</span>`);
    if (acts.some((a) => a.relation !== "target")) {
      parts.push(`<span class="item">${dot("#5d6675", false, true)} no target in ${esc(countryName(net.country))}; ` +
        "linked by the record's text (suppliers)</span>");
    }
    $("#sanctions-timeline-key").innerHTML = parts.join("");
  }

  // ------------------------------------------------------------------------------------------------ network
  function elements(net) {
    const nodes = net.nodes.map((n) => ({
      group: "nodes",
      data: {
        ...n,
        id: n.id,
        colour: n.group === "action" ? TYPE_COLOURS[n.type] || "#1d2430" : NODE_COLOURS[n.kind] || "#718096",
        weight: n.group === "entity" ? n.actions || 1 : n.group === "action" ? 1 : 2,
        shown: n.group === "action" ? "" : n.label,
      },
      classes: [n.group, n.kind, n.unverified ? "unverified" : ""].filter(Boolean).join(" "),
    }));
    const edges = net.edges.map((e, i) => ({
      group: "edges",
      data: { ...e, id: `e${i}` },
      classes: e.kind,
    }));
    return [...nodes, ...edges];
  }

  const STYLE = [
    { selector: "node", style: {
      "background-color": "data(colour)", label: "data(shown)", "font-size": 9, color: "#1d2430",
      "text-valign": "bottom", "text-margin-y": 2, "text-wrap": "wrap", "text-max-width": 110,
      "text-outline-color": "#fff", "text-outline-width": 2,
      width: "mapData(weight, 1, 11, 14, 32)", height: "mapData(weight, 1, 11, 14, 32)",
    } },
    { selector: "node.action", style: { shape: "diamond", width: 12, height: 12 } },
    { selector: "node.action.unverified", style: { "background-opacity": 0, "border-width": 2,
      "border-color": "data(colour)" } },
    { selector: "node.sender", style: { shape: "round-rectangle", width: 34, height: 20, color: "#fff",
      "text-valign": "center", "text-margin-y": 0, "text-outline-width": 0, "font-size": 10, "font-weight": 700 } },
    { selector: "node.authority", style: { shape: "round-tag", width: 16, height: 16, "font-size": 9,
      color: "#4a5568" } },
    { selector: "node.program", style: { shape: "hexagon", width: 14, height: 14, color: "#5d6675" } },
    { selector: "node.list-entry", style: { shape: "rectangle", width: 12, height: 12 } },
    { selector: "node.country", style: { shape: "star", width: 22, height: 22, "font-weight": 700 } },
    { selector: "edge", style: { width: 1, "line-color": "#c3c9d2", "curve-style": "bezier",
      "target-arrow-shape": "triangle", "target-arrow-color": "#c3c9d2", "arrow-scale": 0.6 } },
    { selector: "edge.sends", style: { "line-color": "#e2e5ea", "target-arrow-color": "#e2e5ea" } },
    { selector: "edge.mentions", style: { "line-style": "dashed", "line-color": "#e4572e",
      "target-arrow-color": "#e4572e", width: 1.6 } },
    { selector: "edge.concerns", style: { "line-style": "dotted", "line-color": "#2d3748",
      "target-arrow-color": "#2d3748", width: 1.4 } },
    { selector: ".faded", style: { opacity: 0.22 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d2430", label: "data(label)",
      "font-weight": 700, "z-index": 10 } },
    { selector: "node.near", style: { label: "data(label)" } },
  ];

  /** cose lays a graph out roughly round: stretch it to the container's aspect (labels are wide), then fit. */
  function stretch(cy, box) {
    const bb = cy.nodes().boundingBox();
    const want = (box.clientWidth || 1000) / (box.clientHeight || 580);
    if (bb.w > 0 && bb.h > 0 && bb.w / bb.h < want) {
      const k = Math.min(want / (bb.w / bb.h), 2.2);
      const cx = bb.x1 + bb.w / 2;
      cy.nodes().positions((n) => ({ x: cx + (n.position("x") - cx) * k, y: n.position("y") }));
    }
    cy.fit(undefined, 16);
  }

  async function drawNetwork(net) {
    const { default: cytoscape } = await import("cytoscape");
    const box = $("#sanctions-network");
    if (st.cy) st.cy.destroy();
    st.cy = cytoscape({
      container: box,
      elements: elements(net),
      style: STYLE,
      layout: { name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: false,
        idealEdgeLength: () => 50, nodeRepulsion: () => 16000, edgeElasticity: () => 80, gravity: 0.3,
        numIter: 2500, padding: 14, fit: false },
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    stretch(st.cy, box);
    st.cy.on("tap", "node", (ev) => select(ev.target.id(), false));
    st.cy.on("tap", (ev) => {
      if (ev.target === st.cy) select(null, false);
    });
    box.dataset.nodes = String(st.cy.nodes().length);
    box.dataset.edges = String(st.cy.edges().length);
    $("#sanctions-network-title").textContent = `Network: ${countryName(net.country)} — ${net.counts.nodes} nodes, ` +
      `${net.counts.edges} edges`;
    networkKey(net);
  }

  function networkKey(net) {
    const kinds = new Set(net.nodes.map((n) => n.kind));
    const shape = { sender: "■", authority: "⬟", program: "⬢", "list-entry": "■", country: "★" };
    const parts = Object.entries(NODE_LABELS).filter(([k]) => kinds.has(k)).map(([k, label]) =>
      `<span class="item"><span class="sw" style="color:${NODE_COLOURS[k]}">${shape[k] || "●"}</span> ${esc(label)}</span>`);
    parts.unshift('<span class="item"><span class="sw" style="color:#b4441f">◆</span> Action (colour: type)</span>');
    parts.push('<span class="item"><svg width="24" height="6"><line x1="0" y1="3" x2="24" y2="3" stroke="#e4572e" ' +
      'stroke-width="1.6" stroke-dasharray="4 3"/></svg> note or title names the entity</span>');
    $("#sanctions-network-legend").innerHTML = parts.join("");
    const lists = net.lists ? `<span class="k">List entries:</span> ${esc(net.lists)}.` : "";
    $("#sanctions-network-note").innerHTML = `Entities sized by the number of actions naming them. ${lists}`;
  }

  // -------------------------------------------------------------------------------------------------- details
  function cite(ids) {
    return (ids || []).map((id) => {
      const s = st.sources.get(id);
      if (!s) return `<li><code>${esc(id)}</code></li>`;
      const title = s.url ? `<a href="${esc(s.url)}" target="_blank" rel="noopener">${esc(s.title)}</a>` : esc(s.title);
      const by = [s.publisher, s.date].filter(Boolean).map(esc).join(", ");
      return `<li>${title}${by ? ` <span class="k">— ${by}</span>` : ""}</li>`;
    }).join("");
  }

  function neighbourList(id) {
    if (!st.cy) return "";
    const node = st.cy.getElementById(id);
    const rows = node.connectedEdges().map((e) => {
      const other = e.source().id() === id ? e.target() : e.source();
      const d = other.data();
      const what = d.group === "action" ? `${d.date} ${d.type}: ${d.title}` : d.label;
      return { key: `${d.group === "action" ? d.date : "~"}${what}`, html: `<li><span class="k">${esc(e.data("kind"))}</span> ` +
        `<button type="button" class="linklike" data-node="${esc(other.id())}">${esc(what)}</button></li>` };
    }).sort((a, b) => a.key.localeCompare(b.key));
    return rows.length ? `<h4>Linked (${rows.length})</h4><ul class="linked">${rows.map((r) => r.html).join("")}</ul>` : "";
  }

  function details(id) {
    const box = $("#sanctions-details");
    const n = st.network?.nodes.find((x) => x.id === id);
    if (!n) {
      box.innerHTML = '<p class="muted">Click a node of the network (or a dot of the timeline) for its details and sources.</p>';
      box.dataset.node = "";
      return;
    }
    box.dataset.node = id;
    const row = (k, v) => (v === undefined || v === null || v === "" ? "" : `<dt>${esc(k)}</dt><dd>${v}</dd>`);
    const badge = n.unverified ? ' <span class="badge unverified">unverified</span>' : "";
    let html = "";
    if (n.group === "action") {
      html = `<h4>${esc(n.title)}${badge}</h4><dl class="kv">` +
        row("Date", esc(n.date)) + row("Type", `<span class="chip" style="background:${TYPE_COLOURS[n.type]}">${esc(n.type)}</span>`) +
        row("Authority", esc(n.authority)) + row("Agency", esc(n.agency)) + row("List", esc(n.implementing_list)) +
        row("Programme", esc(n.program)) + row("Targets", esc((n.targets || []).join("; "))) +
        row("In this network", esc(n.relation === "target" ? `targets ${countryName(st.network.country)}` : n.relation_text)) +
        "</dl>" + (n.note ? `<p class="note">${esc(n.note)}</p>` : "") +
        `<h4>Sources</h4><ul class="sources-list">${cite(n.sources)}</ul>`;
    } else if (n.group === "entity") {
      html = `<h4>${esc(n.name)}</h4><dl class="kv">` + row("Kind", esc(NODE_LABELS[n.kind] || n.kind)) +
        row("Country", esc(n.country ? `${countryName(n.country)} (${n.country})` : "")) + row("Schema", esc(n.schema)) +
        row("Aliases", esc((n.aliases || []).join("; "))) + row("List id", esc(n.list_id)) +
        row("Unlisted", n.unlisted ? "yes (the record says it is on no list)" : "") +
        row("Targeted by", esc(`${n.actions} action(s)`)) + "</dl>" +
        (n.notes || []).map((x) => `<p class="note">${esc(x)}</p>`).join("");
    } else if (n.group === "list-entry") {
      html = `<h4>${esc(n.label)}</h4><dl class="kv">` + row("Name on the list", esc(n.name)) +
        row("Programmes", esc((n.programs || []).join(", "))) + row("First seen", esc(n.first_seen)) +
        row("Last seen", esc(n.last_seen)) + row("In the latest list", n.in_latest ? "yes" : "no") + "</dl>";
    } else {
      html = `<h4>${esc(n.label)}</h4><dl class="kv">${row("Kind", esc(NODE_LABELS[n.kind] || n.kind))}</dl>`;
    }
    box.innerHTML = html + neighbourList(id);
  }

  function select(id, fromTimeline) {
    st.selected = id;
    const cy = st.cy;
    if (cy) {
      cy.elements().removeClass("faded near");
      cy.nodes().unselect();
      if (id) {
        const node = cy.getElementById(id);
        if (node.nonempty()) {
          node.select();
          const hood = node.closedNeighborhood();
          cy.elements().not(hood).addClass("faded");
          hood.nodes().addClass("near");
          if (fromTimeline) cy.animate({ center: { eles: node }, duration: 250 });
        }
      }
    }
    details(id);
  }

  // ----------------------------------------------------------------------------------------------- asymmetry
  function drawAsymmetry(asym) {
    const [a, b] = asym.countries;
    const per = asym.by_country;
    const years = [...new Set([...per[a].years, ...per[b].years].map((y) => y.year))].sort((x, y) => x - y);
    const byYear = (iso) => new Map(per[iso].years.map((y) => [y.year, y.counts]));
    const ya = byYear(a);
    const yb = byYear(b);
    const chips = (counts) => Object.entries(counts || {}).map(([k, v]) =>
      `<span class="chip" style="background:${CATEGORY_COLOURS[k] || "#718096"}" title="${esc(k)}">${v} ${esc(k)}</span>`).join(" ");
    const total = (counts) => Object.values(counts || {}).reduce((s, v) => s + v, 0);
    const cell = (counts) => (counts ? `<td><span class="n">${total(counts)}</span> ${chips(counts)}</td>` : '<td class="muted">—</td>');
    $("#sanctions-asymmetry thead").innerHTML = `<tr><th>Year</th><th>${esc(countryName(a))} (${esc(a)})</th>` +
      `<th>${esc(countryName(b))} (${esc(b)})</th></tr>`;
    $("#sanctions-asymmetry tbody").innerHTML = years.map((y) =>
      `<tr><th scope="row">${y}</th>${cell(ya.get(y))}${cell(yb.get(y))}</tr>`).join("") ||
      '<tr><td colspan="3" class="muted">No action in the record for this period.</td></tr>';
    const tot = (iso) => Object.fromEntries(Object.entries(per[iso].totals).map(([k, v]) => [k, v.count]));
    $("#sanctions-asymmetry tfoot").innerHTML = `<tr><th scope="row">All</th>${cell(tot(a))}${cell(tot(b))}</tr>`;
    const d = (iso) => {
      const t = per[iso].totals;
      return { state: t["designation-state"]?.count || 0, priv: t["designation-private"]?.count || 0,
        waiver: t.waiver?.count || 0, dnm: t["determination-not-made"]?.count || 0 };
    };
    const da = d(a);
    const db = d(b);
    $("#sanctions-asymmetry-note").textContent = `${since() ? `Since ${since()}: ` : ""}` +
      `${asym.scope === "proliferation" ? "proliferation-related actions only; " : ""}designations of state ` +
      `entities ${a} ${da.state}, ${b} ${db.state}; of private parties ${a} ${da.priv}, ${b} ${db.priv}; waivers ` +
      `${a} ${da.waiver}, ${b} ${db.waiver}; determinations not made ${a} ${da.dnm}, ${b} ${db.dnm}. Counts of ` +
      "actions in the curated record, not of every measure ever taken. " +
      (verifiedOnly() ? "Verified record entries only." :
        `Of these, ${a} ${per[a].unverified?.count ?? 0} and ${b} ${per[b].unverified?.count ?? 0} are marked ` +
        "unverified (primary text not read); tick \u201cverified records only\u201d to leave them out.");
  }

  // ----------------------------------------------------------------------------------------------- screening
  async function screen(q) {
    const out = $("#sanctions-screen-results");
    out.dataset.state = "working";
    out.innerHTML = '<p class="muted">Screening…</p>';
    try {
      let res;
      try {
        res = await getJSON("sanctions/screen", { q, limit: 10 });
      } catch (err) {
        // No list loaded in the store: a 503 problem naming the command that loads one, shown as a note.
        if (err instanceof ApiError && err.status === 503 && /sanctions ingest/.test(err.problem?.detail || "")) {
          out.innerHTML = `<p class="note">${esc(err.problem.detail)}</p>`;
          out.dataset.state = "note";
          return;
        }
        throw err;
      }
      const why = (ex) => Object.entries(ex || {}).map(([k, v]) => `${esc(k)} ${v.score}`).join("; ");
      out.innerHTML = res.candidates.length ? `<table class="sanc-table"><thead><tr><th>Score</th><th>Id</th>` +
        "<th>Name</th><th>Programmes</th><th>Why</th></tr></thead><tbody>" + res.candidates.map((c) =>
        `<tr><td class="num">${c.score.toFixed(2)}</td><td><code>${esc(c.id)}</code></td><td>${esc(c.name)}</td>` +
        `<td>${esc((c.programs || []).join(", "))}</td><td class="why">${why(c.explanation)}</td></tr>`).join("") +
        `</tbody></table><p class="hint">${fmtInt(res.index?.entities || 0)} list entities; ${esc(res.algorithm)}.</p>`
        : '<p class="muted">No candidate.</p>';
      out.dataset.state = "done";
    } catch (err) {
      out.innerHTML = "";
      out.dataset.state = "error";
      showError(err);
    }
  }

  // --------------------------------------------------------------------------------------------------- query
  async function run() {
    const id = ++st.queryId;
    const iso = country();
    const s = since();
    setStatus("working");
    showError(null);
    try {
      const params = { country: iso, ...(s ? { since: s } : {}) };
      const asymParams = [["countries", "IND"], ["countries", "PAK"], ...(s ? [["since", s]] : []),
        ...(scope() !== "all" ? [["scope", scope()]] : []), ...(verifiedOnly() ? [["verified_only", "true"]] : [])];
      const [net, asym] = await Promise.all([
        getJSON("sanctions/network", params),
        getJSON("sanctions/asymmetry", asymParams),
      ]);
      if (id !== st.queryId) return;
      st.network = net;
      st.asymmetry = asym;
      await drawTimeline(net);
      timelineKey(net);
      await drawNetwork(net);
      drawAsymmetry(asym);
      select(null, false);
      const rel = net.counts.actions_by_relation || {};
      const linked = (rel.mentions || 0) + (rel.title || 0);
      $("#sanctions-summary").textContent = `${rel.target || 0} action(s) with a target in ${countryName(iso)}` +
        `${linked ? `, ${linked} linked to it by the record's text (suppliers)` : ""}${s ? ` since ${s}` : ""}.`;
      const root = $("#sanctions");
      root.dataset.ready = "true";
      root.dataset.country = net.country;
      setStatus(st.drawn ? "updated" : "ready");
      st.drawn = true;
    } catch (err) {
      if (id !== st.queryId) return;
      showError(err);
      setStatus("error");
    }
  }

  async function init() {
    setStatus("loading");
    const [all, regions, sources] = await Promise.all([
      getJSON("sanctions/actions"),
      getJSON("regions").catch(() => ({ regions: [] })),
      getJSON("sources").catch(() => ({ sources: [] })),
    ]);
    for (const r of regions.regions) if (r.kind === "country") st.names.set(r.spec, r.name);
    for (const s of sources.sources) st.sources.set(s.id, s);
    const counts = new Map();
    for (const a of all.actions) {
      for (const c of new Set(a.targets.map((t) => t.country).filter(Boolean))) counts.set(c, (counts.get(c) || 0) + 1);
    }
    const order = [...counts.keys()].sort((x, y) => {
      const fx = FIRST.indexOf(x);
      const fy = FIRST.indexOf(y);
      if (fx >= 0 || fy >= 0) return (fx < 0 ? 99 : fx) - (fy < 0 ? 99 : fy);
      return counts.get(y) - counts.get(x) || x.localeCompare(y);
    });
    const sel = $("#sanctions-country");
    sel.innerHTML = order.map((c) =>
      `<option value="${esc(c)}">${esc(countryName(c))} (${esc(c)}) — ${counts.get(c)} action(s)</option>`).join("");
    sel.value = "PAK";
    const changed = () => {
      writeSanctionsHash();
      run();
    };
    sel.addEventListener("change", changed);
    $("#sanctions-since").addEventListener("change", changed);
    $("#sanctions-scope").addEventListener("change", changed);
    $("#sanctions-verified").addEventListener("change", changed);
    $("#sanctions-details").addEventListener("click", (ev) => {
      const b = ev.target.closest?.("button[data-node]");
      if (b) select(b.dataset.node, true);
    });
    $("#sanctions-screen-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const q = $("#sanctions-screen-q").value.trim();
      writeSanctionsHash();
      if (q) screen(q);
    });
    onPanelHash("sanctions", (p) => {
      applyParams(p);
      run();
    });
    const p = panelParams("sanctions");
    if (p) applyParams(p);
    await run();
  }

  // ------------------------------------------------------------------------------------------------ URL state
  // `#sanctions?country=PAK&since=1998&scope=proliferation&verified_only=true&q=…`, written as the user changes the controls (or screens
  // a name); on load and on hashchange the values are set, the panel drawn and the name screened. The claims'
  // parameters are read too: target_country (or the second of countries) and a since date (its year).
  function writeSanctionsHash() {
    writeHash("sanctions", { country: country(), since: since(), scope: scope() === "all" ? "" : scope(),
      verified_only: verifiedOnly() ? "true" : "", q: $("#sanctions-screen-q").value.trim() });
  }

  function applyParams(p) {
    const sel = $("#sanctions-country");
    const iso = one(p.country) || one(p.target_country) || (Array.isArray(p.countries) ? p.countries[1] : null);
    if (iso && !setSelect(sel, iso)) {
      const code = String(iso).toUpperCase();
      sel.prepend(new Option(`${countryName(code)} (${code})`, code));
      sel.value = code;
    }
    if (p.since !== undefined) $("#sanctions-since").value = String(one(p.since)).slice(0, 4);
    if (p.scope !== undefined) setSelect($("#sanctions-scope"), p.scope);
    $("#sanctions-verified").checked = truthy(p.verified_only);  // the URL says it, or it is off
    if (p.q !== undefined && String(one(p.q)).trim()) {
      $("#sanctions-screen-q").value = String(one(p.q)).trim();
      screen($("#sanctions-screen-q").value);
    }
  }

  window.equilibriumSanctions = {
    state: st,
    get cy() {
      return st.cy;
    },
    run,
  };
  init().catch((err) => {
    showError(err);
    setStatus("error");
  });
}
