// Equilibrium web workbench: missile reach between real regions.
//
// Flow: pick FROM and TO -> fetch /api/reach/field (distance raster of FROM, target cells, cities),
// /api/reach/distance and /api/reach/systems -> draw. The range slider redraws the reach polygon and the
// figures client-side (d3-contour on the raster) on every input event; once it settles, the page fetches
// /api/reach/coverage and shows the exact figures. #status reads "ready" after the first query has been drawn and
// "updated" after every later query.
//
// Below the map, the trajectory panel (trajectory.js) flies a catalogue ballistic missile with the 3-DOF engine
// (/api/trajectory/*): maximum range with its altitude profile, reach by launch direction drawn on the map for the
// current FROM -> TO, and a lofted test converted to a standard range.
import "./style.css";
import { getJSON, esc, showProblem } from "./api.js";
import { decodeGrid, reachAt, previewCoverage } from "./field.js";
import { WorldMap, SYSTEM_COLOURS } from "./map.js";
import { initTrajectory, PHYSICS_COLOUR } from "./trajectory.js";
import { initSanctions } from "./sanctions.js";
import { initEvidence } from "./evidence.js";
import { readPanelHash } from "./claims.js";
import { writeHash as writePanelHash } from "./urlstate.js";

const $ = (sel) => document.querySelector(sel);
const fmtInt = (x) => Math.round(x).toLocaleString("en");
const fmtKm = (x) => (x === null || x === undefined ? "—" : `${fmtInt(x)} km`);
const fmtPct = (x) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(1)} %`);

const DEFAULT_FROM = "PAK";
const DEFAULT_TO = "IND";
const SETTLE_MS = 250;

const state = {
  from: DEFAULT_FROM,
  to: DEFAULT_TO,
  range: 2750,
  field: null, // payload of /api/reach/field
  grid: null, // decoded grid
  distance: null,
  systems: null,
  coverage: null,
  checked: new Set(),
  sources: new Map(),
  queryId: 0,
  coverageId: 0,
  settleTimer: null,
  initialised: false,
  lastRedrawMs: null,
};

const map = new WorldMap($("#map"));
let trajectory = null;

function setStatus(text) {
  $("#status").textContent = text;
}

function showError(err) {
  showProblem($("#error"), err);
}

// ---------------------------------------------------------------------------------------------------- sources

function cite(ids) {
  return [...new Set(ids || [])].map((id) => {
    const s = state.sources.get(id);
    if (!s) return `<li><code>${esc(id)}</code></li>`;
    const title = s.url ? `<a href="${esc(s.url)}" target="_blank" rel="noopener">${esc(s.title)}</a>` : esc(s.title);
    const by = [s.author, s.publisher, s.date].filter(Boolean).map(esc).join(", ");
    return `<li>${title}${by ? ` <span class="k">— ${by}</span>` : ""}</li>`;
  }).join("");
}

function renderSources() {
  const b = state.field?.boundary || state.coverage?.boundary || {};
  const parts = [];
  parts.push(`<p><span class="k">Boundaries:</span> ${esc(b.dataset || "Natural Earth")}${b.resolution ? ` (${esc(b.resolution)})` : ""}.
    <span class="k">Point of view:</span> ${esc(b.pov || "de-facto lines of control")}.</p>`);
  if (b.source_ids?.length) parts.push(`<ul>${cite(b.source_ids)}</ul>`);
  if (state.coverage?.cities_source) parts.push(`<p><span class="k">Cities:</span> ${esc(state.coverage.cities_source)}</p>`);
  if (state.distance?.method) parts.push(`<p><span class="k">Method:</span> ${esc(state.distance.method)}</p>`);
  const systems = state.systems?.systems || [];
  const shown = systems.filter((s) => state.checked.has(s.id));
  const list = shown.length ? shown : systems;
  if (list.length) {
    parts.push(`<p><span class="k">Ranges${shown.length ? " (ticked systems)" : ""}:</span></p>`);
    for (const s of list) {
      parts.push(`<p><strong>${esc(s.name)}</strong> ${fmtInt(s.range_km.low)}–${fmtInt(s.range_km.high)} km` +
        `${s.range_km.unverified ? ' <span class="badge unverified">unverified</span>' : ""}</p><ul>${cite(s.range_km.sources)}</ul>`);
    }
  }
  $("#sources").innerHTML = parts.join("");
  if (b.pov) {
    $("#boundary-note").textContent = `Boundaries: ${b.dataset || "Natural Earth"}. Point of view: ${b.pov}. ` +
      "The lines drawn are not an endorsement of any claim.";
  }
}

// ---------------------------------------------------------------------------------------------------- figures

function renderDistance() {
  const d = state.distance;
  $("#nearest-km").textContent = fmtKm(d?.nearest_km);
  $("#full-coverage-km").textContent = fmtKm(d?.full_coverage_km);
  $("#single-site-km").textContent = fmtKm(d?.single_site_km);
  for (const [sel, key] of [["#nearest-km", "nearest_km"], ["#full-coverage-km", "full_coverage_km"], ["#single-site-km", "single_site_km"]]) {
    $(sel).dataset.value = d?.[key] ?? "";
  }
  if (state.field) {
    const title = `${state.field.from.name} → ${state.field.to.name}`;
    $("#fig-title").textContent = title;
    $("#map-title").textContent = title;
  }
}

function cityItems(list) {
  return (list || []).slice(0, 5).map((c) =>
    `<li>${esc(c.name)} <span>pop. ${(c.population / 1e6 >= 1 ? `${(c.population / 1e6).toFixed(1)} M` : `${fmtInt(c.population / 1e3)} k`)} · ${fmtInt(c.distance_km)} km</span></li>`).join("")
    || '<li class="muted">none</li>';
}

function renderCoverage(cov, preview) {
  const set = (sel, text, value) => {
    const el = $(sel);
    el.textContent = preview ? `≈ ${text}` : text;
    el.classList.toggle("preview", preview);
    el.dataset.value = value ?? "";
  };
  set("#area-fraction", fmtPct(cov.area_fraction), cov.area_fraction);
  set("#population-fraction", fmtPct(cov.population_fraction), cov.population_fraction);
  set("#cities-in", `${fmtInt(cov.cities_in_range)} of ${fmtInt(cov.cities_total)}`, cov.cities_in_range);
  $("#fig-range").textContent = `${fmtInt(cov.range_km)} km`;
  $("#largest-in").innerHTML = cityItems(cov.largest_in);
  $("#largest-out").innerHTML = cityItems(cov.largest_out);
  $("#preview-note").hidden = !preview;
}

const VERDICT = { yes: "yes", no: "no", "depends-on-source": "depends" };

function renderSystems() {
  const box = $("#systems");
  const tbody = $("#verdicts tbody");
  const systems = state.systems?.systems || [];
  if (!systems.length) {
    box.innerHTML = '<p class="muted">No catalogued systems for this launch region. Use the slider for a free range.</p>';
    tbody.innerHTML = '<tr><td colspan="4" class="muted">No catalogued systems.</td></tr>';
    return;
  }
  box.innerHTML = systems.map((s, i) => {
    const r = s.range_km;
    const interval = r.low === r.high ? fmtInt(r.low) : `${fmtInt(r.low)}–${fmtInt(r.high)}`;
    const colour = SYSTEM_COLOURS[i % SYSTEM_COLOURS.length];
    return `<label class="system" title="${esc(s.name)}: ${r.values.length} source figure(s)">
      <input type="checkbox" value="${esc(s.id)}" ${state.checked.has(s.id) ? "checked" : ""}>
      <span><span class="swatch-line" style="border-color:${colour}"></span><span class="name">${esc(s.name)}</span>
      ${r.unverified ? '<span class="badge unverified">unverified</span>' : ""}
      <span class="meta">${esc(s.class)} · ${interval} km</span></span></label>`;
  }).join("");
  tbody.innerHTML = systems.map((s) => {
    const r = s.range_km;
    const v = (x) => `<span class="v ${esc(x)}">${esc(VERDICT[x] || x)}</span>`;
    return `<tr><td>${esc(s.name)}${r.unverified ? ' <span class="badge unverified">unverified</span>' : ""}</td>
      <td>${r.low === r.high ? fmtInt(r.low) : `${fmtInt(r.low)}–${fmtInt(r.high)}`}</td>
      <td>${v(s.reaches_nearest)}</td><td>${v(s.covers_all)}</td></tr>`;
  }).join("");
}

function drawSystems() {
  if (!state.grid) return;
  const systems = state.systems?.systems || [];
  const items = [];
  systems.forEach((s, i) => {
    if (!state.checked.has(s.id)) return;
    const r = s.range_km;
    items.push({
      name: s.name,
      colour: SYSTEM_COLOURS[i % SYSTEM_COLOURS.length],
      reachLow: reachAt(state.grid, r.low),
      reachHigh: r.high > r.low ? reachAt(state.grid, r.high) : null,
    });
  });
  map.drawSystems(items);
  renderLegend(items);
}

/** Redraw the legend (and the ticked systems' outlines, which it lists). */
function refreshLegend() {
  if (state.grid) drawSystems();
  else renderLegend();
}

function renderLegend(items = []) {
  const sw = (cls, extra = "") => `<svg width="18" height="12"><rect x="1" y="1" width="16" height="10" class="${cls}" ${extra}/></svg>`;
  const dot = (fill, r) => `<svg width="${2 * r + 2}" height="${2 * r + 2}"><circle cx="${r + 1}" cy="${r + 1}" r="${r}" fill="${fill}"/></svg>`;
  const parts = [
    `<span class="item">${sw("", 'fill="#2d3748"')} Launch region</span>`,
    `<span class="item">${sw("", 'fill="#2b6cb0" fill-opacity=".3" stroke="#2b6cb0"')} Target</span>`,
    `<span class="item">${sw("", 'fill="#e4572e" fill-opacity=".2" stroke="#e4572e" stroke-width="1.4"')} Within the slider's range</span>`,
    `<span class="item">${dot("#b4441f", 5)}${dot("#b4441f", 3)} City in range (size: population)</span>`,
    `<span class="item">${dot("#7b8594", 4)} City out of range</span>`,
    `<span class="item"><svg width="22" height="6"><line x1="0" y1="3" x2="22" y2="3" stroke="#1d2430" stroke-dasharray="2 2" stroke-width="1.2"/></svg> Nearest points</span>`,
  ];
  if (map.physics?.feature?.geometry) {
    parts.push(`<span class="item">${sw("", `fill="${PHYSICS_COLOUR}" fill-opacity=".12" stroke="${PHYSICS_COLOUR}" stroke-width="2"`)} ` +
      `${esc(map.physics.name)}: reach from physics (by launch direction)</span>`);
  }
  for (const it of items) {
    parts.push(`<span class="item"><svg width="34" height="6"><line x1="0" y1="3" x2="14" y2="3" stroke="${it.colour}" stroke-width="2"/>` +
      `<line x1="18" y1="3" x2="34" y2="3" stroke="${it.colour}" stroke-width="2" stroke-dasharray="5 3"/></svg> ${esc(it.name)} (low / high)</span>`);
  }
  $("#legend").innerHTML = parts.join("");
}

// ---------------------------------------------------------------------------------------------------- slider

/** Redraw the reach polygon and preview figures at the slider's range; returns the time taken in ms. */
function redraw() {
  const t0 = performance.now();
  $("#range-value").textContent = `${fmtInt(state.range)} km`;
  if (state.grid) {
    map.drawReach(reachAt(state.grid, state.range), state.range);
    renderCoverage(previewCoverage(state.field, state.range), true);
  }
  state.lastRedrawMs = performance.now() - t0;
  return state.lastRedrawMs;
}

async function fetchCoverage(finalStatus = "updated") {
  const id = ++state.coverageId;
  const q = state.queryId;
  try {
    const cov = await getJSON("reach/coverage", { from: state.from, to: state.to, range_km: state.range });
    if (id !== state.coverageId || q !== state.queryId) return;
    state.coverage = cov;
    renderCoverage(cov, false);
    renderSources();
    showError(null);
    setStatus(finalStatus);
  } catch (err) {
    if (id !== state.coverageId) return;
    showError(err);
    setStatus("error");
  }
}

function onSlider() {
  state.range = Number($("#range").value);
  writeHash();
  rangeChanged();
}

function rangeChanged() {
  setStatus("working");
  redraw();
  clearTimeout(state.settleTimer);
  state.settleTimer = setTimeout(() => fetchCoverage(), SETTLE_MS);
}

function setRange(km) {
  const slider = $("#range");
  state.range = Math.max(0, Math.min(Number(slider.max), Math.round(km)));
  slider.value = String(state.range);
  // The slider snaps to its step; keep the exact figure for the query.
}

// ---------------------------------------------------------------------------------------------------- queries

async function runQuery() {
  const id = ++state.queryId;
  state.coverageId++;
  clearTimeout(state.settleTimer);
  setStatus("working");
  showError(null);
  trajectory?.queryChanged();
  const params = { from: state.from, to: state.to };
  try {
    const [field, distance, systems] = await Promise.all([
      getJSON("reach/field", { ...params, resolution_deg: 0.5 }),
      getJSON("reach/distance", params),
      getJSON("reach/systems", params),
    ]);
    if (id !== state.queryId) return;
    state.field = field;
    state.grid = decodeGrid(field.grid);
    state.distance = distance;
    state.systems = systems;
    const ids = new Set((systems.systems || []).map((s) => s.id));
    state.checked = new Set([...state.checked].filter((x) => ids.has(x)));
    const fromUrl = takeWantedSystems() !== null;  // before the coverage below, which uses the range it may set
    map.setQuery(field, distance);
    renderDistance();
    renderSystems();
    if (fromUrl) revealTicked();
    drawSystems();
    redraw();
    renderSources();
    await fetchCoverage(state.initialised ? "updated" : "ready");
    state.initialised = true;
  } catch (err) {
    if (id !== state.queryId) return;
    showError(err);
    setStatus(state.initialised ? "error" : "ready");
    state.initialised = true;
  }
}

/** Make `spec` selectable in `select` (a custom target or launch spec the lists lack) and select it. */
function ensureOption(select, spec) {
  if (![...select.options].some((o) => o.value === spec)) select.prepend(new Option(spec, spec));
  select.value = spec;
}

/** The reach parameters in the URL (`#reach?from=PAK&to=USA:conus&range_km=2750`, also `#trajectory?…`), set on the
 * selects and the slider; true when they changed the query. */
function applyHash() {
  const h = readPanelHash();
  if (!h || !["reach", "trajectory"].includes(h.panel)) return false;
  const p = h.params;
  let changed = false;
  if (typeof p.from === "string" && p.from && p.from !== state.from) {
    ensureOption($("#from"), p.from);
    state.from = p.from;
    state.checked.clear();
    changed = true;
  }
  if (typeof p.to === "string" && p.to && p.to !== state.to) {
    ensureOption($("#to"), p.to);
    state.to = p.to;
    changed = true;
  }
  const km = Number(p.range_km);
  if (p.range_km !== undefined && Number.isFinite(km) && km !== state.range) {
    setRange(km);
    state.range = km;
    changed = true;
  }
  // systems to tick (`system=shaheen-3&system=ababeel`): applied once the systems of this launch region are loaded
  const wanted = p.system === undefined || h.panel !== "reach" ? [] : (Array.isArray(p.system) ? p.system : [p.system]).map(String);
  const same = wanted.length === state.checked.size && wanted.every((x) => state.checked.has(x));
  if (wanted.length && !same) {
    state.wantSystems = { ids: wanted, setRange: p.range_km === undefined };
    if (!changed && state.systems) applyWantedSystems();
  }
  return changed;
}

/** Scroll the systems list (not the page) so that the first ticked system is in view. */
function revealTicked() {
  const box = $("#systems");
  const el = box.querySelector("input:checked")?.closest("label");
  if (!el || box.scrollHeight <= box.clientHeight) return;
  box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
}

/** Tick the systems the URL asked for (those launched from the current region) and, when the URL gave no range,
 * set the range to the longest of them (as ticking by hand does). null when the URL asked for none, else whether
 * the range was set. */
function takeWantedSystems() {
  const want = state.wantSystems;
  if (!want) return null;
  state.wantSystems = null;
  const systems = state.systems?.systems || [];
  const ids = new Set(systems.map((s) => s.id));
  state.checked = new Set(want.ids.filter((x) => ids.has(x)));
  const ticked = systems.filter((s) => state.checked.has(s.id));
  if (!want.setRange || !ticked.length) return false;
  setRange(Math.max(...ticked.map((s) => s.range_km.high)));
  return true;
}

/** The systems the URL asked for, on the loaded query: ticked, drawn and (with a new range) the coverage redone. */
function applyWantedSystems() {
  const rangeSet = takeWantedSystems();
  if (rangeSet === null) return;
  renderSystems();
  revealTicked();
  drawSystems();
  renderSources();
  if (rangeSet) rangeChanged();
}

/** Keep the reach query in the URL once the user changes it (shareable): `#reach?from=&to=&range_km=`. */
function writeHash() {
  writePanelHash("reach", { from: state.from, to: state.to, range_km: state.range,
    ...(state.checked.size ? { system: [...state.checked] } : {}) });
}

function fillSelect(select, groups, value) {
  select.innerHTML = groups.filter((g) => g.items.length).map((g) =>
    `<optgroup label="${esc(g.label)}">${g.items.map((r) =>
      `<option value="${esc(r.spec)}">${esc(r.name)} (${esc(r.spec)})</option>`).join("")}</optgroup>`).join("");
  select.value = value;
  if (select.value !== value && select.options.length) select.selectedIndex = 0;
}

async function init() {
  renderLegend();
  setStatus("loading");
  const [regions, catalog, sources] = await Promise.all([
    getJSON("regions"),
    getJSON("catalog/systems").catch(() => ({ systems: [] })),
    getJSON("sources").catch(() => ({ sources: [] })),
  ]);
  for (const s of sources.sources) state.sources.set(s.id, s);
  const all = [...regions.regions].sort((a, b) => a.name.localeCompare(b.name));
  const armed = new Set(catalog.systems.map((s) => s.country));
  const countries = all.filter((r) => r.kind === "country");
  const sub = all.filter((r) => r.kind === "subregion");
  const other = all.filter((r) => r.kind === "area");
  fillSelect($("#from"), [
    { label: "With catalogued systems", items: countries.filter((r) => armed.has(r.spec)) },
    { label: "All countries", items: countries.filter((r) => !armed.has(r.spec)) },
    { label: "Sub-regions", items: sub },
    { label: "Areas without an ISO code (some disputed)", items: other },
  ], DEFAULT_FROM);
  fillSelect($("#to"), [
    { label: "Sub-regions", items: sub },
    { label: "Countries", items: countries },
    { label: "Areas without an ISO code (some disputed)", items: other },
  ], DEFAULT_TO);
  state.from = $("#from").value;
  state.to = $("#to").value;
  applyHash();
  trajectory = initTrajectory({
    map,
    catalog: catalog.systems,
    sources: state.sources,
    getQuery: () => ({ from: state.from, to: state.to }),
    refreshLegend,
  });

  $("#from").addEventListener("change", () => {
    state.from = $("#from").value;
    state.checked.clear();
    writeHash();
    runQuery();
  });
  $("#to").addEventListener("change", () => {
    state.to = $("#to").value;
    writeHash();
    runQuery();
  });
  window.addEventListener("hashchange", () => {
    if (!applyHash()) return;
    if (state.initialised) runQuery();
  });
  $("#to-custom-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const spec = $("#to-custom").value.trim();
    if (!spec) return;
    const sel = $("#to");
    if (![...sel.options].some((o) => o.value === spec)) {
      const opt = new Option(spec, spec);
      sel.prepend(opt);
    }
    sel.value = spec;
    state.to = spec;
    writeHash();
    runQuery();
  });
  $("#range").addEventListener("input", onSlider);
  for (const [id, view] of [["#view-fit", "fit"], ["#view-world", "world"]]) {
    $(id).addEventListener("click", () => {
      for (const b of ["#view-fit", "#view-world"]) {
        $(b).classList.toggle("on", b === id);
        $(b).setAttribute("aria-pressed", String(b === id));
      }
      map.setView(view);
      drawSystems();
    });
  }
  $("#systems").addEventListener("change", (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLInputElement)) return;
    if (box.checked) state.checked.add(box.value);
    else state.checked.delete(box.value);
    const checked = (state.systems?.systems || []).filter((s) => state.checked.has(s.id));
    drawSystems();
    renderSources();
    if (checked.length) {
      setRange(Math.max(...checked.map((s) => s.range_km.high)));
      writeHash();
      rangeChanged();
    }
  });

  setRange(state.range);
  await runQuery();
}

// Hooks for tests and the curious: time a redraw at a given range without touching the network.
window.equilibrium = {
  state,
  redrawAt(km) {
    setRange(km);
    return redraw();
  },
};

init().catch((err) => {
  showError(err);
  setStatus("error");
});
initSanctions(); // the sanctions panel below the map (sanctions.js), independent of the reach query
initEvidence(); // the evidence panel below the sanctions panel (evidence.js): data sets and published findings
