/**
 * Rules filed under a header or query parameter they test (rule-index.ts): under its name
 * and value when they ask for one value (`equals`), under its name when they only need it
 * present (`present: true`, `regex`). A request looks up only the names in use, so that
 * hundreds of rules keyed to a test-run header (`x-test-id: …`) cost it one look-up.
 */
import type { CompiledRule } from "./rule-index";

type Lists = Map<string, CompiledRule[]>;
/** a request's headers or query parameters, read only when some rule is filed under them */
export type ValueReader = () => Record<string, string>;

/** What a header or query condition asks of its name. */
export interface NamedTest {
  name: string;
  equals?: string;
  regex?: string;
  present?: boolean;
}

export class NamedValueIndex {
  /** name → value → rules */
  private readonly byValue = new Map<string, Lists>();
  /** name → rules */
  private readonly byName: Lists = new Map();

  /** The map and list name a condition files a rule under, or undefined when it cannot (present: false). */
  filing(test: NamedTest, create: boolean): [Lists, string, (() => void) | undefined] | undefined {
    if (test.equals !== undefined) {
      let values = this.byValue.get(test.name);
      if (!values && create) this.byValue.set(test.name, (values = new Map()));
      const map = values ?? new Map<string, CompiledRule[]>();
      return [map, test.equals, () => map.size === 0 && this.byValue.delete(test.name)];
    }
    if (test.present === false) return undefined;
    return [this.byName, test.name, undefined];
  }

  /** Adds the lists of the names and values this request has. */
  collect(read: ValueReader, add: (list: CompiledRule[] | undefined) => void): void {
    if (this.byName.size === 0 && this.byValue.size === 0) return;
    const values = read();
    for (const [name, list] of this.byName) if (Object.hasOwn(values, name)) add(list);
    for (const [name, lists] of this.byValue) if (Object.hasOwn(values, name)) add(lists.get(values[name]!));
  }

  /** Whether the request has a name or value some rule is filed under. */
  meets(read: ValueReader): boolean {
    let met = false;
    this.collect(read, (list) => {
      if (list) met = true;
    });
    return met;
  }
}
