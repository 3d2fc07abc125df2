/**
 * The fault gate every service runs at its boundary. It keeps the compiled rules in memory
 * (gate-rules.ts): mock-error-service tells it of each change (FaultControl.refresh) and it
 * fetches what changed since its version; it also asks the rule store for changes at most
 * once a second, so a change is in force within a second even if a push is lost. No rule
 * that could match, no cost: `touches` is a few map look-ups by the request's bucket,
 * operation, key and access key, and a request is tested only against the rules that could
 * match them (rule-index.ts) — thousands of rules for other buckets leave it on the path it
 * takes with none.
 *
 * A request the rule's conditions let through counts as matched; decide.ts says whether it
 * is injected. The first injecting rule (by priority, then age) wins. Counts and events are
 * buffered and sent to the store in batches (at most every 50 ms while requests flow, and
 * whenever mock-error-service asks, before it reports stats); at most MAX_EVENTS_BUFFERED
 * events wait, the oldest dropped first, when the store cannot take them.
 *
 * The rule set also carries the service states anomalies set (service-states.ts): a service
 * down touches every request for `touches`, and a state past its `until` is ignored here
 * whatever the store still says.
 *
 * While a recording runs or a replay is in force the gate holds a tape (decision-tape.ts)
 * that notes each decision or takes it from the recording; its notes travel with the
 * accounting. Without either, a decision pays one `undefined` check for it.
 */
import { reportInjection } from "../telemetry/fault-injection";
import type { ActionType } from "./actions";
import type { RuleCounter } from "./decide";
import { DecisionTape, ReplayQueues } from "./decision-tape";
import type { RequestFacts } from "./facts";
import type { FaultService } from "./fault-services";
import { GateRules, type StopSignal } from "./gate-rules";
import { GATE_SERVICES, type GateWorker } from "./gate-services";
import { DECISIONS_PAGE, type RecordedDecision } from "./recording";
import type { Rule } from "./rule";
import type { CompiledRule, RuleLookup } from "./rule-index";
import type { FaultEvent, RuleCount, RulesetChanges, RulesSource, TapeReport } from "./ruleset";
import { inForce, type DiskFullState, type DownState } from "./service-states";

export type { StopSignal } from "./gate-rules";

const POLL_MS = 1000;
const FLUSH_MS = 50;
/** events kept for the store while it cannot be reached; the oldest go first */
export const MAX_EVENTS_BUFFERED = 10_000;
/** loads in a row while catching up with a version the store announced */
const CATCH_UP_TRIES = 3;

export interface Injection {
  rule: Rule;
  service: FaultService;
  facts: RequestFacts;
  /** the rule's count of this request, for reproducible draws */
  n: number;
  counter: RuleCounter;
  /** aborted when the rule stops being in force (disabled, deleted, halted) */
  signal: StopSignal;
  /** the injection is over (its delay ran out, its stream ended) */
  done(): void;
}

export type WaitUntil = (promise: Promise<unknown>) => void;

export class FaultGate {
  private readonly rules = new GateRules();
  private polledAt = 0;
  private loading: Promise<void> | undefined;
  private counts = new Map<string, RuleCount>();
  private events: FaultEvent[] = [];
  private flushing: Promise<void> | undefined;
  private source: (() => RulesSource) | undefined;
  private flushTimer = false;
  private worker: GateWorker | undefined;
  /** set only while a recording runs or a replay is in force (decision-tape.ts) */
  private tape: DecisionTape | undefined;
  /** what tapes replaced since the last flush noted */
  private tapeReports: TapeReport[] = [];

  /**
   * Makes sure the rules are loaded: a promise to await only until the first load of the
   * isolate, nothing after (so that the hot path does not even await). Polls for changes.
   */
  ready(source: () => RulesSource, waitUntil: WaitUntil): Promise<void> | undefined {
    this.source = source;
    if (this.rules.version === 0) {
      // a rule store that cannot be reached leaves the request unfaulted; the next one retries
      return this.load().catch((error) => console.error(JSON.stringify({ level: "error", msg: "fault rules could not be loaded", error: String(error) })));
    }
    if (Date.now() - this.polledAt >= POLL_MS) {
      this.polledAt = Date.now();
      waitUntil(this.load().catch(() => undefined));
    }
    return undefined;
  }

  /** Keeps only the rules of the services this worker checks (gate-services.ts). */
  serve(worker: GateWorker): void {
    this.worker = worker;
    this.rules.serve(GATE_SERVICES[worker]);
  }

  /**
   * Catches up with the rule store until it holds `version` (mock-error-service's push):
   * from the change pushed with it when that follows on from the version held, else by
   * asking the store for what changed.
   */
  async refresh(source: () => RulesSource, version: number, change?: RulesetChanges): Promise<void> {
    this.source = source;
    if (change && this.rules.version > 0 && this.rules.apply(change)) await this.followTape();
    for (let i = 0; i < CATCH_UP_TRIES && this.rules.version < version; i++) await this.load();
  }

  /** No rule in force and no service down: no request has anything to look up. */
  get idle(): boolean {
    return !this.rules.any && !this.rules.anyDown;
  }

  /** Whether such a request could meet a rule of these services, or one of them is down. */
  touches(services: readonly FaultService[], request: RuleLookup): boolean {
    if (this.idle) return false;
    return services.some((service) => this.rules.of(service)?.mayMatch(request) || this.down(service) !== undefined);
  }

  /** The service's down state, while it lasts. */
  down(service: FaultService): DownState | undefined {
    const state = this.rules.states.down[service];
    return state && inForce(state) ? state : undefined;
  }

  /** While a stale_read or list_lag rule is in force: how long buckets must remember what writes replace; 0 otherwise. */
  get consistencyWindowMs(): number {
    return this.idle ? 0 : this.rules.consistencyWindowMs;
  }

  /** The disk_full state, while it lasts. */
  diskFull(): DiskFullState | undefined {
    const state = this.rules.states.disk_full;
    return state && inForce(state) ? state : undefined;
  }

  /** The injection for this request at this service, if a rule takes it. */
  check(service: FaultService, facts: RequestFacts, waitUntil: WaitUntil): Injection | undefined {
    const index = this.rules.of(service);
    if (!index) return undefined;
    let n = 0;
    const taken = index.find(facts, (compiled) => {
      if (!compiled.tests.every((test) => test(facts))) return false;
      const decision = compiled.counter.decide();
      const inject = this.tape ? this.tape.decide(service, compiled.rule, facts, decision) : decision.inject;
      this.count(compiled.rule, service, inject);
      this.flushSoon(waitUntil);
      n = decision.n;
      return inject;
    });
    if (!taken) return undefined;
    const event = eventOf(taken.rule, service, facts);
    this.events.push(event);
    if (this.events.length > MAX_EVENTS_BUFFERED) this.events.splice(0, this.events.length - MAX_EVENTS_BUFFERED);
    reportInjection(event, waitUntil);
    return this.begin(taken, service, facts, n);
  }

  /** Sends buffered counts and events to the rule store. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    const tape = this.tape?.drain();
    if (tape) this.tapeReports.push(tape);
    if (this.counts.size === 0 && this.events.length === 0 && this.tapeReports.length === 0) return;
    const report = { epoch: this.rules.epoch, counts: [...this.counts.values()], events: this.events, tapes: this.tapeReports };
    this.counts = new Map();
    this.events = [];
    this.tapeReports = [];
    const source = this.source;
    if (!source) return;
    this.flushing = source()
      .record(report)
      .catch(() => undefined)
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** One load at a time: the changes since the version held (the whole set if the store no longer has them). */
  private load(): Promise<void> {
    this.loading ??= this.fetchUpdate().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchUpdate(): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.polledAt = Date.now();
    const epoch = this.rules.epoch;
    const known = this.rules.version;
    let update = await source().snapshot(known === 0 ? undefined : known);
    if (update && !this.rules.apply(update)) {
      update = await source().snapshot();
      if (update) this.rules.apply(update);
    }
    // a reset (new epoch): what was buffered counted for the counts just cleared
    if (this.rules.epoch !== epoch) {
      this.counts.clear();
      this.events = [];
    }
    await this.followTape();
  }

  /**
   * Takes up the recording and replay the rule set names: a new tape (with the replay's
   * decisions for this worker, fetched once), none when neither is on. What the old tape
   * noted is kept for the next flush.
   */
  private async followTape(): Promise<void> {
    const wanted = this.rules.tape;
    const held = this.tape?.state;
    if (held ? held.recording === wanted.recording && held.replay === wanted.replay : !wanted.recording && !wanted.replay) return;
    const queues = wanted.replay ? await this.replayQueues(wanted.replay) : undefined;
    // another update may have come while the plan was fetched: the newest wins
    if (this.rules.tape !== wanted) return;
    const left = this.tape?.drain();
    if (left) this.tapeReports.push(left);
    this.tape = wanted.recording || wanted.replay ? new DecisionTape(this.worker ?? "gateway", wanted, queues) : undefined;
  }

  /** The replay's decisions for this worker: the ones held while it is the same replay, else fetched page by page. */
  private async replayQueues(replay: string): Promise<ReplayQueues> {
    if (this.tape?.state.replay === replay && this.tape.queues) return this.tape.queues;
    const plan: RecordedDecision[] = [];
    const { source, worker } = this;
    if (!source || !worker) return new ReplayQueues(plan);
    for (;;) {
      const page = await source().replayPlan(replay, worker, plan.at(-1)?.seq ?? 0);
      plan.push(...page);
      if (page.length < DECISIONS_PAGE) return new ReplayQueues(plan);
    }
  }

  private begin(compiled: CompiledRule, service: FaultService, facts: RequestFacts, n: number): Injection {
    const { signal, done } = this.rules.begin(compiled);
    return { rule: compiled.rule, service, facts, n, counter: compiled.counter, signal, done };
  }

  private count(rule: Rule, service: FaultService, injected: boolean): void {
    const entry = this.counts.get(rule.id) ?? { rule_id: rule.id, rule_name: rule.name, service, action: rule.action.type as ActionType, matched: 0, injected: 0 };
    entry.matched++;
    if (injected) entry.injected++;
    this.counts.set(rule.id, entry);
  }

  private flushSoon(waitUntil: WaitUntil): void {
    if (this.flushTimer) return;
    this.flushTimer = true;
    waitUntil(
      new Promise((resolve) => setTimeout(resolve, FLUSH_MS))
        .then(() => {
          this.flushTimer = false;
          return this.flush();
        })
        .catch(() => undefined),
    );
  }
}

function eventOf(rule: Rule, service: FaultService, facts: RequestFacts): FaultEvent {
  return {
    time: new Date().toISOString(),
    rule_id: rule.id,
    rule_name: rule.name,
    service,
    operation: facts.operation,
    bucket: facts.bucket,
    key: facts.key,
    action: rule.action.type,
    request_id: facts.requestId,
  };
}
