/**
 * The example experiments (examples/experiments/*.yaml) are documents the experiments API
 * takes: each parses as the server parses YAML and passes `checkExperiment`, says what it
 * supposes in its description, and probes only the demo service on loopback. No stack.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkExperiment } from "../../shared/experiments/document";

const DIR = path.resolve(import.meta.dirname, "../../examples/experiments");
const files = readdirSync(DIR).filter((name) => name.endsWith(".yaml"));

describe("example experiments", () => {
  it("are there", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("%s › parses, checks, has a description and probes 127.0.0.1 only", (file) => {
    const checked = checkExperiment(parse(readFileSync(path.join(DIR, file), "utf8"), { maxAliasCount: 100 }));
    if (!checked.ok) throw new Error(`${file}: ${checked.reason}`);
    const { experiment } = checked;
    expect(experiment.description.trim()).not.toBe("");
    const probes = [...experiment.hypothesis, ...experiment.stop_conditions].flatMap((check) => (check.probe ? [check.probe.url] : []));
    expect(probes.length).toBeGreaterThan(0);
    for (const url of probes) expect(new URL(url).hostname, url).toBe("127.0.0.1");
    const total = experiment.before + Math.max(...experiment.steps.map((step) => step.at + step.duration)) + experiment.after;
    expect(total, "timeline").toBeLessThanOrEqual(60_000);
  });
});
