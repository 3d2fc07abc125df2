/**
 * An upstream S3 source for read-through tests: s3rver (a Node S3 fake) on a loopback port,
 * behind a small proxy of the test's own that sees every request MockS3 sends upstream. The
 * proxy counts them, checks each one's SigV4 signature against the key pair it expects
 * (s3rver itself accepts any V4 signature of its key), and can answer in the upstream's
 * place (an outage, say).
 */
import http from "node:http";
import { rm } from "node:fs/promises";
import { S3Client } from "@aws-sdk/client-s3";
import { AwsV4Signer } from "aws4fetch";
import S3rver from "s3rver";
import { freePortRange } from "./ports";
import { scratchDir } from "./scratch-dir";

/** s3rver's one key pair. */
export const UPSTREAM_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface UpstreamRequest {
  method: string;
  /** the path as sent, still percent-encoded */
  path: string;
  /** the SigV4 signature verified with UPSTREAM_KEY */
  signedCorrectly: boolean;
}

export interface UpstreamS3 {
  /** the proxy's URL: what MockS3 is configured with */
  url: string;
  /** s3rver's own URL, for a test's direct writes */
  directUrl: string;
  /** every request that reached the proxy */
  requests: UpstreamRequest[];
  /** requests for one object of the upstream bucket */
  requestsFor(bucket: string, key: string): UpstreamRequest[];
  /** answers a request itself when this returns a status (an S3 error document goes with it) */
  intercept?: (request: http.IncomingMessage) => number | undefined;
  /** an SDK client writing straight to s3rver */
  client(): S3Client;
  stop(): Promise<void>;
}

export async function startUpstreamS3(buckets: string[]): Promise<UpstreamS3> {
  const directory = await scratchDir("mocks3-upstream");
  const port = await freePortRange(2);
  const s3rver = new S3rver({ address: "127.0.0.1", port, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  await s3rver.run();
  const directUrl = `http://127.0.0.1:${port}`;
  const requests: UpstreamRequest[] = [];
  const upstream: UpstreamS3 = {
    url: `http://127.0.0.1:${port + 1}`,
    directUrl,
    requests,
    requestsFor: (bucket, key) => requests.filter((r) => r.path.split("?")[0] === `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`),
    client: () => new S3Client({ endpoint: directUrl, region: "us-east-1", forcePathStyle: true, credentials: UPSTREAM_KEY, maxAttempts: 1 }),
    stop: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
  const proxy = http.createServer((request, response) => {
    void verifySignature(request).then((signedCorrectly) => {
      requests.push({ method: request.method ?? "", path: request.url ?? "", signedCorrectly });
      const status = upstream.intercept?.(request);
      if (status !== undefined) return answerError(response, status);
      forward(request, response, port);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(port + 1, "127.0.0.1", resolve));
  return upstream;
}

function forward(request: http.IncomingMessage, response: http.ServerResponse, port: number): void {
  const out = http.request({ host: "127.0.0.1", port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  out.on("error", () => response.destroy());
  request.pipe(out);
}

function answerError(response: http.ServerResponse, status: number): void {
  const code = status === 503 ? "ServiceUnavailable" : status === 403 ? "AccessDenied" : "InternalError";
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>from the test's proxy</Message></Error>`);
}

/** Signs the request again with the expected key, its date and signed headers, and compares. */
async function verifySignature(request: http.IncomingMessage): Promise<boolean> {
  const authorization = request.headers.authorization ?? "";
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=[0-9a-f]{64}$/.exec(authorization);
  if (!match || match[1] !== UPSTREAM_KEY.accessKeyId) return false;
  const signedHeaders = match[3]!.split(";");
  const headers = signedHeaders.filter((name) => name !== "host").map((name) => [name, String(request.headers[name] ?? "")] as [string, string]);
  const signer = new AwsV4Signer({
    method: request.method,
    url: `http://${request.headers.host}${request.url}`,
    headers,
    ...UPSTREAM_KEY,
    service: "s3",
    region: match[2],
    datetime: String(request.headers["x-amz-date"]),
    allHeaders: true,
  });
  const signed = await signer.sign();
  return signed.headers.get("authorization") === authorization;
}
