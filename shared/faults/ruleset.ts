/**
 * What moves between the rule store (FaultRulesDO), mock-error-service and the services'
 * fault gates: the rule set with its version (and the service states anomalies set), and
 * the gates' accounting reports.
 */
import type { ActionType } from "./actions";
import type { FaultService } from "./fault-services";
import type { GateWorker } from "./gate-services";
import type { GateDecision, RecordedDecision, UnknownRequest } from "./recording";
import type { Rule } from "./rule";
import type { ServiceStates } from "./service-states";

export interface Ruleset {
  /** bumped on every change to the rules, the seed or the epoch */
  version: number;
  /** bumped by a reset: counts (and seeded draws) start over */
  epoch: number;
  /** the global seed, for rules without one of their own */
  seed: number | null;
  rules: Rule[];
  /** services down and the disk full, set by the anomalies sidecar; each ends by itself at `until` */
  states: ServiceStates;
  /** the recording running and the replay in force, if any (recording.ts) */
  tape: TapeState;
}

export interface TapeState {
  recording: string | null;
  replay: string | null;
}

export const NO_TAPE: TapeState = { recording: null, replay: null };

/** What a gate's tape (decision-tape.ts) reports with its accounting. */
export interface TapeReport {
  recording?: { id: string; decisions: GateDecision[] };
  replay?: { id: string; used: number[]; unknown: UnknownRequest[]; unknownCount: number };
}

/**
 * What changed since a version the gate holds: the rules written since (each as it is now)
 * and the ids deleted since, with the rest of the rule set as it is now. Sent instead of the
 * whole rule set, so that adding one rule to thousands costs one rule's worth of work.
 */
export interface RulesetChanges extends Omit<Ruleset, "rules"> {
  /** the version these changes start from */
  from: number;
  upserts: Rule[];
  deletes: string[];
  /** per service, the last version before these changes that touched its rules: a gate keeping only some services takes them once it holds those */
  basis: ChangeBasis;
}

/** Per service, a version of the rule set; `all` for the changes that touch every gate (states, seed, epoch). */
export type ChangeBasis = Record<FaultService | "all", number>;

/** The whole rule set, or the changes since the version the gate holds. */
export type RulesUpdate = Ruleset | RulesetChanges;

export function isChanges(update: RulesUpdate): update is RulesetChanges {
  return "from" in update;
}

export interface FaultEvent {
  time: string;
  rule_id: string;
  rule_name: string;
  service: FaultService;
  operation: string;
  bucket: string;
  key: string;
  action: ActionType;
  request_id: string;
}

export interface RuleCount {
  rule_id: string;
  rule_name: string;
  service: FaultService;
  action: ActionType;
  matched: number;
  injected: number;
}

export interface FaultReport {
  epoch: number;
  counts: RuleCount[];
  events: FaultEvent[];
  /** decisions recorded and replayed, while a recording or a replay is on */
  tapes?: TapeReport[];
}

/** The rule store as a gate sees it (the FaultRulesDO stub). */
export interface RulesSource {
  /** null when the gate holds `knownVersion` already; the changes since it when the store still has them */
  snapshot(knownVersion?: number): Promise<RulesUpdate | null>;
  record(report: FaultReport): Promise<void>;
  /** the replay's recorded decisions that this worker's gate takes, in order, after `afterSeq`: a page of at most DECISIONS_PAGE */
  replayPlan(replay: string, gate: GateWorker, afterSeq: number): Promise<RecordedDecision[]>;
}

/** A service's way to receive rule changes at once (its FaultControl entrypoint). */
export interface FaultControlSurface {
  /** catch up with the rule store (at least `version`), from `change` when it follows on from the version held */
  refresh(version: number, change?: RulesetChanges): Promise<void>;
  flush(): Promise<void>;
}
