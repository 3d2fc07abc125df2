/**
 * What a step puts in place and takes away: its fault rules (created in one write and
 * pushed to the gates, as POST /api/v1/rules does), its metric anomaly (through the
 * anomalies sidecar), or a storage node's state. Everything an experiment adds is named
 * with its id — `<name> [<id>]` — so that its fault events and log lines say which
 * experiment made them, and so that the rollback finds what a step could not record (a
 * crash between the creation and the record).
 */
import { checkAnomaly } from "../../../../shared/anomalies/anomaly";
import type { Step } from "../../../../shared/experiments/document";
import type { InjectionCount } from "../../../../shared/experiments/result";
import { checkRule, type Rule } from "../../../../shared/faults/rule";
import type { RuleCount } from "../../../../shared/faults/ruleset";
import { anomalySidecar } from "../anomaly-sidecar";
import { flushAll, pushCreated, pushRules, rulesStore } from "../broadcast";
import { internal } from "../internal-call";
import { maxRules } from "../rules-limit";
import type { StepState } from "./run-state";

/** A step that could not be carried out: the experiment is aborted with this reason. */
export class StepFailure extends Error {}

export function taggedName(name: string, id: string): string {
  const tag = ` [${id}]`;
  return name.slice(0, 200 - tag.length) + tag;
}

const untagged = (name: string, id: string) => (name.endsWith(` [${id}]`) ? name.slice(0, -` [${id}]`.length) : name);

export async function startStep(env: MockErrorEnv, id: string, step: Step, state: StepState, remainingMs: number): Promise<void> {
  if (step.rules) {
    const drafts = step.rules.map((input) => {
      const check = checkRule({ ...input, name: taggedName(input.name, id), description: `experiment ${id}, step ${step.name}${input.description ? `: ${input.description}` : ""}` });
      if (!check.ok) throw new StepFailure(`step ${step.name}: ${check.reason}`);
      return check.rule;
    });
    const limit = maxRules(env);
    const created = await rulesStore(env).create(drafts, limit);
    if ("limit" in created) throw new StepFailure(`step ${step.name}: the rule store holds at most ${limit} rules (MOCKS3_MAX_RULES)`);
    state.rule_ids = created.rules.map((rule: Rule) => rule.id);
    await pushCreated(env, created.change);
  } else if (step.anomaly) {
    const check = checkAnomaly({ ...step.anomaly, name: taggedName(String(step.anomaly.name), id), duration: `${Math.max(1, Math.round(remainingMs))}ms` });
    if (!check.ok) throw new StepFailure(`step ${step.name}: ${check.reason}`);
    const anomaly = await anomalySidecar(env)
      .create(check.spec)
      .catch(async (error) => {
        throw new StepFailure(`step ${step.name}: the anomaly could not be started (${await reasonOf(error)})`);
      });
    state.anomaly_id = anomaly.id;
  } else if (step.node) {
    const answer = await internal(env, env.STORAGE_API, `/api/v1/nodes/${encodeURIComponent(step.node.name)}/${step.node.state ?? "down"}`, { method: "POST" });
    if (!answer.ok) throw new StepFailure(`step ${step.node.name}: storage-service answered ${answer.status}: ${await answer.text()}`);
    state.node = step.node.name;
  }
}

/** Takes away what the step put in place; the injections its rules made are returned. */
export async function endStep(env: MockErrorEnv, id: string, step: Step, state: StepState): Promise<InjectionCount[]> {
  let injections: InjectionCount[] = [];
  if (state.rule_ids.length > 0) {
    await flushAll(env);
    const { counts } = await rulesStore(env).counts();
    injections = counts
      .filter((count: RuleCount) => state.rule_ids.includes(count.rule_id))
      .map((count: RuleCount) => ({ rule: untagged(count.rule_name, id), service: count.service, action: count.action, matched: count.matched, injected: count.injected }));
    await rulesStore(env).swap({ ids: state.rule_ids }, [], Number.MAX_SAFE_INTEGER);
    await pushRules(env);
    state.rule_ids = [];
  }
  if (state.anomaly_id) {
    await anomalySidecar(env)
      .cancel(state.anomaly_id)
      .catch(() => undefined); // ended by itself, or the sidecar restarted (which cancels what ran)
    state.anomaly_id = null;
  }
  if (state.node && step.node) {
    const back = (step.node.state ?? "down") === "down" ? "up" : "down";
    const answer = await internal(env, env.STORAGE_API, `/api/v1/nodes/${encodeURIComponent(state.node)}/${back}`, { method: "POST" });
    if (!answer.ok) throw new Error(`storage node ${state.node} could not be marked ${back}: ${answer.status}`);
    state.node = null;
  }
  return injections;
}

/** Whether the anomaly a step started still runs (a restarted sidecar cancels what ran). */
export async function anomalyRunning(env: MockErrorEnv, anomalyId: string): Promise<boolean> {
  const anomaly = await anomalySidecar(env)
    .get(anomalyId)
    .catch(() => undefined);
  return anomaly?.state === "running" || anomaly?.state === "pending";
}

/** Removes whatever carries the experiment's name that no step recorded. */
export async function sweep(env: MockErrorEnv, id: string): Promise<void> {
  const tag = ` [${id}]`;
  const strays = ((await rulesStore(env).list()) as Rule[]).filter((rule) => rule.name.endsWith(tag)).map((rule) => rule.id);
  if (strays.length > 0) {
    await rulesStore(env).swap({ ids: strays }, [], Number.MAX_SAFE_INTEGER);
    await pushRules(env);
  }
  const sidecar = anomalySidecar(env);
  const listed = await sidecar.list().catch(() => ({ anomalies: [] }));
  for (const anomaly of listed.anomalies) {
    if (anomaly.name.endsWith(tag) && (anomaly.state === "running" || anomaly.state === "pending")) await sidecar.cancel(anomaly.id).catch(() => undefined);
  }
}

/** The sidecar's refusal (an HTTPException carrying its answer), or the error's message. */
async function reasonOf(error: unknown): Promise<string> {
  const answer = (error as { getResponse?: () => Response }).getResponse?.();
  return answer ? `${answer.status}: ${await answer.text()}` : String((error as Error).message ?? error);
}
