// The claims section at the top of the workbench: each claim of the commentaries (GET /api/claims) as a card with
// its quote, the checkable reading, the kind and, once checked, the computed verdict (GET /api/claims/check?id=…):
// robustness over the alternative readings (a bar and a %), the strongest counter-setting, and on demand the
// evidence per setting (question, parameters, queried value, holds) with "Open the panel", which scrolls to the
// panel that answers the question with its parameters set.
//
// Verdicts load lazily: a card's "Check" (or "Show the evidence"), or "Check all" (two at a time, with progress).
// Opinion and forecast claims are "not checkable" from the list alone, with the reason and the closest evidence.
//
// URL state: `?claim=<id>` opens, highlights and checks that card on load (the ClaimReview export's url); opening a
// card's evidence writes it. "Open the panel" writes `#<panel>?<params>` and scrolls to the panel, which applies the
// parameters itself (urlstate.js; reach: from, to, range_km and the ticked systems, system=ID repeated, in main.js)
// and runs.
// #claims carries data-ready="true" once the list is drawn; each card data-verdict and data-robustness once checked;
// #claims-status reads "loading", "ready", "checking", "checked" or "error".
import "./claims.css";
import { getJSON, esc, showProblem } from "./api.js";
import { readHash } from "./urlstate.js";

const $ = (sel) => document.querySelector(sel);
const VERDICT_CLASS = (v) => String(v || "").replace(/\s+/g, "-");
const pct = (r) => (r === null || r === undefined ? "—" : `${Math.round(100 * r)} %`);
const CONCURRENCY = 2;

/** The panel that answers a question: [panel key, element id to scroll to]. */
export function panelFor(question) {
  const ns = String(question || "").split(".")[0];
  if (ns === "reach" || ns === "catalog") return "reach";
  if (["trajectory", "sanctions", "evidence", "dynamics"].includes(ns)) return ns;
  return null;
}
const PANEL_ELEMENT = { reach: "#reach", trajectory: "#trajectory", sanctions: "#sanctions", evidence: "#evidence",
  dynamics: "#dynamics" };
const PANEL_NAME = { reach: "map and reach", trajectory: "trajectory", sanctions: "sanctions", evidence: "evidence",
  dynamics: "dynamics" };

/** `#panel?k=v&…` for a question and its parameters (lists repeat the key; catalog.* country → reach from). */
export function panelHash(question, params) {
  const panel = panelFor(question);
  if (!panel) return null;
  const qs = new URLSearchParams();
  const p = { ...(params || {}) };
  if (String(question).startsWith("catalog.") && p.country) {
    qs.append("from", p.country);
    delete p.country;
  }
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else if (typeof v === "object") qs.append(k, JSON.stringify(v));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return `#${panel}${s ? `?${s}` : ""}`;
}

/** The panel and its parameters from location.hash (`#reach?from=PAK&to=USA:conus`); null for another hash. */
export function readPanelHash(hash = location.hash) {
  const h = readHash(hash);
  return h && PANEL_ELEMENT[h.panel] ? h : null;
}

function paramText(params) {
  const entries = Object.entries(params || {});
  if (!entries.length) return '<span class="muted">defaults</span>';
  return entries.map(([k, v]) => `<code>${esc(k)}=${esc(Array.isArray(v) ? v.join(",") : typeof v === "object" ? JSON.stringify(v) : v)}</code>`).join(" ");
}

function valueText(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 4 });
  if (typeof v === "boolean") return v ? "true" : "false";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

function bar(r) {
  const w = Math.max(0, Math.min(1, r ?? 0)) * 100;
  return `<svg class="cc-bar" viewBox="0 0 100 8" preserveAspectRatio="none" width="120" height="8" aria-hidden="true">
    <rect x="0" y="0" width="100" height="8" class="track"/><rect x="0" y="0" width="${w.toFixed(1)}" height="8" class="fill"/></svg>`;
}

export function initClaims() {
  const root = $("#claims");
  if (!root) return;
  const st = { list: null, byId: new Map(), verdicts: new Map(), pending: new Map(), sources: new Map(), checking: 0 };

  const setStatus = (t) => {
    $("#claims-status").textContent = t;
  };
  const card = (id) => root.querySelector(`.claim-card[data-claim="${CSS.escape(id)}"]`);

  // ------------------------------------------------------------------------------------------------ the list
  function renderList() {
    const comms = st.list.commentaries || [];
    const groups = comms.map((c) => ({ c, claims: st.list.claims.filter((x) => x.commentary === c.id) }));
    const orphans = st.list.claims.filter((x) => !comms.some((c) => c.id === x.commentary));
    if (orphans.length) groups.push({ c: { id: "other", title: "Other claims" }, claims: orphans });
    $("#claims-groups").innerHTML = groups.map(({ c, claims }) => `
      <section class="claims-group" data-commentary="${esc(c.id)}">
        <h3><span class="cg-title">${c.url ? `<a href="${esc(c.url)}" target="_blank" rel="noopener">${esc(c.title)}</a>` : esc(c.title)}</span>
          <span class="sub">${[c.author, c.outlet, c.date].filter(Boolean).map(esc).join(" · ")} · ${claims.length} claims</span></h3>
        <div class="claims-grid">${claims.map(cardHtml).join("")}</div>
      </section>`).join("");
    $("#claims-summary").textContent = `${st.list.claims.length} claims from ${comms.length} commentaries; ` +
      `${st.list.claims.filter((x) => x.checkable).length} checkable against the data.`;
    updateProgress();
  }

  function cardHtml(c) {
    const verdict = c.checkable ? "" : "not checkable";
    return `<article class="claim-card" id="claim-${esc(c.id)}" data-claim="${esc(c.id)}" data-kind="${esc(c.kind)}"
        data-checkable="${c.checkable}" data-verdict="${esc(verdict)}">
      <div class="cc-head"><span class="cc-kind" title="kind of claim">${esc(c.kind.replace("_", " "))}</span>
        <span class="cc-verdict v-${VERDICT_CLASS(verdict || "unchecked")}">${esc(verdict || "not checked yet")}</span></div>
      <blockquote class="cc-quote">“${esc(c.quote)}”</blockquote>
      <p class="cc-reading"><span class="k">Checked as:</span> ${esc(c.claim)}</p>
      <div class="cc-result">${c.checkable
        ? `<span class="cc-rule"><span class="k">Rule:</span> ${esc(c.rule || "")} · ${c.alternatives} alternative reading${c.alternatives === 1 ? "" : "s"}</span>`
        : `<span class="cc-why">${esc(c.why || "")}</span>`}</div>
      <div class="cc-actions">
        ${c.checkable ? '<button type="button" class="cc-check">Check</button>' : ""}
        <button type="button" class="cc-show" aria-expanded="false">Show the evidence</button>
        <a class="cc-link" href="?claim=${encodeURIComponent(c.id)}" title="link to this claim">link</a>
      </div>
      <div class="cc-evidence" hidden></div>
    </article>`;
  }

  // ------------------------------------------------------------------------------------------------ verdicts
  function renderVerdict(id) {
    const el = card(id);
    const v = st.verdicts.get(id);
    if (!el || !v) return;
    el.dataset.verdict = v.verdict;
    el.dataset.robustness = v.robustness ?? "";
    el.querySelector(".cc-verdict").className = `cc-verdict v-${VERDICT_CLASS(v.verdict)}`;
    el.querySelector(".cc-verdict").textContent = v.verdict;
    const counter = v.counter
      ? `<p class="cc-counter"><span class="k">Counter-setting:</span> ${esc(v.counter.label)}${v.counter.reason ? ` — ${esc(v.counter.reason)}` : ""}
         (weight ${esc(v.counter.weight)}; there it ${v.counter.holds ? "holds" : "does not hold"})</p>`
      : (v.verdict === "not checkable" ? "" : '<p class="cc-counter"><span class="k">Counter-setting:</span> none — no alternative reading changes the outcome.</p>');
    el.querySelector(".cc-result").innerHTML = v.verdict === "not checkable"
      ? `<span class="cc-why">${esc(v.why || v.error || "")}</span>`
      : `<div class="cc-robust"><span class="k">Robustness</span> ${bar(v.robustness)}
           <span class="cc-pct">${pct(v.robustness)}</span>
           <span class="muted">(${esc(v.weight_held)} of ${esc(v.weight_checked)} weight${v.settings_failed ? `; ${v.settings_failed} setting(s) failed` : ""})</span></div>
         ${counter}`;
    const btn = el.querySelector(".cc-check");
    if (btn) btn.hidden = true;
    if (!el.querySelector(".cc-evidence").hidden) renderEvidence(id);
  }

  function renderFailure(id, err) {
    const el = card(id);
    if (!el) return;
    el.dataset.verdict = "error";
    const box = document.createElement("div");
    box.className = "error";
    showProblem(box, err);
    el.querySelector(".cc-result").replaceChildren(box);
    const btn = el.querySelector(".cc-check");
    if (btn) {
      btn.textContent = "Retry";
      btn.disabled = false;
    }
  }

  function check(id) {
    if (st.verdicts.has(id)) return Promise.resolve(st.verdicts.get(id));
    if (st.pending.has(id)) return st.pending.get(id);
    const el = card(id);
    const btn = el?.querySelector(".cc-check");
    if (btn) {
      btn.disabled = true;
      btn.textContent = "Checking…";
    }
    el?.classList.add("busy-card");
    st.checking++;
    setStatus("checking");
    const p = getJSON("claims/check", { id })
      .then((res) => {
        const v = res.verdicts[0];
        st.verdicts.set(id, v);
        for (const s of v.sources || []) st.sources.set(s.id, s);
        renderVerdict(id);
        return v;
      })
      .catch((err) => {
        renderFailure(id, err);
        return null;
      })
      .finally(() => {
        st.pending.delete(id);
        el?.classList.remove("busy-card");
        st.checking--;
        updateProgress();
        if (!st.checking) setStatus("checked");
      });
    st.pending.set(id, p);
    return p;
  }

  function updateProgress() {
    if (!st.list) return;
    const checkable = st.list.claims.filter((c) => c.checkable);
    const done = checkable.filter((c) => st.verdicts.has(c.id)).length;
    $("#claims-progress").textContent = `${done} of ${checkable.length} checked`;
    $("#claims-progress-bar").setAttribute("value", String(done));
    $("#claims-progress-bar").setAttribute("max", String(checkable.length || 1));
    const tally = {};
    for (const v of st.verdicts.values()) tally[v.verdict] = (tally[v.verdict] || 0) + 1;
    const nc = st.list.claims.filter((c) => !c.checkable).length;
    if (nc) tally["not checkable"] = (tally["not checkable"] || 0) + nc;
    $("#claims-tally").innerHTML = Object.entries(tally).map(([k, n]) =>
      `<span class="cc-verdict v-${VERDICT_CLASS(k)}">${esc(k)}: ${n}</span>`).join(" ");
    $("#claims-check-all").disabled = done === checkable.length;
    if (done === checkable.length) $("#claims-check-all").textContent = "All checked";
  }

  async function checkAll() {
    const ids = st.list.claims.filter((c) => c.checkable && !st.verdicts.has(c.id)).map((c) => c.id);
    $("#claims-check-all").disabled = true;
    $("#claims-check-all").textContent = "Checking…";
    let next = 0;
    const worker = async () => {
      while (next < ids.length) await check(ids[next++]);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    updateProgress();
    if ($("#claims-check-all").textContent === "Checking…") {
      $("#claims-check-all").textContent = "Check all";
      $("#claims-check-all").disabled = false;
    }
  }

  // ------------------------------------------------------------------------------------------------ evidence
  function openButton(question, params, label = "Open the panel") {
    const panel = panelFor(question);
    if (!panel) {
      return `<p class="hint">No panel of the workbench shows <code>${esc(question)}</code>; the API answers it
        (<code>equilibrium ask ${esc(question)}</code> or <a href="docs" target="_blank" rel="noopener">/docs</a>).</p>`;
    }
    return `<button type="button" class="cc-open" data-question="${esc(question)}"
      data-params="${esc(JSON.stringify(params || {}))}">${esc(label)}: ${esc(PANEL_NAME[panel])} ↓</button>`;
  }

  function renderEvidence(id) {
    const el = card(id);
    const c = st.byId.get(id);
    const v = st.verdicts.get(id);
    const box = el.querySelector(".cc-evidence");
    if (!c.checkable) {
      const closest = v?.closest || (c.question ? { question: c.question, params: c.params } : null);
      box.innerHTML = `<p><span class="k">Not checkable:</span> ${esc(c.why || "")}</p>
        ${closest ? `<p><span class="k">Closest evidence:</span> <code>${esc(closest.question)}</code> ${paramText(closest.params)}</p>
          ${openButton(closest.question, closest.params, "Open the closest evidence")}` : ""}`;
      return;
    }
    if (!v) {
      box.innerHTML = '<p class="muted">Checking…</p>';
      return;
    }
    const rows = (v.settings || []).map((s) => `<tr class="${s.error ? "failed" : s.holds ? "holds" : "fails"}">
        <td>${esc(s.label)}${s.reason ? `<div class="k">${esc(s.reason)}</div>` : ""}</td>
        <td><code>${esc(s.question)}</code> ${paramText(s.params)}${s.rule && s.setting === "alternative rule" ? `<div class="k">rule: ${esc(s.rule)}</div>` : ""}</td>
        <td class="num">${esc(s.weight)}</td>
        <td class="num">${s.error ? `<span class="k">${esc(s.error)}</span>` : esc(valueText(s.value))}</td>
        <td>${s.error ? "failed" : `<span class="v ${s.holds ? "yes" : "no"}">${s.holds ? "holds" : "does not hold"}</span>`}</td>
      </tr>`).join("");
    const stated = (v.settings || []).find((s) => s.setting === "stated");
    const defaults = (stated?.defaults || []).map((d) =>
      `<li><span class="k">${esc(d.name)}:</span> ${esc(d.value)}${d.note ? ` <span class="k">(${esc(d.note)})</span>` : ""}</li>`).join("");
    const srcs = (v.sources || []).map((s) =>
      `<li>${s.url ? `<a href="${esc(s.url)}" target="_blank" rel="noopener">${esc(s.title)}</a>` : esc(s.title)} <code class="k">${esc(s.id)}</code></li>`).join("");
    box.innerHTML = `${v.verdict === "not checkable" ? `<p><span class="k">Not checkable:</span> ${esc(v.why || v.error || "")}</p>` : ""}
      <p class="cc-expl">${esc(v.explanation || "")}</p>
      ${c.not_checked ? `<p><span class="k">Not checked by this reading:</span> ${esc(c.not_checked)}</p>` : ""}
      <table class="sanc-table cc-table" data-rows="${(v.settings || []).length}">
        <thead><tr><th>Setting</th><th>Question and parameters</th><th>Weight</th><th>Value</th><th>Rule</th></tr></thead>
        <tbody>${rows}</tbody></table>
      ${(v.evidence || []).length ? `<ul class="cc-notes">${v.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>` : ""}
      ${openButton(v.question, v.params)}
      ${defaults ? `<details class="cc-more"><summary>Data versions, defaults and seeds</summary><ul>${defaults}</ul></details>` : ""}
      ${srcs ? `<details class="cc-more"><summary>Sources (${v.sources.length})</summary><ul class="sources-list">${srcs}</ul></details>` : ""}`;
  }

  function setClaimUrl(id) {
    const url = new URL(location.href);
    if (id) url.searchParams.set("claim", id);
    else url.searchParams.delete("claim");
    history.replaceState(history.state, "", url);
  }

  function showEvidence(id, open = true) {
    const el = card(id);
    if (!el) return;
    const box = el.querySelector(".cc-evidence");
    box.hidden = !open;
    el.querySelector(".cc-show").setAttribute("aria-expanded", String(open));
    el.querySelector(".cc-show").textContent = open ? "Hide the evidence" : "Show the evidence";
    el.classList.toggle("open", open);
    if (!open) return;
    setClaimUrl(id);
    renderEvidence(id);
    if (st.byId.get(id).checkable && !st.verdicts.has(id)) check(id).then(() => renderEvidence(id));
  }

  function focusClaim(id) {
    const el = card(id);
    if (!el) return false;
    for (const x of root.querySelectorAll(".claim-card.highlight")) x.classList.remove("highlight");
    el.classList.add("highlight");
    showEvidence(id, true);
    el.scrollIntoView({ block: "start" });
    return true;
  }

  // ------------------------------------------------------------------------------------------------ panels
  // Each panel applies its own parameters from the hash (urlstate.js: on load and on hashchange; reach in main.js):
  // here the panel is only scrolled to and flashed.
  function applyPanel(target) {
    if (!target) return;
    const el = $(PANEL_ELEMENT[target.panel]);
    el?.scrollIntoView({ block: "start" });
    el?.classList.add("panel-flash");
    setTimeout(() => el?.classList.remove("panel-flash"), 1600);
  }

  function openPanel(question, params) {
    const hash = panelHash(question, params);
    if (!hash) return;
    const url = new URL(location.href);
    url.hash = hash;
    history.pushState(history.state, "", url);
    // main.js reads the reach parameters on hashchange; pushState does not fire it.
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }

  // ------------------------------------------------------------------------------------------------ events
  root.addEventListener("click", (ev) => {
    const t = ev.target instanceof Element ? ev.target : null;
    const cardEl = t?.closest(".claim-card");
    const id = cardEl?.dataset.claim;
    if (t?.closest(".cc-check") && id) check(id);
    else if (t?.closest(".cc-show") && id) showEvidence(id, cardEl.querySelector(".cc-evidence").hidden);
    else if (t?.closest(".cc-open")) {
      const b = t.closest(".cc-open");
      // the claim's view (systems to tick on the reach map) goes with the parameters of the reach panel
      const view = panelFor(b.dataset.question) === "reach" ? st.byId.get(id)?.view : null;
      openPanel(b.dataset.question, { ...JSON.parse(b.dataset.params || "{}"), ...(view?.system?.length ? { system: view.system } : {}) });
    } else if (t?.closest(".cc-link") && id) {
      ev.preventDefault();
      setClaimUrl(id);
      focusClaim(id);
    }
  });
  $("#claims-check-all").addEventListener("click", checkAll);
  window.addEventListener("hashchange", () => applyPanel(readPanelHash()));

  // ------------------------------------------------------------------------------------------------ load
  async function load() {
    setStatus("loading");
    try {
      st.list = await getJSON("claims");
    } catch (err) {
      showProblem($("#claims-error"), err);
      setStatus("error");
      root.dataset.ready = "true";
      return;
    }
    for (const c of st.list.claims) st.byId.set(c.id, c);
    renderList();
    root.dataset.ready = "true";
    setStatus("ready");
    const want = new URLSearchParams(location.search).get("claim");
    if (want) {
      if (!focusClaim(want)) {
        const close = st.list.claims.map((c) => c.id).filter((x) => x.includes(want) || want.includes(x)).slice(0, 3);
        showProblem($("#claims-error"), new Error(`No claim '${want}'${close.length ? `; did you mean ${close.join(", ")}?` : "."}`));
      }
    } else if (readPanelHash()) {
      setTimeout(() => applyPanel(readPanelHash()), 0);
    }
  }

  window.equilibriumClaims = { state: st, check, checkAll, focusClaim };
  load();
}

initClaims();
