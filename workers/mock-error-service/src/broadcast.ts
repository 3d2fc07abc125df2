/**
 * Reaching every service's fault gate: each is told of a rule change at once and fetches
 * what changed since its version (so a halt is in force everywhere within milliseconds, not
 * at their next poll, and a new rule costs them that rule, not the whole set), and their
 * buffered accounting is flushed before stats or events are read. A service that does not
 * answer in time is skipped: it picks the change up at its next poll (≤ 1 s).
 */
import type { FaultControlSurface, RulesetChanges } from "../../../shared/faults/ruleset";

const PUSH_TIMEOUT_MS = 500;

function gates(env: MockErrorEnv): FaultControlSurface[] {
  return [env.GATEWAY_FAULTS, env.METADATA_FAULTS, env.STORAGE_FAULTS, env.QUEUE_FAULTS, env.THIRD_PARTY_FAULTS] as unknown as FaultControlSurface[];
}

export function rulesStore(env: MockErrorEnv) {
  return env.FAULT_RULES.getByName("rules");
}

/**
 * Brings every service up to the rule store's current version — or to a change's, handing
 * the change over (a gate that holds the version before it needs no call to the store).
 */
export async function pushRules(env: MockErrorEnv, change?: RulesetChanges): Promise<void> {
  const version = change?.version ?? (await rulesStore(env).version());
  await everyGate(env, (gate) => gate.refresh(version, change));
}

export async function flushAll(env: MockErrorEnv): Promise<void> {
  await everyGate(env, (gate) => gate.flush());
}

async function everyGate(env: MockErrorEnv, call: (gate: FaultControlSurface) => Promise<void> | void): Promise<void> {
  await Promise.all(gates(env).map((gate) => Promise.race([Promise.resolve(call(gate)), new Promise((resolve) => setTimeout(resolve, PUSH_TIMEOUT_MS))]).catch(() => undefined)));
}
