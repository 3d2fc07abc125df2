/**
 * `error_in_200` for CompleteMultipartUpload, CopyObject and UploadPartCopy: S3 may answer
 * 200 and then an `<Error>` document, the failure found after the answer began. The
 * operation does not happen (the upload stays open, the copy is not made); SDKs that follow
 * S3's documentation read the body and raise the error.
 */
import { injectedError } from "../../../../../shared/faults/injected-error";
import { renderErrorDocument } from "../../../../../shared/s3-xml";
import { discardUnreadBody } from "../../body/discard-body";
import type { FaultAction } from "../fault-context";

export const errorIn200: FaultAction = async ({ injection, ctx }) => {
  await discardUnreadBody(ctx.request);
  const { code, message, headers } = injectedError(injection.rule);
  const resource = ctx.bucket ? `/${ctx.bucket}${ctx.key ? `/${ctx.key}` : ""}` : "/";
  const body = renderErrorDocument({ code, message, resource, requestId: ctx.requestId });
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "application/xml", "x-amz-request-id": ctx.requestId } });
};
