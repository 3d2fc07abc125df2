/**
 * The fault rule store (rule-set-base.ts holds its state): the writes of rules — create
 * (several at once, grouped into one commit), swap (a list replaced in one step), replace,
 * remove, halt — the counts' reset and the global seed, and the recordings and the replay
 * (recordings.ts), each change a new version of the rule set.
 */
import { eq } from "drizzle-orm";
import type { RecordedDecision, Recording, RecordingSummary, ReplayProgress } from "../../shared/faults/recording";
import type { Rule } from "../../shared/faults/rule";
import type { Ruleset, RulesetChanges } from "../../shared/faults/ruleset";
import { FaultRulesBase, type OverLimit, type RuleDraft } from "./rule-set-base";
import { faultEvents, ruleCounts, rules } from "./schema";

export type { CountsReport, OverLimit, RuleDraft } from "./rule-set-base";

export class FaultRulesDO extends FaultRulesBase {
  /** whose state this is, in traces */
  static readonly service = "mock-error-service";

  /** New rules, all or none (none when they would take the store past `limit` rules), and the change they made. */
  create(drafts: RuleDraft[], limit: number): Promise<{ rules: Rule[]; change: RulesetChanges } | OverLimit> {
    return this.writes.run(() => {
      if (this.rules().size + drafts.length > limit) return { limit };
      const now = new Date().toISOString();
      const created = drafts.map((draft): Rule => ({ id: crypto.randomUUID(), ...draft, created_at: now, updated_at: now }));
      // plain SQL: drizzle's query building was a third of a create's cost in a profile
      for (const rule of created) this.ctx.storage.sql.exec("INSERT INTO rules (id, body) VALUES (?, ?)", rule.id, JSON.stringify(rule));
      this.changed(created);
      // the log has just recorded it
      return { rules: created, change: this.changesSince(this.state().version - 1)! };
    });
  }

  /**
   * Removes some rules — those of `remove.ids`, and every rule whose name starts with
   * `remove.namePrefix` — and creates `drafts`, in one step, one version of the rule set (a
   * list that replaces another, e.g. LocalStack's chaos faults); none of it past `limit`.
   */
  swap(remove: { ids?: string[]; namePrefix?: string }, drafts: RuleDraft[], limit: number): Promise<{ rules: Rule[] } | OverLimit> {
    return this.writes.run(() => {
      const all = this.rules();
      const { ids = [], namePrefix } = remove;
      const gone = [...all.values()].filter((rule) => ids.includes(rule.id) || (namePrefix !== undefined && rule.name.startsWith(namePrefix))).map((rule) => rule.id);
      if (all.size - gone.length + drafts.length > limit) return { limit };
      const now = new Date().toISOString();
      const created = drafts.map((draft): Rule => ({ id: crypto.randomUUID(), ...draft, created_at: now, updated_at: now }));
      for (const id of gone) {
        this.ctx.storage.sql.exec("DELETE FROM rules WHERE id = ?", id);
        this.ctx.storage.sql.exec("DELETE FROM rule_counts WHERE rule_id = ?", id);
      }
      for (const rule of created) this.ctx.storage.sql.exec("INSERT INTO rules (id, body) VALUES (?, ?)", rule.id, JSON.stringify(rule));
      if (gone.length > 0 || created.length > 0) this.changed(created, gone);
      return { rules: created };
    });
  }

  replace(id: string, draft: RuleDraft): Rule | null {
    const old = this.get(id);
    if (!old) return null;
    const rule: Rule = { id, ...draft, created_at: old.created_at, updated_at: laterThan(old.updated_at) };
    this.db
      .update(rules)
      .set({ body: JSON.stringify(rule) })
      .where(eq(rules.id, id))
      .run();
    this.changed([rule]);
    return rule;
  }

  remove(id: string): boolean {
    if (!this.get(id)) return false;
    this.db.delete(rules).where(eq(rules.id, id)).run();
    this.db.delete(ruleCounts).where(eq(ruleCounts.ruleId, id)).run();
    this.changed([], [id]);
    return true;
  }

  /** Deletes every rule; how many there were. */
  removeAll(): number {
    const ids = [...this.rules().keys()];
    if (ids.length === 0) return 0;
    this.db.delete(rules).run();
    this.db.delete(ruleCounts).run();
    this.changed([], ids);
    return ids.length;
  }

  /** Every rule off; the number of rules that were on. */
  halt(): number {
    const off = this.list()
      .filter((rule) => rule.enabled)
      .map((rule): Rule => ({ ...rule, enabled: false, updated_at: laterThan(rule.updated_at) }));
    if (off.length === 0) return 0;
    this.ctx.storage.transactionSync(() => {
      for (const rule of off)
        this.db
          .update(rules)
          .set({ body: JSON.stringify(rule) })
          .where(eq(rules.id, rule.id))
          .run();
    });
    this.changed(off);
    return off.length;
  }

  /** Counts, events and every rule's count gates start over. */
  reset(): Ruleset {
    this.db.delete(ruleCounts).run();
    this.db.delete(faultEvents).run();
    const state = this.state();
    this.writeMeta({ epoch: state.epoch + 1, since: new Date().toISOString() });
    this.changed();
    return this.snapshot() as Ruleset;
  }

  setSeed(seed: number | null): Ruleset {
    this.writeMeta({ seed });
    this.changed();
    return this.snapshot() as Ruleset;
  }

  /** A new recording, or the one running (which refuses it). */
  // Recordings and the replay (recordings.ts): each change of them is a change of the rule set.
  startRecording(maxDecisions: number): { started: RecordingSummary } | { running: RecordingSummary } {
    return this.recordings().start(maxDecisions);
  }

  stopRecording(id: string): RecordingSummary | null {
    return this.recordings().stop(id);
  }

  listRecordings(): RecordingSummary[] {
    return this.recordings().list();
  }

  exportRecording(id: string, afterSeq: number): Recording | null {
    return this.recordings().export(id, afterSeq);
  }

  startReplay(recordingId: string, decisions: number): string {
    return this.recordings().startReplay(recordingId, decisions);
  }

  addToReplay(replayId: string, decisions: RecordedDecision[], last: boolean): boolean {
    return this.recordings().addToReplay(replayId, decisions, last);
  }

  replayPlan(replayId: string, gate: string, afterSeq: number): RecordedDecision[] {
    return this.recordings().replayPlan(replayId, gate, afterSeq);
  }

  replayProgress(): ReplayProgress | null {
    return this.recordings().replayProgress();
  }

  endReplay(): ReplayProgress | null {
    return this.recordings().endReplay();
  }
}

/** An ISO time after `previous`, even within the same millisecond (counts key on it). */
function laterThan(previous: string): string {
  const now = Date.now();
  const last = Date.parse(previous);
  return new Date(now > last ? now : last + 1).toISOString();
}
