// The trajectory panel: a catalogue ballistic missile flown by the 3-DOF engine (POST /api/trajectory/max-range),
// its reach by launch direction against the page's target (GET /api/trajectory/reach, drawn on the map), and a
// lofted test converted to a standard range (POST /api/trajectory/loft).
//
// The engine takes seconds per request (a catalogue system without a published launch mass is range-calibrated
// first, ~20 s the first time; every answer is cached on the server). While requests run, #traj-busy shows a
// spinner and #traj-status reads "working"; then "done" (or "error", with the problem's detail in #traj-error).
import { getJSON, postJSON, esc, showProblem } from "./api.js";
import { writeHash, panelParams, onPanelHash, setSelect, one, truthy } from "./urlstate.js";

const BALLISTIC = ["SRBM", "MRBM", "IRBM", "ICBM", "SLBM"];
export const PHYSICS_COLOUR = "#c2255c";

const $ = (sel) => document.querySelector(sel);
const fmtInt = (x) => Math.round(x).toLocaleString("en");
const fmtKm = (x) => (x === null || x === undefined ? "—" : `${fmtInt(x)} km`);
const fmtPct = (x) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(1)} %`);
const fmtSigned = (x) => {
  if (x === null || x === undefined) return "—";
  const r = Math.round(x * 100) / 100;
  return `${r > 0 ? "+" : r < 0 ? "−" : "±"}${Math.abs(r).toFixed(2)} %`;
};

/**
 * Wire the panel. `map` is the page's WorldMap, `catalog` the /api/catalog/systems list, `sources` a Map of the
 * bibliography by id, `getQuery()` the page's current {from, to}, `refreshLegend()` redraws the map legend.
 * Returns {queryChanged()} for the page to call when FROM or TO changes (the physics polygon belongs to them).
 */
export function initTrajectory({ map, catalog, sources, getQuery, refreshLegend }) {
  const st = { pending: 0, timer: null, started: 0, label: "", systems: new Map(), reachKey: null };

  // ------------------------------------------------------------------------------------------------ systems
  const ballistic = catalog.filter((s) => BALLISTIC.includes(s.class));
  for (const s of ballistic) st.systems.set(s.id, s);
  const byCountry = new Map();
  for (const s of ballistic) {
    if (!byCountry.has(s.country)) byCountry.set(s.country, []);
    byCountry.get(s.country).push(s);
  }
  const select = $("#traj-system");
  select.innerHTML = [...byCountry.entries()].map(([country, list]) =>
    `<optgroup label="${esc(country)}">${list.map((s) => {
      const r = s.range_km;
      const interval = r.low === r.high ? fmtInt(r.low) : `${fmtInt(r.low)}–${fmtInt(r.high)}`;
      return `<option value="${esc(s.id)}" data-class="${esc(s.class)}">${esc(s.name)} (${esc(s.class)}, ${interval} km)</option>`;
    }).join("")}</optgroup>`).join("") || '<option value="">No ballistic systems</option>';
  const home = ballistic.filter((s) => s.country === getQuery().from);
  if (home.length) select.value = home.reduce((a, b) => (b.range_km.high > a.range_km.high ? b : a)).id;

  // ------------------------------------------------------------------------------------------ busy / errors
  function showError(err) {
    showProblem($("#traj-error"), err);
  }

  function tick() {
    const s = Math.round((performance.now() - st.started) / 1000);
    $("#traj-busy-text").textContent = `${st.label}… ${s} s`;
  }

  /** Run `fn` with the busy indicator and `button` disabled; status "done" or "error" once nothing runs. */
  async function busy(label, button, fn) {
    st.pending += 1;
    st.label = label;
    st.started = performance.now();
    showError(null);
    $("#traj-status").textContent = "working";
    $("#traj-busy").hidden = false;
    tick();
    clearInterval(st.timer);
    st.timer = setInterval(tick, 1000);
    if (button) button.disabled = true;
    let failed = false;
    try {
      await fn();
    } catch (err) {
      failed = true;
      showError(err);
    } finally {
      if (button) button.disabled = false;
      st.pending -= 1;
      if (st.pending === 0) {
        clearInterval(st.timer);
        $("#traj-busy").hidden = true;
        $("#traj-status").textContent = failed ? "error" : "done";
      } else if (failed) {
        $("#traj-status").textContent = "working";
      }
    }
  }

  const systemName = () => st.systems.get(select.value)?.name || select.value;

  // ------------------------------------------------------------------------------------------ maximum range
  function number(sel, fallback) {
    const v = Number($(sel).value);
    return $(sel).value === "" || !Number.isFinite(v) ? fallback : v;
  }

  // The launch starts from the system's own country (its named test range, else its capital: the server's
  // default, stated in the answer), not 0°, 0°: the point fields stay empty until the user types one, and show
  // the launch point used once a flight has answered.
  function resetLaunchPoint() {
    for (const sel of ["#traj-lat", "#traj-lon"]) {
      $(sel).value = "";
      $(sel).placeholder = "site";
      $(sel).title = "Empty: a named launch site in the system's country (its test range, else its capital)";
    }
  }
  resetLaunchPoint();

  async function maxRange() {
    const system = select.value;
    if (!system) return;
    const launch = {};
    const lat = number("#traj-lat", null);
    const lon = number("#traj-lon", null);
    const az = number("#traj-az", null);
    if (lat !== null) launch.lat_deg = lat;
    if (lon !== null) launch.lon_deg = lon;
    if (az !== null) launch.azimuth_deg = az;
    const res = await postJSON("trajectory/max-range",
      { system, launch, non_rotating: $("#traj-nonrot").checked, history: true });
    if (lat === null && lon === null) {
      $("#traj-lat").placeholder = res.launch.lat_deg.toFixed(2);
      $("#traj-lon").placeholder = res.launch.lon_deg.toFixed(2);
    }
    renderMaxRange(res);
    await drawChart(res);
  }

  function renderMaxRange(res) {
    const set = (sel, text, value) => {
      $(sel).textContent = text;
      $(sel).dataset.value = value ?? "";
    };
    const bo = res.burnout;
    set("#traj-range", fmtKm(res.range_km), res.range_km);
    set("#traj-apogee", fmtKm(res.apogee_km), res.apogee_km);
    set("#traj-time", `${fmtInt(res.flight_time_s)} s (${(res.flight_time_s / 60).toFixed(1)} min)`, res.flight_time_s);
    set("#traj-bo-speed", `${fmtInt(bo.speed_m_s)} m/s`, bo.speed_m_s);
    $("#traj-bo-speed").title = `inertial; ${fmtInt(bo.speed_rel_m_s)} m/s relative to the rotating Earth`;
    set("#traj-bo-angle", `${bo.angle_deg.toFixed(1)}°`, bo.angle_deg);
    $("#traj-bo-angle").title = "flight-path angle above the local horizontal at burnout";
    const l = res.launch;
    $("#traj-model").textContent = `Launch ${res.launch_site || `${l.lat_deg.toFixed(2)}°, ${l.lon_deg.toFixed(2)}°`}, ` +
      `azimuth ${fmtInt(l.azimuth_deg)}° · burnout at ${fmtInt(bo.time_s)} s, ${fmtInt(bo.altitude_km)} km · pitch-over ` +
      `${res.guidance.kick_deg.toFixed(1)}°, thrust tilt ${res.guidance.bias_deg.toFixed(1)}° · ${res.earth}; ` +
      `${res.atmosphere}.` + (res.geometry ? ` Same site: ${fmtKm(res.geometry.non_rotating_km)} non-rotating; ` +
        `${fmtKm(res.geometry.worst_km)} (toward ${fmtInt(res.geometry.worst_azimuth_deg)}°) to ` +
        `${fmtKm(res.geometry.best_km)} (toward ${fmtInt(res.geometry.best_azimuth_deg)}°) by azimuth.` : "") +
      (res.global_reach ? " Global reach: near the antipode every point is within reach." : "");
    const sys = res.system || {};
    const calibrated = /range-calibrated/.test(sys.calibration || "");
    $("#traj-calibration").innerHTML = `<strong>${esc(sys.name || "Vehicle")}</strong> — ${esc(sys.calibration || "")}.` +
      ` Lift-off mass ${fmtInt(sys.launch_mass_kg || 0)} kg, payload ${fmtInt(sys.payload_kg || 0)} kg.` +
      (res.published_range_km ? ` Published range ${fmtInt(res.published_range_km.low)}` +
        (res.published_range_km.high > res.published_range_km.low ? `–${fmtInt(res.published_range_km.high)}` : "") +
        " km (catalogue)." : "") +
      (res.notes?.length ? ` <span class="k">${esc(res.notes.join(" "))}</span>` : "") +
      (calibrated ? ' <span class="badge unverified">range-calibrated</span> <span class="k">the maximum range ' +
        "reproduces the catalogue figure by construction; it is not an independent estimate.</span>" : "");
    $("#traj-sources").innerHTML = (sys.sources || []).map((id) => {
      const s = sources.get(id);
      const title = !s ? "" : s.url ? ` <a href="${esc(s.url)}" target="_blank" rel="noopener">${esc(s.title)}</a>` : ` ${esc(s.title)}`;
      return `<li><code>${esc(id)}</code>${title}</li>`;
    }).join("");
    $("#traj-chart-title").textContent = `${sys.name || "Vehicle"}: altitude against downrange`;
  }

  async function drawChart(res) {
    const Plot = await import("@observablehq/plot");
    const h = res.history;
    const box = $("#traj-chart");
    if (!h || !h.t_s?.length) {
      box.innerHTML = '<p class="muted">No time history.</p>';
      return;
    }
    const pts = h.t_s.map((t, i) => ({ t, d: h.downrange_km[i], h: h.altitude_km[i], v: h.speed_m_s?.[i] }));
    const tb = res.burnout.time_s;
    // Downrange at burnout: linear in time between the recorded steps around it.
    let k = pts.findIndex((p) => p.t >= tb);
    if (k < 0) k = pts.length - 1;
    const a = pts[Math.max(k - 1, 0)];
    const b = pts[k];
    const w = b.t > a.t ? (tb - a.t) / (b.t - a.t) : 0;
    const bo = { t: tb, d: a.d + w * (b.d - a.d), h: res.burnout.altitude_km };
    const powered = [...pts.filter((p) => p.t < tb), bo];
    const ballistic = [bo, ...pts.filter((p) => p.t > tb)];
    const apo = pts.reduce((m, p) => (p.h > m.h ? p : m), pts[0]);
    const width = Math.max(320, Math.min(box.clientWidth || 560, 900));
    const chart = Plot.plot({
      width,
      height: 300,
      marginLeft: 56,
      marginRight: 24,
      marginTop: 24,
      marginBottom: 40,
      style: { fontSize: "12px", background: "transparent", overflow: "visible" },
      x: { label: "Downrange (km) →", grid: true, nice: true },
      y: { label: "↑ Altitude (km)", grid: true, nice: true, domain: [0, apo.h * 1.15] },
      marks: [
        Plot.areaY(pts, { x: "d", y: "h", fill: "#e4572e", fillOpacity: 0.07 }),
        Plot.ruleY([0], { stroke: "#1d2430" }),
        Plot.line(ballistic, { x: "d", y: "h", stroke: "#e4572e", strokeWidth: 2 }),
        Plot.line(powered, { x: "d", y: "h", stroke: "#1d2430", strokeWidth: 3.5 }),
        Plot.dot([apo], { x: "d", y: "h", r: 3.5, fill: "#e4572e" }),
        Plot.text([apo], { x: "d", y: "h", dy: -10, text: (p) => `apogee ${fmtInt(p.h)} km`, fill: "#1d2430" }),
        Plot.dot([bo], { x: "d", y: "h", r: 5, fill: "#1d2430", stroke: "#fff", strokeWidth: 1.5 }),
        Plot.text([bo], { x: "d", y: "h", dx: 9, dy: 2, textAnchor: "start", fill: "#1d2430", fontWeight: 600,
          text: (p) => `burnout ${fmtInt(p.t)} s, ${fmtInt(p.h)} km` }),
        Plot.tip(pts, Plot.pointerX({ x: "d", y: "h",
          title: (p) => `t = ${fmtInt(p.t)} s\naltitude ${fmtInt(p.h)} km\ndownrange ${fmtInt(p.d)} km` +
            (p.v ? `\nspeed ${fmtInt(p.v)} m/s` : "") })),
      ],
    });
    chart.classList.add("traj-plot");
    chart.setAttribute("aria-label", "Altitude against downrange");
    box.innerHTML = "";
    box.append(chart);
    const cap = document.createElement("p");
    cap.className = "hint chart-key";
    cap.innerHTML = '<span><span class="key powered"></span> powered flight to burnout (dot)</span>' +
      '<span><span class="key coast"></span> ballistic flight to impact</span><span>· axes not to the same scale</span>';
    box.append(cap);
  }

  // ------------------------------------------------------------------------------------------ physics reach
  function clearPhysics() {
    st.reachKey = null;
    map.setPhysics(null);
    for (const sel of ["#phys-reaches", "#phys-toward", "#phys-nearest", "#phys-area", "#phys-pop", "#phys-span"]) {
      $(sel).textContent = "—";
      $(sel).dataset.value = "";
    }
    $("#phys-note").textContent = "";
    refreshLegend();
  }

  async function physicsReach() {
    const system = select.value;
    if (!system) return;
    const { from, to } = getQuery();
    const res = await getJSON("trajectory/reach", { from, to, system });
    const now = getQuery();
    if (now.from !== from || now.to !== to) return; // the page moved on; this answer is for another query
    st.reachKey = `${from}|${to}|${system}`;
    map.setPhysics({ feature: res.polygon, launchPoint: res.launch_point, name: res.system?.name || systemName() });
    refreshLegend();
    const yes = res.reaches_nearest;
    $("#phys-reaches").innerHTML = `<span class="v ${yes ? "yes" : "no"}">${yes ? "yes" : "no"}</span>`;
    $("#phys-reaches").dataset.value = String(yes);
    $("#phys-toward").textContent = fmtKm(res.range_toward_nearest_km);
    $("#phys-nearest").textContent = fmtKm(res.nearest_km);
    $("#phys-area").textContent = fmtPct(res.area_fraction);
    $("#phys-area").dataset.value = res.area_fraction ?? "";
    $("#phys-pop").textContent = fmtPct(res.population_fraction);
    const p = res.azimuth_profile;
    $("#phys-span").textContent = `${fmtInt(p.min_km)}–${fmtInt(p.max_km)} km`;
    const [lat, lon] = res.launch_point;
    $("#phys-note").textContent = `${res.system?.name || systemName()} from ${res.from.name} (launch point ` +
      `${lat.toFixed(2)}°, ${lon.toFixed(2)}°) to ${res.to.name}, maximum range in ${p.azimuth_deg.length} launch ` +
      `directions; ${res.earth}. ${res.system?.calibration ? `Vehicle: ${res.system.calibration}.` : ""}`;
  }

  // ---------------------------------------------------------------------------------------------------- loft
  async function loadTemplates() {
    const body = await getJSON("trajectory/templates");
    const sel = $("#loft-template");
    const current = sel.value || "liquid-2stage";
    sel.innerHTML = body.templates.map((t) =>
      `<option value="${esc(t.id)}" title="${esc(`${t.name}. ${t.basis}`)}">${esc(t.id)}</option>`).join("");
    sel.value = current;
    if (sel.value !== current && sel.options.length) sel.selectedIndex = 0;
  }

  const bandText = (lo, hi, global) =>
    global ? (lo == null ? "global reach" : `${fmtKm(lo)} – global reach`)
      : lo == null ? "—" : (Math.abs(hi - lo) < 0.5 ? fmtKm(lo) : `${fmtKm(lo)} – ${fmtKm(hi)}`);

  async function loft() {
    const time = $("#loft-time").value;
    const res = await postJSON("trajectory/loft", {
      apogee_km: Number($("#loft-apogee").value),
      range_km: Number($("#loft-range").value),
      ...(time === "" ? {} : { time_s: Number(time) }),
      template: $("#loft-template").value,
    });
    const head = res.headline;
    $("#loft-standard").textContent = head.global_reach ? "global reach" : fmtKm(head.standard_range_km);
    $("#loft-standard").dataset.value = head.standard_range_km ?? "";
    const bm = res.burnout_speed;
    $("#loft-burnout-band").textContent = bandText(bm.band_km?.[0], bm.band_km?.[1], bm.global_reach);
    const tf = res.template_fit;
    $("#loft-template-band").textContent = bandText(tf.low_km, tf.high_km, tf.global_reach);
    const n = bm.nominal;
    $("#loft-residuals").textContent = `Burnout at ${fmtInt(n.burnout_alt_km)} km: ${fmtInt(n.burnout_speed_m_s)} m/s ` +
      `at ${n.burnout_angle_deg.toFixed(1)}°` + (n.flight_time_residual_pct == null ? "" :
        `, flight-time residual ${fmtSigned(n.flight_time_residual_pct)}`) +
      `. Template fit: ${tf.rule}` + (tf.inconsistent_observations ? " (observations inconsistent)" : "") + ".";
    $("#loft-note").textContent = `${head.why} Lofted flights: ${res.earth}.`;
  }

  // ---------------------------------------------------------------------------------------------------- wiring
  $("#traj-max").addEventListener("click", () => {
    writeTrajectoryHash();
    busy(`Flying ${systemName()}`, $("#traj-max"), maxRange);
  });
  $("#traj-reach").addEventListener("click", () =>
    busy(`Reach of ${systemName()} in every direction`, $("#traj-reach"), async () => {
      await physicsReach();
      if (st.reachKey) writeTrajectoryHash();
    }));
  $("#loft-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    writeLoftHash();
    busy("Fitting the lofted test", $("#loft-go"), loft);
  });
  select.addEventListener("change", () => {
    if (st.reachKey) clearPhysics();
    resetLaunchPoint(); // another system: another country's site
    writeTrajectoryHash();
  });

  // ------------------------------------------------------------------------------------------- URL state
  // `#trajectory?from=&to=&system=&lat=&lon=&az=&nonrot=1&physics=1` (the maximum range; physics=1 once the reach
  // from physics is drawn) and `#loft?apogee=&range=&time=&template=` (the lofted test; time=none: no flight time), written as the user changes
  // the controls; on load and on hashchange the values are set and the flight (or the conversion) runs.
  function writeTrajectoryHash() {
    const { from, to } = getQuery();
    writeHash("trajectory", { from, to, system: select.value, lat: $("#traj-lat").value, lon: $("#traj-lon").value,
      az: $("#traj-az").value, nonrot: $("#traj-nonrot").checked, physics: Boolean(st.reachKey) });
  }
  function writeLoftHash() {
    writeHash("loft", { apogee: $("#loft-apogee").value, range: $("#loft-range").value, time: $("#loft-time").value || "none",
      template: $("#loft-template").value });
  }
  for (const sel of ["#traj-lat", "#traj-lon", "#traj-az", "#traj-nonrot"]) {
    $(sel).addEventListener("change", writeTrajectoryHash);
  }
  for (const sel of ["#loft-apogee", "#loft-range", "#loft-time", "#loft-template"]) {
    $(sel).addEventListener("change", writeLoftHash);
  }

  const numberParam = (v) => {
    const x = one(v);
    return x !== undefined && x !== "" && Number.isFinite(Number(x)) ? String(Number(x)) : null;
  };
  function applyTrajectory(p) {
    if (p.system !== undefined && !setSelect(select, p.system)) {
      showError(new Error(`No ballistic system '${one(p.system)}' in the catalogue.`));
      return;
    }
    if (p.system !== undefined) resetLaunchPoint();
    for (const [key, sel] of [["lat", "#traj-lat"], ["lon", "#traj-lon"], ["az", "#traj-az"]]) {
      const v = numberParam(p[key]);
      if (v !== null) $(sel).value = v;
    }
    if (p.nonrot !== undefined) $("#traj-nonrot").checked = truthy(p.nonrot);
    if (!select.value) return;
    busy(`Flying ${systemName()}`, $("#traj-max"), maxRange);
    if (truthy(p.physics)) busy(`Reach of ${systemName()} in every direction`, $("#traj-reach"), physicsReach);
  }
  async function applyLoft(p) {
    for (const [key, sel] of [["apogee", "#loft-apogee"], ["range", "#loft-range"], ["time", "#loft-time"]]) {
      if (key === "time" && one(p.time) === "none") $(sel).value = ""; // no flight time given
      const v = numberParam(p[key]);
      if (v !== null) $(sel).value = v;
    }
    await templatesLoaded;
    if (p.template !== undefined) setSelect($("#loft-template"), p.template);
    if (!$("#loft-form").checkValidity()) return;
    busy("Fitting the lofted test", $("#loft-go"), loft);
  }

  const templatesLoaded = loadTemplates().catch((err) => showError(err));
  onPanelHash("trajectory", applyTrajectory);
  onPanelHash("loft", applyLoft);
  {
    // On load: after main.js has started the reach query (whose start clears a physics polygon).
    const p = panelParams("trajectory");
    if (p) setTimeout(() => applyTrajectory(p), 0);
    const q = panelParams("loft");
    if (q) setTimeout(() => applyLoft(q), 0);
  }

  return {
    /** FROM or TO changed: the physics polygon and figures no longer apply. */
    queryChanged() {
      if (st.reachKey || map.physics) clearPhysics();
    },
  };
}
