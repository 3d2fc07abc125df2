/**
 * Who sent a request, and how its body is protected. SigV4 in the Authorization header or
 * in a presigned query string; MOCKS3_AUTH decides what an unsigned request may do:
 *   relaxed — it acts as the first configured key (the seeds' plain curl examples work),
 *             while every signed request is verified strictly;
 *   strict  — it is anonymous: only what the bucket's policy or ACLs grant everyone
 *             (a public-read policy, a public-read object) is allowed;
 *   off     — nothing is verified (signed requests still choose their key and body framing).
 * SigV2 in the Authorization header answers InvalidRequest, as S3 regions opened since 2014
 * do; SigV2 presigned URLs (Debian's boto3 writes them) are verified (sigv2-query.ts).
 * As in S3, a signed request may carry no `x-amz-*` header its signature leaves out (such a
 * header could be added on the way: an ACL, a copy source, metadata); x-amz-content-sha256
 * is exempt, its value being signed as the payload hash anyway.
 */
import { S3Error } from "../../../../shared/s3-errors";
import type { Credential, GatewayConfig } from "../config";
import type { RawTarget } from "../s3/address";
import { ALGORITHM, canonicalHeaders, canonicalQuery, canonicalRequest, hmacHex, normalizedPath, parseAmzDate, signaturesEqual, signingKey, stringToSign } from "./sigv4";
import { isPresignedV2, verifyPresignedV2 } from "./sigv2-query";

/** S3 allows a client clock 15 minutes off. */
const MAX_SKEW_MS = 15 * 60_000;
/** A presigned URL lives at most a week. */
const MAX_PRESIGN_SECONDS = 604_800;

export interface Identity {
  accessKeyId: string;
  ownerId: string;
  displayName: string;
  /** an unsigned request in strict mode: nobody's key, "" for its ids */
  anonymous?: boolean;
}

const ANONYMOUS: Identity = { accessKeyId: "", ownerId: "", displayName: "", anonymous: true };

/** What `x-amz-content-sha256` promised about the body. */
export type Payload = { mode: "unsigned" } | { mode: "sha256"; expected: string } | { mode: "chunks"; trailer: boolean; signing?: ChunkSigning };

/** The seed of a chunk-signature chain (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  seed: string;
}

export interface Auth {
  identity: Identity;
  payload: Payload;
}

interface SignatureClaim {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
}

export function authenticate(request: Request, target: RawTarget, config: GatewayConfig, now = Date.now()): Auth {
  const header = request.headers.get("authorization");
  const presigned = target.query.has("X-Amz-Signature") || target.query.has("X-Amz-Algorithm");
  if (header?.startsWith("AWS ")) throw new S3Error("InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
  if (!header && !presigned) {
    if (isPresignedV2(target.query)) return { identity: identityOf(verifyPresignedV2(request, target, config, now)), payload: { mode: "unsigned" } };
    return unsigned(request, config);
  }

  const claim = header ? parseAuthorizationHeader(header, request) : parsePresigned(target.query);
  const credential = config.credentials.get(claim.accessKeyId);
  if (config.auth === "off") {
    return { identity: identityOf(credential ?? config.defaultCredential), payload: payloadOf(request, header !== null) };
  }
  if (!credential) throw new S3Error("InvalidAccessKeyId", undefined, { AWSAccessKeyId: claim.accessKeyId });
  if (header) checkSkew(claim.amzDate, now);
  else checkExpiry(target.query, claim.amzDate, now);

  const payload = payloadOf(request, header !== null);
  const payloadHash = header ? (request.headers.get("x-amz-content-sha256") ?? "") : (target.query.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD");
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const key = signingKey(credential.secretAccessKey, claim.date, claim.region, claim.service);
  verify(request, target, claim, scope, key, payloadHash, header === null);
  checkAllSigned(request.headers, claim.signedHeaders);

  if (payload.mode === "chunks" && payloadHash.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
    payload.signing = { key, amzDate: claim.amzDate, scope, seed: claim.signature };
  }
  return { identity: identityOf(credential), payload };
}

function unsigned(request: Request, config: GatewayConfig): Auth {
  const identity = config.auth === "strict" ? ANONYMOUS : identityOf(config.defaultCredential);
  return { identity, payload: payloadOf(request, true) };
}

function identityOf(c: Credential): Identity {
  return { accessKeyId: c.accessKeyId, ownerId: c.ownerId, displayName: c.displayName };
}

function verify(request: Request, target: RawTarget, claim: SignatureClaim, scope: string, key: Buffer, payloadHash: string, presigned: boolean): void {
  const parts = {
    method: request.method,
    path: target.rawPath,
    query: canonicalQuery(target.rawQuery, presigned ? "X-Amz-Signature" : undefined),
    headers: canonicalHeaders(request.headers, claim.signedHeaders),
    signedHeaders: claim.signedHeaders.join(";"),
    payloadHash,
  };
  let canonical = canonicalRequest(parts);
  const toSign = stringToSign(claim.amzDate, scope, canonical);
  if (signaturesEqual(hmacHex(key, toSign), claim.signature)) return;
  const strictPath = normalizedPath(target.rawPath);
  if (strictPath !== target.rawPath) {
    canonical = canonicalRequest({ ...parts, path: strictPath });
    const retry = stringToSign(claim.amzDate, scope, canonical);
    if (signaturesEqual(hmacHex(key, retry), claim.signature)) return;
  }
  throw new S3Error("SignatureDoesNotMatch", undefined, {
    AWSAccessKeyId: claim.accessKeyId,
    StringToSign: toSign,
    SignatureProvided: claim.signature,
    CanonicalRequest: canonicalRequest(parts),
  });
}

function checkAllSigned(headers: Headers, signedHeaders: string[]): void {
  const signed = new Set(signedHeaders);
  const unsigned = [...headers.keys()].filter((name) => name.startsWith("x-amz-") && name !== "x-amz-content-sha256" && !signed.has(name));
  if (unsigned.length > 0) {
    throw new S3Error("AccessDenied", "There were headers present in the request which were not signed", { HeadersNotSigned: unsigned.join(", ") });
  }
}

const AUTH_FIELD = /(Credential|SignedHeaders|Signature)=([^,\s]*)/g;

function parseAuthorizationHeader(header: string, request: Request): SignatureClaim {
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new S3Error("AuthorizationHeaderMalformed", `The authorization header is malformed; the authorization mechanism must be ${ALGORITHM}.`);
  }
  const fields: Record<string, string> = {};
  for (const [, name, value] of header.matchAll(AUTH_FIELD)) fields[name!] = value!;
  if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) {
    throw new S3Error("AuthorizationHeaderMalformed", "The authorization header is malformed; it needs Credential, SignedHeaders and Signature.");
  }
  const amzDate = request.headers.get("x-amz-date") ?? toAmzDate(request.headers.get("date"));
  if (!amzDate) throw new S3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  if (!request.headers.has("x-amz-content-sha256")) {
    throw new S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  return { ...parseCredential(fields.Credential, amzDate, "AuthorizationHeaderMalformed"), signedHeaders: fields.SignedHeaders.split(";"), signature: fields.Signature, amzDate };
}

function parsePresigned(query: URLSearchParams): SignatureClaim {
  const algorithm = query.get("X-Amz-Algorithm");
  const credential = query.get("X-Amz-Credential");
  const amzDate = query.get("X-Amz-Date");
  const signedHeaders = query.get("X-Amz-SignedHeaders");
  const signature = query.get("X-Amz-Signature");
  if (algorithm !== ALGORITHM || !credential || !amzDate || !signedHeaders || !signature || !query.has("X-Amz-Expires")) {
    throw new S3Error("AuthorizationQueryParametersError");
  }
  return { ...parseCredential(credential, amzDate, "AuthorizationQueryParametersError"), signedHeaders: signedHeaders.split(";"), signature, amzDate };
}

function parseCredential(value: string, amzDate: string, code: "AuthorizationHeaderMalformed" | "AuthorizationQueryParametersError") {
  const parts = value.split("/");
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || service !== "s3" || terminator !== "aws4_request") {
    throw new S3Error(code, `The credential is malformed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/s3/aws4_request", got "${value}".`);
  }
  if (date !== amzDate.slice(0, 8)) {
    throw new S3Error(code, `The credential date "${date}" does not match the request date "${amzDate.slice(0, 8)}".`);
  }
  return { accessKeyId, date, region, service };
}

function checkSkew(amzDate: string, now: number): void {
  const time = parseAmzDate(amzDate);
  if (Number.isNaN(time)) throw new S3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  if (Math.abs(now - time) > MAX_SKEW_MS) {
    throw new S3Error("RequestTimeTooSkewed", undefined, {
      RequestTime: amzDate,
      ServerTime: new Date(now).toISOString(),
      MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
    });
  }
}

function checkExpiry(query: URLSearchParams, amzDate: string, now: number): void {
  const expires = Number(query.get("X-Amz-Expires"));
  const time = parseAmzDate(amzDate);
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS || Number.isNaN(time)) {
    throw new S3Error("AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 1 to 604800, and X-Amz-Date a valid date.");
  }
  if (time - now > MAX_SKEW_MS) throw new S3Error("AccessDenied", "Request is not valid yet");
  if (now > time + expires * 1000) {
    throw new S3Error("AccessDenied", "Request has expired", {
      "X-Amz-Expires": expires,
      Expires: new Date(time + expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
}

/** How the body is framed and what protects it, from `x-amz-content-sha256`. */
function payloadOf(request: Request, fromHeader: boolean): Payload {
  const value = fromHeader ? request.headers.get("x-amz-content-sha256") : null;
  if (!value || value === "UNSIGNED-PAYLOAD") return { mode: "unsigned" };
  if (/^[0-9a-f]{64}$/i.test(value)) return { mode: "sha256", expected: value.toLowerCase() };
  switch (value) {
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
      return { mode: "chunks", trailer: false };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
    case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
      return { mode: "chunks", trailer: true };
    case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD":
    case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER":
      throw new S3Error("NotImplemented", "SigV4a (ECDSA) signing is not supported.");
    default:
      throw new S3Error("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 value.", {
        ArgumentName: "x-amz-content-sha256",
        ArgumentValue: value,
      });
  }
}

/** An RFC 7231 `Date` header as SigV4's basic ISO 8601 form. */
function toAmzDate(value: string | null): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
