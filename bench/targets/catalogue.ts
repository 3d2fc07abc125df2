/**
 * The four things the bench measures, by name, and how each is started. Two of them share
 * one server: `mocks3` (through the front door) and `direct` (the gateway worker's own
 * socket behind it) are the same stack, so the difference between them is the front door.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Sigv4Signer, type Credentials } from "../sigv4-signer";
import { startCommand } from "../../test/helpers/start-command";
import { startServerProcess, type ServerProcess } from "./server-process";

export const TARGET_NAMES = ["mocks3", "direct", "bare", "s3rver"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGET_LABELS: Record<TargetName, string> = {
  mocks3: "MockS3 via front door",
  direct: "MockS3 gateway direct",
  bare: "bare workerd worker",
  s3rver: "s3rver 3.7.1",
};

export const BUCKET = "bench";
export const REGION = "us-east-1";

/** An S3 endpoint under load, with what the generator needs to sign for it. */
export interface Target {
  name: TargetName;
  url: URL;
  signer: Sigv4Signer;
  /** false for the bare worker: its GET bytes are fixed, not what was PUT, and it has no buckets */
  storesObjects: boolean;
  /** the process tree serving it (shared by mocks3 and direct) */
  server: ServerProcess;
}

const MOCKS3_KEY: Credentials = { accessKeyId: "test", secretAccessKey: "test" };
/** s3rver's built-in key; it does not verify SigV4 signatures anyway. */
const S3RVER_KEY: Credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface StartedTargets {
  targets: Target[];
  servers: ServerProcess[];
  close(): Promise<void>;
}

/** Starts the servers behind `names` one after another (2 cores: parallel starts only contend). */
export async function startTargets(names: readonly TargetName[], dataDir: string, bodySize: number): Promise<StartedTargets> {
  const servers: ServerProcess[] = [];
  const targets: Target[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    if (names.includes("mocks3") || names.includes("direct")) {
      const stackDir = path.join(dataDir, "mocks3");
      // Only MOCKS3_CREDENTIALS is pinned (to test/test); other MOCKS3_* settings pass through.
      // with the Node settings `npm start` runs with (package.json)
      const { env, nodeFlags } = startCommand();
      const stack = await startServerProcess("mocks3-stack", "mocks3-host.ts", { ...env, MOCKS3_DATA_DIR: stackDir, MOCKS3_CREDENTIALS: "", MOCKS3_LOG_STDOUT: "false" }, nodeFlags);
      servers.push(stack);
      if (names.includes("mocks3")) targets.push(target("mocks3", stack.urls.endpoint!, MOCKS3_KEY, true, stack));
      if (names.includes("direct")) targets.push(target("direct", stack.urls.gatewayUrl!, MOCKS3_KEY, true, stack));
    }
    if (names.includes("bare")) {
      const bare = await startServerProcess("bare-worker", "bare-host.ts", { BENCH_BODY_SIZE: String(bodySize) });
      servers.push(bare);
      targets.push(target("bare", bare.urls.url!, MOCKS3_KEY, false, bare));
    }
    if (names.includes("s3rver")) {
      const directory = path.join(dataDir, "s3rver");
      await mkdir(directory, { recursive: true });
      const s3rver = await startServerProcess("s3rver", "s3rver-host.ts", { BENCH_DATA_DIR: directory, BENCH_BUCKET: BUCKET });
      servers.push(s3rver);
      targets.push(target("s3rver", s3rver.urls.url!, S3RVER_KEY, true, s3rver));
    }
  } catch (error) {
    await close();
    throw error;
  }
  // Report order follows TARGET_NAMES whatever order the flag gave.
  targets.sort((a, b) => TARGET_NAMES.indexOf(a.name) - TARGET_NAMES.indexOf(b.name));
  return { targets, servers, close };
}

function target(name: TargetName, base: string, key: Credentials, storesObjects: boolean, server: ServerProcess): Target {
  const url = new URL(base);
  return { name, url, signer: new Sigv4Signer(key, REGION, url.host), storesObjects, server };
}
