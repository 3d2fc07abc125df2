/**
 * The lists a rule index files rules in (rule-index.ts, named-value-index.ts): maps from a
 * name to the rules filed under it, some of them nested (bucket → operation, header → value).
 */
import type { CompiledRule } from "./rule-index";

export type Lists = Map<string, CompiledRule[]>;

/** One list a rule is filed in: its map, its name there, and what to do once the map is empty. */
export type FiledIn = [Lists, string, (() => void)?];

const NO_LISTS: Lists = new Map();

/** The list `inner` of the map `outer` holds under `name`: that map is made when `create`, and dropped from `outer` once empty. */
export function nestedList(outer: Map<string, Lists>, name: string, inner: string, create: boolean): FiledIn {
  let map = outer.get(name);
  if (!map && create) outer.set(name, (map = new Map()));
  return [map ?? NO_LISTS, inner, () => outer.delete(name)];
}
