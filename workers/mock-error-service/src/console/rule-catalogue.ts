/**
 * What the console's rule form offers: every condition and action the rule API accepts
 * (shared/faults/conditions.ts, actions.ts), each with the fields it takes, and the presets.
 * The page carries it as JSON; the browser script builds the form from it. The API stays the
 * judge: the form sends what it built, and a 400's reason is shown beside the field it names.
 * A test holds the catalogue to the schemas, so a new condition or action cannot be left out.
 */
import { ANOMALY_METRICS, ANOMALY_TYPES } from "../../../../shared/anomalies/anomaly";
import { SERVICE_DOWN_MODES } from "../../../../shared/anomalies/service-down-modes";
import { FAULT_SERVICES } from "../../../../shared/faults/fault-services";
import { S3_OPERATIONS } from "../../../../shared/s3-operations";

export type FieldKind = "number" | "text" | "duration" | "list" | "select" | "multi" | "boolean" | "time";

export interface Field {
  name: string;
  kind: FieldKind;
  label: string;
  /** choices of a select or multi field */
  options?: readonly string[];
  required?: boolean;
  hint?: string;
}

export interface Choice {
  type: string;
  label: string;
  fields: Field[];
  hint?: string;
}

const DURATION_HINT = 'e.g. "2s", "150ms", or integer nanoseconds';
const exactlyOne = (names: string) => `exactly one of ${names}`;
const METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"];

const valueTest: Field[] = [
  { name: "name", kind: "text", label: "name", required: true },
  { name: "equals", kind: "text", label: "equals", hint: exactlyOne("equals, regex, present") },
  { name: "regex", kind: "text", label: "regex" },
  { name: "present", kind: "boolean", label: "present" },
];

export const CONDITIONS: Choice[] = [
  { type: "probability", label: "probability", fields: [{ name: "value", kind: "number", label: "probability (0–1)", required: true }] },
  { type: "operation", label: "S3 operation", fields: [{ name: "value", kind: "multi", label: "operations", options: S3_OPERATIONS, required: true }] },
  { type: "method", label: "HTTP method", fields: [{ name: "value", kind: "multi", label: "methods", options: METHODS, required: true }] },
  { type: "bucket", label: "bucket", fields: [{ name: "value", kind: "list", label: "buckets (names or globs, comma-separated)", required: true }] },
  {
    type: "key",
    label: "object key",
    hint: exactlyOne("prefix, glob, regex"),
    fields: [
      { name: "prefix", kind: "text", label: "prefix" },
      { name: "glob", kind: "text", label: "glob" },
      { name: "regex", kind: "text", label: "regex" },
    ],
  },
  { type: "header", label: "request header", hint: exactlyOne("equals, regex, present"), fields: valueTest },
  { type: "query", label: "query parameter", hint: exactlyOne("equals, regex, present"), fields: valueTest },
  { type: "source", label: "client address", fields: [{ name: "value", kind: "list", label: "IPs or CIDR blocks (comma-separated)", required: true }] },
  {
    type: "user_agent",
    label: "user agent",
    hint: exactlyOne("contains, regex"),
    fields: [
      { name: "contains", kind: "text", label: "contains" },
      { name: "regex", kind: "text", label: "regex" },
    ],
  },
  { type: "access_key", label: "access key", fields: [{ name: "value", kind: "list", label: "access key ids (comma-separated)", required: true }] },
  {
    type: "content_length",
    label: "body size",
    fields: [
      { name: "min", kind: "number", label: "at least (bytes)" },
      { name: "max", kind: "number", label: "at most (bytes)" },
    ],
  },
  {
    type: "part_number",
    label: "multipart part number",
    hint: "value, or min and/or max",
    fields: [
      { name: "value", kind: "number", label: "part number" },
      { name: "min", kind: "number", label: "from" },
      { name: "max", kind: "number", label: "to" },
    ],
  },
  {
    type: "time_window",
    label: "time window",
    fields: [
      { name: "start", kind: "time", label: "start (ISO 8601)" },
      { name: "end", kind: "time", label: "end (ISO 8601)" },
    ],
  },
  { type: "skip_first", label: "skip the first N", fields: [{ name: "value", kind: "number", label: "requests to let through first", required: true }] },
  { type: "max_injections", label: "at most N injections", fields: [{ name: "value", kind: "number", label: "injections in all", required: true }] },
  { type: "every_nth", label: "every Nth request", fields: [{ name: "value", kind: "number", label: "N", required: true }] },
];

const message: Field = { name: "message", kind: "text", label: "message" };
const retryAfter: Field = { name: "retry_after", kind: "duration", label: "Retry-After", hint: DURATION_HINT };
const errorDelay: Field = { name: "delay", kind: "duration", label: "answer after (a slow failure)", hint: DURATION_HINT };

export const ACTIONS: Choice[] = [
  {
    type: "http_error",
    label: "HTTP error",
    fields: [
      { name: "http_code", kind: "number", label: "HTTP status (400–599)", required: true },
      message,
      { name: "error_code", kind: "text", label: "S3 error code", hint: "e.g. InternalError" },
      retryAfter,
      errorDelay,
    ],
  },
  { type: "slow_down", label: "SlowDown (503)", fields: [message, retryAfter, errorDelay] },
  {
    type: "delay",
    label: "delay",
    hint: "delay, or min and max",
    fields: [
      { name: "delay", kind: "duration", label: "delay", hint: DURATION_HINT },
      { name: "min", kind: "duration", label: "at least" },
      { name: "max", kind: "duration", label: "at most" },
      { name: "at", kind: "select", label: "taken", options: ["request", "first_byte"] },
    ],
  },
  { type: "timeout", label: "hold until timeout", fields: [{ name: "max", kind: "duration", label: "hold at most", hint: DURATION_HINT }] },
  {
    type: "throttle",
    label: "throttle bandwidth",
    fields: [
      { name: "bytes_per_second", kind: "number", label: "bytes per second", required: true },
      { name: "direction", kind: "select", label: "direction", options: ["both", "upload", "download"] },
    ],
  },
  {
    type: "truncate",
    label: "truncate the body",
    hint: exactlyOne("after_bytes, fraction"),
    fields: [
      { name: "after_bytes", kind: "number", label: "after bytes" },
      { name: "fraction", kind: "number", label: "fraction (0–1)" },
    ],
  },
  { type: "corrupt", label: "corrupt bytes", fields: [{ name: "bytes", kind: "number", label: "bytes to flip" }] },
  { type: "connection_reset", label: "reset the connection", fields: [] },
  { type: "commit_then_error", label: "commit, then answer an error", fields: [{ name: "http_code", kind: "number", label: "HTTP status (500–599)" }, message] },
  { type: "ack_then_drop", label: "acknowledge, then drop the write", hint: "PutObject, UploadPart or DeleteObject only", fields: [] },
  {
    type: "error_in_200",
    label: "error inside a 200",
    hint: "CompleteMultipartUpload, CopyObject or UploadPartCopy only",
    fields: [{ name: "error_code", kind: "text", label: "S3 error code" }, message],
  },
  { type: "stale_read", label: "serve stale reads", hint: "GetObject or HeadObject only; at most 30 s", fields: [{ name: "seconds", kind: "number", label: "seconds stale", required: true }] },
  { type: "list_lag", label: "lag listings", hint: "ListObjects or ListObjectsV2 only; at most 30 s", fields: [{ name: "seconds", kind: "number", label: "seconds behind", required: true }] },
];

/** Ready-made rules: the seed's two examples and the common chaos cases. */
/** `ends_after_seconds`: the form adds a time_window ending that long after the preset is chosen. */
export const PRESETS: Array<{ label: string; rule: Record<string, unknown>; ends_after_seconds?: number }> = [
  {
    label: "Storage Random Error (the seed's first example)",
    rule: {
      name: "Storage Random Error",
      description: "10% chance of 500 error",
      service: "storage-service",
      enabled: true,
      conditions: [{ type: "probability", value: 0.1 }],
      action: { type: "http_error", http_code: 500, message: "Internal server error injected" },
    },
  },
  {
    label: "Metadata Delay (the seed's second example)",
    rule: {
      name: "Metadata Delay",
      description: "Add 2s delay to metadata operations",
      service: "metadata-service",
      enabled: true,
      conditions: [{ type: "probability", value: 0.2 }],
      action: { type: "delay", delay: "2s" },
    },
  },
  {
    label: "Every 5th PutObject to a bucket answers SlowDown",
    rule: {
      name: "SlowDown every 5th PUT",
      service: "gateway",
      conditions: [
        { type: "operation", value: ["PutObject"] },
        { type: "bucket", value: ["my-bucket"] },
        { type: "every_nth", value: 5 },
      ],
      action: { type: "slow_down" },
    },
  },
  {
    label: "10 % of GETs truncated",
    rule: {
      name: "Truncate 10% of GETs",
      service: "gateway",
      conditions: [
        { type: "operation", value: ["GetObject"] },
        { type: "probability", value: 0.1 },
      ],
      action: { type: "truncate", fraction: 0.5 },
    },
  },
  { label: "metadata-service 2 s delay", rule: { name: "Metadata 2s delay", service: "metadata-service", conditions: [], action: { type: "delay", delay: "2s" } } },
  {
    label: "storage-service down for 30 s",
    rule: {
      name: "Storage down for 30s",
      service: "storage-service",
      conditions: [],
      action: { type: "http_error", http_code: 503, error_code: "ServiceUnavailable", message: "storage-service is down" },
    },
    ends_after_seconds: 30,
  },
];

/** What the anomaly form offers: each type with the metrics that drive it (and their ranges). */
export const ANOMALY_FORM = {
  types: ANOMALY_TYPES.map((type) => ({ type, metrics: Object.entries(ANOMALY_METRICS[type]).map(([name, range]) => ({ name, ...range })) })),
  modes: SERVICE_DOWN_MODES,
};

export const RULE_FORM = { services: FAULT_SERVICES, conditions: CONDITIONS, actions: ACTIONS, presets: PRESETS };
