/**
 * One service's rules in force, indexed so that a request meets only the rules that could
 * match it. A rule is filed under the values of its most telling condition that names exact
 * values — its buckets and operations together, else its buckets, its access keys, a header
 * or query parameter it wants equal to a value, its operations, its key prefix, a header or
 * query parameter it needs present (named-value-index.ts) — or, with none of those, tested
 * on every request. A request looks up its own lists (one per kind of filing, one per prefix
 * length and header or query name in use) and walks them with the rest, merged in the
 * gate's order (priority, then age), so that thousands of rules for other buckets, keys,
 * clients or test runs cost it a few map look-ups. Filing only narrows: every rule a request
 * meets is still tested on all its conditions.
 */
import type { RuleCounter } from "./decide";
import type { RequestFacts } from "./facts";
import type { FactTest } from "./matcher";
import { NamedValueIndex } from "./named-value-index";
import type { Rule } from "./rule";

export interface CompiledRule {
  rule: Rule;
  tests: FactTest[];
  counter: RuleCounter;
}

/** What the index looks at: the facts a request has before they are all gathered (its headers and query read only when rules are filed under them). */
export type RuleLookup = Pick<RequestFacts, "bucket" | "operation" | "key" | "accessKey" | "headers" | "query">;

/** A bucket × operation filing is used up to this many pairs (else the buckets alone). */
const MAX_PAIRS = 64;

type Lists = Map<string, CompiledRule[]>;

/** The lists a rule is filed in, each as its map and its name there (and what to do once that map is empty). */
type Filing = Array<[Lists, string, (() => void)?]>;

const NO_LISTS: Lists = new Map();

export class RuleIndex {
  /** bucket → operation → rules */
  private readonly byPair = new Map<string, Lists>();
  private readonly byBucket: Lists = new Map();
  private readonly byAccessKey: Lists = new Map();
  private readonly byPrefix: Lists = new Map();
  private readonly byOperation: Lists = new Map();
  /** the key prefixes' lengths in use, with how many prefixes have each */
  private readonly prefixLengths = new Map<number, number>();
  private readonly byHeader = new NamedValueIndex();
  private readonly byQuery = new NamedValueIndex();
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

  /** Whether some rule could match such a request (the lists `find` walks are not all empty). */
  mayMatch(request: RuleLookup): boolean {
    const { bucket, operation, key, accessKey } = request;
    if (this.rest.length > 0 || this.byBucket.has(bucket) || this.byOperation.has(operation)) return true;
    if (this.byPair.get(bucket)?.has(operation)) return true;
    if (accessKey !== undefined && this.byAccessKey.has(accessKey)) return true;
    for (const length of this.prefixLengths.keys()) if (length <= key.length && this.byPrefix.has(key.slice(0, length))) return true;
    return this.byHeader.meets(() => request.headers) || this.byQuery.meets(() => request.query);
  }

  /** The first rule, in order, that could match these facts and for which `take` says yes. */
  find(facts: RequestFacts, take: (compiled: CompiledRule) => boolean): CompiledRule | undefined {
    const lists = this.candidates(facts);
    if (lists.length === 1) return lists[0]!.find(take);
    const at = lists.map(() => 0);
    for (;;) {
      let best = -1;
      let next: CompiledRule | undefined;
      for (let l = 0; l < lists.length; l++) {
        const head = lists[l]![at[l]!];
        if (head && (!next || comesFirst(head.rule, next.rule))) {
          next = head;
          best = l;
        }
      }
      if (!next) return undefined;
      at[best]!++;
      if (take(next)) return next;
    }
  }

  /** The non-empty lists a request's rules are in (a rule is in at most one of them). */
  private candidates(request: RuleLookup): CompiledRule[][] {
    const { bucket, operation, key, accessKey } = request;
    const lists: CompiledRule[][] = [];
    const add = (list: CompiledRule[] | undefined) => {
      if (list) lists.push(list);
    };
    add(this.byPair.get(bucket)?.get(operation));
    add(this.byBucket.get(bucket));
    if (accessKey !== undefined) add(this.byAccessKey.get(accessKey));
    for (const length of this.prefixLengths.keys()) if (length <= key.length) add(this.byPrefix.get(key.slice(0, length)));
    add(this.byOperation.get(operation));
    this.byHeader.collect(() => request.headers, add);
    this.byQuery.collect(() => request.query, add);
    if (this.rest.length > 0) lists.push(this.rest);
    return lists;
  }

  /** The lists a rule is filed in (created when `create`). */
  private listsOf(rule: Rule, create: boolean): CompiledRule[][] {
    const filing = this.filingOf(rule, create);
    if (!filing) return [this.rest];
    const lists: CompiledRule[][] = [];
    for (const [map, name] of filing) {
      let list = map.get(name);
      if (!list && create) {
        map.set(name, (list = []));
        if (map === this.byPrefix) this.prefixLengths.set(name.length, (this.prefixLengths.get(name.length) ?? 0) + 1);
      }
      if (list) lists.push(list);
    }
    return lists;
  }

  private dropEmpty(rule: Rule): void {
    for (const [map, name, whenEmpty] of this.filingOf(rule, false) ?? []) {
      if (map.get(name)?.length !== 0) continue;
      map.delete(name);
      if (map.size === 0) whenEmpty?.();
      if (map === this.byPrefix) {
        const left = this.prefixLengths.get(name.length)! - 1;
        if (left === 0) this.prefixLengths.delete(name.length);
        else this.prefixLengths.set(name.length, left);
      }
    }
  }

  /** The map and name of each list a rule is filed in; undefined: tested on every request. */
  private filingOf(rule: Rule, create: boolean): Filing | undefined {
    const conditions = rule.conditions ?? [];
    let buckets: string[] | undefined;
    let operations: string[] | undefined;
    let accessKeys: string[] | undefined;
    let prefix: string | undefined;
    let byValue: Filing | undefined;
    let byName: Filing | undefined;
    for (const condition of conditions) {
      if (condition.type === "bucket" && !buckets && condition.value.every((name) => !/[*?]/.test(name))) buckets = condition.value;
      else if (condition.type === "operation") operations ??= condition.value;
      else if (condition.type === "access_key") accessKeys ??= condition.value;
      else if (condition.type === "key" && condition.prefix) prefix ??= condition.prefix;
      else if (condition.type === "header" || condition.type === "query") {
        const index = condition.type === "header" ? this.byHeader : this.byQuery;
        const name = condition.type === "header" ? condition.name.toLowerCase() : condition.name;
        const filed = index.filing({ ...condition, name }, create);
        if (filed && condition.equals !== undefined) byValue ??= [filed];
        else if (filed) byName ??= [filed];
      }
    }
    const under = (map: Lists, names: readonly string[]): Filing => [...new Set(names)].map((name) => [map, name]);
    if (buckets && operations && buckets.length * operations.length <= MAX_PAIRS) {
      return [...new Set(buckets)].flatMap((bucket) => {
        let map = this.byPair.get(bucket);
        if (!map && create) this.byPair.set(bucket, (map = new Map()));
        const whenEmpty = () => this.byPair.delete(bucket);
        return [...new Set(operations)].map((operation): [Lists, string, () => void] => [map ?? NO_LISTS, operation, whenEmpty]);
      });
    }
    if (buckets) return under(this.byBucket, buckets);
    if (accessKeys) return under(this.byAccessKey, accessKeys);
    if (byValue) return byValue;
    // operations before a key prefix: a rule for writes under a prefix costs reads nothing
    if (operations) return under(this.byOperation, operations);
    if (prefix) return under(this.byPrefix, [prefix]);
    return byName;
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
