/**
 * The chaos console in a real browser (Debian's chromium, driven by playwright-core) against
 * a stack of its own started with MOCKS3_CONTROL_TOKEN: the console asks for the token once;
 * the seed's first rule is built in the form and the API returns it; S3 traffic moves the
 * counts and the chart and its injections reach the live events within 2 s; a storage node
 * switched down shows storage-service degraded; a 60 % cpu_spike shows its measured value;
 * halt disables the rules and cancels the anomaly; a bucket is browsed to an object whose
 * download has the bytes uploaded; the Experiments page shows its empty state, its start form
 * and (the experiments API faked in the browser) a list's rows, a refused start's reason and
 * an abort. Each view passes axe-core with no serious violation, at
 * 1280×800 and 390 px wide, and its screenshot is written to .test-artifacts/console/.
 *
 * Exclusive (test/exclusive/): halt and the cpu_spike act on the whole stack and machine.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Browser, type BrowserContext, chromium, type Page, type Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentSummary } from "../../shared/experiments/result";
import { DEFAULT_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { SEED_RULE_BODIES } from "../helpers/seed-faults";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const TOKEN = `console-test-${randomBytes(6).toString("hex")}`;
const ARTIFACTS = path.resolve(import.meta.dirname, "../../.test-artifacts/console");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const VIEWS = ["", "/rules", "/events", "/anomalies", "/experiments", "/buckets"] as const;

let stack: StackProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let console8085: string;
let s3: S3Client;

/** The system's Chromium: CHROMIUM_PATH, else the first of Debian's names on PATH. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    } catch {}
  }
  throw new Error("no Chromium on PATH: .ci/run installs Debian's chromium (apt-get install chromium)");
}

const authorized = { authorization: `Bearer ${TOKEN}` };
async function control(pathname: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${console8085}${pathname}`, { ...init, headers: { ...authorized, ...(init.body ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string>) } });
}

async function shoot(name: string): Promise<void> {
  // from the top, so that the sticky header is where a user sees it
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical violations of the page as it is now. */
async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // evaluated in the page (a string: this file is type-checked without the DOM's types)
  const violations = (await page.evaluate(
    "axe.run().then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) })))",
  )) as Array<{ id: string; impact: string; targets: string[] }>;
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}) at ${v.targets.join(", ")}`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS, MOCKS3_CONTROL_TOKEN: TOKEN } });
  console8085 = stack.services["mock-error-service"]!;
  // no retries: an injected 500 must reach the test, not be retried away by the SDK
  s3 = new S3Client({ endpoint: stack.endpoint, region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 1 });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  // axe is added as a script tag; the console's CSP (script-src 'self') would refuse it
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, acceptDownloads: true });
  page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  s3?.destroy();
  await stack?.stop();
});

describe("console", () => {
  it("console › the control API answers 401 without the token and 200 with it", async () => {
    const without = await fetch(`${console8085}/api/v1/rules`);
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toContain("Bearer");
    expect((await fetch(`${stack.services["storage-service"]}/api/v1/nodes`)).status).toBe(401);
    expect((await fetch(`${stack.anomalies}/anomalies`)).status).toBe(401);
    expect((await control("/api/v1/rules")).status).toBe(200);
    // the pages themselves hold no data and are served without it
    expect((await fetch(`${console8085}/console`)).status).toBe(200);
  });

  it("console › asks for the token once, then shows every service up", { timeout: 30_000 }, async () => {
    await page.goto(`${console8085}/`);
    await page.locator("#token-input").fill(TOKEN);
    await page.getByRole("button", { name: "Use the token" }).click();
    await page.waitForSelector("#services li.up >> nth=6", { timeout: 10_000 });
    expect(await page.locator("#services li.up").count()).toBe(7);
    await page.reload();
    await page.waitForSelector("#services li.up >> nth=6", { timeout: 10_000 });
    expect(await page.locator("#token-dialog[open]").count()).toBe(0);
  });

  it("console › builds the seed's first rule in the form; a bad value's reason is shown beside its field", { timeout: 30_000 }, async () => {
    const seed = JSON.parse(SEED_RULE_BODIES[0]!) as { name: string; description: string; service: string; conditions: Array<{ value: number }>; action: { http_code: number; message: string } };
    await page.goto(`${console8085}/console/rules`);
    await page.getByLabel("Name", { exact: true }).fill(seed.name);
    await page.getByLabel("Description").fill(seed.description);
    await page.locator('#rule-form [name="service"]').selectOption(seed.service);
    await page.locator("#condition-type").selectOption("probability");
    await page.getByRole("button", { name: "Add the condition" }).click();
    const probability = page.locator('[data-path="conditions.0.value"]');
    await probability.fill("1.5");
    await page.locator("#action-type").selectOption("http_error");
    await page.locator('[data-path="action.http_code"]').fill(String(seed.action.http_code));
    await page.locator('[data-path="action.message"]').fill(seed.action.message);
    await page.getByRole("button", { name: "Create the rule" }).click();
    await expect.poll(() => page.locator("li[data-path='conditions.0'] .field-error").textContent(), { timeout: 5000 }).toContain("probability");
    await probability.fill(String(seed.conditions[0]!.value));
    await page.getByRole("button", { name: "Create the rule" }).click();
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 5000 }).toContain(`Created rule ${seed.name}`);
    const rules = (await (await control("/api/v1/rules")).json()) as { rules: Array<Record<string, unknown>> };
    expect(rules.rules).toHaveLength(1);
    expect(rules.rules[0]).toMatchObject({ ...JSON.parse(SEED_RULE_BODIES[0]!), enabled: true });
    await shoot("rules");
  });

  it("console › S3 traffic moves the counts and the chart; its injections reach the live events within 2 s", { timeout: 60_000 }, async () => {
    const events = await context.newPage();
    await events.goto(`${console8085}/console/events`);
    await events.getByLabel("Injections only").check();
    await events.waitForSelector("#live-state:has-text('Listening')", { timeout: 10_000 });
    await s3.send(new CreateBucketCommand({ Bucket: "console-traffic" }));
    // PUTs until storage-service's rule (10 %) injects: the time of the first injected answer
    let injectedAt = 0;
    for (let i = 0; i < 400 && !injectedAt; i++) {
      await s3.send(new PutObjectCommand({ Bucket: "console-traffic", Key: `k${i}`, Body: `body ${i}` })).catch((error: { $metadata?: { httpStatusCode?: number } }) => {
        if (error.$metadata?.httpStatusCode === 500) injectedAt = Date.now();
      });
    }
    expect(injectedAt).toBeGreaterThan(0);
    const line = events.locator("#live-lines li.fault").first();
    await line.waitFor({ timeout: Math.max(1, injectedAt + 2000 - Date.now()) });
    const text = await line.textContent();
    expect(text).toMatch(/INJECTED http_error by rule Storage Random Error at storage-service/);
    expect(text).toMatch(/request [0-9A-F]{16}/);
    await events.bringToFront();
    await events.screenshot({ path: path.join(ARTIFACTS, "events.png"), fullPage: true });
    await events.close();

    await page.goto(`${console8085}/console/rules`);
    await expect.poll(async () => Number(await page.locator("#rules td.injected").first().textContent()), { timeout: 5000 }).toBeGreaterThan(0);
    await page.goto(`${console8085}/console`);
    // two samples make a rate; then traffic while the chart samples
    await page.waitForTimeout(2500);
    for (let i = 0; i < 60; i++) await s3.send(new PutObjectCommand({ Bucket: "console-traffic", Key: `again${i}`, Body: "x" })).catch(() => undefined);
    await expect.poll(() => page.locator("#traffic-table td", { hasText: "PutObject" }).count(), { timeout: 6000 }).toBeGreaterThan(0);
    const points = await page.locator("#traffic-chart polyline.rate").getAttribute("points");
    expect(points?.split(" ").length).toBeGreaterThan(1);
    await shoot("overview");
  });

  it("console › a storage node switched down shows storage-service degraded, and back up from the keyboard", { timeout: 30_000 }, async () => {
    await page.goto(`${console8085}/console`);
    await page.getByRole("button", { name: "Take node-0 down" }).click();
    const storage = page.locator('#services li[data-service="storage-service"]');
    await expect.poll(() => storage.getAttribute("class"), { timeout: 6000 }).toBe("degraded");
    expect(await storage.textContent()).toContain("node-0 down");
    // the refreshes kept the keyboard on the switch, now "Bring node-0 up": Enter brings it back
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Bring node-0 up");
    await page.keyboard.press("Enter");
    await expect.poll(() => storage.getAttribute("class"), { timeout: 6000 }).toBe("up");
  });

  it("console › a 60 % cpu_spike started in the form shows its measured value on the chart", { timeout: 40_000 }, async () => {
    await page.goto(`${console8085}/console/anomalies`);
    const form = page.locator("#anomaly-form");
    // a label's accessible name includes its select's chosen option: fields by name
    await form.locator('[name="name"]').fill("console cpu");
    await form.locator('[name="service"]').selectOption("storage-service");
    await form.locator('[name="anomaly_type"]').selectOption("cpu_spike");
    await form.locator('[name="metric_name"]').selectOption("system_cpu_usage_percent");
    await form.locator('[name="target_value"]').fill("60");
    await form.locator('[name="duration"]').fill("40s");
    await page.getByRole("button", { name: "Start the anomaly" }).click();
    const card = page.locator("article.card", { hasText: "console cpu" });
    await expect.poll(async () => Number(/measured ([\d.]+)/.exec((await card.locator(".measured").textContent()) ?? "")?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThan(20);
    await page.waitForTimeout(2500);
    expect((await card.locator("polyline.rate").getAttribute("points"))?.split(" ").length).toBeGreaterThan(1);
    await shoot("anomalies");
  });

  it("console › halt (button and Alt+Shift+H) disables every rule and cancels the anomaly", { timeout: 30_000 }, async () => {
    await page.goto(`${console8085}/console`);
    await page.keyboard.press("Alt+Shift+H");
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 8000 }).toContain("Halted: 1 rules disabled, 1 anomalies cancelled");
    const { rules } = (await (await control("/api/v1/rules")).json()) as { rules: Array<{ enabled: boolean }> };
    expect(rules.every((rule) => !rule.enabled)).toBe(true);
    const { anomalies } = (await (await control("/api/v1/metric-anomalies")).json()) as { anomalies: Array<{ state: string }> };
    expect(anomalies.map((a) => a.state)).toEqual(["cancelled"]);
    await page.getByRole("button", { name: "Halt everything" }).click();
    await expect.poll(() => page.locator("#status").textContent(), { timeout: 8000 }).toContain("Halted: 0 rules disabled, 0 anomalies cancelled");
  });

  it("console › browses a bucket to an object and downloads its bytes", { timeout: 30_000 }, async () => {
    const bytes = randomBytes(300 * 1024);
    await s3.send(new CreateBucketCommand({ Bucket: "console-browse" }));
    await s3.send(new PutObjectCommand({ Bucket: "console-browse", Key: "photos/2026/cat.bin", Body: bytes, Metadata: { owner: "console-test" }, Tagging: "kind=cat" }));
    await page.goto(`${console8085}/console/buckets`);
    await page.locator("#buckets").getByRole("button", { name: "console-browse" }).click();
    await page.getByRole("button", { name: "photos/" }).click();
    await page.getByRole("button", { name: "2026/" }).click();
    await page.getByRole("button", { name: "cat.bin" }).click();
    const detail = page.locator("#object-detail");
    await expect.poll(() => detail.textContent(), { timeout: 5000 }).toContain(`${bytes.length} bytes`);
    expect(await detail.textContent()).toContain("owner=console-test");
    expect(await detail.textContent()).toContain("kind=cat");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("cat.bin");
    expect(Buffer.compare(readFileSync((await download.path())!), bytes)).toBe(0);
    await shoot("buckets");
  });

  it("console › Experiments: navigation entry, empty state and start form; rows, a refused start's reason, abort (the API faked in the browser)", { timeout: 40_000 }, async () => {
    // the experiments API as the page reads it: answers chosen per step, requests recorded
    const running: ExperimentSummary = {
      id: "exp-2",
      name: "storage node down",
      status: "running",
      verdict: "pending",
      reason: null,
      created_at: "2026-05-01T10:00:00.000Z",
      ended_at: null,
      elapsed_ms: 12_000,
      total_ms: 60_000,
      phase: "node-down",
    };
    const stopped: ExperimentSummary = {
      id: "exp-1",
      name: "slow gateway",
      status: "stopped",
      verdict: "failed",
      reason: "stop condition p99_latency_ms 2300 > 1000",
      created_at: "2026-05-01T09:00:00.000Z",
      ended_at: "2026-05-01T09:00:30.000Z",
      elapsed_ms: 30_000,
      total_ms: 60_000,
      phase: null,
    };
    let list: ExperimentSummary[] = [];
    let refusal = { status: 400, body: { error: "invalid_document", reason: "steps.0.duration: expected a duration such as 30s" } };
    const lists: number[] = [];
    const posts: Array<{ type: string | undefined; body: string | null }> = [];
    const aborts: string[] = [];
    await page.route("**/api/v1/experiments", (route: Route) => {
      const request = route.request();
      if (request.method() === "POST") {
        posts.push({ type: request.headers()["content-type"], body: request.postData() });
        return route.fulfill({ status: refusal.status, json: refusal.body });
      }
      lists.push(Date.now());
      return route.fulfill({ json: { experiments: list, total: list.length } });
    });
    await page.route("**/api/v1/experiments/*/abort", (route: Route) => {
      aborts.push(route.request().url());
      list = list.map((e) => (e.id === running.id ? { ...e, status: "aborted", verdict: "failed", reason: "aborted from the console", ended_at: "2026-05-01T10:00:13.000Z", phase: null } : e));
      return route.fulfill({ json: list[0] });
    });
    try {
      await page.goto(`${console8085}/console/experiments`);
      const entry = page.getByRole("navigation", { name: "Console views" }).getByRole("link", { name: "Experiments" });
      expect(await entry.getAttribute("aria-current")).toBe("page");
      const note = page.locator("#experiments-note");
      await expect.poll(() => note.textContent(), { timeout: 5000 }).toContain("npm run experiment -- file.yaml");
      expect(await note.textContent()).toContain("“Experiments” in the README");
      const documentField = page.getByLabel("Experiment document (YAML or JSON)");
      expect(await documentField.isVisible()).toBe(true);
      expect(await seriousViolations()).toEqual([]);

      // a refused start: the API's reason beside the form, for a 400 and a 409; the body sent as pasted, as YAML
      const yaml = "name: slow gateway\nsteps:\n  - name: slow\n    duration: soon\n";
      await documentField.fill(yaml);
      await page.getByRole("button", { name: "Start the experiment" }).click();
      await expect.poll(() => page.locator("#experiment-error").textContent(), { timeout: 5000 }).toContain(refusal.body.reason);
      expect(posts).toEqual([{ type: "application/yaml", body: yaml }]);
      refusal = { status: 409, body: { error: "conflict", reason: "an experiment is running: storage node down" } };
      await page.getByRole("button", { name: "Start the experiment" }).click();
      await expect.poll(() => page.locator("#experiment-error").textContent(), { timeout: 5000 }).toContain(refusal.body.reason);

      // the rows: the running one's phase and progress, the stopped one's reason, verdicts as words, a report each
      list = [running, stopped];
      await page.reload();
      const first = page.locator("#experiments tbody tr").first();
      await expect.poll(() => first.textContent(), { timeout: 5000 }).toContain("phase node-down");
      expect(await first.textContent()).toContain("12 s of 60 s");
      expect(await first.getByRole("progressbar", { name: "Progress of storage node down" }).getAttribute("value")).toBe("12000");
      expect(await first.locator(".verdict").textContent()).toBe("pending");
      const second = page.locator("#experiments tbody tr").nth(1);
      expect(await second.locator(".reason").textContent()).toBe(stopped.reason);
      expect(await second.locator(".verdict.verdict-failed").textContent()).toBe("failed");
      expect(await second.getByRole("link", { name: "Report of slow gateway" }).getAttribute("href")).toBe("/api/v1/experiments/exp-1/report");
      expect(await page.getByRole("button", { name: /^Abort/ }).count()).toBe(1);
      expect(await seriousViolations()).toEqual([]);
      await shoot("experiments");

      // while one runs, the list is read every second or two
      const before = lists.length;
      await page.waitForTimeout(2500);
      expect(lists.length - before).toBeGreaterThanOrEqual(2);

      await page.getByRole("button", { name: "Abort storage node down" }).click();
      await expect.poll(() => first.textContent(), { timeout: 5000 }).toContain("aborted from the console");
      expect(aborts).toEqual([`${console8085}/api/v1/experiments/exp-2/abort`]);
      expect(await page.getByRole("button", { name: /^Abort/ }).count()).toBe(0);
      expect(await page.locator("#status").textContent()).toContain("Aborted storage node down");

      // an API that cannot be read: said in the list's place, the form still there
      await page.unroute("**/api/v1/experiments");
      await page.route("**/api/v1/experiments", (route: Route) => route.fulfill({ status: 503, json: { error: "unavailable", reason: "the experiments store is starting" } }));
      await expect.poll(() => note.textContent(), { timeout: 6000 }).toContain("The experiments could not be read: the experiments store is starting");
      expect(await page.locator("#experiments").isHidden()).toBe(true);
      expect(await documentField.isVisible()).toBe(true);
    } finally {
      await page.unrouteAll();
    }
  });

  it("console › every view has no serious accessibility violation, at 1280×800 and 390 px wide", { timeout: 60_000 }, async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      for (const view of VIEWS) {
        await page.goto(`${console8085}/console${view}`);
        await page.waitForTimeout(1200);
        expect(await seriousViolations(), `${view || "/"} at ${width} px`).toEqual([]);
        const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
        expect(overflow, `${view || "/"} at ${width} px scrolls sideways`).toBeLessThanOrEqual(1);
        if (width === 390) await shoot(`${view.slice(1) || "overview"}-390`);
      }
    }
  });
});
