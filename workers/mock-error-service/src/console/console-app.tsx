/**
 * The chaos console, served by mock-error-service at `/` and `/console`: server-rendered
 * pages (Hono JSX, views/), small browser modules (assets/: a shared core and one per view)
 * and one style sheet, no build step a user runs
 * and nothing from a CDN. The pages hold no data: the script reads and changes everything
 * through the control APIs, with the token when the stack has one, so the pages themselves
 * only pass the Host check (a DNS-rebinding page gets none of them either).
 */
import { Hono } from "hono";
import { controlPolicy, refusalOf } from "../../../../shared/control/guard";
import anomaliesScript from "./assets/anomalies.client.js";
import bucketsScript from "./assets/buckets.client.js";
import style from "./assets/console.client.css";
import core from "./assets/core.client.js";
import eventsScript from "./assets/events.client.js";
import overviewScript from "./assets/overview.client.js";
import rulesScript from "./assets/rules.client.js";
import { ANOMALY_FORM, RULE_FORM } from "./rule-catalogue";
import { Anomalies } from "./views/anomalies";
import { Buckets } from "./views/buckets";
import { Events } from "./views/events";
import { Layout } from "./views/layout";
import { Overview } from "./views/overview";
import { Rules } from "./views/rules";

export const consoleApp = new Hono<{ Bindings: MockErrorEnv }>();

consoleApp.use("*", async (c, next) => {
  const refusal = refusalOf("GET", c.req.raw.headers, { ...controlPolicy(c.env), token: undefined });
  return refusal ? c.text(refusal.reason, refusal.status) : next();
});

const PAGE_HEADERS = { "cache-control": "no-store", "x-frame-options": "DENY", "content-security-policy": "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'" };
const ASSET_HEADERS = { "cache-control": "no-cache" };

consoleApp.get("/", (c) => c.redirect("/console"));
consoleApp.get("/console", (c) =>
  c.html(
    <Layout view="overview" title="Overview">
      <Overview />
    </Layout>,
    200,
    PAGE_HEADERS,
  ),
);
consoleApp.get("/console/rules", (c) =>
  c.html(
    <Layout view="rules" title="Rules" data={RULE_FORM}>
      <Rules />
    </Layout>,
    200,
    PAGE_HEADERS,
  ),
);
consoleApp.get("/console/events", (c) =>
  c.html(
    <Layout view="events" title="Live events">
      <Events />
    </Layout>,
    200,
    PAGE_HEADERS,
  ),
);
consoleApp.get("/console/anomalies", (c) =>
  c.html(
    <Layout view="anomalies" title="Anomalies" data={ANOMALY_FORM}>
      <Anomalies />
    </Layout>,
    200,
    PAGE_HEADERS,
  ),
);
consoleApp.get("/console/buckets", (c) =>
  c.html(
    <Layout view="buckets" title="Buckets">
      <Buckets />
    </Layout>,
    200,
    PAGE_HEADERS,
  ),
);
/** The browser's modules: the shared core, and one per view (views/layout.tsx loads the page's own). */
const SCRIPTS: Record<string, string> = { core, overview: overviewScript, rules: rulesScript, events: eventsScript, anomalies: anomaliesScript, buckets: bucketsScript };
consoleApp.get("/console/assets/:name{[a-z]+\\.js}", (c) => {
  const script = SCRIPTS[c.req.param("name").slice(0, -3)];
  return script === undefined ? c.notFound() : c.body(script, 200, { ...ASSET_HEADERS, "content-type": "text/javascript; charset=utf-8" });
});
consoleApp.get("/console/assets/console.css", (c) => c.body(style, 200, { ...ASSET_HEADERS, "content-type": "text/css; charset=utf-8" }));
