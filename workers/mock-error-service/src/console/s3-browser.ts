/**
 * The console's bucket browser: S3 requests to the gateway (its service binding, so the front
 * door and the network are not in the way), signed with SigV4 (aws4fetch) by a key of
 * MOCKS3_CREDENTIALS — the bucket owner's, found by trying the keys in turn, so that a bucket
 * of any user can be browsed whatever MOCKS3_AUTH says. The answers are S3's XML, read with the
 * gateway's reader (body/xml-body.ts) and handed to the browser as JSON.
 */
import { AwsClient } from "aws4fetch";
import { parseXml } from "../../../gateway/src/body/xml-body";
import { parseCredentials } from "../../../gateway/src/config";

/** The gateway's own strict reader; the lists the browser walks are lists even when they hold one. */
const ANSWERS = {
  depth: 8,
  repeated: ["ListBucketResult.Contents", "ListBucketResult.CommonPrefixes", "ListVersionsResult.Version", "ListVersionsResult.DeleteMarker", "Tagging.TagSet.Tag", "CORSConfiguration.CORSRule"],
};

/** the key each bucket answered to last, so a browse costs one request, not one per key */
const ownerKeys = new Map<string, number>();

export class S3Browser {
  private readonly clients: AwsClient[];

  constructor(private readonly env: MockErrorEnv) {
    this.clients = parseCredentials(env.MOCKS3_CREDENTIALS).map(
      (key) => new AwsClient({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, service: "s3", region: env.MOCKS3_REGION || "us-east-1" }),
    );
  }

  /** One S3 request by path and query; the first answer that is not AccessDenied. */
  async send(method: string, bucket: string, key: string | undefined, query: Record<string, string> = {}): Promise<Response> {
    const url = new URL(`http://localhost/${encodeURIComponent(bucket)}${key === undefined ? "" : `/${key.split("/").map(encodeURIComponent).join("/")}`}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const first = ownerKeys.get(bucket) ?? 0;
    for (let i = 0; ; i++) {
      const index = (first + i) % this.clients.length;
      const signed = await this.clients[index]!.sign(url.toString(), { method, headers: { "user-agent": "mocks3-console" } });
      // aws4fetch signs the Host but leaves it to the connection, which a binding has not
      const headers = new Headers(signed.headers);
      headers.set("host", url.host);
      const answer = await this.env.GATEWAY.fetch(signed.url, { method, headers });
      if (answer.status !== 403 || i === this.clients.length - 1) {
        if (answer.status !== 403) ownerKeys.set(bucket, index);
        return answer;
      }
      await answer.body?.cancel();
    }
  }

  /** S3's XML answer as an object, or the S3 error's code and message. */
  async xml(method: string, bucket: string, key: string | undefined, query: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const answer = await this.send(method, bucket, key, query);
    const text = await answer.text();
    const body = parseXml(text, ANSWERS) ?? {};
    return { status: answer.status, body };
  }
}

export interface Listing {
  prefixes: string[];
  objects: Array<{ key: string; size: number; etag: string; last_modified: string }>;
  next?: string;
}

/** One page of a bucket's keys under `prefix`, folders by "/". */
export async function listObjects(s3: S3Browser, bucket: string, prefix: string, after?: string): Promise<{ status: number; listing?: Listing; error?: string }> {
  const query: Record<string, string> = { "list-type": "2", delimiter: "/", prefix, "max-keys": "200" };
  if (after) query["continuation-token"] = after;
  const { status, body } = await s3.xml("GET", bucket, undefined, query);
  if (status !== 200) return { status, error: errorOf(body) };
  const result = (body.ListBucketResult ?? {}) as Record<string, unknown>;
  const contents = (result.Contents ?? []) as Array<Record<string, string>>;
  const prefixes = (result.CommonPrefixes ?? []) as Array<Record<string, string>>;
  return {
    status,
    listing: {
      prefixes: prefixes.map((p) => p.Prefix!),
      objects: contents.map((o) => ({ key: o.Key!, size: Number(o.Size), etag: o.ETag!, last_modified: o.LastModified! })),
      ...(result.NextContinuationToken ? { next: String(result.NextContinuationToken) } : {}),
    },
  };
}

/** What the console shows of one object: its headers (metadata), tags and versions. */
export async function describeObject(s3: S3Browser, bucket: string, key: string): Promise<{ status: number; object?: Record<string, unknown>; error?: string }> {
  const head = await s3.send("HEAD", bucket, key);
  if (head.status !== 200) return { status: head.status, error: head.status === 404 ? `no object ${key} in ${bucket}` : `HEAD answered ${head.status}` };
  const headers = Object.fromEntries(head.headers);
  const metadata = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("x-amz-meta-")));
  const [tagging, versions] = await Promise.all([s3.xml("GET", bucket, key, { tagging: "" }), s3.xml("GET", bucket, undefined, { versions: "", prefix: key, "max-keys": "50" })]);
  const tagSet = ((tagging.body.Tagging as Record<string, unknown> | undefined)?.TagSet ?? {}) as { Tag?: Array<Record<string, string>> };
  const listed = (versions.body.ListVersionsResult ?? {}) as { Version?: Array<Record<string, string>>; DeleteMarker?: Array<Record<string, string>> };
  const ofKey = (entry: Record<string, string>) => entry.Key === key;
  return {
    status: 200,
    object: {
      key,
      size: Number(headers["content-length"]),
      etag: headers.etag,
      content_type: headers["content-type"],
      last_modified: headers["last-modified"],
      version_id: headers["x-amz-version-id"],
      storage_class: headers["x-amz-storage-class"] ?? "STANDARD",
      metadata,
      tags: (tagSet.Tag ?? []).map((t) => ({ key: t.Key, value: t.Value })),
      versions: [
        ...(listed.Version ?? []).filter(ofKey).map((v) => ({ version_id: v.VersionId, size: Number(v.Size), etag: v.ETag, last_modified: v.LastModified, latest: v.IsLatest === "true" })),
        ...(listed.DeleteMarker ?? []).filter(ofKey).map((v) => ({ version_id: v.VersionId, delete_marker: true, last_modified: v.LastModified, latest: v.IsLatest === "true" })),
      ],
    },
  };
}

/** A bucket's notification and CORS settings, as S3 gives them (absent ones are empty). */
export async function bucketSettings(s3: S3Browser, bucket: string): Promise<Record<string, unknown>> {
  const [notifications, cors, versioning] = await Promise.all([
    s3.xml("GET", bucket, undefined, { notification: "" }),
    s3.xml("GET", bucket, undefined, { cors: "" }),
    s3.xml("GET", bucket, undefined, { versioning: "" }),
  ]);
  return {
    notifications: notifications.status === 200 ? notifications.body.NotificationConfiguration || {} : { error: errorOf(notifications.body) },
    cors: cors.status === 200 ? ((cors.body.CORSConfiguration as Record<string, unknown> | undefined)?.CORSRule ?? []) : [],
    versioning: versioning.status === 200 ? ((versioning.body.VersioningConfiguration as Record<string, unknown> | undefined)?.Status ?? "Unversioned") : undefined,
  };
}

function errorOf(body: Record<string, unknown>): string {
  const error = body.Error as Record<string, string> | undefined;
  return error ? `${error.Code}: ${error.Message}` : "the gateway's answer was not S3's";
}
