/**
 * The storage cluster (one Durable Object, named "cluster"): marks storage nodes down and up,
 * and keeps the backlog of work a node missed — replicas to repair, releases and discards it
 * could not take — carrying it out from its alarm once the node is up again.
 *
 * storage-service calls it only when something failed or changes (a node refused a call, the
 * node API was used, /health): the object GET/PUT happy path never does. Each node keeps its
 * own down flag (see StorageNodeDO), so this object holds no second copy of it to disagree
 * with; the alarm asks a node before working on its tasks, and parks them while it is down.
 */
import { and, eq, lt, lte, or, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { openDatabase } from "../../shared/durable-database";
import type { NodeReport } from "../storage-node/storage-node-do";
import { drainNode } from "./drain-node";
import migrations from "./drizzle/migrations.js";
import { PARKED, tasks } from "./schema";
import { TracedDurableObject } from "../traced-object";

/** A new task waits this long, so that one alarm takes the tasks of a burst together. */
const RECORD_DELAY_MS = 500;

export type BacklogTask = { kind: "repair"; node: string; blobId: string; size: number; sources: string[] } | { kind: "release" | "discard"; node: string; blobId: string };

export class StorageClusterDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "storage-service";

  private readonly db: DrizzleSqliteDODatabase;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
  }

  /**
   * Marks a node down or up. A node coming up gets its backlog carried out at once, and so do
   * repairs backing off elsewhere: they may have been waiting for this node as their source.
   */
  async setNodeDown(name: string, down: boolean): Promise<NodeReport> {
    const report = await this.env.STORAGE_NODE.getByName(name).setDown(down);
    if (!down) {
      const now = Date.now();
      this.db
        .update(tasks)
        .set({ notBefore: now, attempts: 0 })
        .where(or(eq(tasks.node, name), lt(tasks.notBefore, PARKED)))
        .run();
      await this.scheduleAlarm(now);
    }
    return report;
  }

  /**
   * Records work nodes missed. A release or discard makes a pending repair of the same blob
   * on the same node pointless: the repair is dropped.
   */
  async record(list: BacklogTask[]): Promise<void> {
    if (list.length === 0) return;
    const notBefore = Date.now() + RECORD_DELAY_MS;
    this.ctx.storage.transactionSync(() => {
      for (const task of list) {
        if (task.kind !== "repair") {
          this.db
            .delete(tasks)
            .where(and(eq(tasks.blobId, task.blobId), eq(tasks.node, task.node), eq(tasks.kind, "repair")))
            .run();
        }
        const { size, sources } = task.kind === "repair" ? task : { size: 0, sources: [] };
        this.db.insert(tasks).values({ node: task.node, kind: task.kind, blobId: task.blobId, size, sources, attempts: 0, notBefore }).run();
      }
    });
    await this.scheduleAlarm(notBefore);
  }

  /** Tasks waiting, per node. */
  backlog(): Record<string, number> {
    const rows = this.db.select({ node: tasks.node, count: sql<number>`count(*)` }).from(tasks).groupBy(tasks.node).all();
    return Object.fromEntries(rows.map((r) => [r.node, r.count]));
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const due = this.db.selectDistinct({ node: tasks.node }).from(tasks).where(lte(tasks.notBefore, now)).all();
    for (const { node } of due) await drainNode(this.db, this.env.STORAGE_NODE.getByName(node), node);
    const next = this.db
      .select({ at: sql<number | null>`min(${tasks.notBefore})` })
      .from(tasks)
      .where(lt(tasks.notBefore, PARKED))
      .get();
    if (next?.at != null) await this.scheduleAlarm(Math.max(next.at, Date.now()));
  }

  /** One alarm serves every timer: it is only ever moved earlier. */
  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
