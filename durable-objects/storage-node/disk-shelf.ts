/**
 * A storage node's chunk bytes as files: `<node>/<blob id>/<chunk index>` under the stack's
 * blob directory, through a writable workerd disk service (`BLOB_DISK`, set up by `npm
 * start`). workerd writes each file under a temporary name and renames it into place, so a
 * file is whole or absent, also after a crash; the bytes never pass through SQLite, and
 * a file read or written costs the worker no copying in JavaScript.
 *
 * Where no disk service is bound (wrangler dev; on Cloudflare, an R2 bucket per node would
 * take this place) the node keeps chunk bytes in its SQLite rows instead.
 */

export class DiskShelf {
  constructor(
    private readonly disk: Fetcher,
    private readonly node: string,
  ) {}

  /** Writes parts `first, first+1, …` of a blob, each as a file of its own. */
  async put(id: string, first: number, parts: Uint8Array[]): Promise<void> {
    await Promise.all(parts.map(async (part, i) => expectOk(await this.disk.fetch(this.url(id, first + i), { method: "PUT", body: part }), "write")));
  }

  /** Bytes `[from, to)` of one chunk, or null if the file is not there. */
  async read(id: string, idx: number, from: number, to: number): Promise<Uint8Array | null> {
    const response = await this.disk.fetch(this.url(id, idx), { headers: { range: `bytes=${from}-${to - 1}` } });
    if (response.status === 404) return null;
    if (!response.ok) expectOk(response, "read");
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== to - from) throw new Error(`chunk ${idx} of blob ${id} on ${this.node}: ${bytes.byteLength} bytes where ${to - from} were asked`);
    return bytes;
  }

  /** Deletes every file of a blob (its directory); a blob with no file is fine. */
  async remove(id: string): Promise<void> {
    const response = await this.disk.fetch(this.url(id), { method: "DELETE" });
    if (response.status !== 404) expectOk(response, "delete");
  }

  private url(id: string, idx?: number): string {
    if (!/^[\w-]+$/.test(id)) throw new Error(`not a blob id: ${JSON.stringify(id)}`);
    return `http://blobs/${this.node}/${id}${idx === undefined ? "" : `/${idx}`}`;
  }
}

function expectOk(response: Response, what: string): void {
  void response.body?.cancel();
  if (!response.ok) throw new Error(`blob ${what} failed: disk answered ${response.status}`);
}
