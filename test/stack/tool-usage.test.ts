/**
 * Every npm tool explains itself, run through npm as a user would: `--help` and `-h` print
 * its usage on stdout and exit 0 without doing anything (`npm start -- --help` starts no
 * stack, `npm run stop -- --help` stops none); an unknown flag prints the reason and the
 * usage on stderr and exits 2, never a stack trace.
 */
import { describe, expect, it } from "vitest";
import { npmRun } from "../helpers/run-command";

const TOOLS = ["start", "stop", "status", "health-check", "test-api", "load-test", "logs", "experiment", "bench", "dev"];
// were a tool to ignore its flags, it would find nothing to act on
const NOWHERE = { MOCKS3_PORT: "1", MOCKS3_DATA_DIR: "/nonexistent/mocks3-usage-test" };

describe("npm run <tool> -- --help", () => {
  it.each(TOOLS)("%s › --help and -h print the usage and exit 0; an unknown flag exits 2 with the reason and the usage", async (tool) => {
    const [long, short, unknown] = await Promise.all([npmRun(tool, ["--help"], NOWHERE), npmRun(tool, ["-h"], NOWHERE), npmRun(tool, ["--no-such-flag"], NOWHERE)]);
    const usage = new RegExp(`^usage: npm (run )?${tool}\\b`);
    for (const help of [long, short]) {
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(usage);
      expect(help.stderr).toBe("");
    }
    expect(short.stdout).toBe(long.stdout);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/^Unknown option '--no-such-flag'/);
    expect(unknown.stderr).toMatch(new RegExp(`\\n\\nusage: npm (run )?${tool}\\b`, "m"));
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it("logs › an unknown service or a bad value is a usage error too (exit 2)", async () => {
    const [service, lines] = await Promise.all([npmRun("logs", ["warehouse", "--no-follow"], NOWHERE), npmRun("logs", ["--lines", "many", "--no-follow"], NOWHERE)]);
    expect(service.code).toBe(2);
    expect(service.stderr).toMatch(/^unknown service "warehouse" \(one of gateway, metadata-service, .*sidecar\)/);
    expect(lines.code).toBe(2);
    expect(lines.stderr).toMatch(/^--lines must be a whole number, got many\n\nusage: npm run logs/);
  });
});
