/**
 * MockS3's own sockets, on a stack of its own started with MOCKS3_HOST=0.0.0.0: only the six
 * service ports and the anomalies sidecar's listen beyond loopback, and none of the stack's
 * ports can be a bucket notification's webhook or a read-through upstream, however its
 * address is spelt — an S3 user could otherwise drive the control plane (take a storage node
 * down, halt every fault). Receivers on loopback on other ports keep working.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { PutBucketNotificationConfigurationCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningSockets } from "../../sidecars/stack/listening-sockets";
import { waitFor } from "../helpers/anomalies";
import { addRule, faultApi } from "../helpers/faults";
import { processTree } from "../helpers/proc";
import { newBucket, s3Client } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { storageNodes } from "../helpers/storage-nodes";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

let stack: StackProcess;
let s3: S3Client;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // one attempt per delivery: a failed one is a dead letter at once
  stack = await startStackProcess({ env: { MOCKS3_HOST: "0.0.0.0", MOCKS3_WEBHOOK_MAX_ATTEMPTS: "1" } });
  s3 = s3Client(undefined, stack.endpoint);
  receiver = await startWebhookReceiver();
}, 90_000);

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

/** MOCKS3_PORT … +5 and the anomalies sidecar's port */
const publicPorts = () => [0, 1, 2, 3, 4, 5, 10].map((offset) => stack.port + offset);

async function stackSockets() {
  return listeningSockets(processTree(stack.pid));
}

function configure(bucket: string, destination: string) {
  return s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: destination, Events: ["s3:ObjectCreated:*"] }] } }));
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; status?: number; message: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error("expected the request to be refused");
  return { code: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

async function putUpstream(bucket: string, endpoint: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.services["third-party-service"]}/api/v1/upstreams/${bucket}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ endpoint, bucket: "source-bucket", access_key_id: "AKIDEXAMPLE", secret_access_key: "secret" }),
  });
  return { status: response.status, json: await response.json() };
}

/** The stack's ports, spelt every way that reaches this machine. */
async function ownDestinations(): Promise<string[]> {
  const port = (offset: number) => stack.port + offset;
  const internal = (await stackSockets()).filter((socket) => !publicPorts().includes(socket.port)).map((socket) => socket.port);
  const lan = Object.values(os.networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .find((entry) => entry.family === "IPv4" && !entry.internal)?.address;
  return [
    `http://127.0.0.1:${port(2)}/api/v1/nodes/node-0/down`,
    `http://localhost:${port(5)}/api/v1/halt`,
    `http://LOCALHOST.:${port(5)}/api/v1/halt`,
    `http://anything.localhost:${port(5)}/api/v1/halt`,
    `http://2130706433:${port(5)}/api/v1/halt`,
    `http://0x7f.1:${port(5)}/api/v1/halt`,
    `http://127.1.2.3:${port(5)}/api/v1/halt`,
    `http://0.0.0.0:${port(2)}/api/v1/nodes/node-0/down`,
    `http://0:${port(2)}/api/v1/nodes/node-0/down`,
    `http://[::1]:${port(5)}/api/v1/halt`,
    `http://[::ffff:127.0.0.1]:${port(5)}/api/v1/halt`,
    `http://[::ffff:7f00:1]:${port(5)}/api/v1/halt`,
    `https://127.0.0.1:${port(5)}/api/v1/halt`,
    `http://${os.hostname()}:${port(5)}/api/v1/halt`,
    ...(lan ? [`http://${lan}:${port(5)}/api/v1/halt`] : []),
    `http://127.0.0.1:${port(10)}/api/v1/halt`,
    ...[0, 1, 3, 4].map((offset) => `http://127.0.0.1:${port(offset)}/`),
    // Miniflare's entry socket and loopback server, the gateway's own socket, the control channels
    ...internal.map((internalPort) => `http://127.0.0.1:${internalPort}/browser/launch`),
  ];
}

describe("listening sockets", () => {
  it("MOCKS3_HOST=0.0.0.0 › only the six service ports and the sidecar's listen on every interface; every other socket of the stack is on loopback", async () => {
    const sockets = await stackSockets();
    const exposed = sockets.filter((socket) => socket.address !== "127.0.0.1");
    expect(exposed.map((socket) => socket.port).sort()).toEqual(publicPorts().sort());
    for (const socket of exposed) expect(socket.address).toBe("0.0.0.0");
    // the internal ones: Miniflare's entry socket and loopback server, the gateway's socket behind
    // the front door, the front door's control channel and the destination guard
    expect(sockets.length - exposed.length).toBeGreaterThanOrEqual(5);
  });
});

describe("PutBucketNotificationConfiguration", () => {
  it("a destination on one of MockS3's own ports › InvalidArgument however it is spelt, and nothing reaches the control plane", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("own-webhook", s3);
    const rule = await addRule(
      { name: "bystander", service: "gateway", conditions: [{ type: "bucket", value: "nobody-uses-this" }], action: { type: "http_error", http_code: 503 } },
      stack.services["mock-error-service"],
    );
    for (const destination of await ownDestinations()) {
      const refused = await refusal(configure(bucket, destination));
      expect({ destination, code: refused.code, status: refused.status }).toEqual({ destination, code: "InvalidArgument", status: 400 });
      expect(refused.message).toContain("is MockS3 itself");
    }
    // a receiver on loopback on another port is a destination like any other, and gets its events
    await configure(bucket, `${receiver.url}/kept`);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "after.txt", Body: "x" }));
    await waitFor("the event at the receiver", () => receiver.at("/kept").length > 0);
    const nodes = await storageNodes(stack.services["storage-service"]!).report();
    expect(nodes.nodes.map((node) => node.state)).toEqual(nodes.nodes.map(() => "up"));
    expect((await faultApi("GET", `/rules/${rule.id}`, undefined, stack.services["mock-error-service"])).json.enabled).toBe(true);
  });

  it("a receiver that redirects › the redirect is not followed: a failed delivery", async () => {
    const bucket = await newBucket("own-redirect", s3);
    const redirector = http.createServer((request, response) => {
      request.resume();
      response.writeHead(307, { location: `${receiver.url}/landed` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      await configure(bucket, `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "moved.txt", Body: "x" }));
      const letters = await waitFor("the dead letter", async () => {
        const answer = (await (await fetch(`${stack.services["queue-service"]}/api/v1/dead-letters?bucket=${bucket}`)).json()) as { dead_letters: Array<{ reason: string }> };
        return answer.dead_letters.length > 0 ? answer.dead_letters : undefined;
      });
      expect(letters[0]!.reason).toBe("HTTP 307");
      expect(receiver.at("/landed")).toEqual([]);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });
});

describe("/api/v1/upstreams", () => {
  it("an endpoint on one of MockS3's own ports › 400 with the reason; one on another loopback port is taken", async () => {
    const bucket = await newBucket("own-upstream", s3);
    for (const endpoint of [`http://127.0.0.1:${stack.port}`, `http://localhost:${stack.port + 5}`, `http://[::ffff:127.0.0.1]:${stack.port + 2}`, `http://0x7f000001:${stack.port + 10}`]) {
      const refused = await putUpstream(bucket, endpoint);
      expect({ endpoint, status: refused.status }).toEqual({ endpoint, status: 400 });
      expect(refused.json.reason).toContain("is MockS3 itself");
    }
    expect((await putUpstream(bucket, receiver.url)).status).toBe(201);
  });
});
