/**
 * The index API's request bodies, checked whole before anything is written: a body that is
 * not JSON, or not the shape queue-service sends, is refused with 400 and the reason (the
 * API listens on loopback, but a bad body must never become a 500 or a half-applied write).
 */
import { z } from "zod";
import type { DeadLetter, IndexUpdate } from "../../shared/search-index/messages";

const indexedObject = z.object({
  key: z.string(),
  versionId: z.string(),
  size: z.number().int().min(0),
  etag: z.string(),
  lastModified: z.number(),
  contentType: z.string().optional(),
  userMetadata: z.record(z.string(), z.string()),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
});

const indexUpdate = z.object({ bucket: z.string().min(1), objects: z.record(z.string(), indexedObject.nullable()) });

const deadLetter = z.object({
  bucket: z.string().min(1),
  key: z.string(),
  eventName: z.string(),
  destination: z.string(),
  configurationId: z.string(),
  record: z.record(z.string(), z.unknown()),
  attempts: z.number().int().min(0),
  reason: z.string(),
  failedAt: z.number(),
});

export type BodyCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

export function readIndexUpdate(text: string): BodyCheck<IndexUpdate> {
  return check(text, indexUpdate) as BodyCheck<IndexUpdate>;
}

export function readDeadLetters(text: string): BodyCheck<DeadLetter[]> {
  return check(text, z.array(deadLetter).max(10_000)) as BodyCheck<DeadLetter[]>;
}

function check(text: string, schema: z.ZodType): BodyCheck<unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `the body is not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, reason: `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}` };
}
