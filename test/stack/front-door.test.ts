/**
 * The front door's HTTP/1.1 duties: `Expect: 100-continue` answered at once (workerd never
 * answers it), connections kept alive, Host and path passed through untouched.
 *
 * Waits are for events, bounded generously (PATIENCE_MS) so that a busy machine only makes
 * them slower: a bound that runs out means the awaited answer never came.
 */
import http from "node:http";
import net from "node:net";
import { describe, expect, inject, it } from "vitest";
import { newBucket, signer } from "../helpers/s3";

function rawExchange(port: number, steps: (socket: net.Socket, received: () => string) => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const socket = net.connect(port, "127.0.0.1", () => {
      steps(socket, () => data).then(() => {
        socket.end();
      }, reject);
    });
    socket.on("data", (d) => (data += d));
    socket.on("close", () => resolve(data));
    socket.on("error", reject);
  });
}

/** how long an awaited answer may take before it counts as never sent (a busy machine is slow) */
const PATIENCE_MS = 10_000;

async function waitFor(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return check();
}

describe("front door", () => {
  const port = Number(new URL(inject("endpoint")).port);

  it("front door › answers Expect: 100-continue before the body is sent", async () => {
    const bucket = await newBucket("frontdoor");
    // workerd never answers Expect: 100-continue, so a 100 that arrives while the body is
    // still held back can only come from the front door; the bound only catches its absence
    let continuedBeforeBody = false;
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`PUT /${bucket}/expect.txt HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`);
      continuedBeforeBody = await waitFor(() => received().includes("100 Continue"));
      socket.write("hello");
      await waitFor(() => received().includes("200 OK"));
    });
    expect(continuedBeforeBody).toBe(true);
    expect(transcript).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    const stored = await signer().fetch(`${inject("endpoint")}/${bucket}/expect.txt`);
    expect(await stored.text()).toBe("hello");
  });

  it("front door › forwards an early refusal of a large upload, every time, and the next request works", async () => {
    const bucket = await newBucket("refusal");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = Buffer.alloc(2 * 1024 * 1024, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: "127.0.0.1",
            port,
            method: "PUT",
            path: `/${bucket}/refused-${i}`,
            agent,
            headers: {
              "content-length": body.byteLength,
              authorization: "AWS4-HMAC-SHA256 Credential=nobody/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
              "x-amz-date": "20260101T000000Z",
              "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      statuses.push(status);
    }
    agent.destroy();
    expect(statuses).toEqual(Array(8).fill(403));
    const after = await signer().fetch(`${inject("endpoint")}/${bucket}/after`, { method: "PUT", body: new TextEncoder().encode("fine") });
    expect(after.status).toBe(200);
  });

  it("front door › carries a Transfer-Encoding: chunked upload and the request behind it", async () => {
    const bucket = await newBucket("chunkedte");
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`PUT /${bucket}/te.txt HTTP/1.1\r\nHost: localhost:${port}\r\nTransfer-Encoding: chunked\r\n\r\n`);
      socket.write("6\r\nchunke\r\n");
      socket.write("2\r\nd!\r\n0\r\n\r\n");
      socket.write(`GET /${bucket}/te.txt HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
      await waitFor(() => received().endsWith("chunked!"));
    });
    expect(transcript.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(transcript.endsWith("chunked!")).toBe(true);
  });

  it("front door › keeps the client connection alive across requests", async () => {
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`GET /health HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
      await waitFor(() => received().includes("}"));
      socket.write(`GET /health HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
      await waitFor(() => (received().match(/HTTP\/1\.1 200/g) ?? []).length === 2 && received().endsWith("}"));
    });
    expect(transcript.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it("front door › passes Host through, so virtual-hosted-style requests reach their bucket", async () => {
    const bucket = await newBucket("vhost");
    await signer().fetch(`${inject("endpoint")}/${bucket}/vh.txt`, { method: "PUT", body: new TextEncoder().encode("virtual") });
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`GET /vh.txt HTTP/1.1\r\nHost: ${bucket}.localhost:${port}\r\nConnection: close\r\n\r\n`);
      await waitFor(() => received().endsWith("virtual"));
    });
    expect(transcript).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(transcript.endsWith("virtual")).toBe(true);
  });
});
