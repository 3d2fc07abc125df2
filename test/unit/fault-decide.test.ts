/**
 * RuleCounter (shared/faults/decide.ts): the count gates over the requests a rule's
 * conditions let through, and its probability draws, reproducible with a seed.
 */
import { describe, expect, it } from "vitest";
import { RuleCounter } from "../../shared/faults/decide";
import type { Gates } from "../../shared/faults/matcher";

/** Which of the first `n` requests the rule injects into (1-based). */
function injected(counter: RuleCounter, n: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i < n; i++) {
    const { inject, n: count } = counter.decide();
    expect(count).toBe(i + 1);
    if (inject) hits.push(count);
  }
  return hits;
}

const run = (gates: Gates, n: number, seed?: number, name = "rule") => injected(new RuleCounter(gates, seed, name), n);

describe("RuleCounter", () => {
  it("RuleCounter › injects into every request without gates", () => {
    expect(run({}, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it("RuleCounter › skip_first lets the first requests through", () => {
    expect(run({ skipFirst: 2 }, 5)).toEqual([3, 4, 5]);
  });

  it("RuleCounter › every_nth injects into every n-th request", () => {
    expect(run({ everyNth: 3 }, 10)).toEqual([3, 6, 9]);
  });

  it("RuleCounter › max_injections stops after that many", () => {
    const counter = new RuleCounter({ maxInjections: 2 }, undefined, "rule");
    expect(injected(counter, 6)).toEqual([1, 2]);
    expect(counter.matched).toBe(6);
    expect(counter.injected).toBe(2);
  });

  it("RuleCounter › combines skip_first, every_nth and max_injections (every_nth counts after the skipped ones)", () => {
    expect(run({ skipFirst: 2, everyNth: 2, maxInjections: 3 }, 20)).toEqual([4, 6, 8]);
  });

  it('RuleCounter › "fail the first two, then succeed" is max_injections 2', () => {
    expect(run({ maxInjections: 2 }, 4)).toEqual([1, 2]);
  });

  it("RuleCounter › probability 0 never injects and 1 always does", () => {
    expect(run({ probability: 0 }, 100)).toEqual([]);
    expect(run({ probability: 1 }, 100)).toHaveLength(100);
    expect(run({ probability: 0 }, 100, 7)).toEqual([]);
    expect(run({ probability: 1 }, 100, 7)).toHaveLength(100);
  });

  it("RuleCounter › max_injections counts injections, not requests, under a probability", () => {
    const hits = run({ probability: 0.5, maxInjections: 10 }, 1000, 42);
    expect(hits).toHaveLength(10);
    expect(hits.at(-1)!).toBeGreaterThan(10);
  });

  it("RuleCounter › the same seed and rule name give the same injections", () => {
    const first = run({ probability: 0.3 }, 500, 1234, "flaky puts");
    expect(run({ probability: 0.3 }, 500, 1234, "flaky puts")).toEqual(first);
    const counter = new RuleCounter({}, 1234, "flaky puts");
    expect(counter.draw(17, 0)).toBe(new RuleCounter({}, 1234, "flaky puts").draw(17, 0));
    expect(counter.draw(17, 1)).not.toBe(counter.draw(17, 0));
  });

  it("RuleCounter › another seed or another rule name gives other injections", () => {
    const first = run({ probability: 0.3 }, 500, 1234, "flaky puts");
    expect(run({ probability: 0.3 }, 500, 1235, "flaky puts")).not.toEqual(first);
    expect(run({ probability: 0.3 }, 500, 1234, "flaky gets")).not.toEqual(first);
    expect(run({ probability: 0.3 }, 500, 0, "flaky puts")).not.toEqual(first);
  });

  it("RuleCounter › seeded draws lie in [0, 1) and land near the probability", () => {
    const counter = new RuleCounter({}, 99, "rule");
    const draws = Array.from({ length: 10_000 }, (_, i) => counter.draw(i + 1, 0));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    // 10,000 draws at p = 0.25: mean 2,500, σ ≈ 43; ±6σ.
    const below = draws.filter((d) => d < 0.25).length;
    expect(below).toBeGreaterThan(2240);
    expect(below).toBeLessThan(2760);
  });

  it("RuleCounter › unseeded draws inject about as often as the probability says", () => {
    // 10,000 requests at p = 0.3: mean 3,000, σ ≈ 46; ±6σ.
    const hits = run({ probability: 0.3 }, 10_000).length;
    expect(hits).toBeGreaterThan(2720);
    expect(hits).toBeLessThan(3280);
  });

  it("RuleCounter › probability applies after skip_first and every_nth", () => {
    const hits = run({ skipFirst: 10, everyNth: 2, probability: 1 }, 20);
    expect(hits).toEqual([12, 14, 16, 18, 20]);
    const some = run({ skipFirst: 10, everyNth: 2, probability: 0.5 }, 2000, 5);
    expect(some.every((n) => n > 10 && n % 2 === 0)).toBe(true);
    expect(some.length).toBeGreaterThan(400);
    expect(some.length).toBeLessThan(600);
  });
});
