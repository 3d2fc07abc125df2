/**
 * A real Prometheus scraping a stack of the test's own (its sidecar's /metrics, every second):
 * after a workload with a fault rule and a bucket notification, the request, injection and
 * delivery counters answer PromQL with the right counts, and every query of the provisioned Grafana dashboards is valid and
 * returns data (a short service_down anomaly gives the anomaly series theirs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/anomalies";
import { dashboardQueries } from "../helpers/dashboards";
import { addRule } from "../helpers/faults";
import { startPrometheus, type Prometheus } from "../helpers/prometheus";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

const PUTS = 20;
const GETS = 20;
const INJECTED = 5;

let stack: StackProcess;
let prometheus: Prometheus;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startStackProcess({ env: { MOCKS3_AUTH: "off" } });
  prometheus = await startPrometheus(new URL(stack.anomalies).host);
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await stack?.stop();
  await receiver?.close();
});

async function value(promql: string): Promise<number | undefined> {
  const [sample] = await prometheus.query(promql);
  return sample === undefined ? undefined : Number(sample.value[1]);
}

describe("a real Prometheus scraping MockS3", () => {
  it("counts the workload's requests and injected faults exactly", async () => {
    const mockError = stack.services["mock-error-service"]!;
    const conditions = [
      { type: "operation", value: "GetObject" },
      { type: "max_injections", value: INJECTED },
    ];
    await addRule({ name: "prom-503", service: "gateway", conditions, action: { type: "http_error", http_code: 503 } }, mockError);
    expect((await fetch(`${stack.endpoint}/scraped`, { method: "PUT" })).status).toBe(200);
    // every PUT is an event delivered to this test's webhook
    const notification = `<NotificationConfiguration><QueueConfiguration><Queue>${receiver.url}/scraped</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>`;
    expect((await fetch(`${stack.endpoint}/scraped?notification`, { method: "PUT", body: notification })).status).toBe(200);
    for (let i = 0; i < PUTS; i++) expect((await fetch(`${stack.endpoint}/scraped/object-${i}`, { method: "PUT", body: `body ${i}` })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < GETS; i++) {
      const answer = await fetch(`${stack.endpoint}/scraped/object-${i}`);
      await answer.arrayBuffer();
      statuses.push(answer.status);
    }
    expect(statuses.filter((status) => status === 503)).toHaveLength(INJECTED);
    await waitFor("the PUTs in Prometheus", async () => (await value('sum(http_requests_total{service="gateway",operation="PutObject"})')) === PUTS, 20_000);
    await waitFor("the GETs in Prometheus", async () => (await value('sum(http_requests_total{service="gateway",operation="GetObject"})')) === GETS, 20_000);
    expect(await value('sum(http_requests_total{service="gateway",operation="GetObject",status="503"})')).toBe(INJECTED);
    expect(await value('sum(http_requests_total{service="gateway",operation="GetObject",status="200"})')).toBe(GETS - INJECTED);
    expect(await value('sum(mocks3_fault_injections_total{rule="prom-503",action="http_error",service="gateway"})')).toBe(INJECTED);
    expect(await value('sum(http_request_duration_seconds_count{service="gateway",operation="PutObject"})')).toBe(PUTS);
    await waitFor("the bucket's objects", async () => (await value('mocks3_bucket_objects{bucket="scraped"}')) === PUTS, 20_000);
    expect(await value('mocks3_fault_rules{state="enabled"}')).toBe(1);
    await waitFor("the deliveries in Prometheus", async () => (await value('sum(mocks3_notification_deliveries_total{outcome="delivered"})')) === PUTS, 20_000);
    expect(receiver.at("/scraped")).toHaveLength(PUTS);
    await waitFor("the index in Prometheus", async () => (await value("mocks3_search_index_objects")) === PUTS, 20_000);
    expect(await value('mocks3_queue_length{queue="object-events"}')).toBe(0);
  });

  it("every query of the provisioned dashboards is valid and returns data", async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    // each query is checked for validity at once: a refused query throws
    for (const { expr } of queries) await prometheus.query(expr);
    const started = await fetch(`${stack.services["mock-error-service"]}/api/v1/metric-anomaly`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "prom-down", service: "queue-service", metric_name: "service_up", anomaly_type: "service_down", target_value: 0, duration: "6s", enabled: true }),
    });
    expect(started.status).toBeLessThan(300);
    // the anomaly's target and measurement while it runs, mocks3_anomalies_ended_total after it
    const pending = new Map(queries.map((q) => [q.expr, q.where]));
    await waitFor(
      "data for every dashboard query",
      async () => {
        for (const expr of [...pending.keys()]) if ((await prometheus.query(expr)).length > 0) pending.delete(expr);
        return pending.size === 0;
      },
      30_000,
    ).catch(() => {
      throw new Error(`no data for:\n${[...pending].map(([expr, where]) => `  ${where}: ${expr}`).join("\n")}`);
    });
  }, 60_000);
});
