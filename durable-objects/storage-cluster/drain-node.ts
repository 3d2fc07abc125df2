/**
 * Carries out one node's backlog, oldest first: its missed releases in one call, then each
 * discard and repair. A node found down has its tasks parked until it is marked up; a node
 * that fails a call has them retried later, backing off; a repair whose sources cannot be
 * reached (all down) likewise.
 */
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { StorageNodeDO } from "../storage-node/storage-node-do";
import { PARKED, tasks } from "./schema";

/** Tasks per round; also the ids bound in one statement (Durable Object SQLite allows 100). */
const BATCH = 50;
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 60_000;

type Task = typeof tasks.$inferSelect;

export async function drainNode(db: DrizzleSqliteDODatabase, node: DurableObjectStub<StorageNodeDO>, name: string): Promise<void> {
  try {
    if ((await node.report()).down) {
      db.update(tasks).set({ notBefore: PARKED }).where(eq(tasks.node, name)).run();
      return;
    }
    for (let batch = due(db, name); batch.length > 0; batch = due(db, name)) await carryOut(db, node, batch);
  } catch {
    // The node failed a call (marked down meanwhile, or broken): its due tasks wait.
    for (const task of due(db, name)) backOff(db, task);
  }
}

function due(db: DrizzleSqliteDODatabase, name: string): Task[] {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.node, name), lte(tasks.notBefore, Date.now())))
    .orderBy(asc(tasks.id))
    .limit(BATCH)
    .all();
}

async function carryOut(db: DrizzleSqliteDODatabase, node: DurableObjectStub<StorageNodeDO>, batch: Task[]): Promise<void> {
  const releases = batch.filter((t) => t.kind === "release");
  if (releases.length > 0) {
    await node.release(releases.map((t) => t.blobId));
    db.delete(tasks)
      .where(
        inArray(
          tasks.id,
          releases.map((t) => t.id),
        ),
      )
      .run();
  }
  for (const task of batch) {
    if (task.kind === "discard") await node.discard(task.blobId);
    if (task.kind === "repair") {
      const answer = await node.pull(task.blobId, task.size, { id: task.blobId, nodes: task.sources });
      if (answer === "unreachable") {
        backOff(db, task);
        continue;
      }
      // full: this replica is given up (the blob keeps its other copies) and its partial copy
      // removed; gone: the blob was released meanwhile.
      if (answer === "full") {
        await node.discard(task.blobId);
        console.warn(JSON.stringify({ event: "storage.repair_abandoned", node: task.node, blob: task.blobId, reason: "node full" }));
      }
    }
    if (task.kind !== "release") db.delete(tasks).where(eq(tasks.id, task.id)).run();
  }
}

function backOff(db: DrizzleSqliteDODatabase, task: Task): void {
  const delay = Math.min(FIRST_RETRY_MS * 2 ** task.attempts, LAST_RETRY_MS);
  db.update(tasks)
    .set({ attempts: task.attempts + 1, notBefore: Date.now() + delay })
    .where(eq(tasks.id, task.id))
    .run();
}
