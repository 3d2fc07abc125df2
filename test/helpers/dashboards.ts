/** The provisioned Grafana dashboards (infra/grafana/dashboards) and their queries. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const DASHBOARD_DIR = path.resolve(import.meta.dirname, "../../infra/grafana/dashboards");

export interface Dashboard {
  file: string;
  title: string;
  panels: { title: string; datasource?: { uid: string }; targets: { expr?: string; datasource?: { uid: string } }[] }[];
}

export function dashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(DASHBOARD_DIR, file), "utf8")) as Omit<Dashboard, "file">) }));
}

/** Every PromQL expression of every dashboard, with where it is. */
export function dashboardQueries(): { where: string; expr: string }[] {
  return dashboards().flatMap((d) => d.panels.flatMap((p) => p.targets.filter((t) => t.expr).map((t) => ({ where: `${d.title} › ${p.title}`, expr: t.expr! }))));
}
