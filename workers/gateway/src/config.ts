/**
 * The gateway's configuration from its environment (wrangler [vars], overridden by the
 * MOCKS3_* variables of `npm start`), parsed once per isolate.
 */
import { dayMsOf, positiveSeconds } from "../../../shared/day-length";

export type AuthMode = "relaxed" | "strict" | "off";

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  ownerId: string;
  displayName: string;
}

export interface GatewayConfig {
  auth: AuthMode;
  credentials: Map<string, Credential>;
  /** each owner's display name (the first key's that names it), for Owner elements and ACLs */
  displayNames: Map<string, string>;
  /** who an unsigned request acts as in relaxed mode, and every request in off mode */
  defaultCredential: Credential;
  region: string;
  /** virtual-hosted-style requests address `<bucket>.<baseDomain>` */
  baseDomain: string;
  /** objects up to this size keep their bytes with their metadata (0: never) */
  inlineMaxBytes: number;
  /** how long a Standard-tier RestoreObject of a GLACIER object takes (ms); other tiers and classes are multiples */
  restoreMs: number;
  /** how long one of S3's days lasts here (ms): a restored copy's `Days` */
  dayMs: number;
}

/** A row of Durable Object SQLite holds at most 2 MB; inline objects stay well below. */
const MAX_INLINE_BYTES = 1024 * 1024;

const DEFAULT_CREDENTIAL: Credential = {
  accessKeyId: "test",
  secretAccessKey: "test",
  ownerId: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
  displayName: "test",
};

let cached: { env: GatewayEnvVars; config: GatewayConfig } | undefined;

interface GatewayEnvVars {
  MOCKS3_AUTH: string;
  MOCKS3_CREDENTIALS: string;
  MOCKS3_REGION: string;
  MOCKS3_BASE_DOMAIN: string;
  MOCKS3_INLINE_MAX_BYTES: string;
  MOCKS3_RESTORE_SECONDS: string;
  MOCKS3_LIFECYCLE_DAY_SECONDS: string;
}

export function gatewayConfig(env: GatewayEnvVars): GatewayConfig {
  if (cached?.env === env) return cached.config;
  const config = parseConfig(env);
  cached = { env, config };
  return config;
}

export function parseConfig(env: GatewayEnvVars): GatewayConfig {
  const auth = (env.MOCKS3_AUTH || "relaxed").toLowerCase();
  if (auth !== "relaxed" && auth !== "strict" && auth !== "off") {
    throw new Error(`MOCKS3_AUTH must be relaxed, strict or off, not ${JSON.stringify(env.MOCKS3_AUTH)}`);
  }
  const list = parseCredentials(env.MOCKS3_CREDENTIALS);
  return {
    auth,
    credentials: new Map(list.map((c) => [c.accessKeyId, c])),
    displayNames: new Map(list.toReversed().map((c) => [c.ownerId, c.displayName])),
    defaultCredential: list[0]!,
    region: env.MOCKS3_REGION || "us-east-1",
    baseDomain: (env.MOCKS3_BASE_DOMAIN || "localhost").toLowerCase(),
    inlineMaxBytes: parseInlineLimit(env.MOCKS3_INLINE_MAX_BYTES),
    restoreMs: positiveSeconds("MOCKS3_RESTORE_SECONDS", env.MOCKS3_RESTORE_SECONDS, 5) * 1000,
    dayMs: dayMsOf(env.MOCKS3_LIFECYCLE_DAY_SECONDS),
  };
}

function parseInlineLimit(text: string): number {
  if (!text) return 128 * 1024;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > MAX_INLINE_BYTES) {
    throw new Error(`MOCKS3_INLINE_MAX_BYTES must be a byte count from 0 to ${MAX_INLINE_BYTES}, not ${JSON.stringify(text)}`);
  }
  return n;
}

/** MOCKS3_CREDENTIALS: a JSON array of {accessKeyId, secretAccessKey, ownerId?, displayName?}. */
export function parseCredentials(text: string): Credential[] {
  if (!text?.trim()) return [DEFAULT_CREDENTIAL];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("MOCKS3_CREDENTIALS is not valid JSON");
  }
  if (!Array.isArray(value) || value.length === 0) throw new Error("MOCKS3_CREDENTIALS must be a non-empty JSON array");
  return value.map((entry: unknown, i) => {
    const e = entry as Partial<Credential> | null;
    if (!e || typeof e.accessKeyId !== "string" || !e.accessKeyId || typeof e.secretAccessKey !== "string" || !e.secretAccessKey) {
      throw new Error(`MOCKS3_CREDENTIALS[${i}] needs a non-empty accessKeyId and secretAccessKey`);
    }
    return {
      accessKeyId: e.accessKeyId,
      secretAccessKey: e.secretAccessKey,
      ownerId: typeof e.ownerId === "string" && e.ownerId ? e.ownerId : e.accessKeyId,
      displayName: typeof e.displayName === "string" && e.displayName ? e.displayName : e.accessKeyId,
    };
  });
}
