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
import { nestedList, type FiledIn, type Lists } from "./rule-lists";

export interface CompiledRule {
  rule: Rule;
  tests: FactTest[];
  counter: RuleCounter;
}

/** What the index looks at: the facts a request has before they are all gathered (its headers and query read only when rules are filed under them). */
export type RuleLookup = Pick<RequestFacts, "bucket" | "operation" | "key" | "accessKey" | "headers" | "query">;

/** A bucket × operation filing is used up to this many pairs (else the buckets alone). */
const MAX_PAIRS = 64;

/** The lists a rule is filed in. */
type Filing = FiledIn[];

/** a visit that stops at the first list: some rule could match */
const ANY = () => true;

export class RuleIndex {
  /** bucket → operation → rules */
  private readonly byPair = new Map<string, Lists>();
  private readonly byBucket: Lists = new Map();
  private readonly byAccessKey: Lists = new Map();
  private readonly byPrefix: Lists = new Map();
  private readonly byOperation: Lists = new Map();
  /** the key prefixes' lengths in use, with how many prefixes have each */
  private readonly prefixLengths = new Map<number, number>();
  private readonly byHeader = new NamedValueIndex("headers");
  private readonly byQuery = new NamedValueIndex("query");
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
    return this.eachList(request, ANY);
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
    const lists: CompiledRule[][] = [];
    this.eachList(request, (list) => {
      lists.push(list);
      return false;
    });
    return lists;
  }

  /** Calls `visit` with each non-empty list such a request's rules are in, until it returns true. */
  private eachList(request: RuleLookup, visit: (list: CompiledRule[]) => boolean): boolean {
    const { bucket, operation, key, accessKey } = request;
    const at = (list: CompiledRule[] | undefined) => list !== undefined && visit(list);
    if (this.rest.length > 0 && visit(this.rest)) return true;
    if (at(this.byBucket.get(bucket)) || at(this.byOperation.get(operation)) || at(this.byPair.get(bucket)?.get(operation))) return true;
    if (accessKey !== undefined && at(this.byAccessKey.get(accessKey))) return true;
    for (const length of this.prefixLengths.keys()) if (length <= key.length && at(this.byPrefix.get(key.slice(0, length)))) return true;
    return this.byHeader.each(request, at) || this.byQuery.each(request, at);
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
    let buckets: string[] | undefined;
    let operations: string[] | undefined;
    let accessKeys: string[] | undefined;
    let prefix: string | undefined;
    let byValue: (() => FiledIn) | undefined;
    let byName: (() => FiledIn) | undefined;
    for (const condition of rule.conditions ?? []) {
      if (condition.type === "bucket" && !buckets && condition.value.every((name) => !/[*?]/.test(name))) buckets = condition.value;
      else if (condition.type === "operation") operations ??= condition.value;
      else if (condition.type === "access_key") accessKeys ??= condition.value;
      else if (condition.type === "key" && condition.prefix) prefix ??= condition.prefix;
      else if (condition.type === "header" || condition.type === "query") {
        const index = condition.type === "header" ? this.byHeader : this.byQuery;
        const name = condition.type === "header" ? condition.name.toLowerCase() : condition.name;
        const { equals, present } = condition;
        if (equals !== undefined) byValue ??= () => index.underValue(name, equals, create);
        else if (present !== false) byName ??= () => index.underName(name);
      }
    }
    const under = (map: Lists, names: readonly string[]): Filing => [...new Set(names)].map((name) => [map, name]);
    if (buckets && operations && buckets.length * operations.length <= MAX_PAIRS) {
      const pairs = [...new Set(operations)];
      return [...new Set(buckets)].flatMap((bucket) => pairs.map((operation) => nestedList(this.byPair, bucket, operation, create)));
    }
    if (buckets) return under(this.byBucket, buckets);
    if (accessKeys) return under(this.byAccessKey, accessKeys);
    if (byValue) return [byValue()];
    // operations before a key prefix: a rule for writes under a prefix costs reads nothing
    if (operations) return under(this.byOperation, operations);
    if (prefix) return under(this.byPrefix, [prefix]);
    return byName && [byName()];
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
