/**
 * The fault gate every service runs at its boundary. It keeps the compiled rules in memory:
 * mock-error-service pushes each change (FaultControl.apply), and the gate also asks the rule
 * store for the version at most once a second, so a change is in force within a second even
 * if a push is lost. No rule, no cost: `has(service)` is a map look-up.
 *
 * A request the rule's conditions let through counts as matched; decide.ts says whether it
 * is injected. The first injecting rule (by priority, then age) wins. Counts and events are
 * buffered and sent to the store in batches (at most every 50 ms while requests flow, and
 * whenever mock-error-service asks, before it reports stats).
 *
 * An injection in progress (a delay, a hold, a throttled stream) ends early when its rule
 * is disabled, deleted or halted: each carries a signal aborted by the next rule set. The
 * signal is a plain flag that the waits look at (sleep.ts), not an AbortController: the
 * next rule set arrives in another request (a push or a poll), and workerd refuses to
 * abort a controller made by one request from another.
 *
 * The rule set also carries the service states anomalies set (service-states.ts): a service
 * down counts as something in force for `has`, and a state past its `until` is ignored here
 * whatever the store still says.
 */
import { reportInjection } from "../telemetry/fault-injection";
import type { ActionType } from "./actions";
import { RuleCounter } from "./decide";
import type { RequestFacts } from "./facts";
import { compileConditions, type FactTest } from "./matcher";
import type { FaultService } from "./fault-services";
import type { Rule } from "./rule";
import type { FaultEvent, RuleCount, Ruleset, RulesSource } from "./ruleset";
import { inForce, NO_STATES, type DiskFullState, type DownState, type ServiceStates } from "./service-states";

const POLL_MS = 1000;
const FLUSH_MS = 50;

interface CompiledRule {
  rule: Rule;
  tests: FactTest[];
  counter: RuleCounter;
}

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

/** Set once the injection's rule is no longer in force. */
export interface StopSignal {
  readonly aborted: boolean;
}

export type WaitUntil = (promise: Promise<unknown>) => void;

export class FaultGate {
  private ruleset: Ruleset | undefined;
  private byService = new Map<FaultService, CompiledRule[]>();
  private counters = new Map<string, RuleCounter>();
  private active = new Map<string, Set<{ aborted: boolean }>>();
  private polledAt = 0;
  private loading: Promise<void> | undefined;
  private counts = new Map<string, RuleCount>();
  private events: FaultEvent[] = [];
  private flushing: Promise<void> | undefined;
  private source: (() => RulesSource) | undefined;
  private states: ServiceStates = NO_STATES;
  private anyDown = false;
  private flushTimer = false;

  /**
   * Makes sure the rules are loaded: a promise to await only until the first load of the
   * isolate, nothing after (so that the hot path does not even await). Polls for changes.
   */
  ready(source: () => RulesSource, waitUntil: WaitUntil): Promise<void> | undefined {
    this.source = source;
    if (!this.ruleset) {
      // a rule store that cannot be reached leaves the request unfaulted; the next one retries
      this.loading ??= this.load()
        .catch((error) => console.error(JSON.stringify({ level: "error", msg: "fault rules could not be loaded", error: String(error) })))
        .finally(() => (this.loading = undefined));
      return this.loading;
    }
    if (Date.now() - this.polledAt >= POLL_MS) {
      this.polledAt = Date.now();
      waitUntil(this.load().catch(() => undefined));
    }
    return undefined;
  }

  /** Whether any of these services has a rule in force, or is down. */
  has(...services: FaultService[]): boolean {
    if (this.byService.size === 0 && !this.anyDown) return false;
    return services.some((service) => this.byService.has(service) || this.down(service) !== undefined);
  }

  /** The service's down state, while it lasts. */
  down(service: FaultService): DownState | undefined {
    const state = this.states.down[service];
    return state && inForce(state) ? state : undefined;
  }

  /** The disk_full state, while it lasts. */
  diskFull(): DiskFullState | undefined {
    const state = this.states.disk_full;
    return state && inForce(state) ? state : undefined;
  }

  /** The injection for this request at this service, if a rule takes it. */
  check(service: FaultService, facts: RequestFacts, waitUntil: WaitUntil): Injection | undefined {
    const rules = this.byService.get(service);
    if (!rules) return undefined;
    for (const compiled of rules) {
      if (!compiled.tests.every((test) => test(facts))) continue;
      const { inject, n } = compiled.counter.decide();
      this.count(compiled.rule, service, inject);
      this.flushSoon(waitUntil);
      if (inject) {
        const event = eventOf(compiled.rule, service, facts);
        this.events.push(event);
        reportInjection(event, waitUntil);
        return this.begin(compiled, service, facts, n);
      }
    }
    return undefined;
  }

  /** A new rule set: compiled, with counts kept for rules that did not change. */
  apply(ruleset: Ruleset): void {
    if (this.ruleset && ruleset.version <= this.ruleset.version) return;
    // a reset (new epoch): what was buffered counted for the counts just cleared
    if (ruleset.epoch !== this.ruleset?.epoch) {
      this.counts.clear();
      this.events = [];
    }
    this.ruleset = ruleset;
    this.polledAt = Date.now();
    this.states = ruleset.states ?? NO_STATES;
    this.anyDown = Object.keys(this.states.down).length > 0;
    const byService = new Map<FaultService, CompiledRule[]>();
    const counters = new Map<string, RuleCounter>();
    const enabled = ruleset.rules.filter((rule) => rule.enabled).sort((a, b) => b.priority - a.priority || a.created_at.localeCompare(b.created_at));
    for (const rule of enabled) {
      const { tests, gates } = compileConditions(rule.conditions);
      const seed = rule.seed ?? ruleset.seed ?? undefined;
      // a new counter (counts and draws from the start) when the rule, the epoch or its seed changes
      const key = `${rule.id}@${rule.updated_at}@${ruleset.epoch}@${seed}`;
      const counter = this.counters.get(key) ?? new RuleCounter(gates, seed, rule.name);
      counters.set(key, counter);
      const list = byService.get(rule.service) ?? [];
      list.push({ rule, tests, counter });
      byService.set(rule.service, list);
    }
    this.byService = byService;
    this.counters = counters;
    const inForce = new Set(enabled.map((rule) => `${rule.id}@${rule.updated_at}`));
    for (const [key, signals] of this.active) {
      if (inForce.has(key)) continue;
      for (const signal of signals) signal.aborted = true;
      this.active.delete(key);
    }
  }

  /** Sends buffered counts and events to the rule store. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.counts.size === 0 && this.events.length === 0) return;
    const report = { epoch: this.ruleset?.epoch ?? 0, counts: [...this.counts.values()], events: this.events };
    this.counts = new Map();
    this.events = [];
    const source = this.source;
    if (!source) return;
    this.flushing = source()
      .record(report)
      .catch(() => undefined)
      .finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async load(): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.polledAt = Date.now();
    const next = await source().snapshot(this.ruleset?.version);
    if (next) this.apply(next);
  }

  private begin(compiled: CompiledRule, service: FaultService, facts: RequestFacts, n: number): Injection {
    const signal = { aborted: false };
    const key = `${compiled.rule.id}@${compiled.rule.updated_at}`;
    const set = this.active.get(key) ?? new Set();
    set.add(signal);
    this.active.set(key, set);
    return {
      rule: compiled.rule,
      service,
      facts,
      n,
      counter: compiled.counter,
      signal,
      done: () => set.delete(signal),
    };
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
