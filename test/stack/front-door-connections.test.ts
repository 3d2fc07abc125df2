/**
 * The front door's side of connection-level faults, against a fake gateway (a neighbouring
 * service, faked here so that the test sees exactly what arrives on the gateway's side and
 * decides when it answers): the headers it sets on every request, and resets through its
 * control channel. connection-reset.test.ts runs the gateway's side in workerd.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetPath } from "../../shared/front-door-protocol";
import { ConnectionTable } from "../../sidecars/front-door/connections";
import { startControl, type Control } from "../../sidecars/front-door/control";
import { startFrontDoor, type FrontDoor } from "../../sidecars/front-door/front-door";

/** One request as the fake gateway received it; `answer` sends a 200 with the given body. */
interface Received {
  head: string;
  headers: Map<string, string[]>;
  socket: net.Socket;
  answer(body: string): void;
}

/** A fake gateway: it hands every request head to `onRequest` and answers when told. */
async function fakeGateway(onRequest: (request: Received) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (let end = buffered.indexOf("\r\n\r\n"); end >= 0; end = buffered.indexOf("\r\n\r\n")) {
        const head = buffered.slice(0, end + 4);
        buffered = buffered.slice(end + 4);
        onRequest({ head, headers: headersOf(head), socket, answer: (body) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function headersOf(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of head.split("\r\n").slice(1, -2)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** A raw client connection and everything it receives, with how it ended. */
function connect(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
  let received = "";
  socket.on("data", (d) => (received += d.toString("latin1")));
  const ended = new Promise<string>((resolve) => {
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.on("close", () => resolve("closed"));
  });
  return { socket, ended, received: () => received };
}

/** Whether this machine can listen on IPv6's any address at all, tried with a plain server. */
function ipv6Available(): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::", () => server.close(() => resolve(true)));
  });
}

/** Waits for an event; the bound only catches one that never comes, however busy the machine. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const GET = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;

describe("front door connections", () => {
  let onRequest: (request: Received) => void = () => {};
  let gateway: Awaited<ReturnType<typeof fakeGateway>>;
  let connections: ConnectionTable;
  let control: Control;
  let door: FrontDoor;

  beforeAll(async () => {
    gateway = await fakeGateway((request) => onRequest(request));
    connections = new ConnectionTable();
    control = await startControl(connections);
    door = await startFrontDoor({ host: "127.0.0.1", port: 0, target: gateway.url, connections });
  });
  afterEach(() => {
    onRequest = () => {};
  });
  afterAll(async () => {
    await door.close();
    await control.close();
    await gateway.close();
  });

  const reset = (id: string, base = control.url) => fetch(base + resetPath(id), { method: "POST" }).then((r) => r.status);

  it("front door › tags every request with its connection and the client's address, replacing the client's own", async () => {
    const seen: Received[] = [];
    onRequest = (request) => {
      seen.push(request);
      request.answer("ok");
    };
    const first = connect(door.url);
    first.socket.write(GET("/a", "X-Mocks3-Connection: forged\r\nx-mocks3-client-address: 6.6.6.6\r\n") + GET("/b"));
    await until(() => seen.length === 2);
    const second = connect(door.url);
    second.socket.write(GET("/c"));
    await until(() => seen.length === 3);
    for (const { socket } of [first, second]) socket.destroy();

    const ids = seen.map((r) => r.headers.get("x-mocks3-connection"));
    expect(ids[0]).toHaveLength(1);
    expect(ids[0]![0]).toMatch(/^[0-9a-f]{12}-\d+$/);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]![0]).not.toBe(ids[0]![0]);
    for (const request of seen) expect(request.headers.get("x-mocks3-client-address")).toEqual(["127.0.0.1"]);
    expect(seen[0]!.head).not.toMatch(/forged|6\.6\.6\.6/);
  });

  it("front door › gives an IPv4 client on a dual-stack socket its plain IPv4 address", async (ctx) => {
    if (!(await ipv6Available())) return ctx.skip(); // no IPv6 on this machine
    // where IPv6 works, the front door must start on it: an error here fails the test
    const dual = await startFrontDoor({ host: "::", port: 0, target: gateway.url });
    let address: string[] | undefined;
    onRequest = (request) => {
      address = request.headers.get("x-mocks3-client-address");
      request.answer("ok");
    };
    const client = connect(`http://127.0.0.1:${new URL(dual.url).port}`);
    try {
      client.socket.write(GET("/"));
      await until(() => address !== undefined);
    } finally {
      client.socket.destroy();
      await dual.close();
    }
    expect(address).toEqual(["127.0.0.1"]);
  });

  it("control › resets a connection while its request waits, and no byte of the late answer reaches the client", async () => {
    let request: Received | undefined;
    onRequest = (r) => (request = r);
    const client = connect(door.url);
    client.socket.write(GET("/slow"));
    await until(() => request !== undefined);
    const gatewaySide = new Promise<void>((resolve) => request!.socket.once("close", () => resolve()));

    expect(await reset(request!.headers.get("x-mocks3-connection")![0]!)).toBe(204);
    request!.answer("too late");

    expect(await client.ended).toBe("ECONNRESET");
    expect(client.received()).toBe("");
    await gatewaySide; // the front door dropped its gateway connection too
  });

  it("control › resets an idle connection after an answered request", async () => {
    let id = "";
    onRequest = (request) => {
      id = request.headers.get("x-mocks3-connection")![0]!;
      request.answer("first");
    };
    const client = connect(door.url);
    client.socket.write(GET("/first"));
    await until(() => client.received().endsWith("first"));
    expect(await reset(id)).toBe(204);
    expect(await client.ended).toBe("ECONNRESET");
    expect(await reset(id)).toBe(404); // gone
  });

  it("control › refuses a wrong secret, another method and an unknown connection, and the connection lives on", async () => {
    let id = "";
    onRequest = (request) => {
      id = request.headers.get("x-mocks3-connection")![0]!;
      request.answer("one");
    };
    const client = connect(door.url);
    client.socket.write(GET("/one"));
    await until(() => client.received().endsWith("one"));

    const origin = new URL(control.url).origin;
    expect(await reset(id, `${origin}/not-the-secret`)).toBe(404);
    expect(await reset(id, origin)).toBe(404);
    expect(await fetch(control.url + resetPath(id)).then((r) => r.status)).toBe(405);
    expect(await reset(`${id}0`)).toBe(404);
    expect(await fetch(`${control.url}/connections/%E0%A4%A/reset`, { method: "POST" }).then((r) => r.status)).toBe(404);

    onRequest = (request) => request.answer("two");
    client.socket.write(GET("/two"));
    await until(() => client.received().endsWith("two"));
    client.socket.destroy();
  });
});
