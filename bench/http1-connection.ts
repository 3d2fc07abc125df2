/**
 * A minimal keep-alive HTTP/1.1 client connection over node:net, for the small-object load.
 *
 * Why not node:http: on the 2-core bench machine its client costs ~130–200 µs of CPU per
 * request (ClientRequest, IncomingMessage, a streams pipeline, header objects), so at 16
 * connections the generator used most of a core and the bare worker's ceiling read ~6k
 * ops/s; this connection costs ~35 µs and the same ceiling reads ~9–10k (wrk: ~12k).
 * `--client node-http` still runs the load through node:http for comparison.
 *
 * What it supports is what S3 servers answer: one request at a time per connection (no
 * pipelining), Content-Length or chunked bodies, bodiless HEAD/204/304 answers, interim 1xx
 * answers skipped, `Connection: close` honoured (the next request reconnects). It never
 * sends `Expect: 100-continue`.
 */
import net from "node:net";
import type { Endpoint, Exchange } from "./http-exchange";

const EMPTY = Buffer.alloc(0);
const MAX_HEAD_BYTES = 64 * 1024;

type BodyState = "head" | "length" | "chunk-size" | "chunk-data" | "chunk-end" | "trailers" | "until-close";

interface Pending {
  method: string;
  resolve(exchange: Exchange): void;
  reject(error: Error): void;
  state: BodyState;
  status: number;
  headers: Record<string, string>;
  chunks: Buffer[];
  /** body (or chunk) bytes still to read */
  remaining: number;
  keepAlive: boolean;
}

export class Http1Connection {
  readonly #endpoint: Endpoint;
  readonly #timeoutMs: number;
  #socket: net.Socket | undefined;
  #buffer: Buffer = EMPTY;
  #pending: Pending | undefined;

  constructor(endpoint: Endpoint, timeoutMs: number) {
    this.#endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
  }

  request(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Exchange> {
    if (this.#pending) return Promise.reject(new Error("Http1Connection: one request at a time"));
    const socket = this.#socket ?? this.#connect();
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (body && headers["content-length"] === undefined) head += `content-length: ${body.byteLength}\r\n`;
    head += "\r\n";
    return new Promise((resolve, reject) => {
      this.#pending = { method, resolve, reject, state: "head", status: 0, headers: {}, chunks: [], remaining: 0, keepAlive: true };
      if (body && body.byteLength > 0) {
        // One writev for head and body: a single TCP segment for a small PUT.
        socket.cork();
        socket.write(head, "latin1");
        socket.write(body);
        socket.uncork();
      } else {
        socket.write(head, "latin1");
      }
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #connect(): net.Socket {
    const socket = net.connect({ host: this.#endpoint.hostname, port: Number(this.#endpoint.port), noDelay: true });
    // The idle timer only runs out while a request waits: between requests nobody is waiting.
    socket.setTimeout(this.#timeoutMs, () => socket.destroy(new Error(`no answer in ${this.#timeoutMs} ms`)));
    socket.on("data", (data: Buffer) => this.#onData(data));
    socket.on("error", (error) => this.#fail(socket, error));
    socket.on("close", () => this.#onClose(socket));
    this.#socket = socket;
    this.#buffer = EMPTY;
    return socket;
  }

  #onData(data: Buffer): void {
    this.#buffer = this.#buffer.byteLength === 0 ? data : Buffer.concat([this.#buffer, data]);
    try {
      while (this.#pending && this.#step(this.#pending));
    } catch (error) {
      if (this.#socket) this.#fail(this.#socket, error as Error);
    }
  }

  /** Consumes what it can for the current state; false when it needs more bytes. */
  #step(p: Pending): boolean {
    const buffer = this.#buffer;
    switch (p.state) {
      case "head": {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) {
          if (buffer.byteLength > MAX_HEAD_BYTES) throw new Error("response head too large");
          return false;
        }
        this.#buffer = buffer.subarray(end + 4);
        this.#parseHead(p, buffer.toString("latin1", 0, end));
        return true;
      }
      case "length":
      case "chunk-data": {
        if (buffer.byteLength === 0) return false;
        const take = Math.min(p.remaining, buffer.byteLength);
        p.chunks.push(buffer.subarray(0, take));
        this.#buffer = buffer.subarray(take);
        p.remaining -= take;
        if (p.remaining > 0) return false;
        if (p.state === "length") this.#finish(p);
        else p.state = "chunk-end";
        return true;
      }
      case "chunk-end":
        if (buffer.byteLength < 2) return false;
        this.#buffer = buffer.subarray(2);
        p.state = "chunk-size";
        return true;
      case "chunk-size":
      case "trailers": {
        const end = buffer.indexOf("\r\n");
        if (end === -1) return false;
        const line = buffer.toString("latin1", 0, end);
        this.#buffer = buffer.subarray(end + 2);
        if (p.state === "trailers") {
          if (line === "") this.#finish(p);
          return true;
        }
        const size = Number.parseInt(line, 16); // chunk extensions after ";" are ignored
        if (Number.isNaN(size)) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
        p.remaining = size;
        p.state = size === 0 ? "trailers" : "chunk-data";
        return true;
      }
      case "until-close":
        p.chunks.push(buffer);
        this.#buffer = EMPTY;
        return false;
    }
  }

  #parseHead(p: Pending, head: string): void {
    const lines = head.split("\r\n");
    p.status = Number(lines[0]!.slice(9, 12));
    if (p.status >= 100 && p.status < 200) return; // interim answer: the real one follows
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      p.headers[name] = name in p.headers ? `${p.headers[name]}, ${value}` : value;
    }
    p.keepAlive = p.headers.connection?.toLowerCase() !== "close";
    const length = p.headers["content-length"];
    if (p.method === "HEAD" || p.status === 204 || p.status === 304) this.#finish(p);
    else if (p.headers["transfer-encoding"]?.toLowerCase().includes("chunked")) p.state = "chunk-size";
    else if (length !== undefined) {
      p.remaining = Number(length);
      if (p.remaining === 0) this.#finish(p);
      else p.state = "length";
    } else p.state = "until-close";
  }

  #finish(p: Pending): void {
    this.#pending = undefined;
    const body = p.chunks.length === 0 ? EMPTY : p.chunks.length === 1 ? p.chunks[0]! : Buffer.concat(p.chunks);
    if (!p.keepAlive) this.close();
    p.resolve({ status: p.status, headers: p.headers, body });
  }

  #onClose(socket: net.Socket): void {
    if (socket !== this.#socket) return;
    const p = this.#pending;
    if (p?.state !== "until-close") {
      this.#fail(socket, new Error("connection closed before the answer was complete"));
      return;
    }
    // A body delimited by the close: complete now, and the next request reconnects.
    this.#socket = undefined;
    this.#buffer = EMPTY;
    this.#finish(p);
  }

  #fail(socket: net.Socket, error: Error): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    this.#buffer = EMPTY;
    socket.destroy();
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(error);
  }
}
