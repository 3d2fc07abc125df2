/**
 * What the front door (sidecars/front-door) and the gateway worker agree on, so that
 * connection-level faults can act on the client's TCP connection, which only the front door
 * holds; and the other work the stack's Node process does for the gateway off workerd's one
 * JavaScript thread, through the same control channel.
 *
 * - Every request head the front door forwards carries the two headers below, set by the
 *   front door alone: the same headers sent by a client are removed first. Nothing signs
 *   them, and SigV4 never sees them (they are not `x-amz-*`, and no client signs them).
 * - The gateway asks the front door to reset a connection with
 *   `POST <control URL>/connections/<id>/reset`. The control URL is a capability: it lives
 *   on loopback and its path is a secret drawn at every start, handed to the gateway as a
 *   binding. The front door sends a TCP RST to the client and drops its gateway connection
 *   before it answers, so no byte of the gateway's answer can reach the client after that.
 * - The anomalies sidecar takes the gateway down in mode `refuse` (service_down) with
 *   `PUT <control URL>/refuse?until=<ISO time>`: the front door stops listening (new
 *   connections are refused) and closes the open ones, until `until` or
 *   `DELETE <control URL>/refuse`. The sidecar learns the URL from MOCKS3_FRONT_DOOR_CONTROL.
 * - Digests of large bodies: a plain (not aws-chunked) PUT body of BODY_DIGEST_MIN_BYTES or
 *   more is hashed by the front door as it passes (MD5, and SHA-256 or CRC32 when the head
 *   claims one), on the front door's thread instead of workerd's one JavaScript thread, where
 *   hashing took a quarter of a large upload's time. Its head gets BODY_DIGEST_HEADER, a
 *   ticket; once the gateway has read the whole body it fetches
 *   `GET <control URL>/digests/<ticket>` (a BodyDigestReport, given once) and checks that the
 *   size is the one it read. A request without the header, or one the gateway reads from
 *   elsewhere, is hashed by the gateway as before.
 */

/** The client connection that carried a request: unique while the front door runs. */
export const CONNECTION_HEADER = "x-mocks3-connection";

/** The client's address as the front door saw it (IPv4 without the `::ffff:` prefix). */
export const CLIENT_ADDRESS_HEADER = "x-mocks3-client-address";

/** The ticket of a body the front door digested as it passed. */
export const BODY_DIGEST_HEADER = "x-mocks3-body-digest";

/** The smallest body the front door digests: below it the gateway's fetch of the digests costs more than hashing. */
export const BODY_DIGEST_MIN_BYTES = 1024 * 1024;

/** What the front door measured of a body it passed on. */
export interface BodyDigestReport {
  size: number;
  /** base64 */
  md5: string;
  /** hex, when the head's x-amz-content-sha256 was a hash */
  sha256?: string;
  /** base64, when the head carried x-amz-checksum-crc32 */
  crc32?: string;
}

/** The headers only the front door may set. */
export const FRONT_DOOR_HEADERS: readonly string[] = [CONNECTION_HEADER, CLIENT_ADDRESS_HEADER, BODY_DIGEST_HEADER];

/** The control path of refusals (PUT with `?until=`, DELETE), relative to the control URL. */
export const REFUSE_PATH = "/refuse";

/** The control path of a body's digests (GET), relative to the control URL. */
export function digestPath(ticket: string): string {
  return `/digests/${encodeURIComponent(ticket)}`;
}

/**
 * The control path (POST) that gives storage node `to` chunk `idx` of blob `id` as node
 * `from` holds it (sidecars/stack/chunk-replicas.ts): 204 once it is in place, 404 when
 * `from`'s file is not there.
 */
export function chunkReplicaPath(id: string, idx: number, from: string, to: string): string {
  return `/chunk-replicas/${encodeURIComponent(id)}/${idx}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

/** The control path that resets one connection, relative to the control URL. */
export function resetPath(connectionId: string): string {
  return `/connections/${encodeURIComponent(connectionId)}/reset`;
}
