// Shareable URL state: each panel keeps its controls in the URL hash, `#<panel>?k=v&…`, one panel at a time.
//
// * writeHash(panel, params): a user changed a panel's controls; the hash becomes that panel's state
//   (history.replaceState: no history entry per change, so the back button is not flooded). Empty values are left
//   out, true is written as 1, lists repeat the key.
// * panelParams(panel): the parameters in the current hash when it names `panel`, else null (read on load).
// * onPanelHash(panel, fn): fn(params) on every later hashchange that names `panel` (after the other listeners
//   of the event have run: main.js applies the reach query's FROM/TO first).
// * setSelect(select, value): select the option whose value (or, failing that, label) matches, case-insensitively.
//
// `?claim=<id>` (claims.js) lives in the query string and is left alone; `#reach?from=&to=&range_km=` is main.js's.

/** The panel and its parameters from a hash (`#sanctions?country=PAK&since=1998`); a repeated key gives a list. */
export function readHash(hash = location.hash) {
  const m = /^#([a-z][a-z-]*)(?:\?(.*))?$/.exec(hash || "");
  if (!m) return null;
  const params = {};
  for (const [k, v] of new URLSearchParams(m[2] || "")) {
    if (k in params) params[k] = [].concat(params[k], v);
    else params[k] = v;
  }
  return { panel: m[1], params };
}

/** `#panel?k=v&…` for `params` (null, undefined, "" and false left out; true as 1; lists repeat the key). */
export function hashFor(panel, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "" || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else if (v === true) qs.append(k, "1");
    else if (typeof v === "object") qs.append(k, JSON.stringify(v));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return `#${panel}${s ? `?${s}` : ""}`;
}

/** Put a panel's state in the URL without a history entry (and without firing hashchange). */
export function writeHash(panel, params) {
  const url = new URL(location.href);
  url.hash = hashFor(panel, params);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

/** The parameters of the current hash when it names `panel`, else null. */
export function panelParams(panel, hash = location.hash) {
  const h = readHash(hash);
  return h && h.panel === panel ? h.params : null;
}

/** Call fn(params) on each hashchange naming `panel`, once the event's other listeners have run. */
export function onPanelHash(panel, fn) {
  window.addEventListener("hashchange", () => {
    const p = panelParams(panel);
    if (p) setTimeout(() => fn(panelParams(panel) || p), 0);
  });
}

/** One value of a parameter (the last of a repeated key). */
export function one(v) {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** "1", "true", "yes", "on" -> true. */
export function truthy(v) {
  return ["1", "true", "yes", "on"].includes(String(one(v) ?? "").toLowerCase());
}

/** Select the option of `select` matching `value` (its value, else the start of its label, case-insensitive);
 * true when found. Fires no event. */
export function setSelect(select, value) {
  if (!select || value === undefined || value === null || value === "") return false;
  const want = String(one(value)).toLowerCase();
  const opts = [...select.options];
  const opt = opts.find((o) => o.value.toLowerCase() === want) ||
    opts.find((o) => o.textContent.trim().toLowerCase().startsWith(want));
  if (!opt) return false;
  select.value = opt.value;
  return true;
}
