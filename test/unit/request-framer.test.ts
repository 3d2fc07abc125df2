import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { BODY_DIGEST_HEADER, BODY_DIGEST_MIN_BYTES } from "../../shared/front-door-protocol";
import { BodyDigestTable } from "../../sidecars/front-door/body-digests";
import { FramingError, RequestFramer, keepDotSegments, type FramerEvent, type HeadTags } from "../../sidecars/front-door/request-framer";

/** Feeds `input` in pieces of `size` bytes; returns the heads and the concatenated stream. */
function feed(input: string, size: number, tags?: HeadTags) {
  const framer = new RequestFramer(tags);
  const events: FramerEvent[] = [];
  const bytes = Buffer.from(input, "latin1");
  for (let i = 0; i < bytes.length; i += size) events.push(...framer.push(bytes.subarray(i, i + size)));
  return {
    heads: events.filter((e) => e.kind === "head").map((e) => ({ text: e.bytes.toString("latin1"), expectContinue: e.kind === "head" && e.expectContinue })),
    forwarded: Buffer.concat(events.map((e) => e.bytes)).toString("latin1"),
  };
}

const GET = "GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n";
const PUT = "PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello";
const CHUNKED = "PUT /b/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n3\r\n!!!\r\n0\r\nx-trailer: 1\r\n\r\n";

describe("front door request framing", () => {
  it.each([1, 2, 7, 64, 4096])("framer › finds every head in a keep-alive stream cut into %i-byte pieces", (size) => {
    const stream = GET + PUT + CHUNKED + GET;
    const { heads, forwarded } = feed(stream, size);
    expect(heads.map((h) => h.text.split("\r\n")[0])).toEqual(["GET /b/k HTTP/1.1", "PUT /b/k HTTP/1.1", "PUT /b/c HTTP/1.1", "GET /b/k HTTP/1.1"]);
    expect(heads.map((h) => h.expectContinue)).toEqual([false, true, false, false]);
    expect(forwarded).toBe(stream);
  });

  it("framer › a body that looks like a request head is body, not a request", () => {
    const sneaky = `PUT /b/k HTTP/1.1\r\nContent-Length: 30\r\n\r\nGET /x HTTP/1.1\r\nHost: y\r\n\r\n${GET}`;
    expect(feed(sneaky, 3).heads).toHaveLength(2);
  });

  it("framer › rewrites only exact dot segments of the path", () => {
    const { heads, forwarded } = feed("GET /b/./x/../y/.z/..a?q=/./ HTTP/1.1\r\nHost: x\r\n\r\n", 5);
    expect(heads[0]!.text.split("\r\n")[0]).toBe("GET /b/%2E/x/%2E%2E/y/.z/..a?q=/./ HTTP/1.1");
    expect(forwarded).toContain("Host: x\r\n\r\n");
    expect(keepDotSegments("/plain/key")).toBe("/plain/key");
  });

  const TAGS = { "x-mocks3-connection": "c1-7", "x-mocks3-client-address": "10.1.2.3" };
  const TAG_LINES = "x-mocks3-connection: c1-7\r\nx-mocks3-client-address: 10.1.2.3\r\n";

  it.each([1, 5, 4096])("framer › adds the tags to every head, and nothing else changes (%i-byte pieces)", (size) => {
    const { heads, forwarded } = feed(GET + PUT + CHUNKED, size, TAGS);
    expect(heads.map((h) => h.text)).toEqual([
      `GET /b/k HTTP/1.1\r\nHost: x\r\n${TAG_LINES}\r\n`,
      `PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n${TAG_LINES}\r\n`,
      `PUT /b/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n${TAG_LINES}\r\n`,
    ]);
    expect(forwarded).toBe(`${heads[0]!.text + heads[1]!.text}hello${heads[2]!.text}${CHUNKED.slice(CHUNKED.indexOf("\r\n\r\n") + 4)}`);
  });

  it("framer › removes the tag headers a client sends, whatever their case, before adding its own", () => {
    const spoofed = "GET /b/./k HTTP/1.1\r\nX-Mocks3-Connection: theirs\r\nHost: x\r\nX-MOCKS3-CLIENT-ADDRESS:6.6.6.6\r\nx-mocks3-other: kept\r\n\r\n";
    const { heads } = feed(spoofed + GET, 3, TAGS);
    expect(heads[0]!.text).toBe(`GET /b/%2E/k HTTP/1.1\r\nHost: x\r\nx-mocks3-other: kept\r\n${TAG_LINES}\r\n`);
    expect(heads[1]!.text).toBe(`GET /b/k HTTP/1.1\r\nHost: x\r\n${TAG_LINES}\r\n`);
  });

  it("framer › a tag without a value only removes the client's header", () => {
    const { heads } = feed("GET /b/k HTTP/1.1\r\nHost: x\r\nx-mocks3-client-address: 6.6.6.6\r\n\r\n", 4096, { "x-mocks3-client-address": undefined });
    expect(heads[0]!.text).toBe("GET /b/k HTTP/1.1\r\nHost: x\r\n\r\n");
  });

  it.each([
    ["a malformed request line", "NOT HTTP\r\n\r\n", 400],
    ["a space before a header's colon (a tag header slipping past the check)", "GET /b HTTP/1.1\r\nx-mocks3-client-address :6.6.6.6\r\n\r\n", 400],
    ["conflicting Content-Length", "PUT /b HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400],
    ["a non-chunked Transfer-Encoding", "PUT /b HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400],
    ["a head over 64 KiB", `GET /b HTTP/1.1\r\nX-Big: ${"a".repeat(70_000)}`, 431],
  ])("framer › refuses %s", (_name, input, status) => {
    const framer = new RequestFramer();
    let error: unknown;
    try {
      framer.push(Buffer.from(input, "latin1"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FramingError);
    expect((error as FramingError).status).toBe(status);
  });
});

describe("front door body digests", () => {
  const body = Buffer.alloc(BODY_DIGEST_MIN_BYTES + 3, 7);
  const head = (extra: string, length = body.length) => `PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n${extra}\r\n`;

  /** Feeds a head and its body in 64 KiB pieces; returns the forwarded head's ticket, if any. */
  function pass(table: BodyDigestTable, text: string, bytes: Uint8Array = body): string | undefined {
    const framer = new RequestFramer({ [BODY_DIGEST_HEADER]: undefined }, table);
    const input = Buffer.concat([Buffer.from(text, "latin1"), bytes]);
    const events: FramerEvent[] = [];
    for (let i = 0; i < input.length; i += 65536) events.push(...framer.push(input.subarray(i, i + 65536)));
    const forwardedHead = events.find((e) => e.kind === "head")!.bytes.toString("latin1");
    expect(Buffer.concat(events.filter((e) => e.kind === "body").map((e) => e.bytes)).equals(Buffer.from(bytes))).toBe(true);
    return new RegExp(`^${BODY_DIGEST_HEADER}: (.+)\\r$`, "m").exec(forwardedHead)?.[1];
  }

  it("digests › a large PUT body's MD5, SHA-256 and CRC32 are filed under the ticket its head carries, for one taking", () => {
    const table = new BodyDigestTable();
    const sha256 = createHash("sha256").update(body).digest("hex");
    const ticket = pass(table, head(`x-amz-content-sha256: ${sha256}\r\nx-amz-checksum-crc32: AAAAAA==\r\n${BODY_DIGEST_HEADER}: forged\r\n`));
    expect(ticket).toBeDefined();
    expect(ticket).not.toBe("forged");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    expect(table.take(ticket!)).toEqual({ size: body.length, md5: createHash("md5").update(body).digest("base64"), sha256, crc32: crc.toString("base64") });
    expect(table.take(ticket!)).toBeUndefined();
  });

  it("digests › small, aws-chunked, chunked-framed and non-PUT bodies are left to the gateway, and a forged ticket is dropped", () => {
    const table = new BodyDigestTable();
    const small = Buffer.alloc(100);
    expect(pass(table, head(`${BODY_DIGEST_HEADER}: forged\r\n`, small.length), small)).toBeUndefined();
    expect(pass(table, head("x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"))).toBeUndefined();
    expect(pass(table, head("").replace("PUT", "POST"))).toBeUndefined();
    const framed = new RequestFramer({}, table).push(Buffer.from("PUT /b/k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "latin1"));
    expect(framed[0]!.bytes.toString("latin1")).not.toContain(BODY_DIGEST_HEADER);
    expect(table.size).toBe(0);
  });

  it("digests › a body cut short files nothing; reports never taken are dropped after a minute", () => {
    const table = new BodyDigestTable();
    const framer = new RequestFramer({}, table);
    framer.push(Buffer.concat([Buffer.from(head(""), "latin1"), body.subarray(0, 1000)]));
    expect(table.size).toBe(0);
    const now = Date.now();
    const first = pass(table, head(""));
    vi.spyOn(Date, "now").mockReturnValue(now + 61_000);
    try {
      const second = pass(table, head(""));
      expect(table.take(first!)).toBeUndefined();
      expect(table.take(second!)?.size).toBe(body.length);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
