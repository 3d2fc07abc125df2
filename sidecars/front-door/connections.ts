/**
 * The front door's open client connections by id, so that a connection-level fault can act
 * on the one that carried a request. An id is a prefix drawn at random per table plus a
 * counter: unique while the front door runs, and not guessable from another run's ids.
 */
import { randomBytes } from "node:crypto";
import type net from "node:net";

interface Connection {
  client: net.Socket;
  gateway: net.Socket;
}

export class ConnectionTable {
  private readonly prefix = randomBytes(6).toString("hex");
  private counter = 0;
  private readonly open = new Map<string, Connection>();

  /** client connections open now */
  get size(): number {
    return this.open.size;
  }

  /** Registers a client connection and its gateway connection until the client's closes. */
  add(client: net.Socket, gateway: net.Socket): string {
    const id = `${this.prefix}-${++this.counter}`;
    this.open.set(id, { client, gateway });
    client.once("close", () => this.open.delete(id));
    return id;
  }

  /**
   * Resets a client connection with a TCP RST (SO_LINGER 0, then close) and drops its
   * gateway connection. Both sockets are closed when this returns, so nothing the gateway
   * answers afterwards reaches the client; bytes of earlier answers still queued for the
   * client are discarded, as a real reset does. False when no such connection is open.
   */
  reset(id: string): boolean {
    const connection = this.open.get(id);
    if (!connection) return false;
    this.open.delete(id);
    connection.gateway.destroy();
    connection.client.resetAndDestroy();
    return true;
  }

  /** Closes every connection (the front door is stopping). */
  destroyAll(): void {
    for (const { client, gateway } of this.open.values()) {
      client.destroy();
      gateway.destroy();
    }
    this.open.clear();
  }
}
