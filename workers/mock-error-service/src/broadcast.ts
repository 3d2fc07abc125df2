/**
 * Reaching every service's fault gate: a rule change is pushed to all of them at once (so a
 * halt is in force everywhere within milliseconds, not at their next poll), and their
 * buffered accounting is flushed before stats or events are read. A service that does not
 * answer in time is skipped: it picks the change up at its next poll (≤ 1 s).
 */
import type { FaultControlSurface, Ruleset } from "../../../shared/faults/ruleset";

const PUSH_TIMEOUT_MS = 500;

function gates(env: MockErrorEnv): FaultControlSurface[] {
  return [env.GATEWAY_FAULTS, env.METADATA_FAULTS, env.STORAGE_FAULTS, env.QUEUE_FAULTS, env.THIRD_PARTY_FAULTS] as unknown as FaultControlSurface[];
}

export function rulesStore(env: MockErrorEnv) {
  return env.FAULT_RULES.getByName("rules");
}

/** Pushes the current rule set to every service. */
export async function pushRules(env: MockErrorEnv): Promise<void> {
  const ruleset = (await rulesStore(env).snapshot()) as Ruleset;
  await everyGate(env, (gate) => gate.apply(ruleset));
}

export async function flushAll(env: MockErrorEnv): Promise<void> {
  await everyGate(env, (gate) => gate.flush());
}

async function everyGate(env: MockErrorEnv, call: (gate: FaultControlSurface) => Promise<void> | void): Promise<void> {
  await Promise.all(
    gates(env).map((gate) =>
      Promise.race([Promise.resolve(call(gate)), new Promise((resolve) => setTimeout(resolve, PUSH_TIMEOUT_MS))]).catch(() => undefined),
    ),
  );
}
