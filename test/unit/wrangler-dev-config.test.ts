/**
 * The wrangler configs are what `wrangler dev` (`npm run dev`) runs as they are: none of their
 * [vars] may point at a socket, or a `wrangler dev` would drive whatever `npm start` stack
 * listens there (its anomalies sidecar, its search index). `npm start` sets those URLs itself
 * (sidecars/stack/stack.ts); under wrangler dev they stay empty and the features answer 503.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVICES } from "../../sidecars/stack/services";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A config's [vars] as written (MockS3's are all strings). */
function vars(config: string): Record<string, string> {
  const text = readFileSync(path.join(ROOT, config), "utf8");
  const section = /^\[vars\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  return Object.fromEntries([...section.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
}

describe("wrangler configs under wrangler dev", () => {
  it.each(SERVICES.map((s) => [s.name, s.config]))("%s › no [vars] value is a URL or an address", (_name, config) => {
    for (const [name, value] of Object.entries(vars(config))) {
      expect(value, `${config}: ${name}`).not.toMatch(/:\/\/|127\.0\.0\.1|localhost:|\[::1\]/);
    }
  });

  it("the sidecar URLs npm start sets are declared, empty", () => {
    expect(vars("workers/mock-error-service/wrangler.toml")).toMatchObject({ MOCKS3_ANOMALY_URL: "" });
    expect(vars("workers/metadata-service/wrangler.toml")).toMatchObject({ MOCKS3_INDEX_URL: "" });
    expect(vars("workers/queue-service/wrangler.toml")).toMatchObject({ MOCKS3_INDEX_URL: "", MOCKS3_DESTINATION_GUARD: "" });
    expect(vars("workers/gateway/wrangler.toml")).toMatchObject({ MOCKS3_FRONT_DOOR_CONTROL: "", MOCKS3_DESTINATION_GUARD: "" });
  });
});
