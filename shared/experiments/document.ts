/**
 * An experiment as written (YAML or JSON, one schema): a hypothesis of steady-state checks,
 * a timeline of steps — fault rules, a metric anomaly, a storage node down, or a wait, each
 * at an offset with a duration — and stop conditions that end it at once when they fail.
 * Everything it adds is removed when a step ends and again when the experiment ends (the
 * rollback is implicit). `checkExperiment` refuses a document with every reason, never
 * half-checks it: each rule and anomaly is checked as the rules and anomaly APIs check them.
 *
 * Timeline: `before` (the steady state measured, default 10s), then the steps, each at
 * `at` from the end of `before`, then `after` (recovery measured, default 10s).
 */
import { z } from "zod";
import { anomalyInput } from "../anomalies/anomaly";
import { durationMs } from "../faults/duration";
import { FAULT_SERVICES } from "../faults/fault-services";
import { describeIssues, ruleInput } from "../faults/rule";

/** The longest timeline (before + steps + after) an experiment may have. */
export const MAX_TIMELINE_MS = 3_600_000;
/** The longest sliding window a check may take (the sidecar keeps two minutes of traffic). */
export const MAX_WINDOW_MS = 60_000;
export const PHASE_KINDS = ["before", "step", "after"] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

const duration = (what: string, max: number, min = 0) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    // YAML and JSON numbers are seconds here (a timeline reads in seconds); strings are Go-style
    const ms = typeof value === "number" ? value * 1000 : durationMs(value);
    if (ms === undefined || !Number.isFinite(ms) || ms < min || ms > max) {
      ctx.addIssue({ code: "custom", message: `${what} is a duration from ${min / 1000}s to ${max / 1000}s ("30s", "1m30s", or seconds as a number), not ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  });

const service = z.enum(FAULT_SERVICES, { error: (issue) => `unknown service ${JSON.stringify(issue.input)} (one of ${FAULT_SERVICES.join(", ")})` });
const operation = z.string().trim().min(1).max(100);
const bucket = z.string().trim().min(1).max(63);

/** What a check measures: exactly one of these, each a number per sample and per phase. */
const measures = {
  /** share of requests answered with an error (0–1): 5xx by default */
  error_share: z.strictObject({ service: service.optional(), operation: operation.optional(), bucket: bucket.optional(), statuses: z.enum(["5xx", "4xx", "4xx+5xx"]).optional() }),
  /** a latency percentile of the requests, in ms */
  latency: z.strictObject({ service: service.optional(), operation: operation.optional(), bucket: bucket.optional(), percentile: z.number().gt(0).max(100) }),
  /** faults injected (count), by any rule or by the rules whose name starts with `rule` */
  injections: z.strictObject({ service: service.optional(), operation: operation.optional(), bucket: bucket.optional(), rule: z.string().min(1).max(200).optional() }),
  /** object events waiting in queue-service's queue (count, as it stands) */
  queue_length: z.strictObject({}),
  /** the measured value of the anomaly a step started (its metric_name, in its unit) */
  anomaly: z.strictObject({ step: z.string().min(1).max(100) }),
  /** an HTTP probe of the user's own service: the share of probes that failed (0–1) */
  probe: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: "probe.url must be an http(s) URL" }),
    method: z.enum(["GET", "HEAD", "POST"]).optional(),
    /** the statuses that count as success; default 200–399 */
    status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).optional(),
    /** a probe slower than this fails */
    max_latency: duration("probe.max_latency", 60_000, 1).optional(),
    /** how often the probe is sent; default 1s */
    every: duration("probe.every", 60_000, 250).optional(),
  }),
};
export type MeasureKind = keyof typeof measures;
export const MEASURE_KINDS = Object.keys(measures) as MeasureKind[];

const checkSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    error_share: measures.error_share.optional(),
    latency: measures.latency.optional(),
    injections: measures.injections.optional(),
    queue_length: measures.queue_length.optional(),
    anomaly: measures.anomaly.optional(),
    probe: measures.probe.optional(),
    max: z.number().optional(),
    min: z.number().optional(),
    /** the sliding window each sample measures (default 10s) */
    window: duration("window", MAX_WINDOW_MS, 250).optional(),
    /** fewer requests than this in a window or phase is no data, which passes (default 1) */
    min_requests: z.number().int().min(1).optional(),
    /** where a hypothesis check must hold (default: every phase) */
    phases: z.array(z.enum(PHASE_KINDS)).min(1).optional(),
  })
  .superRefine((check, ctx) => {
    const kinds = MEASURE_KINDS.filter((kind) => check[kind] !== undefined);
    if (kinds.length !== 1) ctx.addIssue({ code: "custom", message: `a check measures exactly one of ${MEASURE_KINDS.join(", ")}${kinds.length ? `, not ${kinds.join(" and ")}` : ""}` });
    if (check.max === undefined && check.min === undefined) ctx.addIssue({ code: "custom", message: "a check needs a threshold: max, min, or both" });
  });

const nodeAction = z.strictObject({ name: z.string().trim().min(1).max(100), state: z.enum(["down", "up"]).optional() });

const stepSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    at: duration("at", MAX_TIMELINE_MS),
    duration: duration("duration", MAX_TIMELINE_MS, 1),
    /** fault rules in force for the step (as POST /api/v1/rules takes them) */
    rules: z.array(ruleInput).min(1).max(100).optional(),
    /** a metric anomaly for the step (as POST /api/v1/metric-anomaly takes it; its duration is the step's) */
    anomaly: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** a storage node marked down (default) or up for the step, back as it was after */
    node: nodeAction.optional(),
    /** nothing: the step only marks a span of the timeline */
    wait: z.literal(true).optional(),
  })
  .superRefine((step, ctx) => {
    const actions = (["rules", "anomaly", "node", "wait"] as const).filter((kind) => step[kind] !== undefined);
    if (actions.length > 1) ctx.addIssue({ code: "custom", message: `a step does one thing: rules, anomaly, node or wait, not ${actions.join(" and ")}` });
    if (step.anomaly) {
      if (step.anomaly.duration !== undefined) ctx.addIssue({ code: "custom", path: ["anomaly", "duration"], message: "an anomaly lasts as long as its step: give the step a duration instead" });
      const checked = anomalyInput.safeParse({ ...step.anomaly, duration: `${step.duration}ms` });
      if (!checked.success) ctx.addIssue({ code: "custom", path: ["anomaly"], message: describeIssues(checked.error) });
    }
  });

export const experimentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    before: duration("before", MAX_TIMELINE_MS).optional(),
    after: duration("after", MAX_TIMELINE_MS).optional(),
    hypothesis: z.array(checkSchema).max(32).optional(),
    steps: z.array(stepSchema).min(1).max(64),
    stop_conditions: z.array(checkSchema).max(32).optional(),
  })
  .superRefine((doc, ctx) => {
    const steps = doc.steps.map((step, i) => step.name ?? `step-${i + 1}`);
    const dup = steps.find((name, i) => steps.indexOf(name) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["steps"], message: `two steps are named ${JSON.stringify(dup)}` });
    const checkNames = [...(doc.hypothesis ?? []), ...(doc.stop_conditions ?? [])].map((check) => check.name);
    const shared = checkNames.find((name, i) => checkNames.indexOf(name) !== i);
    if (shared) ctx.addIssue({ code: "custom", message: `two checks are named ${JSON.stringify(shared)}: every check of the hypothesis and the stop conditions has a name of its own` });
    for (const [list, checks] of [
      ["hypothesis", doc.hypothesis ?? []],
      ["stop_conditions", doc.stop_conditions ?? []],
    ] as const) {
      for (const check of checks) {
        const step = (check as { anomaly?: { step: string } }).anomaly?.step;
        if (step !== undefined && !doc.steps.some((s, i) => (s.name ?? `step-${i + 1}`) === step && s.anomaly))
          ctx.addIssue({ code: "custom", path: [list], message: `check ${JSON.stringify(check.name)} reads the anomaly of step ${JSON.stringify(step)}, which no step with an anomaly is named` });
      }
    }
    const end = (doc.before ?? 10_000) + Math.max(...doc.steps.map((s) => s.at + s.duration)) + (doc.after ?? 10_000);
    if (end > MAX_TIMELINE_MS) ctx.addIssue({ code: "custom", message: `the timeline lasts ${end / 1000}s, more than the ${MAX_TIMELINE_MS / 1000}s an experiment may take` });
  });

type Parsed = z.output<typeof experimentSchema>;
type ParsedCheck = z.output<typeof checkSchema>;

/** A check, durations in ms, defaults applied. */
export type Check = Omit<ParsedCheck, "window" | "min_requests" | "phases"> & { window: number; min_requests: number; phases: PhaseKind[] };

type ParsedStep = Parsed["steps"][number];
/** A rule of a step as written, without the fields the server owns. */
export type StepRule = Omit<NonNullable<ParsedStep["rules"]>[number], "id" | "created_at" | "updated_at">;

/** A step, durations in ms, its name given. */
export type Step = Omit<ParsedStep, "name" | "rules"> & { name: string; rules?: StepRule[] };

/** An experiment, checked, durations in ms and defaults applied. */
export interface ExperimentDocument {
  name: string;
  description: string;
  before: number;
  after: number;
  hypothesis: Check[];
  steps: Step[];
  stop_conditions: Check[];
}

export type ExperimentCheck = { ok: true; experiment: ExperimentDocument } | { ok: false; reason: string };

export function checkExperiment(input: unknown): ExperimentCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { ok: false, reason: "an experiment is an object (YAML or JSON) with name, steps and, optionally, hypothesis and stop_conditions" };
  const parsed = experimentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const doc = parsed.data;
  const check = (c: ParsedCheck): Check => ({ ...c, window: c.window ?? 10_000, min_requests: c.min_requests ?? 1, phases: c.phases ?? [...PHASE_KINDS] });
  return {
    ok: true,
    experiment: {
      name: doc.name,
      description: doc.description ?? "",
      before: doc.before ?? 10_000,
      after: doc.after ?? 10_000,
      hypothesis: (doc.hypothesis ?? []).map(check),
      steps: doc.steps.map((step, i) => ({
        ...step,
        name: step.name ?? `step-${i + 1}`,
        ...(step.rules ? { rules: step.rules.map(({ id: _id, created_at: _created, updated_at: _updated, ...rule }) => rule) } : {}),
      })),
      stop_conditions: (doc.stop_conditions ?? []).map(check),
    },
  };
}

/** What a check measures. */
export function measureOf(check: Check): MeasureKind {
  return MEASURE_KINDS.find((kind) => check[kind] !== undefined)!;
}
