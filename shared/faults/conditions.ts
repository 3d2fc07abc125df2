/**
 * The conditions a fault rule may have, as users write them (`{"type": ..., ...}`), and how
 * each is checked when written: a rule with a condition that could never be evaluated is
 * refused with the reason, never stored to be skipped later. All conditions of a rule must
 * hold for it to inject.
 */
import { z } from "zod";
import { S3_OPERATIONS } from "../s3-operations";
import { isAddressOrCidr } from "../cidr";

/** One value or a list of them; always a list once parsed. */
const oneOrMany = <T extends z.ZodType>(item: T) => z.preprocess((value) => (Array.isArray(value) ? value : [value]), z.array(item).min(1));

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: "is not a valid regular expression" },
);

const count = z.number().int().min(1).max(1_000_000_000);

const PROBABILITY = "a probability is a number from 0 to 1";
const probability = z.number({ error: PROBABILITY }).min(0, PROBABILITY).max(1, PROBABILITY);

/** How a named header or query parameter must look: one of equals, regex, present. */
const valueTest = {
  name: z.string().min(1),
  equals: z.string().optional(),
  regex: regex.optional(),
  present: z.boolean().optional(),
};
const oneValueTest = (c: { equals?: string; regex?: string; present?: boolean }) => [c.equals, c.regex, c.present].filter((v) => v !== undefined).length === 1;
const VALUE_TEST_MESSAGE = "needs exactly one of equals, regex, present";

const operation = z.enum(S3_OPERATIONS, { error: (issue) => `unknown S3 operation ${JSON.stringify(issue.input)}` });

const isoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: "is not an ISO 8601 time" });

export const conditionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("probability"), value: probability }),
    z.strictObject({ type: z.literal("operation"), value: oneOrMany(operation) }),
    z.strictObject({ type: z.literal("method"), value: oneOrMany(z.enum(["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"])) }),
    /** the bucket's name, exactly or as a glob (`*`, `?`) */
    z.strictObject({ type: z.literal("bucket"), value: oneOrMany(z.string().min(1)) }),
    z
      .strictObject({ type: z.literal("key"), prefix: z.string().optional(), glob: z.string().optional(), regex: regex.optional() })
      .refine((c) => [c.prefix, c.glob, c.regex].filter((v) => v !== undefined).length === 1, { message: "needs exactly one of prefix, glob, regex" }),
    z.strictObject({ type: z.literal("header"), ...valueTest }).refine(oneValueTest, { message: VALUE_TEST_MESSAGE }),
    z.strictObject({ type: z.literal("query"), ...valueTest }).refine(oneValueTest, { message: VALUE_TEST_MESSAGE }),
    /** the client's address: IPs or CIDR blocks */
    z.strictObject({ type: z.literal("source"), value: oneOrMany(z.string().refine(isAddressOrCidr, { message: "is not an IP address or CIDR block" })) }),
    z
      .strictObject({ type: z.literal("user_agent"), contains: z.string().min(1).optional(), regex: regex.optional() })
      .refine((c) => (c.contains === undefined) !== (c.regex === undefined), { message: "needs exactly one of contains, regex" }),
    z.strictObject({ type: z.literal("access_key"), value: oneOrMany(z.string().min(1)) }),
    z
      .strictObject({ type: z.literal("content_length"), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .refine((c) => c.min !== undefined || c.max !== undefined, { message: "needs min, max or both" })
      .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: "min is above max" }),
    z
      .strictObject({
        type: z.literal("part_number"),
        value: z.number().int().min(1).max(10_000).optional(),
        min: z.number().int().min(1).max(10_000).optional(),
        max: z.number().int().min(1).max(10_000).optional(),
      })
      .refine((c) => (c.value !== undefined) !== (c.min !== undefined || c.max !== undefined), { message: "needs value, or min and/or max" })
      .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: "min is above max" }),
    /** a window of time, as ISO 8601 instants; either end may be open */
    z
      .strictObject({ type: z.literal("time_window"), start: isoInstant.optional(), end: isoInstant.optional() })
      .refine((c) => c.start !== undefined || c.end !== undefined, { message: "needs start, end or both" })
      .refine((c) => c.start === undefined || c.end === undefined || Date.parse(c.start) < Date.parse(c.end), { message: "start is not before end" }),
    /** count gates, over the requests that meet every other condition */
    z.strictObject({ type: z.literal("skip_first"), value: count }),
    z.strictObject({ type: z.literal("max_injections"), value: count }),
    z.strictObject({ type: z.literal("every_nth"), value: count }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `unknown condition type ${JSON.stringify((issue.input as { type?: unknown })?.type)}` : undefined) },
);

export type Condition = z.output<typeof conditionSchema>;
export type ConditionType = Condition["type"];
