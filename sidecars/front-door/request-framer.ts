/**
 * Finds the request boundaries in the byte stream a client sends on one connection, so the
 * front door can forward the bytes untouched and still act on each request head (answer
 * `Expect: 100-continue`, keep `.`/`..` path segments, set its own headers). It reads heads
 * and body framing only (RFC 9112 §6: Transfer-Encoding chunked, else Content-Length, else
 * no body); bodies pass through as they are, chunk framing included.
 */

/** A head larger than this is refused, as most servers do (431). */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CRLF_CRLF = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

/**
 * Headers set on every head, by lower-case name, replacing any of those names the client
 * sent (an undefined value only removes them). Values must hold no CR or LF.
 */
export type HeadTags = Record<string, string | undefined>;

export type FramerEvent =
  | { kind: "head"; bytes: Buffer; expectContinue: boolean }
  | { kind: "body"; bytes: Buffer };

export class FramingError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type State = "head" | "fixed" | "chunk-size" | "chunk-data" | "chunk-end" | "trailer";

export class RequestFramer {
  private state: State = "head";
  /** bytes of an unfinished head or line */
  private held: Buffer = Buffer.alloc(0);
  /** body bytes left in a Content-Length body or the current chunk */
  private remaining = 0;
  /** the tags' header lines, each ending in CRLF, built once for the whole connection */
  private readonly tagLines: Buffer;
  private readonly tagNames: ReadonlySet<string>;

  constructor(tags: HeadTags = {}) {
    const entries = Object.entries(tags);
    this.tagNames = new Set(entries.map(([name]) => name));
    this.tagLines = Buffer.from(entries.map(([name, value]) => (value === undefined ? "" : `${name}: ${value}\r\n`)).join(""), "latin1");
  }

  /** Consumes bytes; returns what they hold, in order. Throws FramingError on a bad request. */
  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    let data = chunk;
    while (data.length > 0) {
      if (this.state === "head") {
        data = this.readHead(data, events);
      } else if (this.state === "fixed" || this.state === "chunk-data") {
        const take = Math.min(this.remaining, data.length);
        events.push({ kind: "body", bytes: data.subarray(0, take) });
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.state = this.state === "fixed" ? "head" : "chunk-end";
      } else {
        data = this.readBodyLine(data, events);
      }
    }
    return events;
  }

  private readHead(data: Buffer, events: FramerEvent[]): Buffer {
    const searchFrom = Math.max(0, this.held.length - 3);
    const buffered = this.held.length > 0 ? Buffer.concat([this.held, data]) : data;
    const end = buffered.indexOf(CRLF_CRLF, searchFrom);
    if (end < 0) {
      if (buffered.length > MAX_HEAD_BYTES) throw new FramingError(431, "request head too large");
      this.held = Buffer.from(buffered);
      return Buffer.alloc(0);
    }
    this.held = Buffer.alloc(0);
    const headLength = end + 4;
    events.push(this.parseHead(buffered.subarray(0, headLength)));
    return buffered.subarray(headLength);
  }

  private parseHead(raw: Buffer): FramerEvent {
    const text = raw.toString("latin1");
    const lines = text.slice(0, -4).split("\r\n");
    const requestLine = lines[0] ?? "";
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
    if (!match) throw new FramingError(400, "malformed request line");
    let contentLength: number | undefined;
    let chunked = false;
    let expectContinue = false;
    /** lines of headers the client may not set, dropped from the head */
    const dropped: number[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) throw new FramingError(400, "malformed header line");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") {
        if (!/^\d+$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) {
          throw new FramingError(400, "bad Content-Length");
        }
        contentLength = Number(value);
      } else if (name === "transfer-encoding") {
        const codings = value.toLowerCase().split(",").map((c) => c.trim());
        if (codings[codings.length - 1] !== "chunked") throw new FramingError(400, "Transfer-Encoding without chunked");
        chunked = true;
      } else if (name === "expect") {
        expectContinue = value.toLowerCase() === "100-continue";
      } else if (this.tagNames.has(name)) {
        dropped.push(i);
      }
    }
    if (chunked) this.state = "chunk-size";
    else if (contentLength) {
      this.state = "fixed";
      this.remaining = contentLength;
    }
    return { kind: "head", bytes: this.rewriteHead(raw, lines, match[1]!, match[2]!, dropped), expectContinue };
  }

  /**
   * The head as forwarded: the tags added after the client's headers. Usually that is one
   * copy of the raw bytes; the head is rebuilt from its lines only when its target has dot
   * segments or it carries headers the client may not set.
   */
  private rewriteHead(raw: Buffer, lines: string[], method: string, target: string, dropped: number[]): Buffer {
    const kept = keepDotSegments(target);
    if (kept === target && dropped.length === 0) {
      return this.tagLines.length === 0 ? raw : Buffer.concat([raw.subarray(0, raw.length - 2), this.tagLines, CRLF]);
    }
    const requestLine = `${method} ${kept}${lines[0]!.slice(method.length + 1 + target.length)}`;
    const headerLines = lines.slice(1).filter((_, i) => !dropped.includes(i + 1));
    const head = [requestLine, ...headerLines].map((line) => `${line}\r\n`).join("");
    return Buffer.concat([Buffer.from(head, "latin1"), this.tagLines, CRLF]);
  }

  /** chunk-size, chunk-end and trailer lines of a chunked body, forwarded as they are. */
  private readBodyLine(data: Buffer, events: FramerEvent[]): Buffer {
    const lf = data.indexOf(0x0a);
    if (lf < 0) {
      if (this.held.length + data.length > MAX_LINE_BYTES) throw new FramingError(400, "chunk line too long");
      this.held = Buffer.concat([this.held, data]);
      events.push({ kind: "body", bytes: data });
      return Buffer.alloc(0);
    }
    events.push({ kind: "body", bytes: data.subarray(0, lf + 1) });
    const line = Buffer.concat([this.held, data.subarray(0, lf + 1)]).toString("latin1").replace(/\r?\n$/, "");
    this.held = Buffer.alloc(0);
    if (this.state === "chunk-size") {
      const size = Number.parseInt(line.split(";")[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new FramingError(400, "bad chunk size");
      if (size === 0) this.state = "trailer";
      else {
        this.state = "chunk-data";
        this.remaining = size;
      }
    } else if (this.state === "chunk-end") {
      if (line !== "") throw new FramingError(400, "chunk data not followed by CRLF");
      this.state = "chunk-size";
    } else if (line === "") {
      this.state = "head"; // the empty line ends the trailer section
    }
    return data.subarray(lf + 1);
  }
}

/**
 * The request target with `.` and `..` path segments percent-encoded. In S3 they are part of
 * the key; workerd would resolve them away. The gateway reads `%2E` as the dot it is, and
 * SigV4 canonicalises it back to `.`.
 */
export function keepDotSegments(target: string): string {
  const queryAt = target.indexOf("?");
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (!path.includes("/.")) return target;
  const encoded = path
    .split("/")
    .map((segment) => (segment === "." ? "%2E" : segment === ".." ? "%2E%2E" : segment))
    .join("/");
  return queryAt < 0 ? encoded : encoded + target.slice(queryAt);
}
