/** Clients against the suite's stack: the AWS SDK v3 and raw SigV4 requests (aws4fetch). */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { AwsClient } from "aws4fetch";
import { inject } from "vitest";
import { DEFAULT_KEY } from "./credentials";

export function endpoint(): string {
  return inject("endpoint");
}

export function s3Client(key = DEFAULT_KEY, url = endpoint()): S3Client {
  return new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: key, maxAttempts: 1 });
}

export function signer(key = DEFAULT_KEY): AwsClient {
  return new AwsClient({ ...key, service: "s3", region: "us-east-1", retries: 0 });
}

let counter = 0;

/** A bucket name no other test uses. */
export function uniqueBucketName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`.toLowerCase().slice(0, 63);
}

/** Creates a fresh bucket for a test file and returns its name. */
export async function newBucket(prefix: string, client = s3Client()): Promise<string> {
  const name = uniqueBucketName(prefix);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** The error of a rejected SDK call, as S3's code and HTTP status. */
export async function s3Error(promise: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the request to fail");
}
