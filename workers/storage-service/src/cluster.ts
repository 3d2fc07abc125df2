/**
 * What storage-service works with: the settings, the storage nodes by name, and the cluster
 * Durable Object, which hears only of what failed (see StorageClusterDO).
 */
import type { BacklogTask } from "../../../durable-objects/storage-cluster/storage-cluster-do";
import { nodeNames, storageSettings, type StorageSettings } from "../../../shared/storage-settings";
import { rankNodes } from "./placement";

export type { BacklogTask };

/** A node call's answer, with "down" for a node that threw: marked down, or failing. */
export type Answer<T> = T | "down";

export class Cluster {
  readonly settings: StorageSettings;
  readonly names: string[];

  constructor(private readonly env: StorageEnv) {
    this.settings = storageSettings(env);
    this.names = nodeNames(this.settings);
  }

  node(name: string) {
    return this.env.STORAGE_NODE.getByName(name);
  }

  control() {
    return this.env.STORAGE_CLUSTER.getByName("cluster");
  }

  /** Every node in this blob's hash order. */
  ranked(id: string): string[] {
    return rankNodes(id, this.names);
  }

  /** `preferred` first, then every other node in the blob's hash order. */
  orderFor(id: string, preferred: string[]): string[] {
    return [...preferred, ...this.ranked(id).filter((name) => !preferred.includes(name))];
  }

  /** Calls a node, turning a throw into "down": the caller decides what a missing answer means. */
  async ask<T>(call: () => Promise<T>): Promise<Answer<T>> {
    try {
      return await call();
    } catch {
      return "down";
    }
  }

  /**
   * Hands work a node missed to the cluster's backlog. Losing it would lose a repair or
   * orphan bytes, but failing the S3 request for it would be worse: a failure is logged.
   */
  async record(tasks: BacklogTask[]): Promise<void> {
    if (tasks.length === 0) return;
    try {
      await this.control().record(tasks);
    } catch (error) {
      console.error(JSON.stringify({ event: "storage.backlog_lost", tasks: tasks.length, error: String(error) }));
    }
  }
}
