/**
 * Fault rules checked when written (shared/faults/rule.ts): the seed's two rules as they are
 * in its README, and every kind of bad rule refused with a reason that names what is wrong.
 * Durations in both encodings (shared/faults/duration.ts).
 */
import { describe, expect, it } from "vitest";
import { durationMs } from "../../shared/faults/duration";
import { checkRule } from "../../shared/faults/rule";
import { SEED_RULE_BODIES } from "../helpers/seed-faults";

const base = { name: "r", service: "gateway", action: { type: "http_error", http_code: 503 } };
const withConditions = (...conditions: unknown[]) => ({ ...base, conditions });
const withAction = (action: unknown, rest: Record<string, unknown> = {}) => ({ ...base, ...rest, action });

function refusal(input: unknown): string {
  const check = checkRule(input);
  if (check.ok) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return check.reason;
}

describe("checkRule", () => {
  it("checkRule › accepts the seed README's two rules verbatim", () => {
    const [storage, metadata] = SEED_RULE_BODIES.map((text) => checkRule(JSON.parse(text)));
    expect(storage).toEqual({
      ok: true,
      rule: {
        name: "Storage Random Error",
        description: "10% chance of 500 error",
        service: "storage-service",
        enabled: true,
        conditions: [{ type: "probability", value: 0.1 }],
        action: { type: "http_error", http_code: 500, message: "Internal server error injected" },
        priority: 0,
      },
    });
    expect(metadata).toMatchObject({ ok: true, rule: { service: "metadata-service", action: { type: "delay", delay: "2s" } } });
  });

  it("checkRule › fills in the defaults of a minimal rule", () => {
    expect(checkRule(base)).toEqual({ ok: true, rule: { ...base, description: "", enabled: true, conditions: [], priority: 0 } });
  });

  it("checkRule › takes back what the server added to a rule it read (id, times)", () => {
    expect(checkRule({ ...base, id: "r-1", created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z" }).ok).toBe(true);
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ["an unknown condition type", withConditions({ type: "weather", value: "rain" }), /conditions\.0\.type: unknown condition type "weather"/],
    ["a condition without a type", withConditions({ value: 1 }), /unknown condition type/],
    ["an unknown action type", withAction({ type: "explode" }), /action\.type: unknown action type "explode"/],
    ["a negative probability", withConditions({ type: "probability", value: -0.1 }), /conditions\.0\.value: a probability is a number from 0 to 1/],
    ["a probability above 1", withConditions({ type: "probability", value: 1.5 }), /a probability is a number from 0 to 1/],
    ["a probability as a string", withConditions({ type: "probability", value: "0.5" }), /a probability is a number from 0 to 1/],
    ["an unknown service", { ...base, service: "dns-service" }, /service: unknown service "dns-service" \(one of gateway, metadata-service/],
    ["an unknown operation", withConditions({ type: "operation", value: ["PutObject", "PutObjekt"] }), /conditions\.0\.value\.1: unknown S3 operation "PutObjekt"/],
    ["an unknown method", withConditions({ type: "method", value: "PATCH" }), /conditions\.0\.value\.0/],
    ["a duration with a space", withAction({ type: "delay", delay: "2 sec" }), /action\.delay: is not a duration \(use "2s", "150ms", or integer nanoseconds\)/],
    ["a duration without a unit", withAction({ type: "delay", delay: "2" }), /action\.delay: is not a duration/],
    ["negative nanoseconds", withAction({ type: "delay", delay: -5 }), /action\.delay: is not a duration/],
    ["fractional nanoseconds", withAction({ type: "delay", delay: 1.5 }), /action\.delay: is not a duration/],
    ["a delay over an hour", withAction({ type: "delay", delay: "2h" }), /action\.delay: is longer than 1h/],
    ["a delay range upside down", withAction({ type: "delay", min: "2s", max: "1s" }), /action: min is above max/],
    ["a delay and a range at once", withAction({ type: "delay", delay: "1s", min: "1s", max: "2s" }), /action: needs delay, or min and max/],
    ["a key with prefix and regex", withConditions({ type: "key", prefix: "logs/", regex: "^logs/" }), /conditions\.0: needs exactly one of prefix, glob, regex/],
    ["a key with no test", withConditions({ type: "key" }), /needs exactly one of prefix, glob, regex/],
    ["a bad key regex", withConditions({ type: "key", regex: "(logs" }), /conditions\.0\.regex: is not a valid regular expression/],
    ["a bad header regex", withConditions({ type: "header", name: "x-a", regex: "[" }), /conditions\.0\.regex: is not a valid regular expression/],
    ["a header with equals and present", withConditions({ type: "header", name: "x-a", equals: "1", present: true }), /needs exactly one of equals, regex, present/],
    ["a bad CIDR prefix length", withConditions({ type: "source", value: "10.0.0.0/33" }), /conditions\.0\.value\.0: is not an IP address or CIDR block/],
    ["a host name as a source", withConditions({ type: "source", value: ["127.0.0.1", "localhost"] }), /conditions\.0\.value\.1: is not an IP address or CIDR block/],
    ["a user agent with contains and regex", withConditions({ type: "user_agent", contains: "a", regex: "b" }), /needs exactly one of contains, regex/],
    ["a content length range upside down", withConditions({ type: "content_length", min: 20, max: 10 }), /min is above max/],
    ["a part number and a range at once", withConditions({ type: "part_number", value: 3, min: 1 }), /needs value, or min and\/or max/],
    ["a part number out of S3's range", withConditions({ type: "part_number", value: 10_001 }), /conditions\.0\.value/],
    ["a time window with a bad time", withConditions({ type: "time_window", start: "yesterday" }), /conditions\.0\.start: is not an ISO 8601 time/],
    ["a time window ending before it starts", withConditions({ type: "time_window", start: "2030-01-02T00:00:00Z", end: "2030-01-01T00:00:00Z" }), /start is not before end/],
    ["a zero count gate", withConditions({ type: "every_nth", value: 0 }), /conditions\.0\.value/],
    ["ack_then_drop without an operation", withAction({ type: "ack_then_drop" }), /conditions: ack_then_drop needs an operation condition naming only PutObject, UploadPart, DeleteObject/],
    ["ack_then_drop on a read", withAction({ type: "ack_then_drop" }, { conditions: [{ type: "operation", value: ["PutObject", "GetObject"] }] }), /ack_then_drop needs an operation condition/],
    [
      "error_in_200 without an operation",
      withAction({ type: "error_in_200" }),
      /conditions: error_in_200 needs an operation condition naming only CompleteMultipartUpload, CopyObject, UploadPartCopy/,
    ],
    ["error_in_200 on PutObject", withAction({ type: "error_in_200" }, { conditions: [{ type: "operation", value: "PutObject" }] }), /error_in_200 needs an operation condition/],
    [
      "storage-service taking truncate",
      withAction({ type: "truncate", after_bytes: 10 }, { service: "storage-service" }),
      /action\.type: truncate acts on the client's connection or response, so only the gateway can take it; storage-service can take http_error, slow_down, delay/,
    ],
    [
      "metadata-service taking a first-byte delay",
      withAction({ type: "delay", delay: "1s", at: "first_byte" }, { service: "metadata-service" }),
      /action\.at: first_byte delays are taken at the gateway only/,
    ],
    ["two skip_first conditions", withConditions({ type: "skip_first", value: 1 }, { type: "skip_first", value: 2 }), /conditions: probability and count conditions may appear once each/],
    ["two probabilities", withConditions({ type: "probability", value: 0.1 }, { type: "probability", value: 0.2 }), /may appear once each/],
    ["an unknown top-level field", { ...base, colour: "red" }, /Unrecognized key: "colour"/],
    ["an unknown field in a condition", withConditions({ type: "bucket", value: "b", extra: 1 }), /conditions\.0: Unrecognized key: "extra"/],
    ["an http_code outside 400–599", withAction({ type: "http_error", http_code: 302 }), /action\.http_code/],
    ["a rule without a name", { service: "gateway", action: base.action }, /name:/],
    ["a rule without an action", { name: "r", service: "gateway" }, /action:/],
  ];

  it.each(refused)("checkRule › refuses %s, saying why", (_, input, reason) => {
    expect(refusal(input)).toMatch(reason);
  });

  it("checkRule › gives every reason of a rule wrong in several ways", () => {
    const reason = refusal({ ...base, service: "dns-service", conditions: [{ type: "probability", value: 2 }] });
    expect(reason).toMatch(/service: unknown service/);
    expect(reason).toMatch(/conditions\.0\.value: a probability/);
  });

  it("checkRule › accepts one value where a list is allowed, and gives a list back", () => {
    const check = checkRule(withConditions({ type: "operation", value: "GetObject" }, { type: "source", value: "::ffff:10.0.0.0/104" }));
    expect(check).toMatchObject({ ok: true, rule: { conditions: [{ value: ["GetObject"] }, { value: ["::ffff:10.0.0.0/104"] }] } });
  });

  it("checkRule › accepts the actions limited to some operations when they name only those", () => {
    expect(checkRule(withAction({ type: "ack_then_drop" }, { conditions: [{ type: "operation", value: ["PutObject", "UploadPart"] }] })).ok).toBe(true);
    expect(checkRule(withAction({ type: "error_in_200" }, { conditions: [{ type: "operation", value: "CopyObject" }] })).ok).toBe(true);
  });

  it("checkRule › accepts durations as integer nanoseconds, as Go encodes them", () => {
    expect(checkRule(withAction({ type: "delay", delay: 2_000_000_000 })).ok).toBe(true);
    expect(checkRule(withAction({ type: "delay", min: "100ms", max: 1_500_000_000 })).ok).toBe(true);
  });
});

describe("durationMs", () => {
  it.each([
    ["2s", 2000],
    ["150ms", 150],
    ["1m30s", 90_000],
    ["1.5s", 1500],
    ["1h", 3_600_000],
    ["250us", 0.25],
    ["0", 0],
    [120_000_000_000, 120_000],
    [2_000_000_000, 2000],
    [0, 0],
  ])("durationMs › reads %j as %d ms", (value, ms) => {
    expect(durationMs(value)).toBe(ms);
  });

  it.each([["2 sec"], ["2"], [""], ["s"], ["-2s"], ["2x"], [-1], [1.5], [Number.MAX_VALUE], [null], [true]])("durationMs › refuses %j", (value) => {
    expect(durationMs(value)).toBeUndefined();
  });
});
