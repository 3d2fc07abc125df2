/**
 * Digests of the large bodies the front door passes on, computed on its thread so that
 * workerd's one JavaScript thread does not (shared/front-door-protocol.ts). The request
 * framer starts a BodyDigest for each head that calls for one and feeds it the body's bytes
 * before they are forwarded; the last byte's update files the report here, so it is ready
 * before the gateway can have read the whole body. The gateway takes it once, through the
 * control channel (control.ts). Reports nobody takes (a request the gateway refused before
 * reading its body) are dropped after a minute, and at most MAX_KEPT are kept.
 */
import { createHash, randomBytes, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { BODY_DIGEST_MIN_BYTES, type BodyDigestReport } from "../../shared/front-door-protocol";

const KEEP_MS = 60_000;
const MAX_KEPT = 4096;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** What the framer read of a request head that matters here. */
export interface DigestableHead {
  method: string;
  contentLength: number | undefined;
  chunked: boolean;
  /** x-amz-content-sha256 */
  payloadHash: string | undefined;
  /** whether x-amz-checksum-crc32 was given */
  crc32: boolean;
}

export class BodyDigestTable {
  private readonly prefix = randomBytes(6).toString("hex");
  private counter = 0;
  private readonly reports = new Map<string, { report: BodyDigestReport; at: number }>();

  /**
   * A digest for the body of `head`, or undefined when the gateway will not want one: only a
   * plain PUT body (PutObject, UploadPart) of a known, large length. An aws-chunked body's
   * digests are of its decoded payload, which the gateway decodes.
   */
  begin(head: DigestableHead): BodyDigest | undefined {
    if (head.method !== "PUT" || head.chunked || head.contentLength === undefined || head.contentLength < BODY_DIGEST_MIN_BYTES) return undefined;
    if (head.payloadHash?.startsWith("STREAMING-")) return undefined;
    const sha256 = head.payloadHash !== undefined && SHA256_HEX.test(head.payloadHash);
    return new BodyDigest(`${this.prefix}-${++this.counter}`, { sha256, crc32: head.crc32 }, (ticket, report) => this.file(ticket, report));
  }

  /** The report of a body wholly passed on, once; undefined for an unknown ticket or one taken already. */
  take(ticket: string): BodyDigestReport | undefined {
    const entry = this.reports.get(ticket);
    this.reports.delete(ticket);
    return entry?.report;
  }

  /** reports waiting to be taken */
  get size(): number {
    return this.reports.size;
  }

  private file(ticket: string, report: BodyDigestReport): void {
    const now = Date.now();
    for (const [old, { at }] of this.reports) {
      if (now - at < KEEP_MS && this.reports.size < MAX_KEPT) break;
      this.reports.delete(old);
    }
    this.reports.set(ticket, { report, at: now });
  }
}

/** One body's digests, updated as its bytes pass. */
export class BodyDigest {
  private size = 0;
  private readonly md5: Hash = createHash("md5");
  private readonly sha256: Hash | undefined;
  private crc: number | undefined;

  constructor(
    readonly ticket: string,
    wanted: { sha256: boolean; crc32: boolean },
    private readonly filed: (ticket: string, report: BodyDigestReport) => void,
  ) {
    this.sha256 = wanted.sha256 ? createHash("sha256") : undefined;
    this.crc = wanted.crc32 ? 0 : undefined;
  }

  update(bytes: Uint8Array): void {
    this.size += bytes.byteLength;
    this.md5.update(bytes);
    this.sha256?.update(bytes);
    if (this.crc !== undefined) this.crc = crc32(bytes, this.crc);
  }

  /** The body has all passed: its report is filed for the gateway to take. */
  end(): void {
    const report: BodyDigestReport = { size: this.size, md5: this.md5.digest("base64") };
    if (this.sha256) report.sha256 = this.sha256.digest("hex");
    if (this.crc !== undefined) report.crc32 = uint32Base64(this.crc);
    this.filed(this.ticket, report);
  }
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString("base64");
}
