/**
 * The experiments: one Durable Object holds every run (one at a time runs) and drives the
 * running one from its alarm, a sample every SAMPLE_MS — steps begin and end on time, the
 * checks are measured (sampler.ts), a failing stop condition ends the run within that
 * sample, and the end rolls back whatever the experiment added. The run is written after
 * every sample and the alarm is durable, so a stack restart resumes it where it was (what
 * its steps hold — rules, a node's state — survives; a lost anomaly is started again for
 * the rest of its step).
 */
import { DurableObject } from "cloudflare:workers";
import { asc, desc, eq, ne } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { ExperimentDocument } from "../../../../shared/experiments/document";
import { MAX_SAMPLES, type ExperimentResult, type ExperimentSummary, type Sample } from "../../../../shared/experiments/result";
import { openDatabase } from "../../../../shared/durable-database";
import migrations from "./drizzle/migrations.js";
import { experimentLog } from "./experiment-log";
import { newRun, resultOf, type RunState } from "./run-state";
import { advance } from "./timeline";
import { experiments, samples } from "./schema";

const SAMPLE_MS = 250;
/** the runs kept, newest first; older ones are forgotten */
const KEPT = 100;

export class ExperimentsDO extends DurableObject<MockErrorEnv> {
  private readonly db: DrizzleSqliteDODatabase;
  private running: RunState | null | undefined;
  /** the running run was read back from storage (a restart): its next sample resumes it */
  private readBack = false;
  /** one change at a time: a sample, a start, an abort */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: MockErrorEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
  }

  /** Starts a run, unless one runs (its summary is returned then). */
  start(document: ExperimentDocument): Promise<{ started: ExperimentResult; running: null } | { started: null; running: ExperimentSummary }> {
    return this.serially(async () => {
      const current = this.current();
      if (current) return { started: null, running: summaryOf(resultOf(current, [], Date.now())) };
      const run = newRun(`exp-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`, document, Date.now());
      experimentLog(run, "started", `experiment ${run.document.name} started: ${run.phases.length} phases over ${Math.round(run.phases.at(-1)!.end_ms / 1000)}s`);
      this.db
        .insert(experiments)
        .values({ id: run.id, createdAt: run.created_at, status: run.status, body: JSON.stringify(run) })
        .run();
      this.forgetOld();
      this.running = run;
      await advance(this.env, run, Date.now(), this.ctx);
      this.save(run);
      await this.ctx.storage.setAlarm(Date.now() + SAMPLE_MS);
      return { started: resultOf(run, this.samplesOf(run.id), Date.now()), running: null };
    });
  }

  list(): ExperimentSummary[] {
    return this.db
      .select()
      .from(experiments)
      .orderBy(desc(experiments.createdAt))
      .all()
      .map((row) => summaryOf(resultOf(this.live(row.id) ?? (JSON.parse(row.body) as RunState), [], Date.now())));
  }

  get(id: string): ExperimentResult | null {
    const run = this.live(id) ?? this.stored(id);
    return run ? resultOf(run, this.samplesOf(id), Date.now()) : null;
  }

  /** Ends a run at once, rolled back; null for an unknown id. */
  abort(id: string): Promise<ExperimentResult | null> {
    return this.serially(async () => {
      const run = this.live(id) ?? this.stored(id);
      if (!run) return null;
      if (run.status === "running") {
        await advance(this.env, run, Date.now(), this.ctx, "aborted by request");
        this.save(run);
        this.running = null;
      }
      return resultOf(run, this.samplesOf(id), Date.now());
    });
  }

  /** Aborts the running run, if one runs (a halt: nothing may put faults back afterwards); its id, or null. */
  abortRunning(reason: string): Promise<string | null> {
    return this.serially(async () => {
      const run = this.current();
      if (!run) return null;
      await advance(this.env, run, Date.now(), this.ctx, reason);
      this.save(run);
      this.running = null;
      return run.id;
    });
  }

  override async alarm(): Promise<void> {
    await this.serially(async () => {
      const run = this.current();
      if (!run) return;
      let sample: Sample | undefined;
      try {
        sample = await advance(this.env, run, Date.now(), this.ctx, undefined, this.readBack);
      } catch (error) {
        // never retried half-done: the run ends, rolled back, with what went wrong
        await advance(this.env, run, Date.now(), this.ctx, `the experiment could not go on: ${String(error)}`);
      }
      this.readBack = false;
      if (sample)
        this.db
          .insert(samples)
          .values({ experimentId: run.id, t: sample.t, values: JSON.stringify(sample.values) })
          .onConflictDoNothing()
          .run();
      this.save(run);
      if (run.status === "running") await this.ctx.storage.setAlarm(Date.now() + SAMPLE_MS);
      else this.running = null;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** The running run, read once after a restart. */
  private current(): RunState | null {
    if (this.running === undefined) {
      const row = this.db.select().from(experiments).where(eq(experiments.status, "running")).get();
      this.running = row ? (JSON.parse(row.body) as RunState) : null;
      this.readBack = this.running !== null;
    }
    return this.running;
  }

  private live(id: string): RunState | null {
    const current = this.current();
    return current?.id === id ? current : null;
  }

  private stored(id: string): RunState | null {
    const row = this.db.select().from(experiments).where(eq(experiments.id, id)).get();
    return row ? (JSON.parse(row.body) as RunState) : null;
  }

  private save(run: RunState): void {
    this.db
      .update(experiments)
      .set({ status: run.status, body: JSON.stringify(run) })
      .where(eq(experiments.id, run.id))
      .run();
  }

  /** The run's samples, evenly thinned to MAX_SAMPLES. */
  private samplesOf(id: string): Sample[] {
    const rows = this.db.select().from(samples).where(eq(samples.experimentId, id)).orderBy(asc(samples.t)).all();
    const step = Math.max(1, rows.length / MAX_SAMPLES);
    const kept: Sample[] = [];
    for (let i = 0; i < rows.length; i += step) {
      const row = rows[Math.floor(i)]!;
      kept.push({ t: row.t, values: JSON.parse(row.values) as Sample["values"] });
    }
    return kept;
  }

  private forgetOld(): void {
    const old = this.db.select({ id: experiments.id }).from(experiments).where(ne(experiments.status, "running")).orderBy(desc(experiments.createdAt)).limit(1_000_000).offset(KEPT).all();
    for (const { id } of old) {
      this.db.delete(samples).where(eq(samples.experimentId, id)).run();
      this.db.delete(experiments).where(eq(experiments.id, id)).run();
    }
  }
}

export function summaryOf(result: ExperimentResult): ExperimentSummary {
  const { id, name, status, verdict, reason, created_at, ended_at, elapsed_ms, total_ms, phase } = result;
  return { id, name, status, verdict, reason, created_at, ended_at, elapsed_ms, total_ms, phase };
}
