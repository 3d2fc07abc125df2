/**
 * The console's rule form offers every condition and action the rule API accepts, each with
 * exactly the fields the API reads (workers/mock-error-service/src/console/rule-catalogue.ts
 * against shared/faults/conditions.ts and actions.ts), and every preset is a rule the API
 * takes.
 */
import { describe, expect, it } from "vitest";
import { actionSchema } from "../../shared/faults/actions";
import { conditionSchema } from "../../shared/faults/conditions";
import { checkRule } from "../../shared/faults/rule";
import { ACTIONS, CONDITIONS, PRESETS } from "../../workers/mock-error-service/src/console/rule-catalogue";

type Option = { shape: Record<string, unknown> & { type: { value: string } } };
const fieldsOf = (options: readonly unknown[]) =>
  Object.fromEntries(
    (options as Option[]).map((o) => [
      o.shape.type.value,
      Object.keys(o.shape)
        .filter((name) => name !== "type")
        .sort(),
    ]),
  );

describe("console rule form", () => {
  it("console rule form › has every condition with the fields the API reads", () => {
    const catalogue = Object.fromEntries(CONDITIONS.map((c) => [c.type, c.fields.map((f) => f.name).sort()]));
    expect(catalogue).toEqual(fieldsOf(conditionSchema.options));
  });

  it("console rule form › has every action with the fields the API reads", () => {
    const catalogue = Object.fromEntries(ACTIONS.map((a) => [a.type, a.fields.map((f) => f.name).sort()]));
    expect(catalogue).toEqual(fieldsOf(actionSchema.options));
  });

  it("console rule form › every preset is a rule the API accepts", () => {
    for (const preset of PRESETS) {
      const rule = structuredClone(preset.rule) as { conditions: unknown[] };
      if (preset.ends_after_seconds) rule.conditions.push({ type: "time_window", end: new Date(Date.now() + preset.ends_after_seconds * 1000).toISOString() });
      const check = checkRule(rule);
      expect(check.ok ? "ok" : check.reason, preset.label).toBe("ok");
    }
  });
});
