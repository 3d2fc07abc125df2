/**
 * Digests computed while a body streams, and the checks against what the request claimed.
 * Every failed check is the S3 error a client expects: IncompleteBody, BadDigest (Content-MD5
 * or a flexible checksum), XAmzContentSHA256Mismatch.
 *
 * Given the front door's digests (front-door-digests.ts), MD5, SHA-256 and a CRC32 header
 * are not computed here but taken from the front door's report, whose size must be the one
 * read here; other checksums are still computed here.
 */
import type { Checksum } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { checksumHeader, fromBase64, newDigest, toBase64, toHex, type Digest } from "./checksums";
import type { BodyExpectations } from "./expectations";
import type { FrontDoorDigests } from "./front-door-digests";

export interface BodySummary {
  size: number;
  md5: Uint8Array;
  /** the flexible checksum, verified (or computed when only the algorithm was named) */
  checksum?: Checksum;
}

export class BodyDigests {
  private size = 0;
  private readonly md5: Digest | undefined;
  private readonly sha256: Digest | undefined;
  private readonly checksum: Digest | undefined;

  constructor(
    private readonly expect: BodyExpectations,
    private readonly frontDoor?: FrontDoorDigests,
  ) {
    this.md5 = frontDoor ? undefined : newDigest("MD5");
    this.sha256 = expect.sha256 && !frontDoor ? newDigest("SHA256") : undefined;
    // the front door computes CRC32 when the head carries x-amz-checksum-crc32 (a value, never a trailer)
    const crc32FromFrontDoor = frontDoor && expect.checksum?.algorithm === "CRC32" && expect.checksum.value !== undefined;
    this.checksum = expect.checksum && !crc32FromFrontDoor ? newDigest(expect.checksum.algorithm) : undefined;
  }

  update(piece: Uint8Array): void {
    this.size += piece.byteLength;
    this.md5?.update(piece);
    this.sha256?.update(piece);
    this.checksum?.update(piece);
  }

  /** Checks every claim; `trailers` are those of an aws-chunked body. */
  async verify(trailers: Map<string, string>): Promise<BodySummary> {
    const { expect } = this;
    if (expect.length !== undefined && expect.length !== this.size) {
      throw new S3Error("IncompleteBody", `The body had ${this.size} bytes where ${expect.length} were declared.`);
    }
    const computed = await this.computed();
    const { sha256, md5 } = computed;
    if (expect.sha256 !== undefined && sha256 !== expect.sha256) {
      throw new S3Error("XAmzContentSHA256Mismatch", undefined, { ClientComputedContentSHA256: expect.sha256, S3ComputedContentSHA256: sha256 ?? "" });
    }
    if (expect.contentMd5 && toBase64(md5) !== toBase64(expect.contentMd5)) {
      throw new S3Error("BadDigest", undefined, { ExpectedDigest: toHex(expect.contentMd5), CalculatedDigest: toBase64(md5) });
    }
    const summary: BodySummary = { size: this.size, md5 };
    if (expect.checksum) {
      const { algorithm } = expect.checksum;
      const value = computed.checksum;
      const claimed = expect.checksum.fromTrailer ? trailers.get(checksumHeader(algorithm)) : expect.checksum.value;
      if (expect.checksum.fromTrailer && claimed === undefined) {
        throw new S3Error("InvalidRequest", `The trailer ${checksumHeader(algorithm)} announced by x-amz-trailer was not sent.`);
      }
      if (claimed !== undefined && claimed !== value) {
        throw new S3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
      }
      summary.checksum = { algorithm, value: value! };
    }
    return summary;
  }

  /** MD5, SHA-256 (hex, when claimed) and the checksum (base64, when claimed), from here or from the front door. */
  private async computed(): Promise<{ md5: Uint8Array; sha256?: string | undefined; checksum?: string | undefined }> {
    const sha256 = this.sha256 && toHex(await this.sha256.digest());
    const checksum = this.checksum && toBase64(await this.checksum.digest());
    if (!this.frontDoor) return { md5: await this.md5!.digest(), sha256, checksum };
    const report = await this.frontDoor();
    const md5 = fromBase64(report.md5, 16);
    const missing = (this.expect.sha256 !== undefined && report.sha256 === undefined) || (!this.checksum && this.expect.checksum && report.crc32 === undefined);
    if (report.size !== this.size || !md5 || missing) {
      throw new S3Error("InternalError", `The front door's digests (${report.size} bytes) do not match the body read (${this.size} bytes).`);
    }
    return { md5, sha256: report.sha256, checksum: checksum ?? report.crc32 };
  }
}
