/**
 * The fault gate of the worker this module is bundled into (each worker bundles its own
 * copy, so each has one gate), and the FaultControl entrypoint through which
 * mock-error-service tells it of rule changes and collects its accounting.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { FaultGate } from "./gate";
import type { RulesetChanges, RulesSource } from "./ruleset";

export const serviceGate = new FaultGate();

interface FaultRulesEnv {
  FAULT_RULES: DurableObjectNamespace<import("../../durable-objects/index").FaultRulesDO>;
}

export class FaultControl extends WorkerEntrypoint<FaultRulesEnv> {
  /** The rule store is at `version`: catch up with it before answering (from `change` when it follows on). */
  async refresh(version: number, change?: RulesetChanges): Promise<void> {
    await serviceGate.refresh(rulesSource(this.env), version, change);
  }

  async flush(): Promise<void> {
    await serviceGate.flush();
  }
}

/** The rule store, as the gate reads it. */
export function rulesSource(env: FaultRulesEnv): () => RulesSource {
  return () => env.FAULT_RULES.getByName("rules") as unknown as RulesSource;
}
