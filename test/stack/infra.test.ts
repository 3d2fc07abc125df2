/**
 * The full stack's files checked against each other, since no Docker engine runs here:
 * docker-compose.yml, the Dockerfile, Prometheus (also by the real promtool), the collector,
 * Grafana's provisioning and dashboards, and METRICS.md.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
}
const compose = parse(read("docker-compose.yml")) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const services = compose.services;

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
      const names = [...expr.replace(/\{[^}]*\}/g, "").replace(/\[[^\]]*\]/g, "").matchAll(/[a-z_][a-z0-9_]*/g)].map((m) => m[0]).filter((n) => !functions.has(n) && n.includes("_"));
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) expect(documented, `${where}: ${name}`).toContain(name.replace(/_(bucket|sum|count)$/, ""));
    }
  });
});
