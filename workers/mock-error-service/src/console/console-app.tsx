/**
 * The chaos console, served by mock-error-service at `/` and `/console`: server-rendered
 * pages (Hono JSX, views/), one browser script and one style sheet, no build step a user runs
 * and nothing from a CDN. The pages hold no data: the script reads and changes everything
 * through the control APIs, with the token when the stack has one, so the pages themselves
 * only pass the Host check (a DNS-rebinding page gets none of them either).
 */
import { Hono } from "hono";
import { controlPolicy, refusalOf } from "../../../../shared/control/guard";
import script from "./assets/console.client.js";
import style from "./assets/console.client.css";
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
consoleApp.get("/console/assets/console.js", (c) => c.body(script, 200, { ...ASSET_HEADERS, "content-type": "text/javascript; charset=utf-8" }));
consoleApp.get("/console/assets/console.css", (c) => c.body(style, 200, { ...ASSET_HEADERS, "content-type": "text/css; charset=utf-8" }));
