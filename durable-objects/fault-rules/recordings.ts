/**
 * The rule store's recordings of injection decisions and its replay (shared/faults/recording.ts).
 * One recording runs at a time; the gates send its decisions with their accounting, and they
 * are numbered here as they arrive (each gate's own in the order it took them). A recording
 * stops by itself at its most decisions (MOCKS3_MAX_RECORDED_DECISIONS); the gates learn it
 * at their next poll, and what they note meanwhile is dropped. The newest RECORDINGS_KEPT
 * recordings are kept.
 *
 * A replay keeps the recording's decisions here; each gate fetches its own share once
 * (replayPlan) and reports which it used and the requests the recording did not know.
 * Decisions move DECISIONS_PAGE at a time (an export, a replay's upload, a gate's share),
 * and a replay is in force only once all of its decisions are in.
 */
import {
  DECISIONS_PAGE,
  UNKNOWN_LISTED,
  type GateDecision,
  type RecordedDecision,
  type Recording,
  type RecordingSummary,
  type ReplayProgress,
  type UnknownRequest,
} from "../../shared/faults/recording";
import type { TapeReport, TapeState } from "../../shared/faults/ruleset";

export const RECORDINGS_KEPT = 20;

interface RecordingRow extends Record<string, SqlStorageValue> {
  id: string;
  started_at: string;
  stopped_at: string | null;
  stop_reason: string | null;
  decisions: number;
  max_decisions: number;
}

interface ReplayRow extends Record<string, SqlStorageValue> {
  replay_id: string;
  recording_id: string;
  started_at: string;
  decisions: number;
  replayed: number;
  unknown: number;
  ready: number;
}

export class Recordings {
  private running: RecordingRow | undefined;
  private replay: ReplayRow | undefined;

  /** `changed`: the tape state changed (a recording started or stopped, a replay began or ended); the rule set's version moves */
  constructor(
    private readonly sql: SqlStorage,
    private readonly changed: () => void,
  ) {
    this.running = sql.exec<RecordingRow>("SELECT * FROM recordings WHERE stopped_at IS NULL").toArray()[0];
    this.replay = sql.exec<ReplayRow>("SELECT * FROM replay_state").toArray()[0];
  }

  get tape(): TapeState {
    return { recording: this.running?.id ?? null, replay: this.replay?.ready ? this.replay.replay_id : null };
  }

  /** A new recording, or the one running (which refuses it). */
  start(maxDecisions: number): { started: RecordingSummary } | { running: RecordingSummary } {
    if (this.running) return { running: summary(this.running) };
    const row: RecordingRow = { id: crypto.randomUUID(), started_at: new Date().toISOString(), stopped_at: null, stop_reason: null, decisions: 0, max_decisions: maxDecisions };
    this.sql.exec("INSERT INTO recordings (id, started_at, decisions, max_decisions) VALUES (?, ?, 0, ?)", row.id, row.started_at, maxDecisions);
    const old = this.sql.exec<{ id: string }>("SELECT id FROM recordings ORDER BY started_at DESC, id LIMIT -1 OFFSET ?", RECORDINGS_KEPT).toArray();
    for (const { id } of old) {
      this.sql.exec("DELETE FROM recorded_decisions WHERE recording_id = ?", id);
      this.sql.exec("DELETE FROM recordings WHERE id = ?", id);
    }
    this.running = row;
    this.changed();
    return { started: summary(row) };
  }

  /** Stops the recording (a stopped one stays as it is); null when there is no such recording. */
  stop(id: string, reason: "stopped" | "full" = "stopped"): RecordingSummary | null {
    if (this.running?.id === id) {
      this.running.stopped_at = new Date().toISOString();
      this.running.stop_reason = reason;
      this.sql.exec("UPDATE recordings SET stopped_at = ?, stop_reason = ?, decisions = ? WHERE id = ?", this.running.stopped_at, reason, this.running.decisions, id);
      const stopped = summary(this.running);
      this.running = undefined;
      this.changed();
      return stopped;
    }
    const row = this.row(id);
    return row ? summary(row) : null;
  }

  list(): RecordingSummary[] {
    return this.sql
      .exec<RecordingRow>("SELECT * FROM recordings ORDER BY started_at DESC, id")
      .toArray()
      .map((row) => summary(this.running?.id === row.id ? this.running : row));
  }

  /** The recording with its decisions after `afterSeq`, at most DECISIONS_PAGE of them. */
  export(id: string, afterSeq: number): Recording | null {
    const row = this.running?.id === id ? this.running : this.row(id);
    if (!row) return null;
    const decisions_list = this.sql
      .exec<{ seq: number; body: string }>("SELECT seq, body FROM recorded_decisions WHERE recording_id = ? AND seq > ? ORDER BY seq LIMIT ?", id, afterSeq, DECISIONS_PAGE)
      .toArray()
      .map(({ seq, body }): RecordedDecision => ({ seq, ...(JSON.parse(body) as GateDecision) }));
    return { format: "mocks3-recording/1", ...summary(row), decisions_list };
  }

  /** Takes what the gates' tapes noted. */
  take(reports: TapeReport[]): void {
    for (const report of reports) {
      if (report.recording) this.append(report.recording.id, report.recording.decisions);
      if (report.replay) this.progress(report.replay);
    }
  }

  /** A replay of `decisions` decisions of this recording, in place of any other; in force once they are all in (addToReplay). */
  startReplay(recordingId: string, decisions: number): string {
    const wasInForce = this.tape.replay !== null;
    this.clearReplay();
    const row: ReplayRow = { replay_id: crypto.randomUUID(), recording_id: recordingId, started_at: new Date().toISOString(), decisions, replayed: 0, unknown: 0, ready: 0 };
    this.sql.exec(
      "INSERT INTO replay_state (id, replay_id, recording_id, started_at, decisions, replayed, unknown, ready) VALUES (1, ?, ?, ?, ?, 0, 0, 0)",
      row.replay_id,
      recordingId,
      row.started_at,
      decisions,
    );
    this.replay = row;
    if (wasInForce) this.changed();
    return row.replay_id;
  }

  /** A page of the replay's decisions; with the last one, the replay is in force. False when the replay was replaced meanwhile. */
  addToReplay(replayId: string, decisions: RecordedDecision[], last: boolean): boolean {
    if (this.replay?.replay_id !== replayId) return false;
    for (const decision of decisions) this.sql.exec("INSERT INTO replay_decisions (seq, gate, body, used) VALUES (?, ?, ?, 0)", decision.seq, decision.gate, JSON.stringify(decision));
    if (last) {
      this.replay.ready = 1;
      this.sql.exec("UPDATE replay_state SET ready = 1");
      this.changed();
    }
    return true;
  }

  /** The replay's decisions a gate takes, in order, after `afterSeq`: at most DECISIONS_PAGE of them. */
  replayPlan(replayId: string, gate: string, afterSeq: number): RecordedDecision[] {
    if (this.tape.replay !== replayId) return [];
    return this.sql
      .exec<{ body: string }>("SELECT body FROM replay_decisions WHERE gate = ? AND seq > ? ORDER BY seq LIMIT ?", gate, afterSeq, DECISIONS_PAGE)
      .toArray()
      .map(({ body }) => JSON.parse(body) as RecordedDecision);
  }

  replayProgress(): ReplayProgress | null {
    const row = this.replay;
    if (!row?.ready) return null;
    const unknown_requests = this.sql
      .exec<{ body: string }>("SELECT body FROM replay_unknown ORDER BY id")
      .toArray()
      .map(({ body }) => JSON.parse(body) as UnknownRequest);
    return {
      id: row.replay_id,
      recording_id: row.recording_id,
      started_at: row.started_at,
      decisions: row.decisions,
      replayed: row.replayed,
      pending: row.decisions - row.replayed,
      unknown: row.unknown,
      unknown_requests,
    };
  }

  /** Ends the replay (or drops one still loading); what it came to, or null when none was in force. */
  endReplay(): ReplayProgress | null {
    const progress = this.replayProgress();
    this.clearReplay();
    if (progress) this.changed();
    return progress;
  }

  private clearReplay(): void {
    this.sql.exec("DELETE FROM replay_state");
    this.sql.exec("DELETE FROM replay_decisions");
    this.sql.exec("DELETE FROM replay_unknown");
    this.replay = undefined;
  }

  private append(id: string, decisions: GateDecision[]): void {
    const row = this.running;
    // decisions noted after the recording stopped (or for another one) are not its
    if (row?.id !== id) return;
    const room = row.max_decisions - row.decisions;
    for (const decision of decisions.slice(0, room)) this.sql.exec("INSERT INTO recorded_decisions (recording_id, seq, body) VALUES (?, ?, ?)", id, ++row.decisions, JSON.stringify(decision));
    this.sql.exec("UPDATE recordings SET decisions = ? WHERE id = ?", row.decisions, id);
    if (row.decisions >= row.max_decisions) this.stop(id, "full");
  }

  private progress(report: NonNullable<TapeReport["replay"]>): void {
    const row = this.replay;
    if (row?.replay_id !== report.id) return;
    for (const seq of report.used) row.replayed += this.sql.exec("UPDATE replay_decisions SET used = 1 WHERE seq = ? AND used = 0", seq).rowsWritten;
    const listed = row.unknown;
    row.unknown += report.unknownCount;
    for (const unknown of report.unknown.slice(0, Math.max(0, UNKNOWN_LISTED - listed))) this.sql.exec("INSERT INTO replay_unknown (body) VALUES (?)", JSON.stringify(unknown));
    this.sql.exec("UPDATE replay_state SET replayed = ?, unknown = ?", row.replayed, row.unknown);
  }

  private row(id: string): RecordingRow | undefined {
    return this.sql.exec<RecordingRow>("SELECT * FROM recordings WHERE id = ?", id).toArray()[0];
  }
}

function summary(row: RecordingRow): RecordingSummary {
  return {
    id: row.id,
    started_at: row.started_at,
    stopped_at: row.stopped_at,
    stop_reason: row.stop_reason as RecordingSummary["stop_reason"],
    decisions: row.decisions,
    max_decisions: row.max_decisions,
  };
}
