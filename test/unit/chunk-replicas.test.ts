/**
 * The stack's chunk replicas (sidecars/stack/chunk-replicas.ts), on real files: the other
 * node's file has the first's bytes under its own name, each removable without the other,
 * and nothing but a node's chunk file can be named.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { replicateChunk } from "../../sidecars/stack/chunk-replicas";
import { scratchDir } from "../helpers/scratch-dir";

let blobs: string;
const bytes = Buffer.from("chunk bytes ".repeat(1000));

beforeEach(async () => {
  blobs = await scratchDir("chunk-replicas");
  await mkdir(path.join(blobs, "node-0", "blob-a"), { recursive: true });
  await writeFile(path.join(blobs, "node-0", "blob-a", "3"), bytes);
});

describe("chunk replicas", () => {
  it("replicas › the other node gets the chunk under its own name, and either can be removed alone", async () => {
    expect(await replicateChunk(blobs, "blob-a", "3", "node-0", "node-1")).toBe("made");
    const replica = path.join(blobs, "node-1", "blob-a", "3");
    expect((await readFile(replica)).equals(bytes)).toBe(true);
    expect(await readdir(path.join(blobs, "node-1", "blob-a"))).toEqual(["3"]); // no temporary name left
    // a hard link where the filesystem has them: the bytes are on disk once
    expect((await stat(replica)).ino).toBe((await stat(path.join(blobs, "node-0", "blob-a", "3"))).ino);
    await rm(path.join(blobs, "node-0", "blob-a"), { recursive: true });
    expect((await readFile(replica)).equals(bytes)).toBe(true);
  });

  it("replicas › a chunk made again replaces the old replica whole", async () => {
    await replicateChunk(blobs, "blob-a", "3", "node-0", "node-1");
    const newer = Buffer.from("newer bytes");
    await rm(path.join(blobs, "node-0", "blob-a", "3"));
    await writeFile(path.join(blobs, "node-0", "blob-a", "3"), newer);
    expect(await replicateChunk(blobs, "blob-a", "3", "node-0", "node-1")).toBe("made");
    expect((await readFile(path.join(blobs, "node-1", "blob-a", "3"))).equals(newer)).toBe(true);
  });

  it("replicas › a missing source is no-source and leaves nothing; names outside the nodes' chunks are refused", async () => {
    expect(await replicateChunk(blobs, "blob-b", "0", "node-0", "node-1")).toBe("no-source");
    expect(await readdir(path.join(blobs, "node-1", "blob-b"))).toEqual([]);
    for (const [id, idx, from, to] of [
      ["..", "3", "node-0", "node-1"],
      ["blob-a", "../3", "node-0", "node-1"],
      ["blob-a", "3", "node-0", "../etc"],
      ["blob-a", "3", "node-0", "node-0"],
      ["blob-a", "x", "node-0", "node-1"],
    ]) {
      expect(await replicateChunk(blobs, id!, idx!, from!, to!)).toBe("bad-request");
    }
  });
});
