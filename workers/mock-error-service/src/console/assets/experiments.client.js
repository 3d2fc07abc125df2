// Experiments: the list (status, verdict, the running one's phase and progress, why one failed
// or stopped, its report, abort), read every second while one runs and every few seconds
// otherwise (one may be started from a terminal), and the form that starts one from a pasted
// YAML or JSON document. An API that cannot be read is said in the list's place.
import { $, el, say, api, call, send, hasToken, replaceKeepingFocus, repeat } from "./core.js";

const BASE = "/api/v1/experiments";
const RUNNING_MS = 1000;
const IDLE_MS = 3000;

const pathOf = (experiment) => `${BASE}/${encodeURIComponent(experiment.id)}`;
const seconds = (ms) => `${Math.round(ms / 1000)} s`;
const pad = (n) => String(n).padStart(2, "0");

/** A time as "2026-05-01 14:03:07" in this browser's zone. */
function time(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return el("time", { datetime: iso }, text);
}

/** A running experiment's phase and progress; an ended one's status. */
function progress(e) {
  if (e.status !== "running") return el("span", { class: "status" }, e.status);
  const total = Math.max(e.total_ms, 1);
  return [
    el("span", { class: "status" }, "running"),
    e.phase ? el("div", {}, `phase ${e.phase}`) : null,
    el("progress", { max: total, value: Math.min(Math.max(e.elapsed_ms, 0), total), "aria-label": `Progress of ${e.name}` }),
    el("div", { class: "hint" }, `${seconds(e.elapsed_ms)} of ${seconds(e.total_ms)}`),
  ];
}

function experiments() {
  let running = false;
  const form = $("#experiment-form");
  const note = $("#experiments-note");
  const table = $("#experiments");

  /** Shows a message in the list's place (the empty state, or why the list cannot be read). */
  function inPlaceOfList(className, ...children) {
    note.className = className;
    note.replaceChildren(...children);
    note.hidden = false;
    table.hidden = true;
  }

  async function refresh() {
    let list;
    try {
      ({ experiments: list } = await call(BASE));
      if (!Array.isArray(list)) throw new Error("the answer holds no list of experiments");
    } catch (error) {
      running = false;
      inPlaceOfList("error", `The experiments could not be read: ${error.message}.`);
      return;
    }
    running = list.some((e) => e.status === "running");
    if (list.length === 0) {
      inPlaceOfList(
        "empty",
        "No experiments yet. Write one as described under “Experiments” in the README, then paste it below or run it from a terminal with ",
        el("code", {}, "npm run experiment -- file.yaml"),
        ".",
      );
      return;
    }
    note.hidden = true;
    table.hidden = false;
    replaceKeepingFocus($("#experiments tbody"), list.map(row));
  }

  function row(e) {
    return el(
      "tr",
      { "data-experiment": e.id },
      el("th", { scope: "row" }, e.name, e.reason ? el("div", { class: "reason" }, e.reason) : null),
      el("td", {}, progress(e)),
      el("td", {}, el("span", { class: `verdict verdict-${e.verdict}` }, e.verdict)),
      el("td", {}, "started ", time(e.created_at), e.ended_at ? [el("br"), "ended ", time(e.ended_at)] : null),
      el(
        "td",
        {},
        el(
          "div",
          { class: "actions" },
          el(
            "a",
            { href: `${pathOf(e)}/report`, target: "_blank", rel: "noopener", "aria-label": `Report of ${e.name}`, "data-focus": `report ${e.id}`, onclick: (event) => report(event, e) },
            "Report",
          ),
          e.status === "running" ? el("button", { type: "button", "aria-label": `Abort ${e.name}`, "data-focus": `abort ${e.id}`, onclick: () => abort(e) }, "Abort") : null,
        ),
      ),
    );
  }

  /** The report opens as a link; with a control token (which a link cannot carry) it is fetched with it and saved. */
  async function report(event, e) {
    if (!hasToken()) return;
    event.preventDefault();
    const response = await api(`${pathOf(e)}/report`);
    if (!response.ok) {
      say(`The report of ${e.name} could not be read: HTTP ${response.status}`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `experiment-${e.id}.html` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(`Saved the report of ${e.name}.`);
  }

  async function abort(e) {
    try {
      await send("POST", `${pathOf(e)}/abort`);
      say(`Aborted ${e.name}; its faults are rolled back.`);
    } catch (error) {
      say(`${e.name} could not be aborted: ${error.message}`);
    }
    await refresh();
  }

  // YAML is sent as it is pasted: the API reads JSON as YAML too
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("#experiment-error");
    const text = form.elements.document.value;
    if (!text.trim()) {
      box.textContent = "Paste an experiment document (YAML or JSON) first.";
      return;
    }
    try {
      const started = await call(BASE, { method: "POST", headers: { "content-type": "application/yaml" }, body: text });
      box.textContent = "";
      say(`Started ${started.name}.`);
    } catch (error) {
      box.textContent = `Not started: ${error.message}`;
      return;
    }
    await refresh();
  });

  repeat(refresh, () => (running ? RUNNING_MS : IDLE_MS));
}

experiments();
