/**
 * What moves between the rule store (FaultRulesDO), mock-error-service and the services'
 * fault gates: the rule set with its version (and the service states anomalies set), and
 * the gates' accounting reports.
 */
import type { ActionType } from "./actions";
import type { FaultService } from "./fault-services";
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
}

/** The rule store as a gate sees it (the FaultRulesDO stub). */
export interface RulesSource {
  snapshot(knownVersion?: number): Promise<Ruleset | null>;
  record(report: FaultReport): Promise<void>;
}

/** A service's way to receive rule changes at once (its FaultControl entrypoint). */
export interface FaultControlSurface {
  apply(ruleset: Ruleset): Promise<void> | void;
  flush(): Promise<void>;
}
