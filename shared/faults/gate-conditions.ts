/**
 * The conditions that decide among the requests the others let through (decide.ts). Kept
 * apart from the conditions' schema (conditions.ts), which only the rules API needs: a
 * worker that matches rules never loads zod.
 */
import type { Condition, ConditionType } from "./conditions";

export const GATE_TYPES = ["probability", "skip_first", "max_injections", "every_nth"] as const satisfies readonly ConditionType[];
export type GateCondition = Extract<Condition, { type: (typeof GATE_TYPES)[number] }>;

export function isGate(condition: Condition): condition is GateCondition {
  return (GATE_TYPES as readonly string[]).includes(condition.type);
}
