/**
 * The rule store's recent changes, in memory: for each version, the rules it wrote and the ids
 * it deleted. A gate that holds a recent version gets only what changed since (a few rules),
 * not the whole rule set; one that is too far behind, or asks after the store restarted,
 * gets the whole set.
 */
import type { Rule } from "../../shared/faults/rule";

/** Versions kept; a gate further behind than this reloads the whole rule set. */
const KEPT = 2_000;

interface Change {
  version: number;
  upserts: Rule[];
  deletes: string[];
}

export class ChangeLog {
  private changes: Change[] = [];

  /** What `version` changed (nothing, for a change to the seed, the epoch or the states). */
  record(version: number, upserts: Rule[] = [], deletes: string[] = []): void {
    this.changes.push({ version, upserts, deletes });
    if (this.changes.length > KEPT * 2) this.changes = this.changes.slice(-KEPT);
  }

  /** Every change after `from` up to `to`, merged; undefined when they are not all here. */
  since(from: number, to: number): { upserts: Rule[]; deletes: string[] } | undefined {
    const first = this.changes.findIndex((change) => change.version > from);
    if (first < 0 || this.changes[first]!.version !== from + 1 || this.changes[this.changes.length - 1]!.version !== to) return undefined;
    const upserts = new Map<string, Rule>();
    const deletes = new Set<string>();
    for (const change of this.changes.slice(first)) {
      for (const rule of change.upserts) {
        upserts.set(rule.id, rule);
        deletes.delete(rule.id);
      }
      for (const id of change.deletes) {
        upserts.delete(id);
        deletes.add(id);
      }
    }
    return { upserts: [...upserts.values()], deletes: [...deletes] };
  }

  /** Forgets everything (the versions it knew no longer follow on). */
  clear(): void {
    this.changes = [];
  }
}
