/**
 * `npm start`'s terminal by default: a summary line a second while requests flow and a line
 * for every fault injected — not a line per request (those stay in the log file). A stack of
 * its own, with MOCKS3_LOG_STDOUT left at its default.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putTestObject } from "../helpers/fault-load";
import { addRule } from "../helpers/faults";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;

beforeAll(async () => {
  // "" is the default (unset): startStackProcess itself sets "false"
  stack = await startStackProcess({ env: { MOCKS3_LOG_STDOUT: "" } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the terminal of npm start", () => {
  it("shows requests per second, errors and faults once a second, and each fault — not each request", async () => {
    const url = await putTestObject(stack.endpoint, "console", "obj", 10);
    const rule = await addRule(
      {
        name: "console teapot",
        service: "gateway",
        conditions: [
          { type: "bucket", value: "console" },
          { type: "every_nth", value: 2 },
        ],
        action: { type: "http_error", http_code: 418 },
      },
      stack.services["mock-error-service"],
    );
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await fetch(url)).status);
    expect(statuses.filter((s) => s === 418)).toHaveLength(10);

    // the summaries of the seconds the requests fell in add up to them (with the PUTs and the rule's POST)
    const totals = () => {
      const summaries = [...stack.output().matchAll(/(\d+) req\/s {2}4xx (\d+) {2}5xx \d+ {2}faults (\d+)/g)];
      return { clientErrors: summaries.reduce((sum, m) => sum + Number(m[2]), 0), faults: summaries.reduce((sum, m) => sum + Number(m[3]), 0) };
    };
    await expect.poll(totals, { timeout: 10_000 }).toEqual({ clientErrors: 10, faults: 10 });
    expect(stack.output().match(/ fault {4}http_error by "console teapot" at gateway: GetObject console\/obj /g)).toHaveLength(10);
    expect(stack.output()).not.toContain('"kind":"request"');
    expect(rule.id).toBeTruthy();
  });
});
