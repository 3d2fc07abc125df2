/**
 * The query of GET /api/v1/search, read from its parameters; anything it cannot use is
 * refused with the reason (a typo in a parameter name too, rather than a silently wider
 * search):
 *
 *   bucket           one bucket (all buckets when absent)
 *   prefix           keys starting with it
 *   tag              `name=value`, or `name` for any value; repeatable, all must hold
 *   meta             user metadata `name=value` or `name` (x-amz-meta- optional); repeatable
 *   content_type     exact, or a family: `image/*`
 *   min_size, max_size                  bytes, inclusive
 *   modified_after, modified_before     ISO 8601 or milliseconds since the epoch, exclusive
 *   limit            1–1000, default 100
 *   cursor           next_cursor of the previous page
 */

export interface SearchQuery {
  bucket?: string;
  prefix?: string;
  tags: Array<{ name: string; value?: string }>;
  metadata: Array<{ name: string; value?: string }>;
  contentType?: { exact: string } | { family: string };
  minSize?: number;
  maxSize?: number;
  modifiedAfter?: number;
  modifiedBefore?: number;
  limit: number;
  after?: { bucket: string; key: string };
}

export const MAX_LIMIT = 1000;
const PARAMETERS = new Set(["bucket", "prefix", "tag", "meta", "content_type", "min_size", "max_size", "modified_after", "modified_before", "limit", "cursor"]);
const REPEATABLE = new Set(["tag", "meta"]);

export class QueryError extends Error {}

/** The longest parameter value taken: S3 keys are at most 1,024 bytes, and so are the rest here. */
const MAX_VALUE_BYTES = 1024;

/**
 * The query string's parameters, refusing what URLSearchParams would quietly turn into
 * something else: percent-escapes that are not UTF-8 (it makes them U+FFFD), NUL characters,
 * over-long values.
 */
export function decodedQuery(search: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    const [name, value] = [at < 0 ? part : part.slice(0, at), at < 0 ? "" : part.slice(at + 1)].map((text) => decoded(text));
    if (value!.includes("\0") || name!.includes("\0")) throw new QueryError(`${name} holds a NUL character`);
    if (Buffer.byteLength(value!) > MAX_VALUE_BYTES) throw new QueryError(`${name} is longer than ${MAX_VALUE_BYTES} bytes`);
    params.append(name!, value!);
  }
  return params;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new QueryError(`${JSON.stringify(text.slice(0, 40))} is not valid percent-encoded UTF-8`);
  }
}

export function parseSearchQuery(params: URLSearchParams): SearchQuery {
  for (const name of new Set(params.keys())) {
    if (!PARAMETERS.has(name)) throw new QueryError(`unknown parameter "${name}"; known: ${[...PARAMETERS].join(", ")}`);
    if (!REPEATABLE.has(name) && params.getAll(name).length > 1) throw new QueryError(`"${name}" may be given once`);
  }
  const query: SearchQuery = {
    tags: params.getAll("tag").map((t) => pair("tag", t)),
    metadata: params
      .getAll("meta")
      .map((m) => pair("meta", m))
      .map(({ name, value }) => ({ name: name.toLowerCase().replace(/^x-amz-meta-/, ""), value })),
    limit: params.has("limit") ? whole("limit", params.get("limit")!, 1, MAX_LIMIT) : 100,
  };
  const bucket = params.get("bucket");
  if (bucket !== null) query.bucket = nonEmpty("bucket", bucket);
  const prefix = params.get("prefix");
  if (prefix) query.prefix = prefix;
  const type = params.get("content_type");
  if (type !== null) query.contentType = nonEmpty("content_type", type).endsWith("/*") ? { family: type.slice(0, -1) } : { exact: type };
  if (params.has("min_size")) query.minSize = whole("min_size", params.get("min_size")!, 0, Number.MAX_SAFE_INTEGER);
  if (params.has("max_size")) query.maxSize = whole("max_size", params.get("max_size")!, 0, Number.MAX_SAFE_INTEGER);
  if (query.minSize !== undefined && query.maxSize !== undefined && query.minSize > query.maxSize) throw new QueryError("min_size is above max_size");
  if (params.has("modified_after")) query.modifiedAfter = time("modified_after", params.get("modified_after")!);
  if (params.has("modified_before")) query.modifiedBefore = time("modified_before", params.get("modified_before")!);
  const cursor = params.get("cursor");
  if (cursor !== null) query.after = readCursor(cursor);
  return query;
}

export function cursorOf(bucket: string, key: string): string {
  return Buffer.from(JSON.stringify([bucket, key])).toString("base64url");
}

function readCursor(text: string): { bucket: string; key: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString());
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") return { bucket: value[0], key: value[1] };
  } catch {
    // refused below
  }
  throw new QueryError("cursor is not a next_cursor of this API");
}

function pair(parameter: string, text: string): { name: string; value?: string } {
  const at = text.indexOf("=");
  const name = at < 0 ? text : text.slice(0, at);
  if (name === "") throw new QueryError(`${parameter} needs a name: ${parameter}=name=value or ${parameter}=name`);
  return at < 0 ? { name } : { name, value: text.slice(at + 1) };
}

function nonEmpty(parameter: string, text: string): string {
  if (text === "") throw new QueryError(`${parameter} is empty`);
  return text;
}

function whole(parameter: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new QueryError(`${parameter} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

function time(parameter: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new QueryError(`${parameter} must be an ISO 8601 time or milliseconds since the epoch, got "${text}"`);
  return ms;
}
