/** The bodies mock-error-service's states API accepts (zod; only that API loads it). */
import { z } from "zod";
import { SERVICE_DOWN_MODES } from "../anomalies/service-down-modes";
import { MAX_STATE_MS } from "./service-states";

const until = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), { message: "is not an ISO 8601 time" })
  .refine((text) => Date.parse(text) > Date.now(), { message: "is in the past" })
  .refine((text) => Date.parse(text) <= Date.now() + MAX_STATE_MS, { message: "is more than 24 h ahead" })
  .transform((text) => new Date(text).toISOString());

const anomalyId = z.string().min(1).max(200);

export const diskFullInput = z.strictObject({ until, anomaly_id: anomalyId });

export const downInput = z.strictObject({ mode: z.enum(SERVICE_DOWN_MODES).default("unavailable"), until, anomaly_id: anomalyId });
