/**
 * A client connection read as the front door reads the gateway's answers: into kept buffers
 * of up to READ_BYTES (read-buffers.ts) instead of a fresh 64 KiB buffer per 'data' event.
 * A net.Server cannot give the sockets it accepts `onread`, so the server accepts them
 * paused (`pauseOnConnect`: nothing read yet) and a socket made with `onread` takes the
 * accepted handle over, along with the server's count of connections (`_server`: without it
 * server.close() would wait for ever). Both are Node internals, checked by the front door's
 * tests; a Node that ignored `onread` beside `handle` would emit 'data', handled the same.
 * Half-open: a client's FIN ends only its side; the front door ends its own once the answers
 * owed are out (front-door.ts).
 */
import net from "node:net";
import { handOn, takeReadBuffer } from "./read-buffers";

/** What is done with each read; `done`, when given, once no write holds `chunk` any more. */
export type ReadUse = (chunk: Buffer, done?: () => void) => void;

export class ClientReader {
  readonly socket: net.Socket;
  onRead: ReadUse = () => {};
  private spare = takeReadBuffer();

  constructor(accepted: net.Socket, server: net.Server) {
    const { _handle: handle } = accepted as unknown as { _handle: unknown };
    const onread = { buffer: () => this.spare, callback: (bytes: number, buffer: Uint8Array) => this.read(bytes, buffer as Buffer) };
    this.socket = new net.Socket({ handle, onread, allowHalfOpen: true, readable: true, writable: true } as net.SocketConstructorOpts);
    Object.assign(this.socket, { server, _server: server });
    this.socket.on("data", (chunk: Buffer) => this.onRead(chunk));
  }

  private read(bytes: number, buffer: Buffer): boolean {
    this.spare = handOn(bytes, buffer, this.onRead);
    return true;
  }
}
