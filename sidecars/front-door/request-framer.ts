/**
 * Finds the request boundaries in the byte stream a client sends on one connection, so the
 * front door can forward the bytes untouched and still act on each request head (answer
 * `Expect: 100-continue`, keep `.`/`..` path segments, set its own headers). It reads heads
 * and body framing only (RFC 9112 §6: Transfer-Encoding chunked, else Content-Length, else
 * no body); bodies pass through as they are, chunk framing included.
 *
 * It is strict where a lenient reading could make the front door and workerd disagree about
 * where a request ends (request smuggling): lines end in CRLF only, no obsolete line folding,
 * no space before a header's colon, Transfer-Encoding exactly `chunked`, once, never beside
 * Content-Length nor in HTTP/1.0, chunk sizes plain hex digits. Anything else is refused
 * with 400 (framing-errors.ts), as S3 refuses it, before a byte of it is forwarded.
 *
 * Given a BodyDigestTable, it also hashes the large PUT bodies the table asks for as they
 * pass, and tags their heads with the ticket of their digests (body-digests.ts).
 */
import { BODY_DIGEST_HEADER } from "../../shared/front-door-protocol";
import type { BodyDigest, BodyDigestTable } from "./body-digests";
import { FramingError } from "./framing-errors";

export { FramingError } from "./framing-errors";

/** A head larger than this is refused, as most servers do (431). */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
/** S3's largest single upload (PutObject, UploadPart): a larger Content-Length is refused before its body. */
export const MAX_BODY_BYTES = 5 * 1024 ** 3;
const CRLF_CRLF = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const LF = 0x0a;
const CR = 0x0d;
const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** 1*HEXDIG, then chunk extensions; 13 digits at most keeps the size an exact number */
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Headers set on every head, by lower-case name, replacing any of those names the client
 * sent (an undefined value only removes them). Values must hold no CR or LF.
 */
export type HeadTags = Record<string, string | undefined>;

export type FramerEvent = { kind: "head"; bytes: Buffer; method: string; expectContinue: boolean; close: boolean } | { kind: "body"; bytes: Buffer };

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
  /** the digests of the fixed-length body being passed, when it is one the table wants */
  private digest: BodyDigest | undefined;

  constructor(
    tags: HeadTags = {},
    private readonly digests?: BodyDigestTable,
  ) {
    const entries = Object.entries(tags);
    this.tagNames = new Set(entries.map(([name]) => name));
    this.tagLines = Buffer.from(entries.map(([name, value]) => (value === undefined ? "" : `${name}: ${value}\r\n`)).join(""), "latin1");
  }

  /** Whether a request has begun and not ended: part of a head, or a body not all sent. */
  get midRequest(): boolean {
    return this.state !== "head" || this.held.length > 0;
  }

  /** Whether a request has begun but its head has not all come. */
  get inHead(): boolean {
    return this.state === "head" && this.held.length > 0;
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
        const bytes = data.subarray(0, take);
        this.digest?.update(bytes);
        events.push({ kind: "body", bytes });
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) {
          this.digest?.end();
          this.digest = undefined;
          this.state = this.state === "fixed" ? "head" : "chunk-end";
        }
      } else {
        data = this.readBodyLine(data, events);
      }
    }
    return events;
  }

  private readHead(data: Buffer, events: FramerEvent[]): Buffer {
    // empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a CRLF after a body
    while (this.held.length === 0 && data.length >= 2 && data[0] === CR && data[1] === LF) data = data.subarray(2);
    if (data.length === 0) return data;
    const searchFrom = Math.max(0, this.held.length - 3);
    const buffered = this.held.length > 0 ? Buffer.concat([this.held, data]) : data;
    const end = buffered.indexOf(CRLF_CRLF, searchFrom);
    // a head with bare LFs never ends in CRLF CRLF: refused at once, not after a timeout
    checkLineEnds(buffered, Math.max(0, this.held.length - 1), end < 0 ? buffered.length : end + 4);
    if (end < 0) {
      if (buffered.length > MAX_HEAD_BYTES) throw new FramingError(431, "request head too large", "RequestHeaderSectionTooLarge");
      this.held = Buffer.from(buffered);
      return Buffer.alloc(0);
    }
    this.held = Buffer.alloc(0);
    const headLength = end + 4;
    if (headLength > MAX_HEAD_BYTES) throw new FramingError(431, "request head too large", "RequestHeaderSectionTooLarge");
    events.push(this.parseHead(buffered.subarray(0, headLength)));
    return buffered.subarray(headLength);
  }

  private parseHead(raw: Buffer): FramerEvent {
    const text = raw.toString("latin1");
    const lines = text.slice(0, -4).split("\r\n");
    const match = REQUEST_LINE.exec(lines[0] ?? "");
    if (!match) throw new FramingError(400, "malformed request line");
    const [, method, target, minor] = match as unknown as [string, string, string, string];
    let contentLength: number | undefined;
    let chunked = false;
    let expectContinue = false;
    let connection = "";
    let payloadHash: string | undefined;
    let crc32 = false;
    /** lines of headers the client may not set, dropped from the head */
    const dropped: number[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith(" ") || line.startsWith("\t")) throw new FramingError(400, "obsolete line folding in the request head");
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon).toLowerCase() : "";
      if (!TOKEN.test(name)) throw new FramingError(400, "malformed header line");
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") {
        contentLength = checkedLength(value, contentLength);
      } else if (name === "transfer-encoding") {
        if (chunked) throw new FramingError(400, "Transfer-Encoding given more than once");
        if (value.toLowerCase() !== "chunked") throw new FramingError(400, `Transfer-Encoding ${JSON.stringify(value)} is not supported: only chunked`);
        chunked = true;
      } else if (name === "expect") {
        expectContinue = value.toLowerCase() === "100-continue";
      } else if (name === "connection") {
        connection += `,${value.toLowerCase()}`;
      } else if (name === "x-amz-content-sha256") {
        payloadHash = value;
      } else if (name === "x-amz-checksum-crc32") {
        crc32 = true;
      } else if (this.tagNames.has(name)) {
        dropped.push(i);
      }
    }
    if (chunked && contentLength !== undefined) throw new FramingError(400, "Transfer-Encoding and Content-Length together");
    if (chunked && minor === "0") throw new FramingError(400, "Transfer-Encoding in an HTTP/1.0 request");
    const origin = originForm(target);
    if (chunked) this.state = "chunk-size";
    else if (contentLength) {
      this.state = "fixed";
      this.remaining = contentLength;
    }
    const tokens = connection.split(",").map((token) => token.trim());
    const close = tokens.includes("close") || (minor === "0" && !tokens.includes("keep-alive"));
    this.digest = this.digests?.begin({ method, contentLength, chunked, payloadHash, crc32 });
    const extra = this.digest ? `${BODY_DIGEST_HEADER}: ${this.digest.ticket}\r\n` : "";
    return { kind: "head", bytes: this.rewriteHead(raw, lines, method, target, origin, dropped, extra), method, expectContinue, close };
  }

  /**
   * The head as forwarded: the tags (and `extra`, this head's own header lines) added after
   * the client's headers. Usually that is one copy of the raw bytes; the head is rebuilt from
   * its lines only when its target has dot segments or it carries headers the client may not
   * set.
   */
  private rewriteHead(raw: Buffer, lines: string[], method: string, target: string, origin: string, dropped: number[], extra: string): Buffer {
    const kept = keepDotSegments(origin);
    const added = extra ? Buffer.concat([this.tagLines, Buffer.from(extra, "latin1")]) : this.tagLines;
    if (kept === target && dropped.length === 0) {
      return added.length === 0 ? raw : Buffer.concat([raw.subarray(0, raw.length - 2), added, CRLF]);
    }
    const requestLine = `${method} ${kept}${lines[0]!.slice(method.length + 1 + target.length)}`;
    const headerLines = lines.slice(1).filter((_, i) => !dropped.includes(i + 1));
    const head = [requestLine, ...headerLines].map((line) => `${line}\r\n`).join("");
    return Buffer.concat([Buffer.from(head, "latin1"), added, CRLF]);
  }

  /** chunk-size, chunk-end and trailer lines of a chunked body, forwarded as they are. */
  private readBodyLine(data: Buffer, events: FramerEvent[]): Buffer {
    const lf = data.indexOf(LF);
    if (lf < 0) {
      if (this.held.length + data.length > MAX_LINE_BYTES) throw new FramingError(400, "chunk line too long");
      this.held = Buffer.concat([this.held, data]);
      events.push({ kind: "body", bytes: data });
      return Buffer.alloc(0);
    }
    const raw = this.held.length > 0 ? Buffer.concat([this.held, data.subarray(0, lf + 1)]) : data.subarray(0, lf + 1);
    if (raw.length < 2 || raw[raw.length - 2] !== CR) throw new FramingError(400, "a line of the chunked body does not end in CRLF");
    const line = raw.toString("latin1", 0, raw.length - 2);
    if (line.includes("\r")) throw new FramingError(400, "a bare CR in the chunked body's framing");
    events.push({ kind: "body", bytes: data.subarray(0, lf + 1) });
    this.held = Buffer.alloc(0);
    if (this.state === "chunk-size") {
      const size = CHUNK_SIZE.exec(line);
      if (!size) throw new FramingError(400, `bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
      const n = Number.parseInt(size[1]!, 16);
      if (n === 0) this.state = "trailer";
      else {
        this.state = "chunk-data";
        this.remaining = n;
      }
    } else if (this.state === "chunk-end") {
      if (line !== "") throw new FramingError(400, "chunk data not followed by CRLF");
      this.state = "chunk-size";
    } else if (line === "") {
      this.state = "head"; // the empty line ends the trailer section
    } else if (line.startsWith(" ") || line.startsWith("\t") || !TOKEN.test(line.slice(0, Math.max(0, line.indexOf(":"))))) {
      throw new FramingError(400, "malformed trailer line");
    }
    return data.subarray(lf + 1);
  }
}

/** Throws unless every LF in `bytes[from, to)` follows a CR and every CR comes before an LF. */
function checkLineEnds(bytes: Buffer, from: number, to: number): void {
  for (let i = bytes.indexOf(LF, from); i >= 0 && i < to; i = bytes.indexOf(LF, i + 1)) {
    if (i === 0 || bytes[i - 1] !== CR) throw new FramingError(400, "a line of the request head ends in a bare LF");
  }
  for (let i = bytes.indexOf(CR, from); i >= 0 && i < to; i = bytes.indexOf(CR, i + 1)) {
    if (i + 1 < bytes.length && bytes[i + 1] !== LF) throw new FramingError(400, "a bare CR in the request head");
  }
}

/** A Content-Length: digits, the same each time it is given, within S3's limit. */
function checkedLength(value: string, earlier: number | undefined): number {
  if (!/^\d+$/.test(value)) throw new FramingError(400, `bad Content-Length ${JSON.stringify(value.slice(0, 40))}`);
  const length = value.length > 16 ? Number.POSITIVE_INFINITY : Number(value);
  if (!Number.isSafeInteger(length)) throw new FramingError(400, `Content-Length ${value.slice(0, 40)} is not a size S3 takes`, "InvalidArgument");
  if (earlier !== undefined && earlier !== length) throw new FramingError(400, "Content-Length given twice, with different values");
  if (length > MAX_BODY_BYTES) throw new FramingError(400, "Your proposed upload exceeds the maximum allowed size", "EntityTooLarge");
  return length;
}

/**
 * The request target in origin form: a path as given, an absolute URL's path and query
 * (`GET http://host/b/k` — Host, which SigV4 signs, is the client's header either way).
 * `*` (OPTIONS *) and anything else is refused.
 */
function originForm(target: string): string {
  if (target.startsWith("/")) return target;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (!absolute) throw new FramingError(400, target === "*" ? "asterisk-form request targets are not served" : "malformed request target");
  const rest = target.slice(absolute[0].length);
  return rest.startsWith("/") ? rest : `/${rest}`;
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
