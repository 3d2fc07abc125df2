/**
 * The parameters every listing shares: prefix, delimiter, max-keys (S3 takes any non-negative
 * 32-bit integer and serves at most 1000) and encoding-type (only `url`: keys and prefixes in
 * the answer percent-encoded, as the AWS CLI always asks).
 */
import { S3Error } from "../../../../shared/s3-errors";
import { uriEncode } from "../auth/sigv4";

const MAX_KEYS = 1000;
const MAX_INT32 = 2 ** 31 - 1;

export interface CommonParams {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  encode: (value: string) => string;
  encodingType?: "url";
}

export function commonParams(q: URLSearchParams, maxKeysParam = "max-keys"): CommonParams {
  const rawMax = q.get(maxKeysParam);
  // S3 takes any non-negative 32-bit integer (and serves at most 1000); nothing else
  const maxKeys = rawMax === null ? MAX_KEYS : /^\d{1,10}$/.test(rawMax) ? Number(rawMax) : -1;
  if (maxKeys < 0 || maxKeys > MAX_INT32) {
    throw new S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range", { ArgumentName: maxKeysParam, ArgumentValue: rawMax ?? "" });
  }
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
