/**
 * The gateway's faults/connection.ts in workerd, behind the real front door and its control
 * channel, wired as the stack wires them. A small test worker (test/workers/connection-probe.ts)
 * calls the module, since no fault rule does yet; the gateway's own config gives the runtime.
 */
import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { ConnectionTable } from "../../sidecars/front-door/connections";
import { startControl, type Control } from "../../sidecars/front-door/control";
import { startFrontDoor, type FrontDoor } from "../../sidecars/front-door/front-door";
import { bundleWorker } from "../../sidecars/stack/bundle";
import { ROOT } from "../../sidecars/stack/miniflare-options";
import { scratchDir } from "../helpers/scratch-dir";

/** Sends raw bytes on a new connection; resolves with what came back and how it ended. */
function exchange(url: string, bytes: string): Promise<{ received: string; ended: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let received = "";
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.on("data", (d) => {
      received += d.toString("latin1");
      if (/\r\n\r\n[\s\S]*[}\w]$/.test(received)) socket.end();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve({ received, ended: error.code ?? error.message }));
    socket.on("close", () => resolve({ received, ended: "closed" }));
  });
}

const request = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}Connection: close\r\n\r\n`;

describe("gateway connection faults in workerd", () => {
  let buildDir: string;
  let control: Control;
  let mf: Miniflare;
  let workerUrl: string;
  let door: FrontDoor;

  beforeAll(async () => {
    buildDir = await scratchDir("mocks3-probe");
    const scriptPath = await bundleWorker(ROOT, "test/workers/connection-probe.ts", buildDir);
    const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "workers/gateway/wrangler.toml"));
    const connections = new ConnectionTable();
    control = await startControl(connections);
    mf = new Miniflare({
      cf: false,
      log: new Log(LogLevel.WARN),
      modules: true,
      scriptPath,
      modulesRoot: buildDir,
      compatibilityDate: workerOptions.compatibilityDate,
      compatibilityFlags: workerOptions.compatibilityFlags,
      bindings: { MOCKS3_FRONT_DOOR_CONTROL: control.url },
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    });
    workerUrl = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "");
    door = await startFrontDoor({ host: "127.0.0.1", port: 0, target: workerUrl, connections });
  });

  afterAll(async () => {
    await door?.close();
    await control?.close();
    await mf?.dispose();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it("clientAddress › is the client's address through the front door, never the client's say; undefined directly", async () => {
    const through = await exchange(door.url, request("/", "x-mocks3-client-address: 6.6.6.6\r\nx-mocks3-connection: forged\r\n"));
    const seen = JSON.parse(through.received.slice(through.received.indexOf("\r\n\r\n") + 4)) as { clientAddress: string; connection: string };
    expect(seen.clientAddress).toBe("127.0.0.1");
    expect(seen.connection).toMatch(/^[0-9a-f]{12}-\d+$/);

    const direct = await fetch(`${workerUrl}/`).then((r) => r.json());
    expect(direct).toEqual({ clientAddress: null, connection: null });
  });

  it("resetConnection › resets the client's connection before any byte of the answer", async () => {
    const { received, ended } = await exchange(door.url, request("/reset"));
    expect(ended).toBe("ECONNRESET");
    expect(received).toBe("");
  });

  it("resetConnection › is false for a direct request, even one that names a connection", async () => {
    expect(await fetch(`${workerUrl}/reset`).then((r) => r.text())).toBe("reset: false");
    expect(await fetch(`${workerUrl}/reset`, { headers: { "x-mocks3-connection": "0123456789ab-1" } }).then((r) => r.text())).toBe("reset: false");
  });
});
