/**
 * The one error vocabulary of the S3 side: every failure a client can see is one of these
 * codes, with S3's own HTTP status and message. The gateway renders them (and only them)
 * as S3 XML error documents; Durable Objects return their codes as values.
 */
export const S3_ERRORS = {
  AccessControlListNotSupported: { status: 400, message: "The bucket does not allow ACLs" },
  AccessDenied: { status: 403, message: "Access Denied" },
  AuthorizationHeaderMalformed: { status: 400, message: "The authorization header is malformed." },
  AuthorizationQueryParametersError: {
    status: 400,
    message: "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
  },
  // not an AWS S3 code: MockS3's answer when a read-through bucket's upstream refuses to serve (SDKs retry a 502)
  BadGateway: { status: 502, message: "The upstream S3 source of this bucket refused the read." },
  BadDigest: { status: 400, message: "The Content-MD5 you specified did not match what we received." },
  BadRequest: { status: 400, message: "Bad Request" },
  BucketAlreadyExists: { status: 409, message: "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again." },
  BucketNotEmpty: { status: 409, message: "The bucket you tried to delete is not empty" },
  AccessForbidden: {
    status: 403,
    message:
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
  },
  EntityTooLarge: { status: 400, message: "Your proposed upload exceeds the maximum allowed object size." },
  EntityTooSmall: { status: 400, message: "Your proposed upload is smaller than the minimum allowed object size." },
  IllegalLocationConstraintException: { status: 400, message: "The specified location-constraint is not valid for this endpoint." },
  IllegalVersioningConfigurationException: { status: 400, message: "The versioning configuration specified in the request is invalid." },
  IncompleteBody: { status: 400, message: "You did not provide the number of bytes specified by the Content-Length HTTP header." },
  InternalError: { status: 500, message: "We encountered an internal error. Please try again." },
  InvalidAccessKeyId: { status: 403, message: "The AWS Access Key Id you provided does not exist in our records." },
  InvalidArgument: { status: 400, message: "Invalid Argument" },
  InvalidObjectState: { status: 403, message: "The operation is not valid for the object's storage class" },
  InvalidStorageClass: { status: 400, message: "The storage class you specified is not valid" },
  InvalidBucketAclWithObjectOwnership: { status: 400, message: "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting" },
  InvalidBucketName: { status: 400, message: "The specified bucket is not valid." },
  InvalidBucketState: { status: 409, message: "The request is not valid with the current state of the bucket." },
  InvalidChunkSizeError: { status: 400, message: "Only the last chunk is allowed to have a size less than 8192 bytes" },
  InvalidDigest: { status: 400, message: "The Content-MD5 you specified is not valid." },
  InvalidEncryptionAlgorithmError: { status: 400, message: "The encryption request you specified is not valid. The valid value is AES256." },
  InvalidPart: {
    status: 400,
    message: "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartOrder: { status: 400, message: "The list of parts was not in ascending order. The parts list must be specified in order by part number." },
  InvalidPartNumber: { status: 416, message: "The requested partnumber is not satisfiable" },
  InvalidRange: { status: 416, message: "The requested range is not satisfiable" },
  InvalidRequest: { status: 400, message: "Invalid Request" },
  InvalidTag: { status: 400, message: "The tag provided was not a valid tag." },
  InvalidTargetBucketForLogging: { status: 400, message: "The target bucket for logging does not exist, is not owned by you, or does not have the appropriate grants for the log-delivery group." },
  KeyTooLongError: { status: 400, message: "Your key is too long" },
  MalformedACLError: { status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema." },
  MalformedPolicy: { status: 400, message: "Policies must be valid JSON and the first byte must be '{'" },
  MalformedXML: { status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema." },
  MetadataTooLarge: { status: 400, message: "Your metadata headers exceed the maximum allowed metadata size." },
  MethodNotAllowed: { status: 405, message: "The specified method is not allowed against this resource." },
  MissingContentLength: { status: 411, message: "You must provide the Content-Length HTTP header." },
  MissingSecurityHeader: { status: 400, message: "Your request was missing a required header" },
  NoSuchBucket: { status: 404, message: "The specified bucket does not exist" },
  NoSuchBucketPolicy: { status: 404, message: "The bucket policy does not exist" },
  NoSuchCORSConfiguration: { status: 404, message: "The CORS configuration does not exist" },
  NoSuchKey: { status: 404, message: "The specified key does not exist." },
  NoSuchLifecycleConfiguration: { status: 404, message: "The lifecycle configuration does not exist" },
  NoSuchObjectLockConfiguration: { status: 404, message: "The specified object does not have a ObjectLock configuration" },
  NoSuchPublicAccessBlockConfiguration: { status: 404, message: "The public access block configuration was not found" },
  NoSuchTagSet: { status: 404, message: "The TagSet does not exist" },
  NoSuchUpload: { status: 404, message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed." },
  NoSuchVersion: { status: 404, message: "The specified version does not exist." },
  NoSuchWebsiteConfiguration: { status: 404, message: "The specified bucket does not have a website configuration" },
  NotImplemented: { status: 501, message: "A header you provided implies functionality that is not implemented." },
  NotModified: { status: 304, message: "Not Modified" },
  ObjectLockConfigurationNotFoundError: { status: 404, message: "Object Lock configuration does not exist for this bucket" },
  OwnershipControlsNotFoundError: { status: 404, message: "The bucket ownership controls were not found" },
  PreconditionFailed: { status: 412, message: "At least one of the pre-conditions you specified did not hold" },
  RestoreAlreadyInProgress: { status: 409, message: "Object restore is already in progress" },
  ReplicationConfigurationNotFoundError: { status: 404, message: "The replication configuration was not found" },
  RequestTimeTooSkewed: { status: 403, message: "The difference between the request time and the current time is too large." },
  ServiceUnavailable: { status: 503, message: "Service is unable to handle request." },
  SignatureDoesNotMatch: { status: 403, message: "The request signature we calculated does not match the signature you provided. Check your key and signing method." },
  SlowDown: { status: 503, message: "Please reduce your request rate." },
  UnexpectedContent: { status: 400, message: "This request does not support content" },
  UnresolvableGrantByEmailAddress: { status: 400, message: "The email address you provided does not match any account on record." },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
} as const satisfies Record<string, { status: number; message: string }>;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/** Extra elements S3 adds to some error documents (e.g. `ActualObjectSize`, `StringToSign`). */
export type S3ErrorDetails = Record<string, string | number>;

/** The one exception type of the S3 side; thrown by handlers, rendered by the gateway. */
export class S3Error extends Error {
  /** one of S3_ERRORS, or the code a fault rule chose */
  readonly code: S3ErrorCode | (string & {});
  readonly status: number;
  readonly details: S3ErrorDetails;
  readonly headers: Record<string, string>;

  constructor(code: S3ErrorCode, message?: string, details: S3ErrorDetails = {}, headers: Record<string, string> = {}) {
    super(message ?? S3_ERRORS[code].message);
    this.name = "S3Error";
    this.code = code;
    this.status = S3_ERRORS[code].status;
    this.details = details;
    this.headers = headers;
  }

  /** An error a fault rule injects: any code and status the rule names. */
  static injected(code: string, status: number, message: string, headers: Record<string, string>): S3Error {
    const error = new S3Error("InternalError", message, {}, headers);
    Object.assign(error, { code, status });
    return error;
  }
}

/** What a Durable Object returns instead of throwing: RPC keeps values typed, not exceptions. */
export interface Failure {
  error: S3ErrorCode;
  message?: string;
  /** headers the error answer carries, e.g. `x-amz-delete-marker` */
  headers?: Record<string, string>;
  /** set by a fault rule: the code and status it injects in place of `error`'s */
  injected?: { code: string; status: number };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && "error" in value && typeof (value as Failure).error === "string";
}

/** Turns a Durable Object's `Failure` into the thrown `S3Error`, passing values through. */
export function unwrap<T>(value: T): Exclude<T, Failure> {
  if (isFailure(value)) {
    if (value.injected) throw S3Error.injected(value.injected.code, value.injected.status, value.message ?? "", value.headers ?? {});
    throw new S3Error(value.error, value.message, {}, value.headers);
  }
  return value as Exclude<T, Failure>;
}
