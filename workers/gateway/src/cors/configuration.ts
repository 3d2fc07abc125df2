/**
 * The CORSConfiguration document of PutBucketCors and GetBucketCors: parsed and validated
 * into `CorsRule[]` when written (a bad rule is refused then, never skipped at match time),
 * and written back by the one XML module.
 *
 * What S3 answers, rule by rule and in this order (the first invalid rule decides):
 * - not XML, no CORSRule, a rule without AllowedOrigin or AllowedMethod, an element S3's
 *   schema does not have, two IDs or two MaxAgeSeconds, a MaxAgeSeconds that is not a
 *   non-negative integer → MalformedXML;
 * - a method other than GET, PUT, POST, DELETE, HEAD (case-sensitive, the empty one too) →
 *   InvalidRequest "Found unsupported HTTP method in CORS config. Unsupported method is X";
 * - an AllowedOrigin or AllowedHeader with more than one `*` → InvalidRequest
 *   `AllowedOrigin "X" can not have more than one wildcard.`;
 * - an ExposeHeader with a `*` → InvalidRequest (S3 does not support wildcards there).
 * Quirks kept: an empty AllowedOrigin is accepted (S3 does), values are not checked as
 * header names (S3 takes `ExposeHeader` "GET"), rules and values come back in the order sent.
 * Unverified against S3 and chosen by analogy: more than 100 rules is MalformedXML (as more
 * than 1000 lifecycle rules is), an ID over 255 characters is InvalidArgument (lifecycle's
 * answer and message), a negative MaxAgeSeconds is MalformedXML.
 */
import type { CorsRule } from "../../../../shared/cors";
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlDocument } from "../../../../shared/s3-xml";
import { parseXml } from "../body/xml-body";

/** "You can add up to 100 rules to the configuration." */
export const MAX_CORS_RULES = 100;
/** "The document is limited to 64 KB in size." */
export const MAX_CORS_DOCUMENT_BYTES = 64 * 1024;
/** The only methods a rule may allow. */
export const CORS_METHODS: readonly string[] = ["GET", "PUT", "POST", "DELETE", "HEAD"];

const MAX_ID_LENGTH = 255;
const MAX_INT = 2 ** 31 - 1;
const RULE = "CORSConfiguration.CORSRule";
const RULE_ELEMENTS = ["ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader", "MaxAgeSeconds"] as const;
/** Every element of a rule reads as a list, so duplicates of the single ones show. */
const REPEATED = [RULE, ...RULE_ELEMENTS.map((name) => `${RULE}.${name}`)];

type RuleElement = (typeof RULE_ELEMENTS)[number];

export function parseCorsConfiguration(text: string): CorsRule[] {
  const configuration = parseXml(text, { depth: 3, repeated: REPEATED })?.CORSConfiguration;
  const entries = isRecord(configuration) ? configuration.CORSRule : undefined;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_CORS_RULES) throw new S3Error("MalformedXML");
  return entries.map(parseRule);
}

function parseRule(entry: unknown): CorsRule {
  // an empty <CORSRule/> reads as "", which is not a rule
  if (!isRecord(entry)) throw new S3Error("MalformedXML");
  for (const name of Object.keys(entry)) {
    if (!name.startsWith("#") && !(RULE_ELEMENTS as readonly string[]).includes(name)) throw new S3Error("MalformedXML");
  }
  const rule: CorsRule = {
    allowedOrigins: texts(entry, "AllowedOrigin"),
    allowedMethods: texts(entry, "AllowedMethod"),
    allowedHeaders: texts(entry, "AllowedHeader"),
    exposeHeaders: texts(entry, "ExposeHeader"),
  };
  const ids = texts(entry, "ID");
  const maxAges = texts(entry, "MaxAgeSeconds");
  if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0 || ids.length > 1 || maxAges.length > 1) {
    throw new S3Error("MalformedXML");
  }
  if (ids[0] !== undefined) rule.id = ids[0];
  if (maxAges[0] !== undefined) rule.maxAgeSeconds = maxAgeOf(maxAges[0]);
  validateRule(rule);
  return rule;
}

function validateRule(rule: CorsRule): void {
  const method = rule.allowedMethods.find((m) => !CORS_METHODS.includes(m));
  if (method !== undefined) throw new S3Error("InvalidRequest", `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
  const origin = rule.allowedOrigins.find(hasManyWildcards);
  if (origin !== undefined) throw new S3Error("InvalidRequest", `AllowedOrigin "${origin}" can not have more than one wildcard.`);
  const header = rule.allowedHeaders.find(hasManyWildcards);
  if (header !== undefined) throw new S3Error("InvalidRequest", `AllowedHeader "${header}" can not have more than one wildcard.`);
  const exposed = rule.exposeHeaders.find((h) => h.includes("*"));
  if (exposed !== undefined) {
    throw new S3Error("InvalidRequest", `ExposeHeader "${exposed}" contains wildcard. We currently do not support wildcard for ExposeHeader.`);
  }
  if (rule.id !== undefined && rule.id.length > MAX_ID_LENGTH) {
    throw new S3Error("InvalidArgument", `ID length should not exceed allowed limit of ${MAX_ID_LENGTH}`);
  }
}

/** GetBucketCors: the rules as stored, each element in the order of S3's response syntax. */
export function corsConfigurationXml(rules: readonly CorsRule[]): XmlDocument {
  return [
    "CORSConfiguration",
    {
      CORSRule: rules.map((rule) => ({
        ID: rule.id,
        AllowedHeader: rule.allowedHeaders,
        AllowedMethod: rule.allowedMethods,
        AllowedOrigin: rule.allowedOrigins,
        ExposeHeader: rule.exposeHeaders,
        MaxAgeSeconds: rule.maxAgeSeconds,
      })),
    },
  ];
}

/** The text values of one repeated element; an element with children is not a value. */
function texts(entry: Record<string, unknown>, name: RuleElement): string[] {
  const values = entry[name] ?? [];
  if (!Array.isArray(values) || !values.every((v): v is string => typeof v === "string")) throw new S3Error("MalformedXML");
  return values;
}

/** MaxAgeSeconds is an xs:int; MockS3 also refuses a negative one. */
function maxAgeOf(text: string): number {
  const trimmed = text.trim();
  const seconds = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || seconds > MAX_INT) throw new S3Error("MalformedXML");
  return seconds;
}

function hasManyWildcards(value: string): boolean {
  return value.indexOf("*") !== value.lastIndexOf("*");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
