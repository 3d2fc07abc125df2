/**
 * `SemanticAttributes` as @microlabs/otel-cf-workers reads it, bundled in place of
 * @opentelemetry/semantic-conventions' own (sidecars/stack/bundle.ts): that one is a table
 * of every attribute ever named, built when the module loads — some 240 KiB in every worker
 * — of which the library reads nine. The values are OpenTelemetry's attribute names; a name
 * the library starts reading after an upgrade fails the bundle (bundle.ts checks).
 */
export const SemanticAttributes = {
  DB_NAME: "db.name",
  DB_OPERATION: "db.operation",
  DB_STATEMENT: "db.statement",
  DB_SYSTEM: "db.system",
  EXCEPTION_MESSAGE: "exception.message",
  EXCEPTION_STACKTRACE: "exception.stacktrace",
  EXCEPTION_TYPE: "exception.type",
  FAAS_COLDSTART: "faas.coldstart",
  FAAS_TRIGGER: "faas.trigger",
} as const;
