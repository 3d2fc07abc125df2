/** Rendezvous placement: a pure function of the blob id and the node names. */
import { describe, expect, it } from "vitest";
import { rankNodes } from "../../workers/storage-service/src/placement";

const names = (n: number) => Array.from({ length: n }, (_, i) => `node-${i}`);
/** The ranking of one id over five nodes, as this hash gives it: changing the hash changes it. */
const PINNED = ["node-2", "node-4", "node-1", "node-0", "node-3"];
const ids = Array.from({ length: 3000 }, (_, i) => `blob-${i}-${(i * 2654435761) >>> 0}`);

describe("placement", () => {
  it("placement › ranks every node once, the same way in every process", () => {
    const ranked = rankNodes("0b6f1c1e-3a52-4c1e-9d8e-5f2a7b3c9d10", names(5));
    expect([...ranked].sort()).toEqual(names(5));
    // Pinned: placement must not depend on anything but its inputs (no seed, no process state).
    expect(ranked).toEqual(PINNED);
    expect(rankNodes("0b6f1c1e-3a52-4c1e-9d8e-5f2a7b3c9d10", [...names(5)].reverse())).toEqual(PINNED);
  });

  it("placement › spreads first choices and replica pairs evenly", () => {
    const firsts = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const id of ids) {
      const [a, b] = rankNodes(id, names(3));
      firsts.set(a!, (firsts.get(a!) ?? 0) + 1);
      const pair = [a, b].sort().join("+");
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    expect(firsts.size).toBe(3);
    expect(pairs.size).toBe(3);
    for (const count of [...firsts.values(), ...pairs.values()]) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it("placement › a node added moves only the blobs it now ranks first, and keeps the others' order", () => {
    let moved = 0;
    for (const id of ids) {
      const before = rankNodes(id, names(3));
      const after = rankNodes(id, names(4));
      expect(after.filter((name) => name !== "node-3")).toEqual(before);
      if (after[0] !== before[0]) moved++;
    }
    expect(Math.abs(moved - ids.length / 4)).toBeLessThan(120);
  });
});
