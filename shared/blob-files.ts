/**
 * Object bytes as files: chunk `idx` of blob `id` on storage node `node` is the file
 * `<node>/<id>/<idx>` under the stack's blob directory, reached through a writable workerd
 * disk service (`BLOB_DISK`, set up by `npm start` for the gateway and the storage nodes).
 * workerd writes each file under a temporary name and renames it into place, and the bytes
 * never pass through JavaScript on either side.
 *
 * Which files make a blob, and whether it is readable, is the storage node's record (its
 * SQLite rows); a file is only ever read for a blob the node has declared ready. The gateway
 * writes and reads files directly once storage-service has placed the blob or located a
 * replica (HDFS's split between a name node and data nodes): a chunk then costs no RPC
 * carrying its bytes, which would copy them twice per hop.
 *
 * A chunk written on several nodes at once (a new blob's replicas) is written once through the
 * disk service and given to the other nodes by the stack's Node process (`replicas`, through
 * its control channel; sidecars/stack/chunk-replicas.ts), which takes the second write off
 * workerd's one thread; without the control channel each node's file is written here.
 *
 * Where no disk service is bound (wrangler dev; on Cloudflare an R2 bucket per node would take
 * its place) the nodes keep chunk bytes in their SQLite rows and the bytes travel by RPC.
 */
import { chunkReplicaPath } from "./front-door-protocol";

/**
 * The blob files of a worker's env: when `npm start` bound it the disk service (BLOB_DISK, not
 * in the wrangler configs), else undefined (wrangler dev: every byte goes through the nodes).
 */
export function blobFilesOf(env: object): BlobFiles | undefined {
  const { BLOB_DISK, MOCKS3_FRONT_DOOR_CONTROL } = env as { BLOB_DISK?: Fetcher; MOCKS3_FRONT_DOOR_CONTROL?: string };
  return BLOB_DISK && new BlobFiles(BLOB_DISK, MOCKS3_FRONT_DOOR_CONTROL || undefined);
}

export class BlobFiles {
  constructor(
    private readonly disk: Fetcher,
    /** the stack's control URL, which gives a node a chunk file another holds */
    private readonly replicas?: string,
  ) {}

  /** Writes one chunk's file on each of `nodes`: once, then the others' by the stack when it can. */
  async putOnNodes(nodes: string[], id: string, idx: number, bytes: Uint8Array): Promise<void> {
    const [first, ...others] = nodes;
    if (first === undefined) return;
    const replicas = this.replicas;
    if (!replicas || others.length === 0) return void (await Promise.all(nodes.map((node) => this.put(node, id, idx, bytes))));
    await this.put(first, id, idx, bytes);
    await Promise.all(
      others.map(async (node) => {
        const response = await fetch(replicas + chunkReplicaPath(id, idx, first, node), { method: "POST" });
        await expectOk(response, `replica of chunk ${idx} of blob ${id} from ${first} on ${node}`);
      }),
    );
  }

  /** Writes one chunk's file. */
  async put(node: string, id: string, idx: number, bytes: Uint8Array): Promise<void> {
    const response = await this.disk.fetch(fileUrl(node, id, idx), { method: "PUT", body: bytes });
    await expectOk(response, `write of chunk ${idx} of blob ${id} on ${node}`);
  }

  /** Bytes `[from, to)` of one chunk as a stream, or null if the file is not there. */
  async open(node: string, id: string, idx: number, from: number, to: number): Promise<ReadableStream<Uint8Array> | null> {
    const response = await this.disk.fetch(fileUrl(node, id, idx), { headers: { range: `bytes=${from}-${to - 1}` } });
    if (response.status === 404) return null;
    if (!response.ok || Number(response.headers.get("content-length")) !== to - from) {
      await expectOk(response, `read of chunk ${idx} of blob ${id} on ${node}`);
      throw new Error(`chunk ${idx} of blob ${id} on ${node} is shorter than ${to} bytes`);
    }
    return response.body;
  }

  /** Bytes `[from, to)` of one chunk, or null if the file is not there. */
  async read(node: string, id: string, idx: number, from: number, to: number): Promise<Uint8Array | null> {
    const stream = await this.open(node, id, idx, from, to);
    return stream && new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /** Deletes every file of a blob on a node (its directory); a blob with no file is fine. */
  async remove(node: string, id: string): Promise<void> {
    const response = await this.disk.fetch(fileUrl(node, id), { method: "DELETE" });
    if (response.status !== 404) await expectOk(response, `delete of blob ${id} on ${node}`);
  }
}

function fileUrl(node: string, id: string, idx?: number): string {
  if (!/^[\w-]+$/.test(id) || !/^[\w-]+$/.test(node)) throw new Error(`not a blob file: ${JSON.stringify([node, id])}`);
  return `http://blobs/${node}/${id}${idx === undefined ? "" : `/${idx}`}`;
}

async function expectOk(response: Response, what: string): Promise<void> {
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${what} failed: the disk answered ${response.status}`);
}
