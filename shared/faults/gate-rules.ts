/**
 * The rules a gate holds, compiled and indexed by service (rule-index.ts), kept up to date
 * from the rule store's updates: the whole rule set, or the changes since the version held
 * (a rule written or deleted costs that rule's compilation, not the set's). A rule keeps its
 * counter (counts and seeded draws) while it, the epoch and the seed it uses stay the same.
 *
 * An injection in progress (a delay, a hold, a throttled stream) carries a signal that is
 * set once its rule is no longer in force — disabled, deleted, rewritten or halted. The
 * signal is a plain flag the waits look at (sleep.ts), not an AbortController: the next rule
 * set arrives in another request, and workerd refuses to abort a controller made by one
 * request from another.
 */
import { RuleCounter } from "./decide";
import { FAULT_SERVICES, type FaultService } from "./fault-services";
import { compileConditions } from "./matcher";
import type { Rule } from "./rule";
import { RuleIndex, type CompiledRule } from "./rule-index";
import { isChanges, NO_TAPE, type RulesetChanges, type RulesUpdate, type TapeState } from "./ruleset";
import { NO_STATES, type ServiceStates } from "./service-states";
import { CONSISTENCY_ACTIONS } from "./consistency-actions";

/** Set once the injection's rule is no longer in force. */
export interface StopSignal {
  readonly aborted: boolean;
}

export class GateRules {
  /** the version held; 0 before the first load */
  version = 0;
  epoch = 0;
  states: ServiceStates = NO_STATES;
  /** whether some service is down (kept for the hot path's `has`) */
  anyDown = false;
  /** the recording running and the replay in force */
  tape: TapeState = NO_TAPE;
  private seed: number | null = null;
  /** the services whose rules this gate keeps; all when undefined */
  private served: ReadonlySet<FaultService> | undefined;
  private readonly all = new Map<string, Rule>();
  private readonly compiled = new Map<string, CompiledRule>();
  private readonly byService = new Map<FaultService, RuleIndex>();
  private readonly active = new Map<CompiledRule, Set<{ aborted: boolean }>>();
  /** the windows (ms) of the consistency faults in force, by rule id */
  private readonly consistency = new Map<string, number>();

  /** The longest window of the consistency faults in force; 0 without any. */
  get consistencyWindowMs(): number {
    let longest = 0;
    for (const ms of this.consistency.values()) longest = Math.max(longest, ms);
    return longest;
  }

  /** Keeps only these services' rules (a worker's gate holds what it checks, not every service's). */
  serve(services: readonly FaultService[]): void {
    this.served = new Set(services);
  }

  /** The rules in force for a service, if it has any. */
  of(service: FaultService): RuleIndex | undefined {
    return this.byService.get(service);
  }

  get any(): boolean {
    return this.byService.size > 0;
  }

  /**
   * Takes an update newer than the version held; false when it is a set of changes that does
   * not follow on from it (the caller then asks for the whole rule set).
   */
  apply(update: RulesUpdate): boolean {
    if (update.version <= this.version) return true;
    if (isChanges(update) && !this.followsOn(update)) return false;
    // counters start over with a new epoch or seed: every rule is compiled again
    const restart = update.epoch !== this.epoch || update.seed !== this.seed;
    this.version = update.version;
    this.epoch = update.epoch;
    this.seed = update.seed;
    this.states = update.states ?? NO_STATES;
    this.anyDown = Object.keys(this.states.down).length > 0;
    this.tape = update.tape ?? NO_TAPE;
    const served = this.served;
    const incoming = isChanges(update) ? update.upserts : update.rules;
    const written = served ? incoming.filter((rule) => served.has(rule.service)) : incoming;
    // a rule moved to a service this gate does not keep leaves it like a deleted one
    const movedAway = written.length < incoming.length ? incoming.filter((rule) => !served!.has(rule.service)).map((rule) => rule.id) : [];
    const gone = isChanges(update) ? [...update.deletes, ...movedAway] : missingFrom(this.all, written);
    for (const id of gone) this.all.delete(id);
    for (const rule of written) this.all.set(rule.id, rule);
    if (restart) {
      for (const id of [...this.compiled.keys()]) this.take(id);
      for (const rule of this.all.values()) this.put(rule);
    } else {
      for (const id of gone) this.take(id);
      for (const rule of written) this.put(rule);
    }
    return true;
  }

  /**
   * Whether these changes can be taken on the version held: they start from it or before, or
   * nothing in between touched a service this gate keeps (their basis).
   */
  private followsOn(changes: RulesetChanges): boolean {
    if (this.version === 0) return false;
    if (changes.from <= this.version) return true;
    const { basis } = changes;
    if (basis.all > this.version) return false;
    for (const service of this.served ?? FAULT_SERVICES) if (basis[service] > this.version) return false;
    return true;
  }

  /** Registers an injection of this rule; its signal is set when the rule leaves. */
  begin(compiled: CompiledRule): { signal: StopSignal; done: () => void } {
    const signal = { aborted: false };
    let signals = this.active.get(compiled);
    if (!signals) this.active.set(compiled, (signals = new Set()));
    signals.add(signal);
    return { signal, done: () => signals.delete(signal) };
  }

  /** Puts a rule in force (if enabled), unless the same version of it already is. */
  private put(rule: Rule): void {
    const current = this.compiled.get(rule.id);
    // the same version of a rule in force (updated_at changes with every write)
    if (current?.rule.updated_at === rule.updated_at) return;
    if (current) this.take(rule.id);
    if (!rule.enabled) return;
    const { tests, gates } = compileConditions(rule.conditions);
    const seed = rule.seed ?? this.seed ?? undefined;
    const compiled: CompiledRule = { rule, tests, counter: new RuleCounter(gates, seed, rule.name) };
    if ("seconds" in rule.action && CONSISTENCY_ACTIONS.includes(rule.action.type)) this.consistency.set(rule.id, rule.action.seconds * 1000);
    this.compiled.set(rule.id, compiled);
    let index = this.byService.get(rule.service);
    if (!index) this.byService.set(rule.service, (index = new RuleIndex()));
    index.add(compiled);
  }

  /** Takes a rule out of force, stopping its injections in progress. */
  private take(id: string): void {
    const compiled = this.compiled.get(id);
    if (!compiled) return;
    this.compiled.delete(id);
    this.consistency.delete(id);
    const index = this.byService.get(compiled.rule.service)!;
    index.remove(compiled);
    if (index.size === 0) this.byService.delete(compiled.rule.service);
    for (const signal of this.active.get(compiled) ?? []) signal.aborted = true;
    this.active.delete(compiled);
  }
}

/** The ids held that a whole rule set no longer has. */
function missingFrom(held: Map<string, Rule>, rules: Rule[]): string[] {
  const ids = new Set(rules.map((rule) => rule.id));
  return [...held.keys()].filter((id) => !ids.has(id));
}
