/**
 * The chaos console, served by mock-error-service at `/` and `/console`: server-rendered
 * pages (Hono JSX, views/), small browser modules (assets/: a shared core and one per view)
 * and one style sheet, no build step a user runs
 * and nothing from a CDN. The pages hold no data: the script reads and changes everything
 * through the control APIs, with the token when the stack has one, so the pages themselves
 * only pass the Host check (a DNS-rebinding page gets none of them either).
 */
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { controlPolicy, refusalOf } from "../../../../shared/control/guard";
import anomaliesScript from "./assets/anomalies.client.js";
import bucketsScript from "./assets/buckets.client.js";
import baseStyle from "./assets/console.client.css";
import core from "./assets/core.client.js";
import eventsScript from "./assets/events.client.js";
import experimentsScript from "./assets/experiments.client.js";
import overviewScript from "./assets/overview.client.js";
import rulesScript from "./assets/rules.client.js";
import viewsStyle from "./assets/views.client.css";
import { ANOMALY_FORM, RULE_FORM } from "./rule-catalogue";
import { Anomalies } from "./views/anomalies";
import { Buckets } from "./views/buckets";
import { Events } from "./views/events";
import { Experiments } from "./views/experiments";
import { Layout, VIEWS, type ViewName } from "./views/layout";
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
/** Each view's page: its body, and the catalogue its browser module builds forms from. */
const PAGES: Record<ViewName, { body: () => Child; data?: unknown }> = {
  overview: { body: () => <Overview /> },
  rules: { body: () => <Rules />, data: RULE_FORM },
  events: { body: () => <Events /> },
  anomalies: { body: () => <Anomalies />, data: ANOMALY_FORM },
  experiments: { body: () => <Experiments /> },
  buckets: { body: () => <Buckets /> },
};
for (const { path, name, label } of VIEWS) {
  const page = PAGES[name];
  consoleApp.get(path, (c) =>
    c.html(
      <Layout view={name} title={label} data={page.data}>
        {page.body()}
      </Layout>,
      200,
      PAGE_HEADERS,
    ),
  );
}

/**
 * The browser's files: the shared core module and one per view (views/layout.tsx loads the
 * page's own), the frame's style sheet and the views' one.
 */
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const ASSETS = new Map<string, [text: string, type: string]>(
  Object.entries({
    "core.js": [core, JS],
    "overview.js": [overviewScript, JS],
    "rules.js": [rulesScript, JS],
    "events.js": [eventsScript, JS],
    "anomalies.js": [anomaliesScript, JS],
    "experiments.js": [experimentsScript, JS],
    "buckets.js": [bucketsScript, JS],
    "console.css": [baseStyle, CSS],
    "views.css": [viewsStyle, CSS],
  }),
);
consoleApp.get("/console/assets/:file", (c) => {
  const asset = ASSETS.get(c.req.param("file"));
  return asset === undefined ? c.notFound() : c.body(asset[0], 200, { ...ASSET_HEADERS, "content-type": asset[1] });
});
