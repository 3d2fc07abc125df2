/**
 * One service's rules in force, indexed so that a request meets only the rules that could
 * match it: a rule naming exact buckets is filed under each of them, else one naming
 * operations under each of those, else it is tested on every request. A request looks up
 * its bucket's and its operation's lists and walks them with the rest, merged in the gate's
 * order (priority, then age), so that thousands of rules for other buckets cost a request
 * two map look-ups.
 */
import type { RuleCounter } from "./decide";
import type { RequestFacts } from "./facts";
import type { FactTest } from "./matcher";
import type { Rule } from "./rule";

export interface CompiledRule {
  rule: Rule;
  tests: FactTest[];
  counter: RuleCounter;
}

const NONE: readonly CompiledRule[] = [];

export class RuleIndex {
  private readonly byBucket = new Map<string, CompiledRule[]>();
  private readonly byOperation = new Map<string, CompiledRule[]>();
  private readonly rest: CompiledRule[] = [];
  size = 0;

  add(compiled: CompiledRule): void {
    for (const list of this.listsOf(compiled.rule, true)) list.splice(insertionPoint(list, compiled.rule), 0, compiled);
    this.size++;
  }

  remove(compiled: CompiledRule): void {
    for (const list of this.listsOf(compiled.rule, false)) {
      const at = list.indexOf(compiled);
      if (at >= 0) list.splice(at, 1);
    }
    this.dropEmpty(compiled.rule);
    this.size--;
  }

  /** The first rule, in order, that could match these facts and for which `take` says yes. */
  find(facts: RequestFacts, take: (compiled: CompiledRule) => boolean): CompiledRule | undefined {
    const a = this.byBucket.get(facts.bucket) ?? NONE;
    const b = this.byOperation.get(facts.operation) ?? NONE;
    const c = this.rest;
    let i = 0;
    let j = 0;
    let k = 0;
    for (;;) {
      let next = i < a.length ? a[i] : undefined;
      let from = 0;
      if (j < b.length && (!next || comesFirst(b[j]!.rule, next.rule))) {
        next = b[j];
        from = 1;
      }
      if (k < c.length && (!next || comesFirst(c[k]!.rule, next.rule))) {
        next = c[k];
        from = 2;
      }
      if (!next) return undefined;
      if (from === 0) i++;
      else if (from === 1) j++;
      else k++;
      if (take(next)) return next;
    }
  }

  /** The lists a rule is filed in (created when `create`). */
  private listsOf(rule: Rule, create: boolean): CompiledRule[][] {
    const { map, names } = this.placeOf(rule);
    if (!map) return [this.rest];
    const lists: CompiledRule[][] = [];
    for (const name of names) {
      let list = map.get(name);
      if (!list && create) map.set(name, (list = []));
      if (list) lists.push(list);
    }
    return lists;
  }

  private dropEmpty(rule: Rule): void {
    const { map, names } = this.placeOf(rule);
    for (const name of names) if (map?.get(name)?.length === 0) map.delete(name);
  }

  private placeOf(rule: Rule): { map?: Map<string, CompiledRule[]>; names: Set<string> } {
    const conditions = rule.conditions ?? [];
    for (const condition of conditions) {
      if (condition.type === "bucket" && condition.value.every((name) => !/[*?]/.test(name))) return { map: this.byBucket, names: new Set(condition.value) };
    }
    for (const condition of conditions) {
      if (condition.type === "operation") return { map: this.byOperation, names: new Set<string>(condition.value) };
    }
    return { names: new Set() };
  }
}

/** The gate's order: higher priority first, then the older rule, then by id. */
export function comesFirst(a: Rule, b: Rule): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at;
  return a.id < b.id;
}

/** Where `rule` goes in a list kept in the gate's order (after its equals). */
function insertionPoint(list: CompiledRule[], rule: Rule): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comesFirst(rule, list[middle]!.rule)) high = middle;
    else low = middle + 1;
  }
  return low;
}
