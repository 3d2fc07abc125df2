/**
 * What every worker's isolate carries: the workers that only decide faults, serve S3 or move
 * events must not bundle zod (its schemas are built when an isolate starts, and cost workerd
 * some 15 MiB at rest when the fault gate pulled them in). Only mock-error-service, which
 * checks rules and replay documents, and third-party-service, which checks upstreams, need it.
 * Reads the bundles the suite's stack was started from (.build, made by the global setup).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WITHOUT_ZOD = ["gateway", "metadata-service", "storage-service", "queue-service", "mocks3-durable-objects"];

describe("bundles", () => {
  it("bundles › the gate's workers carry no zod; mock-error-service does (the check can fail)", () => {
    const hasZod = (name: string) => readFileSync(path.join(ROOT, ".build", name, "index.js"), "utf8").includes("ZodError");
    expect(WITHOUT_ZOD.filter(hasZod)).toEqual([]);
    expect(hasZod("mock-error-service")).toBe(true);
  });
});
