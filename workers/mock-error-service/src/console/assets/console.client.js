// The chaos console in the browser: every view reads and changes the stack through the
// control APIs of its own origin (mock-error-service), with the control token when the stack
// has one (asked once, kept in this browser's localStorage). No framework: DOM calls only.

(() => {
  const TOKEN_KEY = "mocks3.controlToken";
  const $ = (selector, root = document) => root.querySelector(selector);
  const data = JSON.parse($("#console-data")?.textContent || "null");

  /** An element with attributes (`on…` functions become listeners) and children (strings become text). */
  function el(tag, attributes = {}, ...children) {
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

  function say(text) {
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

  async function api(path, init = {}) {
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

  class ApiError extends Error {
    constructor(status, body) {
      super(body?.reason || body?.error || `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  async function call(path, init) {
    const response = await api(path, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  const send = (method, path, body) => call(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

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
  const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const percent = (x) => `${(100 * x).toFixed(1)} %`;

  /** Draws series of values (each {values, className}) on an SVG chart scaled to `max`. */
  function drawChart(svg, series, { max, label, target }) {
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
  function showErrors(form, box, error) {
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

  // ── overview ────────────────────────────────────────────────────────────────────────────
  function overview() {
    const history = [];
    let previous;
    async function refresh() {
      const [view, stats, anomalies] = await Promise.all([call("/api/v1/console/overview"), call("/api/v1/stats"), call("/api/v1/metric-anomalies").catch(() => ({ anomalies: [] }))]);
      $("#services").replaceChildren(
        ...view.services.map((s) =>
          el(
            "li",
            { class: s.status, "data-service": s.service },
            el("strong", {}, s.service),
            " ",
            el("span", { class: `state-${s.status}` }, s.status),
            s.reason ? el("div", { class: "hint" }, s.reason) : null,
          ),
        ),
      );
      const nodes = view.nodes?.nodes ?? [];
      $("#nodes tbody").replaceChildren(
        ...nodes.map((n) => {
          const next = n.state === "down" ? "up" : "down";
          return el(
            "tr",
            { "data-node": n.name },
            el("th", { scope: "row" }, n.name),
            el("td", { class: `state-${n.state}` }, n.state),
            el("td", {}, n.blobs),
            el("td", {}, `${mib(n.used_bytes)} of ${mib(n.capacity_bytes)}`),
            el("td", {}, n.backlog),
            el("td", {}, el("button", { type: "button", onclick: () => switchNode(n.name, next) }, next === "down" ? `Take ${n.name} down` : `Bring ${n.name} up`)),
          );
        }),
      );
      traffic(view.traffic);
      const running = (anomalies.anomalies ?? []).filter((a) => a.state === "running" || a.state === "pending");
      $("#in-force").textContent =
        `${stats.enabled_rules} of ${stats.total_rules} rules enabled, ${stats.total_injected} injections of ${stats.total_matched} matched requests; ${running.length} anomalies running${running.length ? `: ${running.map((a) => `${a.name} (${a.anomaly_type})`).join(", ")}` : ""}.`;
    }
    function traffic(now) {
      if (!now) {
        $("#traffic-now").textContent = "No traffic figures: the anomalies sidecar cannot be reached.";
        return;
      }
      const rows = [];
      let requests = 0;
      let serverErrors = 0;
      if (previous) {
        const seconds = Math.max((now.at - previous.at) / 1000, 0.001);
        const before = new Map(previous.totals.map((t) => [`${t.service} ${t.operation}`, t]));
        for (const t of now.totals) {
          const old = before.get(`${t.service} ${t.operation}`) ?? { requests: 0, server_errors: 0, client_errors: 0 };
          const count = t.requests - old.requests;
          if (count <= 0) continue;
          requests += count;
          serverErrors += t.server_errors - old.server_errors;
          rows.push({ ...t, rate: count / seconds, server: (t.server_errors - old.server_errors) / count, client: (t.client_errors - old.client_errors) / count });
        }
        history.push({ rate: requests / seconds, errors: requests ? serverErrors / requests : 0 });
        if (history.length > 150) history.shift();
        const top = Math.max(...history.map((h) => h.rate), 1);
        drawChart(
          $("#traffic-chart"),
          [
            { values: history.map((h) => h.rate), className: "rate" },
            { values: history.map((h) => h.errors * top), className: "errors" },
          ],
          { max: top, label: `max ${top.toFixed(0)} req/s` },
        );
        const last = history[history.length - 1];
        $("#traffic-now").textContent = `${last.rate.toFixed(1)} requests/s, ${percent(last.errors)} answered 5xx.`;
      }
      previous = now;
      rows.sort((a, b) => b.rate - a.rate);
      $("#traffic-table tbody").replaceChildren(
        ...rows.map((r) => el("tr", {}, el("td", {}, r.service), el("td", {}, r.operation || "—"), el("td", {}, r.rate.toFixed(1)), el("td", {}, percent(r.server)), el("td", {}, percent(r.client)))),
      );
    }
    async function switchNode(name, state) {
      try {
        await send("POST", `/api/v1/console/nodes/${encodeURIComponent(name)}/${state}`);
        say(`${name} is ${state}.`);
      } catch (error) {
        say(`${name} could not be switched: ${error.message}`);
      }
      await refresh();
    }
    repeat(refresh, 2000);
  }

  /** Runs `task` now and every `ms`, one at a time; a failure is said, not thrown. */
  function repeat(task, ms) {
    const run = async () => {
      try {
        await task();
      } catch (error) {
        say(`Could not refresh: ${error.message}`);
      }
      setTimeout(run, ms);
    };
    run();
  }

  // ── rules ───────────────────────────────────────────────────────────────────────────────
  function rules() {
    const form = $("#rule-form");
    const conditionsList = $("#conditions");
    const jsonBox = $("#rule-json");
    const kinds = Object.fromEntries(data.conditions.map((c) => [c.type, c]));
    const actions = Object.fromEntries(data.actions.map((a) => [a.type, a]));
    let editing;
    let conditions = [];

    function fieldInput(field, path, value) {
      const id = `f-${path.replace(/\./g, "-")}`;
      if (field.kind === "multi") {
        const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
        return el(
          "fieldset",
          { class: "multi", "data-path": path },
          el("legend", {}, field.label),
          field.options.map((option) => el("label", { class: "check" }, el("input", { type: "checkbox", value: option, checked: chosen.has(option), "data-multi": path }), option)),
        );
      }
      let input;
      if (field.kind === "select")
        input = el(
          "select",
          { id, "data-path": path },
          el("option", { value: "" }, "—"),
          field.options.map((o) => el("option", { value: o, selected: o === value }, o)),
        );
      else if (field.kind === "boolean") input = el("input", { id, type: "checkbox", "data-path": path, checked: value === true });
      else
        input = el("input", {
          id,
          type: field.kind === "number" ? "number" : "text",
          step: field.kind === "number" ? "any" : undefined,
          "data-path": path,
          value: Array.isArray(value) ? value.join(", ") : (value ?? ""),
        });
      input.dataset.kind = field.kind;
      return el(
        "label",
        { for: id, class: field.kind === "boolean" ? "check" : undefined },
        field.kind === "boolean" ? [input, field.label] : [field.label + (field.required ? " (required)" : ""), input],
        field.hint ? el("span", { class: "hint" }, field.hint) : null,
      );
    }

    function readField(field, path) {
      if (field.kind === "multi") {
        const values = [...form.querySelectorAll(`[data-multi="${path}"]:checked`)].map((box) => box.value);
        return values.length ? values : undefined;
      }
      const input = form.querySelector(`[data-path="${path}"]`);
      if (!input) return undefined;
      if (field.kind === "boolean") return input.checked ? true : undefined;
      const text = input.value.trim();
      if (text === "") return undefined;
      if (field.kind === "number") return Number(text);
      if (field.kind === "list")
        return text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
      if (field.kind === "duration" && /^\d+$/.test(text)) return Number(text);
      return text;
    }

    function renderConditions() {
      conditionsList.replaceChildren(
        ...conditions.map((condition, i) => {
          const kind = kinds[condition.type];
          return el(
            "li",
            { "data-path": `conditions.${i}` },
            el("strong", {}, kind.label),
            kind.hint ? el("span", { class: "hint" }, ` — ${kind.hint}`) : null,
            el(
              "div",
              { class: "fields" },
              kind.fields.map((f) => fieldInput(f, `conditions.${i}.${f.name}`, condition[f.name])),
            ),
            el(
              "button",
              {
                type: "button",
                "aria-label": `Remove the ${kind.label} condition`,
                onclick: () => {
                  conditions = readConditions().filter((_, j) => j !== i);
                  renderConditions();
                  syncJson();
                },
              },
              "Remove",
            ),
          );
        }),
      );
    }

    function readConditions() {
      return conditions.map((condition, i) => {
        const out = { type: condition.type };
        for (const field of kinds[condition.type].fields) {
          const value = readField(field, `conditions.${i}.${field.name}`);
          if (value !== undefined) out[field.name] = value;
        }
        return out;
      });
    }

    function renderAction(action) {
      const kind = actions[action.type];
      $("#action-type").value = action.type;
      $("#action-fields").replaceChildren(
        kind.hint ? el("p", { class: "hint" }, kind.hint) : "",
        el(
          "div",
          { class: "fields" },
          kind.fields.map((f) => fieldInput(f, `action.${f.name}`, action[f.name])),
        ),
      );
    }

    function readRule() {
      const value = (name) => form.elements[name].value.trim();
      const rule = { name: value("name"), service: value("service"), enabled: form.elements.enabled.checked, conditions: readConditions(), action: { type: $("#action-type").value } };
      if (value("description")) rule.description = value("description");
      if (value("priority")) rule.priority = Number(value("priority"));
      if (value("seed")) rule.seed = Number(value("seed"));
      for (const field of actions[rule.action.type].fields) {
        const v = readField(field, `action.${field.name}`);
        if (v !== undefined) rule.action[field.name] = v;
      }
      return rule;
    }

    function loadRule(rule, id) {
      editing = id;
      form.elements.name.value = rule.name ?? "";
      form.elements.description.value = rule.description ?? "";
      form.elements.service.value = rule.service ?? "gateway";
      form.elements.priority.value = rule.priority ?? "";
      form.elements.seed.value = rule.seed ?? "";
      form.elements.enabled.checked = rule.enabled !== false;
      conditions = (rule.conditions ?? []).filter((c) => kinds[c.type]).map((c) => ({ ...c }));
      renderConditions();
      renderAction(actions[rule.action?.type] ? rule.action : { type: "http_error" });
      $("#form-title").textContent = id ? `Edit rule ${rule.name}` : "New rule";
      $("#rule-submit").textContent = id ? "Save the rule" : "Create the rule";
      showErrors(form, $("#rule-error"));
      syncJson();
    }

    function syncJson() {
      jsonBox.value = JSON.stringify(readRule(), null, 2);
    }

    form.addEventListener("input", syncJson);
    form.addEventListener("change", syncJson);
    $("#action-type").addEventListener("change", () => {
      renderAction({ type: $("#action-type").value });
      syncJson();
    });
    $("#add-condition").addEventListener("click", () => {
      conditions = readConditions();
      conditions.push({ type: $("#condition-type").value });
      renderConditions();
      syncJson();
      conditionsList.lastElementChild?.querySelector("input, select")?.focus();
    });
    $("#json-apply").addEventListener("click", () => {
      try {
        loadRule(JSON.parse(jsonBox.value), editing);
      } catch (error) {
        $("#rule-error").textContent = `The JSON cannot be read: ${error.message}`;
      }
    });
    $("#rule-reset").addEventListener("click", () => loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } }));
    $("#preset").addEventListener("change", (event) => {
      const preset = data.presets[Number(event.target.value)];
      if (!preset) return;
      const rule = structuredClone(preset.rule);
      if (preset.ends_after_seconds) rule.conditions.push({ type: "time_window", end: new Date(Date.now() + preset.ends_after_seconds * 1000).toISOString() });
      loadRule(rule);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const rule = readRule();
      try {
        const saved = editing ? await send("PUT", `/api/v1/rules/${encodeURIComponent(editing)}`, rule) : await send("POST", "/api/v1/rules", rule);
        say(`${editing ? "Saved" : "Created"} rule ${saved.name ?? rule.name}.`);
        loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } });
        await refresh();
      } catch (error) {
        showErrors(form, $("#rule-error"), error);
      }
    });

    async function refresh() {
      const [listed, stats] = await Promise.all([call("/api/v1/rules"), call("/api/v1/stats")]);
      const all = Array.isArray(listed) ? listed : (listed.rules ?? []);
      const counts = new Map(stats.rules.map((r) => [r.rule_id, r]));
      $("#rules tbody").replaceChildren(
        ...all.map((rule) => {
          const count = counts.get(rule.id) ?? { matched: 0, injected: 0 };
          return el(
            "tr",
            { "data-rule": rule.id },
            el("td", {}, el("input", { type: "checkbox", role: "switch", checked: rule.enabled, "aria-label": `${rule.name} enabled`, onchange: (event) => toggle(rule, event.target.checked) })),
            el("th", { scope: "row" }, rule.name),
            el("td", {}, rule.service),
            el("td", {}, rule.action.type),
            el("td", { class: "matched" }, count.matched),
            el("td", { class: "injected" }, count.injected),
            el(
              "td",
              {},
              el("button", { type: "button", "aria-label": `Edit ${rule.name}`, onclick: () => loadRule(rule, rule.id) }, "Edit"),
              " ",
              el("button", { type: "button", "aria-label": `Duplicate ${rule.name}`, onclick: () => loadRule({ ...rule, name: `${rule.name} (copy)` }) }, "Duplicate"),
              " ",
              el("button", { type: "button", "aria-label": `Delete ${rule.name}`, onclick: () => remove(rule) }, "Delete"),
            ),
          );
        }),
      );
    }
    async function toggle(rule, on) {
      try {
        await send("POST", `/api/v1/rules/${encodeURIComponent(rule.id)}/${on ? "enable" : "disable"}`);
        say(`${rule.name} ${on ? "enabled" : "disabled"}.`);
      } catch (error) {
        say(`${rule.name}: ${error.message}`);
      }
      await refresh();
    }
    async function remove(rule) {
      if (!confirm(`Delete the rule ${rule.name}?`)) return;
      await send("DELETE", `/api/v1/rules/${encodeURIComponent(rule.id)}`).then(
        () => say(`Deleted ${rule.name}.`),
        (error) => say(`${rule.name}: ${error.message}`),
      );
      await refresh();
    }
    call("/api/v1/seed").then((r) => {
      $("#seed-input").value = r.seed ?? "";
    });
    $("#seed-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = $("#seed-input").value.trim();
      try {
        const r = await send("PUT", "/api/v1/seed", { seed: text === "" ? null : Number(text) });
        say(`The global seed is ${r.seed ?? "random"}.`);
      } catch (error) {
        say(`Seed: ${error.message}`);
      }
    });
    loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } });
    repeat(refresh, 2000);
  }

  // ── live events ─────────────────────────────────────────────────────────────────────────
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

  // ── anomalies ───────────────────────────────────────────────────────────────────────────
  function anomalies() {
    const form = $("#anomaly-form");
    const typeSelect = $("#anomaly-type");
    const histories = new Map();
    function metrics() {
      const type = data.types.find((t) => t.type === typeSelect.value);
      $("#anomaly-metric").replaceChildren(...type.metrics.map((m) => el("option", { value: m.name }, `${m.name} (${m.unit}, ${m.min}–${m.max})`)));
      $("#mode-label").hidden = typeSelect.value !== "service_down";
    }
    typeSelect.addEventListener("change", metrics);
    metrics();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = (name) => form.elements[name].value.trim();
      const duration = value("duration");
      const spec = {
        name: value("name"),
        service: value("service"),
        metric_name: value("metric_name"),
        anomaly_type: value("anomaly_type"),
        target_value: value("target_value") === "" ? undefined : Number(value("target_value")),
        duration: /^\d+$/.test(duration) ? Number(duration) : duration,
        enabled: true,
      };
      if (spec.anomaly_type === "service_down" && value("mode")) spec.mode = value("mode");
      try {
        const started = await send("POST", "/api/v1/metric-anomaly", spec);
        showErrors(form, $("#anomaly-error"));
        say(`Started ${started.name} (${started.anomaly_type}).`);
        await refresh();
      } catch (error) {
        showErrors(form, $("#anomaly-error"), error);
      }
    });
    async function refresh() {
      const { anomalies } = await call("/api/v1/metric-anomalies");
      const cards = anomalies
        .slice()
        .reverse()
        .map((a) => {
          const history = histories.get(a.id) ?? [];
          histories.set(a.id, history);
          if (a.actual_value !== null && a.state === "running") history.push(a.actual_value);
          if (history.length > 120) history.shift();
          const left = a.started_at && a.state === "running" ? Math.max(0, Date.parse(a.started_at) + a.duration_ms - Date.now()) : undefined;
          const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
          svg.setAttribute("viewBox", "0 0 600 160");
          svg.setAttribute("class", "chart");
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", `${a.metric_name} measured against its target ${a.target_value}`);
          drawChart(svg, [{ values: history, className: "rate" }], {
            max: Math.max(a.target_value, ...history, 1) * 1.1,
            target: a.target_value,
            label: `${a.metric_name}: measured (line) vs target ${a.target_value} (dashed)`,
          });
          return el(
            "article",
            { class: "card", "data-anomaly": a.id, "aria-label": a.name },
            el("h3", {}, a.name),
            el("p", {}, `${a.anomaly_type} on ${a.service} · ${a.state}${left !== undefined ? ` · ${Math.ceil(left / 1000)} s left` : ""}`),
            el("p", { class: "measured" }, `${a.metric_name}: measured ${a.actual_value ?? "—"}, target ${a.target_value}`),
            a.message ? el("p", { class: "hint" }, a.message) : null,
            svg,
            a.state === "running" || a.state === "pending" ? el("button", { type: "button", "aria-label": `Cancel ${a.name}`, onclick: () => cancel(a) }, "Cancel") : null,
          );
        });
      $("#anomalies").replaceChildren(...(cards.length ? cards : [el("p", {}, "No anomalies yet.")]));
    }
    async function cancel(anomaly) {
      try {
        await send("DELETE", `/api/v1/metric-anomalies/${encodeURIComponent(anomaly.id)}`);
        say(`Cancelled ${anomaly.name}.`);
      } catch (error) {
        say(`${anomaly.name}: ${error.message}`);
      }
      await refresh();
    }
    repeat(refresh, 1000);
  }

  // ── buckets ─────────────────────────────────────────────────────────────────────────────
  function buckets() {
    let bucket;
    let prefix = "";
    let next;
    const base = () => `/api/v1/console/buckets/${encodeURIComponent(bucket)}`;
    async function loadBuckets() {
      const { buckets } = await call("/api/v1/console/buckets");
      $("#buckets").replaceChildren(
        ...(buckets.length
          ? buckets.map((b) => el("li", {}, el("button", { type: "button", onclick: () => open(b.name) }, b.name), el("span", { class: "hint" }, ` ${b.objects} objects, ${mib(b.bytes)}`)))
          : [el("li", {}, "No buckets yet.")]),
      );
    }
    async function open(name) {
      bucket = name;
      $("#bucket-settings").textContent = "Loading…";
      await browse("");
      const settings = await call(`${base()}/settings`).catch((error) => ({ error: error.message }));
      $("#bucket-settings").textContent = JSON.stringify(settings, null, 2);
    }
    async function browse(at, more) {
      prefix = at;
      const query = new URLSearchParams({ prefix });
      if (more && next) query.set("after", next);
      const listing = await call(`${base()}/objects?${query}`);
      next = listing.next;
      const parts = prefix.split("/").filter(Boolean);
      $("#crumbs").replaceChildren(
        el("button", { type: "button", class: "linklike", onclick: () => browse("") }, bucket),
        ...parts.map((part, i) => [" / ", el("button", { type: "button", class: "linklike", onclick: () => browse(`${parts.slice(0, i + 1).join("/")}/`) }, part)]),
      );
      const rows = [
        ...listing.prefixes.map((p) =>
          el("tr", {}, el("td", {}, el("button", { type: "button", class: "linklike", onclick: () => browse(p) }, p.slice(prefix.length))), el("td", {}, "folder"), el("td", {}, "")),
        ),
        ...listing.objects.map((o) =>
          el(
            "tr",
            {},
            el("td", {}, el("button", { type: "button", class: "linklike", "data-key": o.key, onclick: () => describe(o.key) }, o.key.slice(prefix.length))),
            el("td", {}, o.size),
            el("td", {}, o.last_modified),
          ),
        ),
      ];
      const body = $("#objects tbody");
      if (more) body.append(...rows);
      else body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 3 }, "Empty."))]));
      $("#objects-more").hidden = !next;
    }
    $("#objects-more").addEventListener("click", () => browse(prefix, true));
    async function describe(key) {
      const o = await call(`${base()}/object?${new URLSearchParams({ key })}`);
      const row = (name, value) => [el("dt", {}, name), el("dd", {}, value ?? "—")];
      $("#object-detail").replaceChildren(
        el("h3", {}, o.key),
        el(
          "dl",
          {},
          row("Size", `${o.size} bytes`),
          row("ETag", o.etag),
          row("Content type", o.content_type),
          row("Last modified", o.last_modified),
          row("Version", o.version_id),
          row(
            "Metadata",
            Object.entries(o.metadata)
              .map(([k, v]) => `${k.slice(11)}=${v}`)
              .join(", ") || "none",
          ),
          row("Tags", o.tags.map((t) => `${t.key}=${t.value}`).join(", ") || "none"),
        ),
        el("h4", {}, "Versions"),
        el(
          "ul",
          {},
          o.versions.map((v) => el("li", {}, `${v.version_id}${v.delete_marker ? " (delete marker)" : ` ${v.size} bytes`}${v.latest ? " · latest" : ""} · ${v.last_modified}`)),
        ),
        el("button", { type: "button", id: "download", onclick: () => download(o.key) }, "Download"),
      );
    }
    async function download(key) {
      const response = await api(`${base()}/download?${new URLSearchParams({ key })}`);
      if (!response.ok) {
        say(`Download failed: HTTP ${response.status}`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: key.split("/").pop() || "object" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      say(`Downloaded ${key}.`);
    }
    loadBuckets().catch((error) => say(`Buckets: ${error.message}`));
  }

  const views = { overview, rules, events, anomalies, buckets };
  views[document.body.dataset.view]?.();
})();
