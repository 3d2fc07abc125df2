/**
 * Rules filed under a header or query parameter they test (rule-index.ts): under its name
 * and value when they ask for one value (`equals`), under its name when they only need it
 * present (`present: true`, `regex`). A request looks up only the names in use, so that
 * hundreds of rules keyed to a test-run header (`x-test-id: …`) cost it one look-up; its
 * headers or query parameters are read only when some rule is filed under them.
 */
import type { CompiledRule, RuleLookup } from "./rule-index";
import { nestedList, type FiledIn, type Lists } from "./rule-lists";

export class NamedValueIndex {
  /** name → value → rules */
  private readonly byValue = new Map<string, Lists>();
  /** name → rules */
  private readonly byName: Lists = new Map();

  /** `field`: the request's values this index is about */
  constructor(private readonly field: "headers" | "query") {}

  underValue(name: string, value: string, create: boolean): FiledIn {
    return nestedList(this.byValue, name, value, create);
  }

  underName(name: string): FiledIn {
    return [this.byName, name];
  }

  /** Calls `visit` with the lists of the names and values this request has, until it returns true. */
  each(request: RuleLookup, visit: (list: CompiledRule[] | undefined) => boolean): boolean {
    if (this.byName.size === 0 && this.byValue.size === 0) return false;
    const values = request[this.field];
    for (const [name, list] of this.byName) if (Object.hasOwn(values, name) && visit(list)) return true;
    for (const [name, lists] of this.byValue) if (Object.hasOwn(values, name) && visit(lists.get(values[name]!))) return true;
    return false;
  }
}
