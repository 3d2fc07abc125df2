/** What the CORS tests share: the usual rule, a bucket holding rules, and header readers. */
import { PutBucketCorsCommand, type CORSRule, type S3Client } from "@aws-sdk/client-s3";
import { newBucket } from "./s3";

export const APP = "https://app.example.com";
export const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const CORS_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-credentials",
  "vary",
];

/** The rule most tests use: one origin, uploads and downloads, x-amz-* headers. */
export const APP_RULE: CORSRule = {
  ID: "app",
  AllowedOrigins: [APP],
  AllowedMethods: ["GET", "PUT"],
  AllowedHeaders: ["x-amz-*", "Content-Type"],
  ExposeHeaders: ["ETag", "x-amz-request-id"],
  MaxAgeSeconds: 3000,
};

/** A fresh bucket with these CORS rules, set with the SDK. */
export async function bucketWithRules(client: S3Client, ...rules: CORSRule[]): Promise<string> {
  const bucket = await newBucket("cors", client);
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
  return bucket;
}

/** An unsigned OPTIONS request, as a browser sends it. */
export function preflight(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "OPTIONS", headers });
}

/** The CORS headers (and Vary) of a response, by lowercase name. */
export function corsHeadersOf(response: Response): Record<string, string> {
  return Object.fromEntries(CORS_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
}
