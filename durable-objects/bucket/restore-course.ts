/**
 * The events of a restore's course, sent by the bucket's alarm as S3 sends them:
 * `ObjectRestore:Completed` once the restored copy is readable, `ObjectRestore:Delete` once it
 * has expired — the restore is then forgotten, as S3 forgets it. Applications that wait for
 * the completion event to read a thawed object (rather than polling HEAD) are served too.
 * The restore's times are its own (restores.ts); the alarm is set for the next of them.
 */
import type { RestoreState } from "../../shared/records";
import type { VersionRows } from "./version-rows";

export type RestoreStep = "ObjectRestore:Completed" | "ObjectRestore:Delete";

export class RestoreCourse {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly rows: () => VersionRows,
    private readonly announce: (key: string, versionId: string, step: RestoreStep) => void,
  ) {}

  /** After a restore began or changed: the alarm rings by its next step. */
  follow(restore: RestoreState): Promise<void> {
    return alarmBy(this.storage, nextStep(restore));
  }

  /** The alarm: every step due is announced, and the alarm set for the next one. */
  async run(now = Date.now()): Promise<void> {
    const rows = this.rows();
    let next: number | undefined;
    for (const found of rows.restoring()) {
      const { key, versionId } = found;
      let restore = found.restore;
      if (!restore.announced && restore.readyAt <= now) {
        restore = { ...restore, announced: "completed" };
        rows.setRestore(key, versionId, restore);
        this.announce(key, versionId, "ObjectRestore:Completed");
      }
      if (restore.announced === "completed" && restore.expiresAt <= now) {
        rows.setRestore(key, versionId, null);
        this.announce(key, versionId, "ObjectRestore:Delete");
        continue;
      }
      next = Math.min(next ?? Number.POSITIVE_INFINITY, nextStep(restore));
    }
    if (next !== undefined) await alarmBy(this.storage, next);
  }
}

function nextStep(restore: RestoreState): number {
  return restore.announced ? restore.expiresAt : restore.readyAt;
}

/** Sets the object's one alarm to `at` unless it rings sooner already. */
export async function alarmBy(storage: DurableObjectStorage, at: number): Promise<void> {
  const current = await storage.getAlarm();
  if (current === null || current > at) await storage.setAlarm(at);
}
