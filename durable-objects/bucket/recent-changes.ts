/**
 * What the bucket's keys were a few seconds ago, for the consistency faults (`stale_read`,
 * `list_lag`): while such a rule is in force, the gateway asks every write and delete to be
 * remembered (Caller.recentWindowMs), and the bucket keeps, per key, what the change
 * replaced — the version then current with its bytes, or nothing — for that long. A stale
 * read then sees a key changed within its window as it was before that change: the previous
 * version, or no key after a create.
 *
 * Held in memory only, bounded in keys and time: a restart forgets it (the reads are then
 * current again). Replaced bytes stay readable meanwhile because storage-service keeps
 * released blobs for 30 s, which is why the faults' windows are capped at 30 s
 * (shared/faults/actions.ts).
 */
import type { ListPage, ListQuery, ObjectRecord, ObjectSummary } from "../../shared/records";
import { commonPrefixOf } from "../key-range";
import { summaryOf } from "./listing";

/** Keys remembered at most; the oldest changes go first beyond it. */
const MAX_KEYS = 10_000;

interface Change {
  at: number;
  /** what the key was just before: undefined when it did not exist */
  before: ObjectRecord | undefined;
  until: number;
}

export class RecentChanges {
  /** each key's latest change (a read looks at no other), oldest change first */
  private readonly byKey = new Map<string, Change>();

  /** A change of `key` at `at`, replacing `before`, kept for `keepMs`. */
  remember(key: string, before: ObjectRecord | undefined, at: number, keepMs: number): void {
    this.prune(at);
    this.byKey.delete(key); // re-inserted last: the map's order is the order of the latest changes
    this.byKey.set(key, { at, before, until: at + keepMs });
    while (this.byKey.size > MAX_KEYS) this.byKey.delete(this.byKey.keys().next().value!);
  }

  /** The key before its latest change, when that change came after `since` (`{ record: undefined }`: it did not exist); undefined otherwise. */
  before(key: string, since: number): { record: ObjectRecord | undefined } | undefined {
    const change = this.byKey.get(key);
    return change && change.at > since ? { record: change.before } : undefined;
  }

  /** A listing page with the keys changed after `since` as they were before: created ones left out, deleted ones back. */
  listBefore(page: ListPage, query: ListQuery, since: number): ListPage {
    if (this.byKey.size === 0) return page;
    const contents = new Map<string, ObjectSummary>(page.contents.map((o) => [o.key, o]));
    const prefixes = new Set(page.commonPrefixes);
    const upTo = page.isTruncated ? page.last : undefined;
    for (const key of this.byKey.keys()) {
      if (!key.startsWith(query.prefix) || key <= query.after || (upTo !== undefined && key > upTo)) continue;
      const past = this.before(key, since);
      if (!past) continue;
      const common = commonPrefixOf(key, query.prefix, query.delimiter);
      if (common !== undefined) {
        if (past.record) prefixes.add(common);
        continue;
      }
      if (past.record) contents.set(key, summaryOf(past.record));
      else contents.delete(key);
    }
    const sorted = [...contents.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { ...page, contents: sorted, commonPrefixes: [...prefixes].sort() };
  }

  /** Forgets the changes past their time, oldest first, up to the first still kept: no walk over every key per write. */
  private prune(now: number): void {
    for (const [key, change] of this.byKey) {
      if (change.until > now) return;
      this.byKey.delete(key);
    }
  }
}
