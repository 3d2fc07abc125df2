/**
 * The sidecar's core: every anomaly's lifecycle. An anomaly is checked whole and capped when
 * written, then
 *
 *   pending ──(enabled, at once)──► running ──(duration)──► completed
 *                                      ├──(DELETE, halt, sidecar stop)──► cancelled
 *                                      └──(its module throws)──► failed
 *
 * `enabled: false` keeps it pending, with no effect, until `enable`. A running anomaly's end
 * is its module releasing what it took; cancel and halt answer only after that. At most one
 * anomaly of a type runs per service (cpu_spike: one at all, it drives the machine's CPU), so
 * two never fight over one metric. Every change is saved (state-file.ts), and the API's
 * answer to a create, enable or cancel comes after the save.
 */
import { randomUUID } from "node:crypto";
import { checkAnomaly, type Anomaly, type AnomalyInput, type AnomalyState, type AnomalyType } from "../../shared/anomalies/anomaly";
import { durationMs } from "../../shared/faults/duration";
import { logAnomaly } from "./anomaly-log";
import type { AnomalyContext, AnomalyModule, HeldResource } from "./anomaly-module";
import { capAnomaly, type Caps } from "./caps";
import type { StateFile } from "./state-file";

export interface RunnerOptions {
  modules: Record<AnomalyType, AnomalyModule>;
  caps: Caps;
  dataDir: string;
  services: Record<string, string>;
  mockErrorUrl: string;
  state: StateFile;
  /** anomalies of an earlier run, none of them running */
  previous?: Anomaly[];
  /** told of every anomaly that ends, with its final state */
  onEnd?(anomaly: Anomaly): void;
}

/** Refusals, as the API answers them. */
export class RunnerError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: "bad_request" | "not_found" | "conflict",
    reason: string,
  ) {
    super(reason);
  }
}

interface Run {
  controller: AbortController;
  timer: NodeJS.Timeout;
  done: Promise<void>;
  ending?: "completed" | "cancelled";
}

interface Entry {
  anomaly: Anomaly;
  spec: AnomalyInput;
  notes: string[];
  held: Map<HeldResource, number>;
  run?: Run;
}

/** A running anomaly as /metrics sees it. */
export interface RunningView {
  anomaly: Anomaly;
  held: ReadonlyMap<HeldResource, number>;
}

/** Ended anomalies kept for the API, oldest dropped first. */
const KEPT_ENDED = 200;
/** How long cancel and halt wait for a module to release what it holds. */
const RELEASE_WAIT_MS = 20_000;

export class AnomalyRunner {
  readonly #options: RunnerOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: RunnerOptions) {
    this.#options = options;
    for (const anomaly of options.previous ?? []) {
      this.#entries.set(anomaly.id, { anomaly, spec: specOf(anomaly), notes: anomaly.message ? [anomaly.message] : [], held: new Map() });
    }
  }

  /** Creates (and, when enabled, starts) an anomaly; resolves once it is saved. */
  async create(input: unknown): Promise<Anomaly> {
    const check = checkAnomaly(input);
    if (!check.ok) throw new RunnerError(400, "bad_request", check.reason);
    const capped = capAnomaly(check.spec, this.#options.caps);
    if (!capped.ok) throw new RunnerError(400, "bad_request", capped.reason);
    const entry = newEntry(capped.spec, capped.notes);
    if (entry.anomaly.enabled) this.#refuseConflict(entry);
    this.#entries.set(entry.anomaly.id, entry);
    this.#forgetOldest();
    if (entry.anomaly.enabled) this.#start(entry);
    await this.#persist();
    return view(entry);
  }

  list(): Anomaly[] {
    return [...this.#entries.values()].map(view);
  }

  get(id: string): Anomaly {
    return view(this.#entry(id));
  }

  /** Starts a pending anomaly (one written with `enabled: false`); resolves once it is saved. */
  async enable(id: string): Promise<Anomaly> {
    const entry = this.#entry(id);
    if (entry.anomaly.state !== "pending") throw new RunnerError(409, "conflict", `anomaly ${id} is ${entry.anomaly.state}, not pending`);
    this.#refuseConflict(entry);
    entry.anomaly.enabled = true;
    this.#start(entry);
    await this.#persist();
    return view(entry);
  }

  /** Cancels a pending or running anomaly; answers once what it held is released. */
  async cancel(id: string): Promise<Anomaly> {
    const entry = this.#entry(id);
    if (entry.anomaly.state === "pending") this.#end(entry, "cancelled");
    else await this.#stop(entry, "cancelled");
    await this.#persist();
    return view(entry);
  }

  /** Cancels every pending and running anomaly; answers how many. */
  async halt(): Promise<number> {
    const active = [...this.#entries.values()].filter((e) => e.anomaly.state === "pending" || e.anomaly.state === "running");
    await Promise.all(active.map((entry) => this.cancel(entry.anomaly.id)));
    return active.length;
  }

  /** Ends what runs (the sidecar is stopping); pending anomalies stay for the next run. */
  async close(): Promise<void> {
    const running = [...this.#entries.values()].filter((e) => e.run);
    for (const entry of running) entry.notes.push("the sidecar stopped");
    await Promise.all(running.map((entry) => this.#stop(entry, "cancelled")));
    await this.#persist();
  }

  running(): RunningView[] {
    return [...this.#entries.values()].filter((e) => e.run).map((e) => ({ anomaly: view(e), held: e.held }));
  }

  #entry(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new RunnerError(404, "not_found", `anomaly ${id} does not exist`);
    return entry;
  }

  #refuseConflict(entry: Entry): void {
    const key = exclusiveKey(entry.spec);
    const other = [...this.#entries.values()].find((e) => e.run && exclusiveKey(e.spec) === key);
    if (!other) return;
    const scope = entry.spec.anomaly_type === "cpu_spike" ? "on this machine" : `on ${entry.spec.service}`;
    throw new RunnerError(409, "conflict", `${entry.spec.anomaly_type} ${other.anomaly.id} already runs ${scope}; cancel it first`);
  }

  #start(entry: Entry): void {
    const controller = new AbortController();
    const { anomaly } = entry;
    anomaly.state = "running";
    anomaly.started_at = new Date().toISOString();
    const timer = setTimeout(() => void this.#stop(entry, "completed"), anomaly.duration_ms);
    const module = this.#options.modules[anomaly.anomaly_type];
    const done = Promise.resolve()
      .then(() => module.run(this.#context(entry, controller.signal)))
      .then(
        () => this.#settle(entry),
        (error: unknown) => this.#settle(entry, error),
      );
    entry.run = { controller, timer, done };
    logAnomaly("anomaly started", anomaly);
  }

  #context(entry: Entry, signal: AbortSignal): AnomalyContext {
    const { caps, dataDir, services, mockErrorUrl } = this.#options;
    return {
      id: entry.anomaly.id,
      spec: entry.spec,
      caps,
      signal,
      dataDir,
      services,
      mockErrorUrl,
      report: (actual) => void (entry.anomaly.actual_value = Math.round(actual * 100) / 100),
      hold: (resource, amount) => void entry.held.set(resource, amount),
      note: (message) => void entry.notes.push(message),
    };
  }

  /** Tells a running anomaly to end; resolves once it released what it held (or gave up waiting). */
  async #stop(entry: Entry, ending: "completed" | "cancelled"): Promise<void> {
    const run = entry.run;
    if (!run) return;
    if (!run.ending) {
      run.ending = ending;
      clearTimeout(run.timer);
      run.controller.abort();
    }
    let waited: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (waited = setTimeout(resolve, RELEASE_WAIT_MS)));
    await Promise.race([run.done, giveUp]);
    clearTimeout(waited);
  }

  /** The module's run is over: released, or failed. */
  #settle(entry: Entry, error?: unknown): void {
    const run = entry.run!;
    clearTimeout(run.timer);
    if (error !== undefined) entry.notes.push(error instanceof Error ? error.message : String(error));
    else if (!run.ending) entry.notes.push("its module stopped before the anomaly's end");
    this.#end(entry, error === undefined && run.ending ? run.ending : "failed");
  }

  #end(entry: Entry, state: AnomalyState): void {
    entry.run = undefined;
    entry.held.clear();
    entry.anomaly.state = state;
    entry.anomaly.ended_at = new Date().toISOString();
    logAnomaly(`anomaly ${state}`, view(entry));
    this.#options.onEnd?.(view(entry));
    this.#persist();
  }

  #forgetOldest(): void {
    const ended = [...this.#entries.values()].filter((e) => e.anomaly.ended_at !== null);
    for (const entry of ended.slice(0, Math.max(0, ended.length - KEPT_ENDED))) this.#entries.delete(entry.anomaly.id);
  }

  #persist(): Promise<void> {
    return this.#options.state.save(this.list()).catch(() => undefined);
  }
}

function newEntry(spec: AnomalyInput, notes: string[]): Entry {
  const anomaly: Anomaly = {
    id: randomUUID(),
    name: spec.name,
    description: spec.description ?? "",
    service: spec.service,
    metric_name: spec.metric_name,
    anomaly_type: spec.anomaly_type,
    target_value: spec.target_value,
    duration: spec.duration,
    duration_ms: durationMs(spec.duration)!,
    enabled: spec.enabled ?? true,
    ...(spec.mode === undefined ? {} : { mode: spec.mode }),
    state: "pending",
    actual_value: null,
    created_at: new Date().toISOString(),
    started_at: null,
    ended_at: null,
  };
  return { anomaly, spec, notes: [...notes], held: new Map() };
}

/** The spec an anomaly saved by an earlier run was made from (it was checked then). */
function specOf(anomaly: Anomaly): AnomalyInput {
  const { name, description, service, metric_name, anomaly_type, target_value, duration, enabled, mode } = anomaly;
  return { name, description, service: service as AnomalyInput["service"], metric_name, anomaly_type, target_value, duration, enabled, ...(mode === undefined ? {} : { mode }) };
}

function exclusiveKey(spec: AnomalyInput): string {
  return spec.anomaly_type === "cpu_spike" ? "cpu_spike" : `${spec.anomaly_type}:${spec.service}`;
}

function view(entry: Entry): Anomaly {
  const { message: _, ...anomaly } = entry.anomaly;
  return entry.notes.length > 0 ? { ...anomaly, message: entry.notes.join("; ") } : { ...anomaly };
}
