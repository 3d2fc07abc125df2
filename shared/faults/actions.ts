/**
 * The actions a fault rule may take, as users write them, with what each needs. Which
 * service may take which action, and which operations some actions are limited to, is
 * checked with the whole rule (rule.ts).
 */
import { z } from "zod";
import { MAX_CONSISTENCY_SECONDS } from "./consistency-actions";
import { durationMs } from "./duration";

/** Longest delay or hold a rule may ask for. */
export const MAX_HOLD_MS = 3_600_000;

const duration = z
  .union([z.string(), z.number()])
  .refine((value) => durationMs(value) !== undefined, { message: 'is not a duration (use "2s", "150ms", or integer nanoseconds)' })
  .refine((value) => (durationMs(value) ?? 0) <= MAX_HOLD_MS, { message: "is longer than 1h" });

const errorCode = z.string().regex(/^[A-Z][A-Za-z0-9.]{1,63}$/, { message: "is not an S3 error code (e.g. InternalError)" });
const retryAfter = duration.optional();

const consistencyWindow = z
  .number()
  .positive()
  .max(MAX_CONSISTENCY_SECONDS, { message: `is longer than ${MAX_CONSISTENCY_SECONDS} s (how long replaced bytes stay readable)` });

export const actionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("http_error"),
      http_code: z.number().int().min(400).max(599),
      message: z.string().max(1000).optional(),
      /** the S3 error code of the document; by default the one S3 uses for `http_code` */
      error_code: errorCode.optional(),
      retry_after: retryAfter,
      /** a slow failure: the error is answered after this long */
      delay: duration.optional(),
    }),
    z.strictObject({ type: z.literal("slow_down"), message: z.string().max(1000).optional(), retry_after: retryAfter, delay: duration.optional() }),
    z
      .strictObject({
        type: z.literal("delay"),
        delay: duration.optional(),
        min: duration.optional(),
        max: duration.optional(),
        /** before the handler runs (default), or after it, before the first response byte */
        at: z.enum(["request", "first_byte"]).optional(),
      })
      .refine((a) => (a.delay !== undefined) !== (a.min !== undefined && a.max !== undefined), { message: "needs delay, or min and max" })
      .refine((a) => a.min === undefined || a.max === undefined || durationMs(a.min)! <= durationMs(a.max)!, { message: "min is above max" }),
    /** holds the request until the client gives up, or `max` (then 504 GatewayTimeout) */
    z.strictObject({ type: z.literal("timeout"), max: duration.optional() }),
    z.strictObject({
      type: z.literal("throttle"),
      bytes_per_second: z.number().int().min(1).max(10_000_000_000),
      direction: z.enum(["both", "upload", "download"]).optional(),
    }),
    z
      .strictObject({ type: z.literal("truncate"), after_bytes: z.number().int().min(0).optional(), fraction: z.number().min(0).max(1).optional() })
      .refine((a) => (a.after_bytes === undefined) !== (a.fraction === undefined), { message: "needs exactly one of after_bytes, fraction" }),
    z.strictObject({ type: z.literal("corrupt"), bytes: z.number().int().min(1).max(1_000_000).optional() }),
    z.strictObject({ type: z.literal("connection_reset") }),
    z.strictObject({ type: z.literal("commit_then_error"), http_code: z.number().int().min(500).max(599).optional(), message: z.string().max(1000).optional() }),
    z.strictObject({ type: z.literal("ack_then_drop") }),
    z.strictObject({ type: z.literal("error_in_200"), error_code: errorCode.optional(), message: z.string().max(1000).optional() }),
    /** reads see a key as it was `seconds` ago when it changed since (durable-objects/bucket/recent-changes.ts) */
    z.strictObject({ type: z.literal("stale_read"), seconds: consistencyWindow }),
    /** listings leave out keys written in the last `seconds` and still show keys deleted in them */
    z.strictObject({ type: z.literal("list_lag"), seconds: consistencyWindow }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `unknown action type ${JSON.stringify((issue.input as { type?: unknown })?.type)}` : undefined) },
);

export type Action = z.output<typeof actionSchema>;
export type ActionType = Action["type"];
