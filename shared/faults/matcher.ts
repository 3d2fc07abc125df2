/**
 * A rule's conditions compiled once into tests on RequestFacts (cheapest first), and its
 * gates: probability and the count conditions, which decide.ts applies to the requests the
 * tests let through.
 */
import { addressMatcher } from "../cidr";
import type { Condition } from "./conditions";
import { isGate, type GateCondition } from "./gate-conditions";
import type { RequestFacts } from "./facts";
import { globRegExp, nameMatcher } from "../glob";

export type FactTest = (facts: RequestFacts) => boolean;

export interface Gates {
  probability?: number;
  skipFirst?: number;
  maxInjections?: number;
  everyNth?: number;
}

export interface CompiledConditions {
  tests: FactTest[];
  gates: Gates;
}

/** Lower runs first: set lookups before regular expressions. */
const COST: Partial<Record<Condition["type"], number>> = { operation: 0, method: 0, bucket: 1, access_key: 1, part_number: 1, content_length: 1, time_window: 1 };

/** Where each gate condition's value goes. */
const GATE_FIELD: Record<GateCondition["type"], keyof Gates> = { probability: "probability", skip_first: "skipFirst", max_injections: "maxInjections", every_nth: "everyNth" };

export function compileConditions(conditions: Condition[]): CompiledConditions {
  const gates: Gates = {};
  const tests: Array<{ cost: number; test: FactTest }> = [];
  for (const condition of conditions) {
    if (isGate(condition)) gates[GATE_FIELD[condition.type]] = condition.value;
    else tests.push({ cost: COST[condition.type] ?? 2, test: compileTest(condition) });
  }
  tests.sort((a, b) => a.cost - b.cost);
  return { tests: tests.map((t) => t.test), gates };
}

function compileTest(c: Exclude<Condition, GateCondition>): FactTest {
  switch (c.type) {
    case "operation": {
      const names = new Set<string>(c.value);
      return (f) => names.has(f.operation);
    }
    case "method": {
      const methods = new Set<string>(c.value);
      return (f) => methods.has(f.method);
    }
    case "bucket": {
      const matches = nameMatcher(c.value);
      return (f) => f.bucket !== "" && matches(f.bucket);
    }
    case "key":
      return keyTest(c);
    case "header": {
      const name = c.name.toLowerCase();
      return valueTest(c, (f) => ownValue(f.headers, name));
    }
    case "query":
      return valueTest(c, (f) => ownValue(f.query, c.name));
    case "source": {
      const matches = addressMatcher(c.value);
      return (f) => matches(f.sourceAddress);
    }
    case "user_agent": {
      if (c.contains !== undefined) {
        const part = c.contains.toLowerCase();
        return (f) => (f.userAgent ?? "").toLowerCase().includes(part);
      }
      const pattern = new RegExp(c.regex!);
      return (f) => pattern.test(f.userAgent ?? "");
    }
    case "access_key": {
      const keys = new Set(c.value);
      return (f) => f.accessKey !== undefined && keys.has(f.accessKey);
    }
    case "content_length": {
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = c;
      return (f) => f.contentLength !== undefined && f.contentLength >= min && f.contentLength <= max;
    }
    case "part_number": {
      const min = c.value ?? c.min ?? 1;
      const max = c.value ?? c.max ?? 10_000;
      return (f) => f.partNumber !== undefined && f.partNumber >= min && f.partNumber <= max;
    }
    case "time_window": {
      const start = c.start === undefined ? -Infinity : Date.parse(c.start);
      const end = c.end === undefined ? Infinity : Date.parse(c.end);
      return () => {
        const now = Date.now();
        return now >= start && now < end;
      };
    }
  }
}

function keyTest(c: Extract<Condition, { type: "key" }>): FactTest {
  if (c.prefix !== undefined) {
    const prefix = c.prefix;
    return (f) => f.key !== "" && f.key.startsWith(prefix);
  }
  const pattern = c.glob !== undefined ? globRegExp(c.glob) : new RegExp(c.regex!);
  return (f) => f.key !== "" && pattern.test(f.key);
}

function valueTest(c: { equals?: string; regex?: string; present?: boolean }, read: (f: RequestFacts) => string | undefined): FactTest {
  if (c.present !== undefined) {
    const wanted = c.present;
    return (f) => (read(f) !== undefined) === wanted;
  }
  if (c.equals !== undefined) {
    const wanted = c.equals;
    return (f) => read(f) === wanted;
  }
  const pattern = new RegExp(c.regex!);
  return (f) => {
    const value = read(f);
    return value !== undefined && pattern.test(value);
  };
}

/** A header or query value: an own field only (`constructor` is a name, not Object's). */
function ownValue(record: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
