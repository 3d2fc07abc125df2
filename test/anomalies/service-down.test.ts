/**
 * service_down, run directly (sidecars/anomalies/types/service-down.ts) against a stack of its own:
 * a service down is global to the stack. The gateway's `refuse` mode needs the front door's
 * control channel, whose URL the stack keeps to itself; that test puts a front door of its
 * own, with its control channel, in front of the stack's S3 endpoint.
 */
import net from "node:net";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { anomalyInput } from "../../shared/anomalies/anomaly";
import { serviceDown } from "../../sidecars/anomalies/types/service-down";
import { ConnectionTable } from "../../sidecars/front-door/connections";
import { startControl } from "../../sidecars/front-door/control";
import { startFrontDoor } from "../../sidecars/front-door/front-door";
import { Refusal } from "../../sidecars/front-door/refusal";
import { fetchFresh, s3WithoutKeepAlive, serviceStates, startAnomaly, statesApi, stopAnomalies, waitFor } from "../helpers/anomalies";
import { TEST_CREDENTIALS } from "../helpers/credentials";
import { pattern } from "../helpers/object-bodies";
import { newBucket, s3Error } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const SMALL = pattern(4 * 1024, 3);
const LARGE = pattern(1024 * 1024, 4);

let stack: StackProcess;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  s3 = s3WithoutKeepAlive(stack.endpoint);
  bucket = await newBucket("down", s3);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "small", Body: SMALL }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "large", Body: LARGE }));
}, 90_000);

afterEach(stopAnomalies);

afterAll(async () => {
  await stack?.stop();
});

const getObject = (key: string) => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));

async function health(service: string, base = stack.services[service]!): Promise<{ status: number; json: any }> {
  const response = await fetchFresh(`${base}/health`);
  return { status: response.status, json: await response.json() };
}

describe("service_down", () => {
  it("unavailable › the gateway answers S3 requests with 503 ServiceUnavailable and /health with status down; back by itself at the end", async () => {
    const anomaly = startAnomaly(serviceDown, stack, { service: "gateway", anomaly_type: "service_down", metric_name: "service_up", target_value: 0 });
    await waitFor("the first measurement", () => anomaly.reports.length > 0);

    expect(await s3Error(getObject("small"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    const down = await health("gateway");
    expect(down).toMatchObject({ status: 503, json: { status: "down", service: "gateway", mode: "unavailable", anomaly_id: anomaly.ctx.id } });
    expect(anomaly.reports[0]).toBe(0);

    await anomaly.stop();
    expect((await health("gateway")).status).toBe(200);
    expect(await (await getObject("small")).Body!.transformToByteArray()).toEqual(SMALL);
    expect(anomaly.reports.at(-1)).toBe(1);
  });

  it("hang › a request is held while the gateway is down, then answered once it is back", async () => {
    const anomaly = startAnomaly(serviceDown, stack, { service: "gateway", anomaly_type: "service_down", metric_name: "service_up", target_value: 0, mode: "hang" });
    await waitFor("the first measurement", () => anomaly.reports.length > 0);
    expect(anomaly.reports[0]).toBe(0); // the probe gave up after a second

    const answeredAt: number[] = [];
    const held = getObject("small").finally(() => answeredAt.push(Date.now()));
    const heldHealth = fetchFresh(`${stack.endpoint}/health`).finally(() => answeredAt.push(Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(answeredAt).toEqual([]);

    const stoppedAt = Date.now();
    await anomaly.stop();
    expect(await (await held).Body!.transformToByteArray()).toEqual(SMALL);
    expect((await heldHealth).status).toBe(200);
    expect(Math.min(...answeredAt)).toBeGreaterThanOrEqual(stoppedAt);
  });

  it("refuse › the front door refuses new connections and closes open ones; the worker behind it answers 503; it listens again at the end", async () => {
    const connections = new ConnectionTable();
    const refusal = new Refusal();
    const control = await startControl(connections, { refusal });
    const door = await startFrontDoor({ host: "127.0.0.1", port: 0, target: stack.endpoint, connections, refusal });
    process.env.MOCKS3_FRONT_DOOR_CONTROL = control.url;
    try {
      const idle = await openKeptAlive(door.url);
      const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
      const anomaly = startAnomaly(
        serviceDown,
        stack,
        { service: "gateway", anomaly_type: "service_down", metric_name: "service_up", target_value: 0, mode: "refuse" },
        { services: { ...stack.services, gateway: door.url } },
      );
      await waitFor("the first measurement", () => anomaly.reports.length > 0);

      await idleClosed;
      expect(await connectError(door.url)).toBe("ECONNREFUSED");
      expect(anomaly.reports[0]).toBe(0);
      // the stack's own front door was not asked to refuse: the worker answers, with 503
      expect(await s3Error(getObject("small"))).toEqual({ code: "ServiceUnavailable", status: 503 });

      await anomaly.stop();
      expect((await health("gateway", door.url)).status).toBe(200);
      expect(anomaly.reports.at(-1)).toBe(1);
    } finally {
      delete process.env.MOCKS3_FRONT_DOOR_CONTROL;
      await door.close();
      await control.close();
    }
  });

  it("storage-service › GET and PUT of every object fail with 503, inline ones too (a 5-byte GET); HEAD goes on; its /health says so", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "five", Body: "hello" }));
    const anomaly = startAnomaly(serviceDown, stack, { service: "storage-service", anomaly_type: "service_down", metric_name: "service_up", target_value: 0 });
    await waitFor("the first measurement", () => anomaly.reports.length > 0);

    expect(await s3Error(getObject("five"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await s3Error(getObject("large"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "large-2", Body: LARGE })))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await s3Error(getObject("small"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "small-2", Body: SMALL })))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "small" }))).ContentLength).toBe(SMALL.byteLength);
    expect(await health("storage-service")).toMatchObject({ status: 503, json: { status: "down", service: "storage-service", mode: "unavailable" } });
    expect((await health("gateway")).status).toBe(200);

    await anomaly.stop();
    const large = await (await getObject("large")).Body!.transformToByteArray();
    expect(Buffer.compare(large, LARGE)).toBe(0); // toEqual on a MiB of bytes takes seconds
    expect(await (await getObject("small")).Body!.transformToByteArray()).toEqual(SMALL);
    expect(await s3Error(getObject("small-2"))).toEqual({ code: "NoSuchKey", status: 404 });
    expect((await health("storage-service")).status).toBe(200);
  });

  it("metadata-service › every S3 request fails with 503 ServiceUnavailable; its /health says so", async () => {
    const anomaly = startAnomaly(serviceDown, stack, { service: "metadata-service", anomaly_type: "service_down", metric_name: "service_up", target_value: 0 });
    await waitFor("the first measurement", () => anomaly.reports.length > 0);

    expect(await s3Error(getObject("small"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await health("metadata-service")).toMatchObject({ status: 503, json: { status: "down", service: "metadata-service" } });

    await anomaly.stop();
    expect((await getObject("small")).$metadata.httpStatusCode).toBe(200);
    expect((await health("metadata-service")).status).toBe(200);
  });

  it("a down state ends by itself at its until, with nobody to clear it (a sidecar that died)", async () => {
    const until = new Date(Date.now() + 1_500).toISOString();
    expect((await statesApi(stack, "PUT", "/down/queue-service", { mode: "unavailable", until, anomaly_id: "dead-sidecar" })).status).toBe(200);
    expect((await health("queue-service")).status).toBe(503);
    await waitFor("queue-service to come back", async () => (await health("queue-service")).status === 200, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
    expect((await serviceStates(stack)).down).toEqual({});
  });

  it("cleanLeftovers › a killed sidecar's down states end at once", async () => {
    const until = new Date(Date.now() + 600_000).toISOString();
    await statesApi(stack, "PUT", "/down/third-party-service", { mode: "hang", until, anomaly_id: "dead-sidecar" });
    await statesApi(stack, "PUT", "/down/storage-service", { mode: "unavailable", until, anomaly_id: "dead-sidecar" });
    await serviceDown.cleanLeftovers!(stack.dataDir, stack.services["mock-error-service"]!);
    expect((await serviceStates(stack)).down).toEqual({});
    expect((await health("third-party-service")).status).toBe(200);
    expect((await health("storage-service")).status).toBe(200);
  });

  it("refuses refuse off the gateway, and mock-error-service altogether, with a reason", async () => {
    const spec = { name: "x", service: "storage-service", anomaly_type: "service_down", metric_name: "service_up", target_value: 0, duration: "1m", mode: "refuse" };
    const parsed = anomalyInput.safeParse(spec);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/front door/);
    expect(anomalyInput.safeParse({ ...spec, service: "mock-error-service", mode: undefined }).success).toBe(false);

    const until = new Date(Date.now() + 60_000).toISOString();
    const refused = await statesApi(stack, "PUT", "/down/storage-service", { mode: "refuse", until, anomaly_id: "x" });
    expect(refused).toMatchObject({ status: 400, json: { error: "bad_request", reason: expect.stringMatching(/front door/) } });
    const control = await statesApi(stack, "PUT", "/down/mock-error-service", { until, anomaly_id: "x" });
    expect(control).toMatchObject({ status: 400, json: { reason: expect.stringMatching(/control plane/) } });
  });
});

/** A connection that has had one request answered and stays open (keep-alive). */
function openKeptAlive(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
    socket.once("data", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** The error code of a new connection to `url`, or "connected". */
function connectError(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
