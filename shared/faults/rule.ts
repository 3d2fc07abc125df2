/**
 * A fault rule (the seed's `POST /api/v1/rules` body): name, description, service, enabled,
 * conditions, action — plus an optional seed and priority. `ruleInput` checks a whole rule
 * as written; a rule that fails is refused with the reasons (the checks across fields
 * run once every field is valid), never stored.
 */
import { z } from "zod";
import type { Operation } from "../s3-operations";
import { actionSchema, type Action, type ActionType } from "./actions";
import { conditionSchema, type Condition } from "./conditions";
import { FAULT_SERVICES, type FaultService } from "./fault-services";
import { isGate } from "./gate-conditions";

/** What services other than the gateway can do at their boundary: fail, or be slow. */
const HOP_ACTIONS: readonly ActionType[] = ["http_error", "slow_down", "delay"];

/** Actions that only make sense for some operations; a rule taking one must name them. */
const OPERATION_LIMITS: Partial<Record<ActionType, readonly Operation[]>> = {
  ack_then_drop: ["PutObject", "UploadPart", "DeleteObject"],
  error_in_200: ["CompleteMultipartUpload", "CopyObject", "UploadPartCopy"],
  stale_read: ["GetObject", "HeadObject"],
  list_lag: ["ListObjects", "ListObjectsV2"],
};

/** Fields a client may send back from a rule it read; the server owns them. */
const READ_ONLY = { id: z.unknown().optional(), created_at: z.unknown().optional(), updated_at: z.unknown().optional() };

export const ruleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    service: z.enum(FAULT_SERVICES, { error: (issue) => `unknown service ${JSON.stringify(issue.input)} (one of ${FAULT_SERVICES.join(", ")})` }),
    enabled: z.boolean().optional(),
    conditions: z.array(conditionSchema).max(32).optional(),
    action: actionSchema,
    /** makes every random decision of this rule reproducible */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    /** higher first; among equals, the older rule first */
    priority: z.number().int().min(-1000).max(1000).optional(),
    ...READ_ONLY,
  })
  .superRefine((rule, ctx) => {
    if (rule.service !== "gateway" && !HOP_ACTIONS.includes(rule.action.type)) {
      ctx.addIssue({
        code: "custom",
        path: ["action", "type"],
        message: `${rule.action.type} acts on the client's connection or response, so only the gateway can take it; ${rule.service} can take ${HOP_ACTIONS.join(", ")}`,
      });
    }
    if (rule.service !== "gateway" && rule.action.type === "delay" && rule.action.at === "first_byte") {
      ctx.addIssue({ code: "custom", path: ["action", "at"], message: "first_byte delays are taken at the gateway only" });
    }
    const limit = OPERATION_LIMITS[rule.action.type];
    if (limit) {
      const named = (rule.conditions ?? []).filter((c) => c.type === "operation").flatMap((c) => c.value);
      const outside = named.filter((op) => !limit.includes(op));
      if (named.length === 0 || outside.length > 0) {
        ctx.addIssue({ code: "custom", path: ["conditions"], message: `${rule.action.type} needs an operation condition naming only ${limit.join(", ")}` });
      }
    }
    const counts = (rule.conditions ?? []).filter(isGate).map((c) => c.type);
    if (new Set(counts).size !== counts.length) ctx.addIssue({ code: "custom", path: ["conditions"], message: "probability and count conditions may appear once each" });
  });

export interface Rule {
  id: string;
  name: string;
  description: string;
  service: FaultService;
  enabled: boolean;
  conditions: Condition[];
  action: Action;
  seed?: number;
  priority: number;
  created_at: string;
  updated_at: string;
}

export type RuleCheck = { ok: true; rule: Omit<Rule, "id" | "created_at" | "updated_at"> } | { ok: false; reason: string };

/** A rule as written, checked whole: the rule to store, or why not. */
export function checkRule(input: unknown): RuleCheck {
  const parsed = ruleInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const { name, description, service, enabled, conditions, action, seed, priority } = parsed.data;
  return {
    ok: true,
    rule: { name, description: description ?? "", service, enabled: enabled ?? true, conditions: conditions ?? [], action, ...(seed === undefined ? {} : { seed }), priority: priority ?? 0 },
  };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const at = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return `${at}${issue.message}`;
    })
    .join("; ");
}
