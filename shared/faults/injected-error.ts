/**
 * The error a rule injects (http_error, slow_down, commit_then_error, error_in_200): S3's
 * code for the status unless the rule names one, S3's message for the code unless the rule
 * gives one, and the headers that mark an injected answer. Rendered by the one renderer, so
 * SDKs parse it as any S3 error.
 */
import { S3_ERRORS, S3Error, type Failure, type S3ErrorCode } from "../s3-errors";
import type { Action } from "./actions";
import { durationMs } from "./duration";
import type { Rule } from "./rule";

const CODE_FOR_STATUS: Record<number, string> = {
  400: "InvalidRequest",
  403: "AccessDenied",
  404: "NoSuchKey",
  405: "MethodNotAllowed",
  408: "RequestTimeout",
  409: "OperationAborted",
  411: "MissingContentLength",
  412: "PreconditionFailed",
  416: "InvalidRange",
  429: "TooManyRequests",
  500: "InternalError",
  501: "NotImplemented",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export interface InjectedError {
  code: string;
  status: number;
  message: string;
  headers: Record<string, string>;
}

/** Headers naming the rule on every answer it touched. */
export function faultHeaders(rule: Rule): Record<string, string> {
  return { "x-mocks3-fault-rule": rule.id, "x-mocks3-fault-action": rule.action.type };
}

export function injectedError(rule: Rule): InjectedError {
  const { status, code: named, message: given, retryAfter } = errorOf(rule.action);
  const code = named ?? CODE_FOR_STATUS[status] ?? (status >= 500 ? "InternalError" : "InvalidRequest");
  const message = given ?? (code in S3_ERRORS ? S3_ERRORS[code as S3ErrorCode].message : "Injected fault");
  const headers = faultHeaders(rule);
  if (retryAfter !== undefined) headers["retry-after"] = String(Math.ceil(durationMs(retryAfter)! / 1000));
  return { code, status, message, headers };
}

function errorOf(action: Action): { status: number; code?: string; message?: string; retryAfter?: string | number } {
  switch (action.type) {
    case "http_error":
      return { status: action.http_code, code: action.error_code, message: action.message, retryAfter: action.retry_after };
    case "slow_down":
      return { status: 503, code: "SlowDown", message: action.message, retryAfter: action.retry_after };
    case "commit_then_error":
      return { status: action.http_code ?? 500, message: action.message };
    case "error_in_200":
      return { status: 200, code: action.error_code ?? "InternalError", message: action.message };
    default:
      return { status: 500 };
  }
}

export function injectedS3Error(rule: Rule): S3Error {
  const { code, status, message, headers } = injectedError(rule);
  return S3Error.injected(code, status, message, headers);
}

/** The same, as a value a service returns over RPC (storage-service's methods answer Failures). */
export function injectedFailure(rule: Rule): Failure {
  const { code, status, message, headers } = injectedError(rule);
  return { error: "InternalError", message, headers, injected: { code, status } };
}
