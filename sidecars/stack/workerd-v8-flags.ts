/**
 * V8 flags for workerd (MOCKS3_WORKERD_V8_FLAGS, space-separated, replacing the default below),
 * e.g. to try heap settings. workerd takes V8 flags only in its config (`Config.v8Flags`,
 * workerd.capnp), which Miniflare builds and never sets. So the config is amended on its way
 * in: Miniflare writes it to workerd's stdin as one unpacked Cap'n Proto message, and
 * `withV8Flags` sets the root struct's v8Flags pointer to a list of texts appended to the
 * message's one segment.
 *
 * The default caps each isolate's semi-spaces at 4 MiB (V8's own cap is 16 MiB). Each busy
 * isolate's young generation otherwise grows to tens of MiB of request garbage; smaller
 * semi-spaces also fit the caches better. Measured in the bench, same machine, one after
 * another — 3 minutes of mixed S3 load (`--soak-minutes 3`): 4 MiB 496 → 649 MiB (flat over
 * the last minute) at 2,078 ops/s, V8's default 556 → 718 MiB at 1,920 ops/s; 10,000 rules
 * added: workerd +111 MiB against +148 MiB. Smaller is worse: at 2 MiB (and at 1 MiB) request
 * garbage is promoted to the old generation so fast that workerd runs away (536 → 1,469 MiB
 * in 3 minutes).
 */
import childProcess, { type ChildProcess } from "node:child_process";

export const WORKERD_V8_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/** MOCKS3_WORKERD_V8_FLAGS, space-separated, replaces the default flags (empty: none). */
export function workerdV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  const text = env.MOCKS3_WORKERD_V8_FLAGS;
  if (text === undefined) return [...WORKERD_V8_FLAGS];
  const flags = text.split(/\s+/).filter(Boolean);
  const bad = flags.find((flag) => !/^--[a-z0-9_-]+(=\S+)?$/i.test(flag));
  if (bad) throw new Error(`MOCKS3_WORKERD_V8_FLAGS holds ${JSON.stringify(bad)}, which is not a V8 flag (--name or --name=value)`);
  return flags;
}

/** Config's pointer fields: services @0, sockets @1, v8Flags @2 (workerd.capnp) */
const V8_FLAGS_POINTER = 2;
const WORD = 8;

/**
 * Makes every workerd that Miniflare starts from now on (`serve --binary`, config on stdin)
 * run with `flags`. Returns the undo.
 */
export function passV8FlagsToWorkerd(flags: readonly string[] = workerdV8Flags()): () => void {
  // no flags (MOCKS3_WORKERD_V8_FLAGS set empty): Miniflare's spawn is left as it is
  if (flags.length === 0) return () => {};
  const spawn = childProcess.spawn;
  const patched = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) => {
    const child: ChildProcess = spawn(command, args, options);
    if (Array.isArray(args) && args[0] === "serve" && args.includes("--binary") && child.stdin) {
      const stdin = child.stdin;
      const write = stdin.write.bind(stdin) as (chunk: unknown, ...rest: unknown[]) => boolean;
      let first = true;
      stdin.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (first && Buffer.isBuffer(chunk)) {
          first = false;
          return write(withV8Flags(chunk, flags), ...rest);
        }
        return write(chunk, ...rest);
      }) as typeof stdin.write;
    }
    return child;
  }) as typeof childProcess.spawn;
  childProcess.spawn = patched;
  return () => {
    if (childProcess.spawn === patched) childProcess.spawn = spawn;
  };
}

/**
 * The config message with v8Flags set. It must be a single-segment message whose root
 * struct has the v8Flags pointer and leaves it null; anything else is passed on unchanged.
 */
export function withV8Flags(message: Buffer, flags: readonly string[]): Buffer {
  if (flags.length === 0 || message.length < 16 || message.readUInt32LE(0) !== 0) return message;
  const segmentWords = message.readUInt32LE(4);
  const segment = 8; // byte offset of the segment: the table is 8 bytes for one segment
  if (segment + segmentWords * WORD !== message.length) return message;
  const root = message.readBigUInt64LE(segment);
  if ((root & 3n) !== 0n) return message;
  const offset = signed30(Number((root >> 2n) & 0x3fffffffn));
  const dataWords = Number((root >> 32n) & 0xffffn);
  const pointerCount = Number((root >> 48n) & 0xffffn);
  if (pointerCount <= V8_FLAGS_POINTER) return message;
  const slot = 1 + offset + dataWords + V8_FLAGS_POINTER; // word index in the segment
  if (message.readBigUInt64LE(segment + slot * WORD) !== 0n) return message;

  // appended: the list of pointers, then each text (NUL-terminated, padded to a word)
  const texts = flags.map((flag) => Buffer.from(`${flag}\0`, "utf8"));
  const textWords = texts.map((text) => Math.ceil(text.length / WORD));
  const added = Buffer.alloc((flags.length + textWords.reduce((a, b) => a + b, 0)) * WORD);
  const list = segmentWords; // word index of the list
  let next = list + flags.length;
  texts.forEach((text, i) => {
    const element = list + i;
    added.writeBigUInt64LE(listPointer(next - (element + 1), 2, text.length), i * WORD);
    text.copy(added, (next - segmentWords) * WORD);
    next += textWords[i]!;
  });
  const amended = Buffer.concat([message, added]);
  amended.writeUInt32LE(segmentWords + added.length / WORD, 4);
  amended.writeBigUInt64LE(listPointer(list - (slot + 1), 6, flags.length), segment + slot * WORD);
  return amended;
}

/** A list pointer: offset in words from the end of the pointer, element size code, count. */
function listPointer(offset: number, elementSize: number, count: number): bigint {
  const low = (BigInt(offset & 0x3fffffff) << 2n) | 1n;
  const high = (BigInt(count) << 3n) | BigInt(elementSize);
  return (high << 32n) | low;
}

function signed30(value: number): number {
  return value & 0x20000000 ? value - 0x40000000 : value;
}
