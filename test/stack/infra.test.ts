/**
 * The full stack's files checked against each other, since no Docker engine runs here:
 * docker-compose.yml, the Dockerfile, Prometheus (also by the real promtool), the collector,
 * Grafana's provisioning and dashboards, Kibana's provisioning (run against a fake Kibana),
 * and METRICS.md.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dashboardQueries, dashboards } from "../helpers/dashboards";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

interface ComposeService {
  build?: string;
  image?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read("docker-compose.yml")) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const services = compose.services;

interface KibanaCall {
  method: string;
  path: string;
  xsrf?: string;
  body: any;
}

/** Runs infra/kibana/setup.sh against a fake Kibana that is up at once; what it asked. */
async function runKibanaSetup(script: string): Promise<{ code: number; calls: KibanaCall[] }> {
  const calls: KibanaCall[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      calls.push({ method: request.method!, path: request.url!, xsrf: request.headers["kbn-xsrf"] as string | undefined, body: text ? JSON.parse(text) : undefined });
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":{"overall":{"level":"available"}}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await promisify(execFile)("bash", [path.join(ROOT, script)], { env: { ...process.env, KIBANA_URL: url }, timeout: 20_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? 1,
    );
    return { code: run, calls };
  } finally {
    server.close();
  }
}

/** The packages the Node side, the workers and the tools import (drizzle-kit's configs aside: they serve migrations at development time). */
function runtimeImports(): Map<string, string[]> {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.name === "node_modules" ? [] : entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  const files = ["sidecars", "workers", "shared", "durable-objects", "scripts"].flatMap(walk).filter((f) => /\.(ts|mjs)$/.test(f) && !/(\.d\.ts|drizzle\.config\.ts)$/.test(f));
  const packages = new Map<string, string[]>();
  for (const file of files) {
    for (const m of read(file).matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm)) {
      const specifier = (m[1] ?? m[2] ?? m[3])!;
      if (/^(\.|node:|cloudflare:)/.test(specifier)) continue;
      const name = specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
      if (!builtinModules.includes(name)) packages.set(name, [...(packages.get(name) ?? []), file]);
    }
  }
  return packages;
}

/** host ports a service publishes, ranges expanded */
function published(service: ComposeService): number[] {
  return (service.ports ?? []).flatMap((mapping) => {
    const [from, to = from] = mapping.split(":")[0]!.split("-").map(Number);
    return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  });
}

describe("docker-compose.yml and infra/", () => {
  it("every file and directory it mounts or builds from exists", () => {
    expect(existsSync(path.join(ROOT, services.mocks3!.build!, "Dockerfile"))).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (source.startsWith(".")) expect(existsSync(path.join(ROOT, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: volume ${source}`).toContain(source);
      }
    }
  });

  it("publishes the seeds' ports: S3 and the services, the sidecar, Grafana, Prometheus, Kibana, Elasticsearch", () => {
    expect(published(services.mocks3!)).toEqual([8080, 8081, 8082, 8083, 8084, 8085, 8090]);
    expect(published(services.grafana!)).toContain(3000);
    expect(published(services.prometheus!)).toContain(9090);
    expect(published(services.kibana!)).toContain(5601);
    expect(published(services.elasticsearch!)).toContain(9200);
    expect(services.grafana!.environment).toMatchObject({ GF_SECURITY_ADMIN_USER: "admin", GF_SECURITY_ADMIN_PASSWORD: "admin" });
  });

  it("Prometheus scrapes compose services on their ports, and promtool accepts its config", async () => {
    const config = parse(read("infra/prometheus/prometheus.yml")) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((s) => s.targets));
    expect(targets).toContain("mocks3:8090");
    for (const target of targets) expect(Object.keys(services)).toContain(target.split(":")[0]);
    const collector = parse(read("infra/otel-collector/config.yaml")) as { service: { telemetry: { metrics: { address: string } } } };
    expect(targets).toContain(`otel-collector:${collector.service.telemetry.metrics.address.split(":")[1]}`);
    const { stdout } = await promisify(execFile)("promtool", ["check", "config", "--syntax-only", path.join(ROOT, "infra/prometheus/prometheus.yml")]);
    expect(stdout).toContain("SUCCESS");
  });

  it("the collector reads MockS3's log file from the data volume and receives its traces", () => {
    const dataDir = /MOCKS3_DATA_DIR=(\S+)/.exec(read("Dockerfile"))![1]!;
    const mocks3Volume = services.mocks3!.volumes!.find((v) => v.endsWith(`:${dataDir}`))!.split(":")[0]!;
    const collectorMount = services["otel-collector"]!.volumes!.find((v) => v.startsWith(`${mocks3Volume}:`))!.split(":")[1]!;
    const collector = parse(read("infra/otel-collector/config.yaml")) as { receivers: { filelog: { include: string[] }; otlp: { protocols: { http: { endpoint: string } } } } };
    expect(collector.receivers.filelog.include).toEqual([`${collectorMount}/logs/mocks3.log`]);
    const port = collector.receivers.otlp.protocols.http.endpoint.split(":")[1];
    expect(services.mocks3!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(`http://otel-collector:${port}`);
  });

  it("the MockS3 image holds production packages only, and every package the runtime imports is one", () => {
    const dockerfile = read("Dockerfile");
    expect([...dockerfile.matchAll(/^RUN npm (?:ci|install)\b.*$/gm)].map((m) => m[0])).toEqual(["RUN npm ci --omit=dev"]);
    expect(dockerfile).toMatch(/^FROM \S+ AS deps\n(?:.*\n)*?RUN npm ci --omit=dev$/m);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(finalStage).toContain("COPY --from=deps /app/node_modules ./node_modules");
    const dependencies = Object.keys((JSON.parse(read("package.json")) as { dependencies: Record<string, string> }).dependencies);
    const imported = runtimeImports();
    expect(imported.size).toBeGreaterThan(10);
    for (const [name, files] of imported) expect(dependencies, `${name}, imported by ${files[0]}`).toContain(name);
    // what runs the tools (npm run status …) and the workers' bundler (node --import tsx)
    expect(dependencies).toContain("tsx");
  });

  it("Kibana: a one-shot, once Kibana is healthy, makes a data view for each index the collector writes", async () => {
    const { exporters } = parse(read("infra/otel-collector/config.yaml")) as { exporters: { elasticsearch: { logs_index: string; traces_index: string } } };
    const { logs_index: logs, traces_index: traces } = exporters.elasticsearch;
    const setup = services["kibana-setup"]!;
    expect(services.kibana!.healthcheck?.test.join(" ")).toContain("/api/status");
    expect(setup.depends_on).toEqual({ kibana: { condition: "service_healthy" } });
    const [script, mounted] = setup.volumes![0]!.split(":") as [string, string];
    expect(setup.entrypoint).toEqual(["bash", mounted]);

    const { code, calls } = await runKibanaSetup(script);
    expect(code).toBe(0);
    const views = calls.filter((c) => c.path === "/api/data_views/data_view");
    expect(views.map((c) => c.body.data_view.title).sort()).toEqual([`${logs}*`, `${traces}*`]);
    for (const view of views) {
      expect(view).toMatchObject({ method: "POST", xsrf: expect.any(String), body: { override: true, data_view: { timeFieldName: "@timestamp", allowNoIndex: true } } });
    }
    const logsView = views.find((c) => c.body.data_view.title === `${logs}*`)!.body.data_view.id;
    expect(calls.at(-1)).toMatchObject({ method: "POST", path: "/api/data_views/default", body: { data_view_id: logsView, force: true } });
  });

  it("Grafana: the five dashboards, each datasource provisioned", () => {
    const provisioned = (parse(read("infra/grafana/provisioning/datasources/datasources.yaml")) as { datasources: { uid: string }[] }).datasources.map((d) => d.uid);
    const all = dashboards();
    expect(all.map((d) => d.title).sort()).toEqual(["Business Metrics", "Error Injection", "Infrastructure", "MockS3 Overview", "Service Metrics"]);
    for (const dashboard of all) {
      for (const panel of dashboard.panels) {
        expect(provisioned, `${dashboard.title} › ${panel.title}`).toContain(panel.datasource!.uid);
        for (const target of panel.targets) expect(provisioned).toContain(target.datasource!.uid);
      }
    }
    const provider = parse(read("infra/grafana/provisioning/dashboards/dashboards.yaml")) as { providers: { options: { path: string } }[] };
    expect(services.grafana!.volumes).toContain(`./infra/grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
  });

  it("every metric a dashboard queries is documented in METRICS.md", () => {
    const documented = new Set([...read("METRICS.md").matchAll(/^\| `([a-z0-9_]+)`/gm)].map((m) => m[1]));
    const functions = new Set(["sum", "by", "rate", "increase", "histogram_quantile", "le"]);
    for (const { where, expr } of dashboardQueries()) {
      const names = [
        ...expr
          .replace(/\{[^}]*\}/g, "")
          .replace(/\[[^\]]*\]/g, "")
          .matchAll(/[a-z_][a-z0-9_]*/g),
      ]
        .map((m) => m[0])
        .filter((n) => !functions.has(n) && n.includes("_"));
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) expect(documented, `${where}: ${name}`).toContain(name.replace(/_(bucket|sum|count)$/, ""));
    }
  });
});
