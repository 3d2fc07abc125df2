/**
 * The rule store's recent changes, in memory: for each version, the rules it wrote and the ids
 * it deleted. A gate that holds a recent version gets only what changed since (a few rules),
 * not the whole rule set; one that is too far behind, or asks after the store restarted,
 * gets the whole set.
 *
 * Each change also carries its basis: for every service, the last version before it that
 * touched that service's rules (or everything: states, seed, epoch). A gate that keeps only
 * some services can take a change pushed to it as soon as it holds those services' basis,
 * even when changes to other services came in between (a storage-service gate is not told
 * of the gateway's rules, and need not fetch them to take the next storage rule).
 */
import { FAULT_SERVICES, type FaultService } from "../../shared/faults/fault-services";
import type { Rule } from "../../shared/faults/rule";
import type { ChangeBasis } from "../../shared/faults/ruleset";

/** Versions kept; a gate further behind than this reloads the whole rule set. */
const KEPT = 2_000;

interface Change {
  version: number;
  upserts: Rule[];
  deletes: string[];
  basis: ChangeBasis;
}

export class ChangeLog {
  /** the versions recorded, one after another with no gap */
  private changes: Change[] = [];
  /** per service, the last version that touched it (none before the log began) */
  private touched: ChangeBasis;

  /** `version`: the rule set's version when the log starts. */
  constructor(version: number) {
    this.touched = Object.fromEntries([...FAULT_SERVICES, "all"].map((service) => [service, version])) as ChangeBasis;
  }

  /** What `version` changed, and which services' rules it touched (all, for a change to the seed, the epoch or the states). */
  record(version: number, upserts: Rule[], deletes: string[], services: Iterable<FaultService> | "all"): void {
    const last = this.changes.at(-1);
    // a gap (versions this log never saw) cannot be merged over: start again from here
    if (last && last.version !== version - 1) this.changes = [];
    this.changes.push({ version, upserts, deletes, basis: { ...this.touched } });
    for (const service of services === "all" ? [...FAULT_SERVICES, "all" as const] : services) this.touched[service] = version;
    if (this.changes.length > KEPT * 2) this.changes = this.changes.slice(-KEPT);
  }

  /** Every change after `from` up to `to`, merged; undefined when they are not all here. */
  since(from: number, to: number): { upserts: Rule[]; deletes: string[]; basis: ChangeBasis } | undefined {
    const first = this.changes[0];
    const last = this.changes.at(-1);
    if (!first || !last || from + 1 < first.version || last.version !== to || from >= to) return undefined;
    const start = from + 1 - first.version;
    const upserts = new Map<string, Rule>();
    const deletes = new Set<string>();
    for (let i = start; i < this.changes.length; i++) {
      const change = this.changes[i]!;
      for (const rule of change.upserts) {
        upserts.set(rule.id, rule);
        deletes.delete(rule.id);
      }
      for (const id of change.deletes) {
        upserts.delete(id);
        deletes.add(id);
      }
    }
    return { upserts: [...upserts.values()], deletes: [...deletes], basis: this.changes[start]!.basis };
  }
}
