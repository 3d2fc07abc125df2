/**
 * An exported recording as `POST /api/v1/replay` takes it, checked whole (400 with zod's
 * reason otherwise); extra fields of the export are ignored. Kept apart from recording.ts,
 * which every gate bundles: only mock-error-service needs the schema.
 */
import { z } from "zod";
import { actionSchema, type ActionType } from "./actions";
import { FAULT_SERVICES } from "./fault-services";
import { GATE_SERVICES, type GateWorker } from "./gate-services";
import { MAX_RECORDED_DECISIONS } from "./recording";

const ACTION_TYPES = actionSchema.options.map((option) => option.shape.type.value) as [ActionType, ...ActionType[]];

const stableFactsSchema = z.strictObject({
  operation: z.string().max(200),
  method: z.string().max(20),
  bucket: z.string().max(255),
  key: z.string().max(1024),
  part_number: z.number().int().min(1).max(10_000).optional(),
});

const decisionSchema = z.object({
  seq: z.number().int().min(1),
  gate: z.enum(Object.keys(GATE_SERVICES) as [GateWorker, ...GateWorker[]]),
  service: z.enum(FAULT_SERVICES),
  rule: z.string().min(1).max(200),
  facts: stableFactsSchema,
  n: z.number().int().min(1),
  outcome: z.enum(["inject", "pass"]),
  action: z.enum(ACTION_TYPES),
});

export const replayDocument = z.object({
  id: z.string().min(1).max(100),
  decisions_list: z
    .array(decisionSchema)
    .max(MAX_RECORDED_DECISIONS)
    .refine((list) => list.every((d, i) => i === 0 || d.seq > list[i - 1]!.seq), "decisions must be in increasing seq order"),
});

export type ReplayDocument = z.infer<typeof replayDocument>;
