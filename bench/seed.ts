/**
 * Before any case: the bucket exists and every pool key holds its bytes, so the first GET
 * of a run already has something to compare with. s3rver's bucket is configured when it
 * starts; the bare worker stores nothing.
 */
import { exchange, keepAliveAgent } from "./http-exchange";
import type { ObjectPool } from "./object-pool";
import { OPERATIONS } from "./operations";
import { EMPTY_SHA256, encodeKeyPath } from "./sigv4-signer";
import { BUCKET, type Target } from "./targets/catalogue";

const SEED_CONCURRENCY = 8;

/** Creates the bench bucket where the target has buckets to create. */
export async function prepareBucket(target: Target): Promise<void> {
  if (!target.storesObjects || target.name === "s3rver") return;
  const agent = keepAliveAgent(1);
  try {
    await createBucket(target, agent, { hostname: target.url.hostname, port: target.url.port });
  } finally {
    agent.destroy();
  }
}

/** PUTs every pool object once. */
export async function seedPool(target: Target, pool: ObjectPool): Promise<void> {
  if (!target.storesObjects) return;
  const agent = keepAliveAgent(SEED_CONCURRENCY);
  const endpoint = { hostname: target.url.hostname, port: target.url.port };
  try {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < pool.objects.length; i = next++) {
        const object = pool.objects[i]!;
        const request = OPERATIONS.put.build(pool, object, BUCKET);
        const headers = target.signer.sign("PUT", request.path, "", request.payloadHash);
        headers["content-length"] = String(object.body.byteLength);
        const answer = await exchange(agent, endpoint, "PUT", request.path, headers, object.body);
        const problem = OPERATIONS.put.check(answer, pool, object, true);
        if (problem) throw new Error(`seeding ${target.name}: ${problem}`);
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

async function createBucket(target: Target, agent: ReturnType<typeof keepAliveAgent>, endpoint: { hostname: string; port: string }): Promise<void> {
  const path = encodeKeyPath(BUCKET);
  const headers = target.signer.sign("PUT", path, "", EMPTY_SHA256);
  headers["content-length"] = "0";
  const answer = await exchange(agent, endpoint, "PUT", path, headers);
  // The stack is shared by `mocks3` and `direct`: the second creation finds it already ours.
  const ours = answer.status === 409 && answer.body.toString().includes("BucketAlreadyOwnedByYou");
  if (answer.status !== 200 && !ours) throw new Error(`CreateBucket on ${target.name}: HTTP ${answer.status} ${answer.body.toString()}`);
}
