/**
 * Whether a rule injects into a request its conditions let through: skip_first, every_nth,
 * probability, max_injections, in that order, over the rule's own count of such requests.
 *
 * With a seed (the rule's, or the global one) the probability draw for the n-th request is a
 * hash of (seed, rule name, n), so the same sequence of requests gets the same injections run
 * after run (counts restart when the rule is written again, when the seed it uses — its
 * own or the global one — changes, or when stats are reset). Without one, draws are random.
 */
import type { Gates } from "./matcher";

export class RuleCounter {
  matched = 0;
  injected = 0;
  private readonly salt: number;

  constructor(
    private readonly gates: Gates,
    private readonly seed: number | undefined,
    name: string,
  ) {
    this.salt = seed === undefined ? 0 : hash32(seed, stringHash(name));
  }

  /** Counts one request the conditions let through; true when the rule injects into it. */
  decide(): { inject: boolean; n: number } {
    const n = ++this.matched;
    const { skipFirst = 0, everyNth, probability, maxInjections } = this.gates;
    if (n <= skipFirst) return { inject: false, n };
    if (everyNth !== undefined && (n - skipFirst) % everyNth !== 0) return { inject: false, n };
    if (probability !== undefined && this.draw(n, 0) >= probability) return { inject: false, n };
    if (maxInjections !== undefined && this.injected >= maxInjections) return { inject: false, n };
    this.injected++;
    return { inject: true, n };
  }

  /** A number in [0, 1) for the n-th request (and a sub-draw), reproducible with a seed. */
  draw(n: number, index: number): number {
    if (this.seed === undefined) return Math.random();
    return hash32(hash32(this.salt, n), index) / 2 ** 32;
  }
}

/** A 32-bit mix of two integers (murmur3's finaliser over a combined word). */
function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
