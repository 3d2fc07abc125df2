// Anomalies: the form (the metrics of each type from the page's catalogue), each anomaly's countdown, measured value on a chart, cancel.
import { $, replaceKeepingFocus, el, say, call, send, data, drawChart, showErrors, repeat } from "./core.js";

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
          a.state === "running" || a.state === "pending"
            ? el("button", { type: "button", "aria-label": `Cancel ${a.name}`, "data-focus": `cancel ${a.id}`, onclick: () => cancel(a) }, "Cancel")
            : null,
        );
      });
    replaceKeepingFocus($("#anomalies"), cards.length ? cards : [el("p", {}, "No anomalies yet.")]);
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

anomalies();
