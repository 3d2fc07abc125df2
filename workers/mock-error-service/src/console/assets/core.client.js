// The chaos console in the browser, shared by every view: the control API with the token
// (asked once when the stack answers 401, kept in this browser's localStorage), the halt
// button and its shortcut, and the small pieces the views draw with. No framework: DOM calls.
const TOKEN_KEY = "mocks3.controlToken";
export const $ = (selector, root = document) => root.querySelector(selector);
export const data = JSON.parse($("#console-data")?.textContent || "null");

/** An element with attributes (`on…` functions become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

export function say(text) {
  $("#status").textContent = text;
}

// ── the control API, with the token ─────────────────────────────────────────────────────
let tokenAsked;
function askToken() {
  tokenAsked ??= new Promise((resolve) => {
    const dialog = $("#token-dialog");
    $("#token-form").addEventListener(
      "submit",
      () => {
        localStorage.setItem(TOKEN_KEY, $("#token-input").value.trim());
        tokenAsked = undefined;
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
  });
  return tokenAsked;
}

/** Whether this browser keeps a control token (a plain link to the control API would go without it). */
export const hasToken = () => Boolean(localStorage.getItem(TOKEN_KEY));

export async function api(path, init = {}) {
  for (;;) {
    const headers = new Headers(init.headers);
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) headers.set("authorization", `Bearer ${token}`);
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const response = await fetch(path, { ...init, headers });
    if (response.status !== 401) return response;
    await askToken();
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.reason || body?.error || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function call(path, init) {
  const response = await api(path, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const send = (method, path, body) => call(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

// ── halt ────────────────────────────────────────────────────────────────────────────────
async function halt() {
  if (!confirm("Halt everything? Every rule is disabled, every anomaly cancelled and every service state cleared.")) return;
  try {
    const result = await send("POST", "/api/v1/halt");
    const anomalies = result.halted_anomalies === null ? `anomalies not reached (${result.anomalies_error})` : `${result.halted_anomalies} anomalies cancelled`;
    say(`Halted: ${result.halted_rules} rules disabled, ${anomalies}.`);
  } catch (error) {
    say(`Halt failed: ${error.message}`);
  }
}
$("#halt").addEventListener("click", halt);
document.addEventListener("keydown", (event) => {
  if (event.altKey && event.shiftKey && event.code === "KeyH") {
    event.preventDefault();
    halt();
  }
});

// ── small shared pieces ─────────────────────────────────────────────────────────────────
export const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
export const percent = (x) => `${(100 * x).toFixed(1)} %`;

/** Draws series of values (each {values, className}) on an SVG chart scaled to `max`. */
export function drawChart(svg, series, { max, label, target }) {
  const width = 600;
  const height = 160;
  for (const node of svg.querySelectorAll("polyline, line, text.axis")) node.remove();
  const top = Math.max(max, 1e-9);
  const ns = "http://www.w3.org/2000/svg";
  for (const { values, className } of series) {
    if (values.length === 0) continue;
    const step = width / Math.max(values.length - 1, 1);
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 14 - (v / top) * (height - 24)).toFixed(1)}`).join(" ");
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points);
    line.setAttribute("class", className);
    svg.append(line);
  }
  if (target !== undefined) {
    const y = (height - 14 - (target / top) * (height - 24)).toFixed(1);
    const line = document.createElementNS(ns, "line");
    for (const [name, value] of Object.entries({ x1: 0, x2: width, y1: y, y2: y, class: "target" })) line.setAttribute(name, value);
    svg.append(line);
  }
  const text = document.createElementNS(ns, "text");
  text.setAttribute("x", "4");
  text.setAttribute("y", "12");
  text.setAttribute("class", "axis");
  text.textContent = label;
  svg.append(text);
}

/** Shows an API's 400 reason at the top of a form and beside each field it names (`path: message; …`). */
export function showErrors(form, box, error) {
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  box.textContent = error ? error.message : "";
  if (!error) return;
  for (const part of error.message.split("; ")) {
    const match = /^([\w.]+): (.*)$/.exec(part);
    if (!match) continue;
    const field = form.querySelector(`[data-path="${match[1]}"]`) ?? form.querySelector(`[data-path="${match[1].split(".").slice(0, -1).join(".")}"]`);
    if (!field) continue;
    field.setAttribute("aria-invalid", "true");
    field.after(el("span", { class: "field-error", text: match[2] }));
  }
}

/**
 * Replaces a refreshed list's children, keeping the keyboard focus: the control that had it
 * (marked `data-focus` with a key of its own) has it again in the new list, so a view that
 * refreshes every second or two never throws a keyboard user back to the top.
 */
export function replaceKeepingFocus(container, nodes) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute("data-focus") : null;
  container.replaceChildren(...nodes);
  if (key) container.querySelector(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}

/**
 * Runs `task` now and every `ms`, one at a time; a failure is said, not thrown. `ms` may be a
 * function, asked after each run: a view that polls fast only while something is running.
 */
export function repeat(task, ms) {
  const run = async () => {
    try {
      await task();
    } catch (error) {
      say(`Could not refresh: ${error.message}`);
    }
    setTimeout(run, typeof ms === "function" ? ms() : ms);
  };
  run();
}
