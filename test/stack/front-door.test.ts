/**
 * The front door's HTTP/1.1 duties: `Expect: 100-continue` answered at once (workerd never
 * answers it), connections kept alive, Host and path passed through untouched.
 */
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

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
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
    let continuedAfter = -1;
    const transcript = await rawExchange(port, async (socket, received) => {
      const started = Date.now();
      socket.write(
        `PUT /${bucket}/expect.txt HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
      const continued = await waitFor(() => received().includes("100 Continue"), 500);
      continuedAfter = continued ? Date.now() - started : -1;
      socket.write("hello");
      await waitFor(() => received().includes("200 OK"), 5000);
    });
    expect(continuedAfter).toBeGreaterThanOrEqual(0);
    expect(continuedAfter).toBeLessThan(500);
    expect(transcript).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    const stored = await signer().fetch(`${inject("endpoint")}/${bucket}/expect.txt`);
    expect(await stored.text()).toBe("hello");
  });

  it("front door › keeps the client connection alive across requests", async () => {
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`GET /health HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
      await waitFor(() => received().includes("}"), 2000);
      socket.write(`GET /health HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
      await waitFor(() => (received().match(/HTTP\/1\.1 200/g) ?? []).length === 2 && received().endsWith("}"), 2000);
    });
    expect(transcript.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
  });

  it("front door › passes Host through, so virtual-hosted-style requests reach their bucket", async () => {
    const bucket = await newBucket("vhost");
    await signer().fetch(`${inject("endpoint")}/${bucket}/vh.txt`, { method: "PUT", body: new TextEncoder().encode("virtual") });
    const transcript = await rawExchange(port, async (socket, received) => {
      socket.write(`GET /vh.txt HTTP/1.1\r\nHost: ${bucket}.localhost:${port}\r\nConnection: close\r\n\r\n`);
      await waitFor(() => received().endsWith("virtual"), 2000);
    });
    expect(transcript).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(transcript.endsWith("virtual")).toBe(true);
  });
});
