/**
 * A blob's further replicas, made by the stack's Node process from its first rather than
 * written again by workerd: the gateway writes a chunk's file on the first node through the
 * disk service and asks, through the control channel (shared/front-door-protocol.ts), for
 * the chunk on each other node. Writing the second replica on workerd's one JavaScript
 * thread had cost a third of a large upload's speed.
 *
 * The replica is a hard link to the first node's file: the nodes' directories share one
 * filesystem, and a chunk file never changes once in place (every write, repair or copy
 * makes a new file and renames it over the old name), so a node's file is its own name,
 * removed with that node's blob and never with another's, while the bytes are on disk once.
 * Where the filesystem has no hard links the file is copied. Either way the replica appears
 * under a temporary name first and is renamed into place, so a reader never sees half a
 * chunk; one cut short by a crash lies in a blob still "writing", which the node's sweep
 * removes with the blob's directory.
 */
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";

const NAME = /^[\w-]+$/;

export type ReplicaAnswer = "made" | "bad-request" | "no-source";

export async function replicateChunk(blobDir: string, id: string, idx: string, from: string, to: string): Promise<ReplicaAnswer> {
  if (![id, from, to].every((name) => NAME.test(name)) || !/^\d{1,9}$/.test(idx) || from === to) return "bad-request";
  const source = path.join(blobDir, from, id, idx);
  const target = path.join(blobDir, to, id, idx);
  const temporary = `${target}.${randomBytes(6).toString("hex")}.replica`;
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await link(source, temporary).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw error;
      return copyFile(source, temporary); // no hard links here (EXDEV, EPERM, …)
    });
    await rename(temporary, target);
    return "made";
  } catch (error) {
    await rm(temporary, { force: true });
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "no-source";
    throw error;
  }
}
