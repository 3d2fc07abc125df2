// Live events: the server-sent events of /api/v1/console/live, read with fetch (EventSource cannot send the token), filtered, paused.
import { $, el, api } from "./core.js";

function events() {
  const list = $("#live-lines");
  const filterForm = $("#live-filter");
  let paused = false;
  let held = [];
  let after = 0;
  let reader;

  function describe(line) {
    const at = (line["@timestamp"] ?? "").slice(11, 23);
    const target = line.bucket ? ` ${line.bucket}${line.key ? `/${line.key}` : ""}` : "";
    if (line.kind === "fault")
      return `${at} INJECTED ${line.fault_action} by rule ${line.fault_rule} at ${line.service} ${line.operation}${target} · request ${line.request_id}${line.trace_id ? ` · trace ${line.trace_id}` : ""}`;
    if (line.kind === "delivery") return `${at} delivery ${line.outcome} ${line.event_name}${target} → ${line.destination} (${line.status})`;
    return `${at} ${line.service} ${line.operation} ${line.method}${target} ${line.status} ${line.duration_ms} ms${line.fault_action ? ` · fault ${line.fault_action}` : ""}${line.request_id ? ` · request ${line.request_id}` : ""}${line.trace_id ? ` · trace ${line.trace_id}` : ""}`;
  }

  function show(lines) {
    const faultsOnly = filterForm.elements.faults.checked;
    const items = lines.filter((l) => !faultsOnly || l.kind === "fault").map((l) => el("li", { class: l.kind, "data-kind": l.kind, "data-request": l.request_id }, describe(l)));
    list.prepend(...items.reverse());
    while (list.children.length > 300) list.lastElementChild.remove();
  }

  async function listen() {
    const query = new URLSearchParams({ after: String(after) });
    for (const name of ["service", "rule", "action", "bucket", "operation"]) if (filterForm.elements[name].value.trim()) query.set(name, filterForm.elements[name].value.trim());
    const response = await api(`/api/v1/console/live?${query}`);
    if (!response.ok || !response.body) throw new Error(`the live feed answered ${response.status}`);
    $("#live-state").textContent = paused ? "Paused." : "Listening.";
    reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        handle(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    }
  }

  function handle(message) {
    let event = "message";
    let text = "";
    for (const line of message.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) text += line.slice(5).trim();
    }
    const body = JSON.parse(text || "null");
    if (event === "status") {
      $("#live-state").textContent = body.error ?? (body.sampled_out ? `Listening; ${body.sampled_out} request lines sampled out under load (every injection is shown).` : "Listening.");
    } else if (event === "line") {
      after = body.seq;
      if (paused) held.push(body);
      else show([body]);
    }
  }

  async function run() {
    for (;;) {
      try {
        await listen();
      } catch (error) {
        if (error.name !== "AbortError") $("#live-state").textContent = `Reconnecting: ${error.message}`;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    list.replaceChildren();
    reader?.cancel();
  });
  $("#live-pause").addEventListener("click", (event) => {
    paused = !paused;
    event.target.setAttribute("aria-pressed", String(paused));
    event.target.textContent = paused ? "Resume" : "Pause";
    $("#live-state").textContent = paused ? "Paused: new events are kept and shown on resume." : "Listening.";
    if (!paused) {
      show(held);
      held = [];
    }
  });
  run();
}

events();
