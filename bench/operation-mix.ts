/**
 * What a case sends: one operation (`get`) or a weighted mix (`get:80,put:20`). Choices
 * come from a seeded xorshift per connection, so two runs send the same sequence — never
 * Math.random().
 */
import { OPERATION_NAMES, OPERATIONS, type OperationDef, type OperationName } from "./operations";

export interface OperationMix {
  /** e.g. "get" or "get:80,put:20" */
  label: string;
  entries: { name: OperationName; weight: number }[];
}

export function singleOperation(name: OperationName): OperationMix {
  return { label: name, entries: [{ name, weight: 1 }] };
}

/** Parses `get:80,put:20` (weights are relative; a bare name weighs 1). */
export function parseMix(text: string): OperationMix {
  const entries = text.split(",").map((part) => {
    const [name = "", weight = "1"] = part.trim().split(":");
    if (!(OPERATION_NAMES as readonly string[]).includes(name)) throw new Error(`--mix: unknown operation ${JSON.stringify(name)} (one of ${OPERATION_NAMES.join(", ")})`);
    const value = Number(weight);
    if (!(value > 0)) throw new Error(`--mix: the weight of ${name} must be a positive number`);
    return { name: name as OperationName, weight: value };
  });
  return { label: entries.map((e) => `${e.name}:${e.weight}`).join(","), entries };
}

/** Picks operations for one connection. */
export class MixPicker {
  readonly #cumulative: number[];
  readonly #defs: OperationDef[];
  readonly #total: number;
  #state: number;

  constructor(mix: OperationMix, seed: number) {
    let sum = 0;
    this.#cumulative = mix.entries.map((e) => (sum += e.weight));
    this.#total = sum;
    this.#defs = mix.entries.map((e) => OPERATIONS[e.name]);
    this.#state = (seed * 2654435761) >>> 0 || 1;
  }

  next(): OperationDef {
    if (this.#defs.length === 1) return this.#defs[0]!;
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    const point = (this.#state / 0x1_0000_0000) * this.#total;
    const index = this.#cumulative.findIndex((edge) => point < edge);
    return this.#defs[index === -1 ? this.#defs.length - 1 : index]!;
  }
}
