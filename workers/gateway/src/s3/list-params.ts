/**
 * The parameters every listing shares: prefix, delimiter, max-keys (S3 takes any non-negative
 * 32-bit integer and serves at most 1000) and encoding-type (only `url`: keys and prefixes in
 * the answer percent-encoded, as the AWS CLI always asks).
 */
import { S3Error } from "../../../../shared/s3-errors";
import { uriEncode } from "../auth/sigv4";

const MAX_KEYS = 1000;

export interface CommonParams {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  encode: (value: string) => string;
  encodingType?: "url";
}

export function commonParams(q: URLSearchParams, maxKeysParam = "max-keys"): CommonParams {
  const maxKeys = integerParam(q, maxKeysParam, MAX_KEYS);
  const encodingType = q.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") {
    throw new S3Error("InvalidArgument", "Invalid Encoding Method specified in Request", { ArgumentName: "encoding-type", ArgumentValue: encodingType });
  }
  return {
    prefix: q.get("prefix") ?? "",
    delimiter: q.get("delimiter") ?? "",
    maxKeys: Math.min(maxKeys, MAX_KEYS),
    encode: encodingType === "url" ? (value) => uriEncode(value, true) : (value) => value,
    encodingType: encodingType ?? undefined,
  };
}

/**
 * A non-negative 32-bit integer query parameter (max-keys, max-uploads, max-parts,
 * part-number-marker); S3 refuses anything else with InvalidArgument.
 */
export function integerParam(query: URLSearchParams, name: string, fallback: number): number {
  const value = query.get(name);
  if (value === null) return fallback;
  const n = Number(value);
  if (!/^\d{1,10}$/.test(value) || n > 2 ** 31 - 1) {
    throw new S3Error("InvalidArgument", `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: value });
  }
  return n;
}
