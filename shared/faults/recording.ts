/**
 * Record and replay of injection decisions: what a recording holds, as exported by
 * `GET /api/v1/recordings/{id}` and taken back by `POST /api/v1/replay` (checked whole by
 * replay-document.ts), and what identifies a request across runs. Every worker's gate bundles
 * this module, so it holds no schema (zod's would weigh on every isolate).
 *
 * A request is identified by the facts that stay the same when the same client sends the
 * same requests again — operation, method, bucket, key, part number — never by its request
 * id, time, signature or client address. A replayed decision is found by (service, rule name,
 * those facts) and its order among the recorded decisions with the same three: the k-th
 * GetObject of `b/x` that rule decides in the replay gets the k-th recorded decision for it.
 */
import type { ActionType } from "./actions";
import type { RequestFacts } from "./facts";
import type { FaultService } from "./fault-services";
import type { GateWorker } from "./gate-services";

/** The most decisions a recording may be set to hold (MOCKS3_MAX_RECORDED_DECISIONS), and so the most a replay takes. */
export const MAX_RECORDED_DECISIONS = 100_000;

/** Decisions per RPC between the rule store, mock-error-service and the gates: a page stays far below workerd's RPC message limit (32 MiB) even with 1,024-byte keys. */
export const DECISIONS_PAGE = 5_000;

/** A request's facts that stay the same run after run. */
export interface StableFacts {
  operation: string;
  method: string;
  bucket: string;
  key: string;
  part_number?: number;
}

/** One decision of one rule on one request, as a gate took it. */
export interface GateDecision {
  /** the worker whose gate decided (a storage-service rule is decided by the gateway for inline bytes, by storage-service otherwise) */
  gate: GateWorker;
  service: FaultService;
  rule: string;
  facts: StableFacts;
  /** the rule's count of this request (its n-th match) */
  n: number;
  outcome: "inject" | "pass";
  action: ActionType;
}

/** A decision in a recording: numbered in the order decisions reached the rule store (each gate's in its own order). */
export interface RecordedDecision extends GateDecision {
  seq: number;
}

export interface RecordingSummary {
  id: string;
  started_at: string;
  stopped_at: string | null;
  /** why it stopped: `stopped` (asked to) or `full` (max_decisions reached) */
  stop_reason: "stopped" | "full" | null;
  decisions: number;
  /** it stops by itself once it holds this many */
  max_decisions: number;
}

export interface Recording extends RecordingSummary {
  format: "mocks3-recording/1";
  decisions_list: RecordedDecision[];
}

export function stableFacts(facts: RequestFacts): StableFacts {
  const stable: StableFacts = { operation: facts.operation, method: facts.method, bucket: facts.bucket, key: facts.key };
  if (facts.partNumber !== undefined) stable.part_number = facts.partNumber;
  return stable;
}

/** What a replayed decision is looked up by. */
export function decisionKey(service: FaultService, rule: string, facts: StableFacts): string {
  return JSON.stringify([service, rule, facts.operation, facts.method, facts.bucket, facts.key, facts.part_number ?? null]);
}

/** A request a replay met that its recording does not know: a rule matched it and no recorded decision was left for it. */
export interface UnknownRequest {
  service: FaultService;
  rule: string;
  facts: StableFacts;
}

/** A replay's progress, as `GET /api/v1/replay` shows it. */
export interface ReplayProgress {
  id: string;
  recording_id: string;
  started_at: string;
  decisions: number;
  replayed: number;
  /** recorded decisions not used yet */
  pending: number;
  unknown: number;
  /** the first UNKNOWN_LISTED unknown requests */
  unknown_requests: UnknownRequest[];
}

export const UNKNOWN_LISTED = 1_000;
