/**
 * When a bucket's lifecycle rules run: from its Durable Object's alarm, a few times per day
 * of MOCKS3_LIFECYCLE_DAY_SECONDS (at most hourly, at least every RUN_MIN_MS), while the
 * bucket has enabled rules; at once again when a run left work over. The alarm is set when a
 * configuration is stored and survives restarts; a bucket without rules lets it lapse. The
 * same alarm rings for restores' steps (restore-course.ts), which set it sooner when due.
 */
import { dayMsOf } from "../../shared/day-length";
import type { BlobRef } from "../../shared/records";
import { runLifecycle, type LifecycleTarget } from "./lifecycle";
import { alarmBy } from "./restore-course";
import type { LifecycleRule } from "./lifecycle-rules";

const RUNS_PER_DAY = 4;
const RUN_MIN_MS = 250;
const RUN_MAX_MS = 60 * 60_000;

export interface LifecycleBucket {
  /** the enabled rules of its lifecycle configuration (none without one) */
  rules(): LifecycleRule[];
  /** what a run changes; undefined when the bucket does not exist */
  target(): LifecycleTarget | undefined;
  release(blobs: BlobRef[]): Promise<void>;
}

export class LifecycleAlarm {
  /** how long one of S3's days lasts (MOCKS3_LIFECYCLE_DAY_SECONDS) */
  readonly dayMs: number;

  constructor(
    private readonly storage: DurableObjectStorage,
    env: { MOCKS3_LIFECYCLE_DAY_SECONDS?: string },
    private readonly bucket: LifecycleBucket,
  ) {
    this.dayMs = dayMsOf(env.MOCKS3_LIFECYCLE_DAY_SECONDS);
  }

  /** After a configuration changed: the next run is set if there are rules to run. */
  async schedule(): Promise<void> {
    if (this.bucket.rules().length === 0) return;
    await alarmBy(this.storage, Date.now() + this.interval());
  }

  /** The alarm: one run, then the next one set. */
  async run(): Promise<void> {
    const rules = this.bucket.rules();
    const target = this.bucket.target();
    if (rules.length === 0 || !target) return;
    const { released, more } = runLifecycle(rules, target, Date.now(), this.dayMs);
    await this.storage.setAlarm(Date.now() + (more ? 0 : this.interval()));
    if (released.length > 0) await this.bucket.release(released);
  }

  private interval(): number {
    return Math.min(RUN_MAX_MS, Math.max(RUN_MIN_MS, this.dayMs / RUNS_PER_DAY));
  }
}
