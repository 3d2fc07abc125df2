/**
 * storage-service's RPC surface: object bytes as blobs on storage nodes, each blob on R of
 * them (see placement.ts). The gateway writes a body either in one call (`put`, bodies up to
 * SINGLE_SHOT_LIMIT) or as CHUNK_SIZE parts (`begin`, `write`…, `commit`), and reads back a
 * range either as one value (`read`) or as a stream (`stream`). Where the gateway can reach
 * the blob files itself (shared/blob-files.ts), it writes and reads chunks directly: it asks
 * here only where (`reserve`, `locate`). Nothing here ever holds a whole large object in memory.
 *
 * Writes answer a Failure (ServiceUnavailable, EntityTooLarge; see shortage.ts) when the
 * nodes cannot take the bytes; reads throw when no replica can serve them.
 *
 * The data calls take the S3 request's facts last, while storage-service has fault rules:
 * its fault gate (storage-gate.ts) may delay them or answer an injected Failure. The same
 * gate fails the data calls while storage-service is down, and the writes while the disk is
 * full (service states of anomalies).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { BlobRef } from "../../../shared/records";
import type { Failure } from "../../../shared/s3-errors";
import type { RequestFacts } from "../../../shared/faults/facts";
import { tracedBindings } from "../../../shared/telemetry/rpc-trace";
import { serveTracedEntrypoint } from "../../../shared/telemetry/traced-entrypoint";
import { tracingEndpoint } from "../../../shared/telemetry/tracing";
import { Cluster } from "./cluster";
import { clusterReport } from "./cluster-report";
import { locateBlob, readBlob, streamBlob } from "./replica-reads";
import { discardBlob, releaseBlobs } from "./replica-releases";
import { beginBlob, commitBlob, copyBlob, putBlob, reserveParts, writeParts } from "./replica-writes";
import { storageGate } from "./storage-gate";

/** the storage nodes and the cluster record are storage-service's own state */
export const STORAGE_STATE = { STORAGE_NODE: "storage-service", STORAGE_CLUSTER: "storage-service" };

export class StorageService extends WorkerEntrypoint<StorageEnv> {
  /** Allocates a blob for a chunked write (no node is asked yet). */
  begin(): BlobRef {
    return beginBlob(this.cluster());
  }

  async put(bytes: Uint8Array, facts?: RequestFacts): Promise<BlobRef | Failure> {
    return (await this.gate(facts, true)) ?? putBlob(this.cluster(), bytes);
  }

  async write(ref: BlobRef, first: number, parts: Uint8Array[], facts?: RequestFacts): Promise<Failure | undefined> {
    return (await this.gate(facts, true)) ?? writeParts(this.cluster(), ref, first, parts);
  }

  /**
   * Places chunks `first, first+1, …` of these sizes for a caller that writes their files
   * itself (shared/blob-files.ts): the nodes to write each of them on.
   */
  async reserve(ref: BlobRef, first: number, sizes: number[], facts?: RequestFacts): Promise<string[] | Failure> {
    return (await this.gate(facts, true)) ?? reserveParts(this.cluster(), ref, first, sizes);
  }

  /** The blob as written: its nodes may differ from `begin`'s when some could not take it. */
  async commit(ref: BlobRef, size: number, facts?: RequestFacts): Promise<BlobRef | Failure> {
    return (await this.gate(facts, true)) ?? commitBlob(this.cluster(), ref, size);
  }

  discard(ref: BlobRef): Promise<void> {
    return discardBlob(this.cluster(), ref);
  }

  /** Bytes `[start, end)` as one value; for ranges of a few MiB at most. */
  async read(ref: BlobRef, start: number, end: number, facts?: RequestFacts): Promise<Uint8Array | Failure> {
    return (await this.gate(facts)) ?? readBlob(this.cluster(), ref, start, end);
  }

  /** Bytes `[start, end)` as a stream that reads one chunk at a time, as the consumer pulls. */
  async stream(ref: BlobRef, start: number, end: number, facts?: RequestFacts): Promise<ReadableStream<Uint8Array> | Failure> {
    return (await this.gate(facts)) ?? streamBlob(this.cluster(), ref, start, end);
  }

  /** The node to read a blob's files from, for a caller that reads them itself. */
  async locate(ref: BlobRef, facts?: RequestFacts): Promise<string | Failure> {
    return (await this.gate(facts)) ?? locateBlob(this.cluster(), ref);
  }

  /** A new blob with the same bytes, copied node to node (never through a worker). */
  async copy(source: BlobRef, facts?: RequestFacts): Promise<BlobRef | Failure> {
    return (await this.gate(facts, true)) ?? copyBlob(this.cluster(), source);
  }

  /** Blobs no object uses any more. */
  release(refs: BlobRef[]): Promise<void> {
    return releaseBlobs(this.cluster(), refs);
  }

  nodes() {
    return clusterReport(this.cluster());
  }

  private gate(facts: RequestFacts | undefined, writes = false): Promise<Failure | undefined> {
    return storageGate(this.env, (promise) => this.ctx.waitUntil(promise), facts, writes);
  }

  /** A call under the caller's trace, in a span of its own (shared/telemetry/rpc-trace.ts), passed on to the node calls. */
  traced(traceparent: string | undefined, method: string, args: unknown[]): Promise<unknown> {
    return serveTracedEntrypoint(this, traceparent, method, args, { service: "storage-service", env: this.env, ctx: this.ctx });
  }

  private cluster(): Cluster {
    return new Cluster(tracingEndpoint(this.env) ? tracedBindings(this.env, STORAGE_STATE) : this.env);
  }
}
