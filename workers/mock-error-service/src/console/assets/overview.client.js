// Overview: every service's health, the storage nodes and their switch, traffic, what is in force.
import { $, replaceKeepingFocus, el, say, call, send, drawChart, repeat, mib, percent } from "./core.js";

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
    replaceKeepingFocus(
      $("#nodes tbody"),
      nodes.map((n) => {
        const next = n.state === "down" ? "up" : "down";
        return el(
          "tr",
          { "data-node": n.name },
          el("th", { scope: "row" }, n.name),
          el("td", { class: `state-${n.state}` }, n.state),
          el("td", {}, n.blobs),
          el("td", {}, `${mib(n.used_bytes)} of ${mib(n.capacity_bytes)}`),
          el("td", {}, n.backlog),
          el("td", {}, el("button", { type: "button", "data-focus": `node ${n.name}`, onclick: () => switchNode(n.name, next) }, next === "down" ? `Take ${n.name} down` : `Bring ${n.name} up`)),
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

overview();
