/**
 * A gate's tape: while a recording runs it notes every decision the gate takes; while a
 * replay is in force it takes each decision from the recording instead of the rule's draw
 * (recording.ts says how a request is recognised). The gate holds no tape when neither is
 * on, so a decision then costs one `undefined` check.
 *
 * A request the recording does not know — no recorded decision of that rule left for those
 * facts — is not faulted, and is reported. What the tape noted goes to the rule store with
 * the gate's accounting (FaultGate.flush), at most MAX_BUFFERED decisions at a time.
 */
import type { ActionType } from "./actions";
import type { RequestFacts } from "./facts";
import type { FaultService } from "./fault-services";
import type { GateWorker } from "./gate-services";
import { decisionKey, MAX_RECORDED_DECISIONS, stableFacts, UNKNOWN_LISTED, type GateDecision, type RecordedDecision, type StableFacts, type UnknownRequest } from "./recording";
import type { Rule } from "./rule";
import type { TapeReport, TapeState } from "./ruleset";

const MAX_BUFFERED = MAX_RECORDED_DECISIONS;

/** The recorded decisions of one (service, rule, facts), in order, and how many are used. */
interface Queue {
  decisions: RecordedDecision[];
  next: number;
}

/** A replay's decisions for one gate, by what they are looked up by; kept while the replay lasts (a recording starting or stopping meanwhile does not rewind it). */
export class ReplayQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(plan: RecordedDecision[]) {
    for (const decision of plan) {
      const key = decisionKey(decision.service, decision.rule, decision.facts);
      const queue = this.queues.get(key);
      if (queue) queue.decisions.push(decision);
      else this.queues.set(key, { decisions: [decision], next: 0 });
    }
  }

  /** The next recorded decision for these, if one is left. */
  take(service: FaultService, rule: string, facts: StableFacts): RecordedDecision | undefined {
    const queue = this.queues.get(decisionKey(service, rule, facts));
    const decision = queue?.decisions[queue.next];
    if (decision) queue!.next++;
    return decision;
  }
}

export class DecisionTape {
  private decisions: GateDecision[] = [];
  private used: number[] = [];
  private unknown: UnknownRequest[] = [];
  private unknownCount = 0;

  constructor(
    private readonly gate: GateWorker,
    readonly state: TapeState,
    /** the replay's decisions, while one is in force */
    readonly queues: ReplayQueues | undefined,
  ) {}

  /** Whether the rule injects into this request: the recording's word while replaying, else the draw's. Noted while recording. */
  decide(service: FaultService, rule: Rule, facts: RequestFacts, drawn: { inject: boolean; n: number }): boolean {
    const stable = stableFacts(facts);
    const inject = this.queues ? this.replayed(service, rule.name, stable) : drawn.inject;
    if (this.state.recording && this.decisions.length < MAX_BUFFERED) {
      this.decisions.push({ gate: this.gate, service, rule: rule.name, facts: stable, n: drawn.n, outcome: inject ? "inject" : "pass", action: rule.action.type as ActionType });
    }
    return inject;
  }

  /** What was noted since the last drain; undefined when nothing was. */
  drain(): TapeReport | undefined {
    const report: TapeReport = {};
    const { recording, replay } = this.state;
    if (recording && this.decisions.length > 0) report.recording = { id: recording, decisions: this.decisions };
    if (replay && (this.used.length > 0 || this.unknownCount > 0)) report.replay = { id: replay, used: this.used, unknown: this.unknown, unknownCount: this.unknownCount };
    this.decisions = [];
    this.used = [];
    this.unknown = [];
    this.unknownCount = 0;
    return report.recording || report.replay ? report : undefined;
  }

  private replayed(service: FaultService, rule: string, facts: StableFacts): boolean {
    const decision = this.queues!.take(service, rule, facts);
    if (!decision) {
      this.unknownCount++;
      if (this.unknown.length < UNKNOWN_LISTED) this.unknown.push({ service, rule, facts });
      return false;
    }
    this.used.push(decision.seq);
    return decision.outcome === "inject";
  }
}
