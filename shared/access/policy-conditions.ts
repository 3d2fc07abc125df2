/**
 * A policy statement's Condition block as IAM evaluates it: every operator of the block must
 * hold, and within an operator every key; a key holds when the request's value matches any of
 * the listed values. A key the request lacks fails a plain operator and satisfies a negated
 * one; `…IfExists` makes a missing key hold; `Null` tests presence. `ForAnyValue:` and
 * `ForAllValues:` are accepted (every S3 condition key is single-valued here).
 */
import { addressInRange } from "../cidr";
import { globRegExp } from "../glob";

type Test = (actual: string, expected: string) => boolean;

const globTest: Test = (actual, expected) => globRegExp(expected).test(actual);
const numeric =
  (compare: (a: number, b: number) => boolean): Test =>
  (a, b) =>
    compare(Number(a), Number(b));
const dated =
  (compare: (a: number, b: number) => boolean): Test =>
  (a, b) =>
    compare(dateOf(a), dateOf(b));

/** Each operator's test, and whether it is the negation of its test (true when no value matches). */
const OPERATORS: Record<string, { test: Test; negated?: true }> = {
  StringEquals: { test: (a, b) => a === b },
  StringNotEquals: { test: (a, b) => a === b, negated: true },
  StringEqualsIgnoreCase: { test: (a, b) => a.toLowerCase() === b.toLowerCase() },
  StringNotEqualsIgnoreCase: { test: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: true },
  StringLike: { test: globTest },
  StringNotLike: { test: globTest, negated: true },
  ArnEquals: { test: (a, b) => a === b },
  ArnNotEquals: { test: (a, b) => a === b, negated: true },
  ArnLike: { test: globTest },
  ArnNotLike: { test: globTest, negated: true },
  Bool: { test: (a, b) => a.toLowerCase() === b.toLowerCase() },
  IpAddress: { test: addressInRange },
  NotIpAddress: { test: addressInRange, negated: true },
  NumericEquals: { test: numeric((a, b) => a === b) },
  NumericNotEquals: { test: numeric((a, b) => a === b), negated: true },
  NumericLessThan: { test: numeric((a, b) => a < b) },
  NumericLessThanEquals: { test: numeric((a, b) => a <= b) },
  NumericGreaterThan: { test: numeric((a, b) => a > b) },
  NumericGreaterThanEquals: { test: numeric((a, b) => a >= b) },
  DateEquals: { test: dated((a, b) => a === b) },
  DateNotEquals: { test: dated((a, b) => a === b), negated: true },
  DateLessThan: { test: dated((a, b) => a < b) },
  DateLessThanEquals: { test: dated((a, b) => a <= b) },
  DateGreaterThan: { test: dated((a, b) => a > b) },
  DateGreaterThanEquals: { test: dated((a, b) => a >= b) },
};

/** A Condition block: operator → condition key → values. */
export type ConditionBlock = Record<string, Record<string, unknown>>;

/** Why a Condition block cannot be evaluated (S3 answers MalformedPolicy), if so. */
export function conditionProblem(block: unknown): string | undefined {
  if (typeof block !== "object" || block === null || Array.isArray(block)) return "Invalid Condition";
  for (const [operator, keys] of Object.entries(block)) {
    const name = baseOperator(operator);
    if (name !== "Null" && !OPERATORS[name]) return `Invalid Condition type : ${operator}`;
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) return `Invalid Condition block for ${operator}`;
    for (const value of Object.values(keys)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.some((v) => typeof v !== "string" && typeof v !== "boolean" && typeof v !== "number")) return `Invalid Condition value for ${operator}`;
    }
  }
  return undefined;
}

/** Whether every operator of the block holds for the request's condition keys. */
export function conditionsHold(block: ConditionBlock, context: Record<string, string>): boolean {
  for (const [operator, keys] of Object.entries(block)) {
    const name = baseOperator(operator);
    const ifExists = operator.endsWith("IfExists");
    for (const [key, listed] of Object.entries(keys)) {
      const actual = context[key.toLowerCase()];
      const values = (Array.isArray(listed) ? listed : [listed]).map(String);
      if (name === "Null") {
        if (values.some((v) => (v.toLowerCase() === "true") !== (actual === undefined))) return false;
        continue;
      }
      const { test, negated } = OPERATORS[name]!;
      if (actual === undefined) {
        if (ifExists || negated || operator.startsWith("ForAllValues:")) continue;
        return false;
      }
      const matched = values.some((expected) => test(actual, expected));
      if (matched === Boolean(negated)) return false;
    }
  }
  return true;
}

function baseOperator(operator: string): string {
  return operator.replace(/^For(AnyValue|AllValues):/, "").replace(/IfExists$/, "");
}

function dateOf(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}
