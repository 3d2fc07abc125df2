/**
 * The S3 operations the generator sends, each as a table entry: how to build the request
 * for pool object `i`, and how to check the answer. A check returns an error message or
 * undefined; every GET's bytes are compared with what was PUT (skipped only for the bare
 * worker, whose GET returns fixed bytes by design).
 */
import type { Exchange } from "./http-exchange";
import type { ObjectPool, PooledObject } from "./object-pool";
import { canonicalQuery, EMPTY_SHA256, encodeKeyPath } from "./sigv4-signer";

export const OPERATION_NAMES = ["get", "put", "head", "list"] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface OperationRequest {
  method: string;
  path: string;
  /** already canonical; sent after `?` when not empty */
  query: string;
  payloadHash: string;
  body?: Buffer;
}

export interface OperationDef {
  /** S3's name for it, for the report */
  s3Name: string;
  build(pool: ObjectPool, object: PooledObject, bucket: string): OperationRequest;
  check(answer: Exchange, pool: ObjectPool, object: PooledObject, verifies: boolean): string | undefined;
}

export const OPERATIONS: Record<OperationName, OperationDef> = {
  put: {
    s3Name: "PutObject",
    build: (_pool, object) => ({ method: "PUT", path: object.path, query: "", payloadHash: object.payloadHash, body: object.body }),
    check(answer, _pool, object, verifies) {
      if (answer.status !== 200) return statusError("PUT", answer);
      if (verifies && answer.headers.etag !== object.etag) return `PUT ${object.key}: ETag ${answer.headers.etag} is not the body's MD5 ${object.etag}`;
      return undefined;
    },
  },
  get: {
    s3Name: "GetObject",
    build: (_pool, object) => ({ method: "GET", path: object.path, query: "", payloadHash: EMPTY_SHA256 }),
    check(answer, _pool, object, verifies) {
      if (answer.status !== 200) return statusError("GET", answer);
      if (verifies && !answer.body.equals(object.body)) return `GET ${object.key}: ${answer.body.byteLength} bytes differ from the ${object.body.byteLength} PUT`;
      return undefined;
    },
  },
  head: {
    s3Name: "HeadObject",
    build: (_pool, object) => ({ method: "HEAD", path: object.path, query: "", payloadHash: EMPTY_SHA256 }),
    check(answer, _pool, object, verifies) {
      if (answer.status !== 200) return statusError("HEAD", answer);
      if (verifies && answer.headers["content-length"] !== String(object.body.byteLength)) {
        return `HEAD ${object.key}: Content-Length ${answer.headers["content-length"]}, expected ${object.body.byteLength}`;
      }
      return undefined;
    },
  },
  list: {
    s3Name: "ListObjectsV2",
    // One page of the whole pool; the query is built once per pool, not per request.
    build: (pool, _object, bucket) => ({ method: "GET", path: encodeKeyPath(bucket), query: listQuery(pool), payloadHash: EMPTY_SHA256 }),
    check(answer, pool, _object, verifies) {
      if (answer.status !== 200) return statusError("LIST", answer);
      const keys = verifies ? countKeys(answer.body.toString("latin1"), pool.prefix) : pool.objects.length;
      if (keys !== pool.objects.length) return `LIST ${pool.prefix}: ${keys} keys, expected ${pool.objects.length}`;
      return undefined;
    },
  },
};

const listQueries = new WeakMap<ObjectPool, string>();

function listQuery(pool: ObjectPool): string {
  let query = listQueries.get(pool);
  if (query === undefined) {
    query = canonicalQuery({ "list-type": "2", prefix: pool.prefix, "max-keys": "1000" });
    listQueries.set(pool, query);
  }
  return query;
}

function countKeys(xml: string, prefix: string): number {
  const needle = `<Key>${prefix}`;
  let count = 0;
  for (let at = xml.indexOf(needle); at !== -1; at = xml.indexOf(needle, at + needle.length)) count++;
  return count;
}

function statusError(what: string, answer: Exchange): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(answer.body.toString("latin1"))?.[1];
  return `${what}: HTTP ${answer.status}${code ? ` ${code}` : ""}`;
}
