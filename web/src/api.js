// Thin client of the Equilibrium HTTP API (same origin). Errors are RFC 9457 problem+json.

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function getJSON(path, params = {}, { signal } = {}) {
  const qs = new URLSearchParams(params).toString();
  const url = `api/${path}${qs ? `?${qs}` : ""}`;
  const res = await fetch(url, { signal, headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ title: `HTTP ${res.status}` }));
  if (!res.ok) throw new ApiError(body, res.status);
  return body;
}

export async function postJSON(path, body, { signal } = {}) {
  const res = await fetch(`api/${path}`, {
    method: "POST",
    signal,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const out = await res.json().catch(() => ({ title: `HTTP ${res.status}` }));
  if (!res.ok) throw new ApiError(out, res.status);
  return out;
}

/** HTML-escape a value for interpolation into markup. */
export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** Show an error (an ApiError's problem+json, with its suggestions, or any Error) in `box`; hide it for null. */
export function showProblem(box, err) {
  if (!err) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const p = err instanceof ApiError ? err.problem : { title: "Error", detail: String(err?.message || err) };
  const sugg = Array.isArray(p.suggestions) && p.suggestions.length
    ? `<br>Did you mean: ${p.suggestions.map((s) => `<code>${esc(s)}</code>`).join(", ")}?` : "";
  box.innerHTML = `<strong>${esc(p.title || "Error")}</strong>: ${esc(p.detail || "")}${sugg}`;
  box.hidden = false;
}
