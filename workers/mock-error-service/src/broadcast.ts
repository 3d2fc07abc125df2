/**
 * Reaching the services' fault gates: each is told of a rule change at once and fetches
 * what changed since its version (so a halt is in force everywhere within milliseconds, not
 * at their next poll, and a new rule costs them that rule, not the whole set), and their
 * buffered accounting is flushed before stats or events are read. New rules are told only to
 * the gates that keep their services (gate-services.ts). A service that does not answer in
 * time is skipped: it picks the change up at its next poll (≤ 1 s).
 */
import { GATE_SERVICES, gatesKeeping, type GateWorker } from "../../../shared/faults/gate-services";
import type { FaultControlSurface, RulesetChanges } from "../../../shared/faults/ruleset";

const PUSH_TIMEOUT_MS = 500;

function gate(env: MockErrorEnv, worker: GateWorker): FaultControlSurface {
  const bindings = {
    gateway: env.GATEWAY_FAULTS,
    "metadata-service": env.METADATA_FAULTS,
    "storage-service": env.STORAGE_FAULTS,
    "queue-service": env.QUEUE_FAULTS,
    "third-party-service": env.THIRD_PARTY_FAULTS,
  };
  return bindings[worker] as unknown as FaultControlSurface;
}

export function rulesStore(env: MockErrorEnv) {
  return env.FAULT_RULES.getByName("rules");
}

/** Brings every service up to the rule store's current version. */
export async function pushRules(env: MockErrorEnv): Promise<void> {
  const version = await rulesStore(env).version();
  await gates(env, ALL_GATES, (g) => g.refresh(version));
}

/**
 * Brings the gates that keep the new rules' services up to the version the creation made,
 * handing the change over (a gate that holds the version before it needs no call to the store).
 */
export async function pushCreated(env: MockErrorEnv, change: RulesetChanges): Promise<void> {
  await gates(env, gatesKeeping(change.upserts.map((rule) => rule.service)), (g) => g.refresh(change.version, change));
}

export async function flushAll(env: MockErrorEnv): Promise<void> {
  await gates(env, ALL_GATES, (g) => g.flush());
}

const ALL_GATES = Object.keys(GATE_SERVICES) as GateWorker[];

async function gates(env: MockErrorEnv, workers: GateWorker[], call: (gate: FaultControlSurface) => Promise<void> | void): Promise<void> {
  await Promise.all(workers.map((worker) => Promise.race([Promise.resolve(call(gate(env, worker))), new Promise((resolve) => setTimeout(resolve, PUSH_TIMEOUT_MS))]).catch(() => undefined)));
}
