/**
 * Digests computed while a body streams, and the checks against what the request claimed.
 * Every failed check is the S3 error a client expects: IncompleteBody, BadDigest (Content-MD5
 * or a flexible checksum), XAmzContentSHA256Mismatch.
 */
import type { Checksum } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { checksumHeader, newDigest, toBase64, toHex, type Digest } from "./checksums";
import type { BodyExpectations } from "./expectations";

export interface BodySummary {
  size: number;
  md5: Uint8Array;
  /** the flexible checksum, verified (or computed when only the algorithm was named) */
  checksum?: Checksum;
}

export class BodyDigests {
  private size = 0;
  private readonly md5 = newDigest("MD5");
  private readonly sha256: Digest | undefined;
  private readonly checksum: Digest | undefined;

  constructor(private readonly expect: BodyExpectations) {
    this.sha256 = expect.sha256 ? newDigest("SHA256") : undefined;
    this.checksum = expect.checksum ? newDigest(expect.checksum.algorithm) : undefined;
  }

  update(piece: Uint8Array): void {
    this.size += piece.byteLength;
    this.md5.update(piece);
    this.sha256?.update(piece);
    this.checksum?.update(piece);
  }

  /** Checks every claim; `trailers` are those of an aws-chunked body. */
  async verify(trailers: Map<string, string>): Promise<BodySummary> {
    const { expect } = this;
    if (expect.length !== undefined && expect.length !== this.size) {
      throw new S3Error("IncompleteBody", `The body had ${this.size} bytes where ${expect.length} were declared.`);
    }
    const sha256 = this.sha256 && toHex(await this.sha256.digest());
    if (sha256 !== undefined && sha256 !== expect.sha256) {
      throw new S3Error("XAmzContentSHA256Mismatch", undefined, { ClientComputedContentSHA256: expect.sha256!, S3ComputedContentSHA256: sha256 });
    }
    const md5 = await this.md5.digest();
    if (expect.contentMd5 && toBase64(md5) !== toBase64(expect.contentMd5)) {
      throw new S3Error("BadDigest", undefined, { ExpectedDigest: toHex(expect.contentMd5), CalculatedDigest: toBase64(md5) });
    }
    const summary: BodySummary = { size: this.size, md5 };
    if (expect.checksum && this.checksum) {
      const { algorithm } = expect.checksum;
      const computed = toBase64(await this.checksum.digest());
      const claimed = expect.checksum.fromTrailer ? trailers.get(checksumHeader(algorithm)) : expect.checksum.value;
      if (expect.checksum.fromTrailer && claimed === undefined) {
        throw new S3Error("InvalidRequest", `The trailer ${checksumHeader(algorithm)} announced by x-amz-trailer was not sent.`);
      }
      if (claimed !== undefined && claimed !== computed) {
        throw new S3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
      }
      summary.checksum = { algorithm, value: computed };
    }
    return summary;
  }
}
