/**
 * The amended workerd config (sidecars/stack/workerd-v8-flags.ts): the root struct's v8Flags
 * pointer set to a list of the flags as Cap'n Proto texts appended to the segment, the rest
 * of the message byte for byte as it was; and messages it cannot amend safely passed on as
 * they are. (Every stack the suite starts runs workerd on the amended config.)
 */
import { describe, expect, it } from "vitest";
import { withV8Flags } from "../../sidecars/stack/workerd-v8-flags";

/** A one-segment message: root pointer, then a struct of 1 data word and 6 pointers (workerd's Config). */
function configMessage(pointers: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n]): Buffer {
  const words = 1 + 1 + pointers.length;
  const message = Buffer.alloc(8 + words * 8);
  message.writeUInt32LE(0, 0);
  message.writeUInt32LE(words, 4);
  message.writeBigUInt64LE((1n << 32n) | (BigInt(pointers.length) << 48n), 8); // struct at offset 0
  message.writeBigUInt64LE(0x1234n, 16); // the data word
  for (const [i, p] of pointers.entries()) message.writeBigUInt64LE(p, 24 + i * 8);
  return message;
}

/** The texts of the list the root struct's pointer `index` points to. */
function textsAt(message: Buffer, index: number): string[] {
  const word = (i: number) => message.readBigUInt64LE(8 + i * 8);
  const slot = 2 + 1 + index - 1; // root pointer, data word, then pointers
  const pointer = word(slot);
  expect(pointer & 3n).toBe(1n);
  expect((pointer >> 32n) & 7n).toBe(6n); // a list of pointers
  const start = slot + 1 + Number((pointer >> 2n) & 0x3fffffffn);
  const count = Number(pointer >> 35n);
  return Array.from({ length: count }, (_, i) => {
    const element = word(start + i);
    expect(element & 3n).toBe(1n);
    expect((element >> 32n) & 7n).toBe(2n); // bytes
    const at = start + i + 1 + Number((element >> 2n) & 0x3fffffffn);
    const length = Number(element >> 35n);
    const bytes = message.subarray(8 + at * 8, 8 + at * 8 + length);
    expect(bytes[length - 1]).toBe(0);
    return bytes.subarray(0, length - 1).toString();
  });
}

describe("workerd's V8 flags", () => {
  it("sets v8Flags to the flags, keeping every other byte of the message", () => {
    const original = configMessage();
    const amended = withV8Flags(original, ["--max-semi-space-size=1", "--a-longer-flag=with-a-value"]);
    expect(textsAt(amended, 2)).toEqual(["--max-semi-space-size=1", "--a-longer-flag=with-a-value"]);
    expect(amended.readUInt32LE(4)).toBe((amended.length - 8) / 8);
    const unchanged = Buffer.from(amended.subarray(0, original.length));
    unchanged.writeBigUInt64LE(0n, 8 + 4 * 8); // the v8Flags pointer was the only change
    unchanged.writeUInt32LE(original.readUInt32LE(4), 4);
    expect(unchanged.equals(original)).toBe(true);
  });

  it("leaves alone a message it cannot amend safely: flags already set, several segments, too few pointers", () => {
    const set = configMessage([0n, 0n, 5n, 0n, 0n, 0n]);
    expect(withV8Flags(set, ["--x"])).toBe(set);
    const twoSegments = Buffer.concat([configMessage(), Buffer.alloc(8)]);
    twoSegments.writeUInt32LE(1, 0);
    expect(withV8Flags(twoSegments, ["--x"])).toBe(twoSegments);
    const small = configMessage([0n, 0n]);
    expect(withV8Flags(small, ["--x"])).toBe(small);
    expect(withV8Flags(configMessage(), [])).toEqual(configMessage());
  });
});
