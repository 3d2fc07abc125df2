/**
 * `ack_then_drop`, an ambiguous write: the client is told it succeeded and nothing happens.
 * A PutObject or UploadPart body is read and verified as usual (so the answer's ETag and
 * checksum are the ones the client expects) and then dropped; a DeleteObject answers 204
 * and deletes nothing. A client that trusts the answer finds the data missing later.
 */
import { faultHeaders } from "../../../../../shared/faults/injected-error";
import { BodyDigests } from "../../body/body-digests";
import { bodySource } from "../../body/body-source";
import { checksumHeader, toHex } from "../../body/checksums";
import { expectationsOf } from "../../body/expectations";
import type { FaultAction } from "../fault-context";

export const ackThenDrop: FaultAction = async ({ injection, ctx, respond }) => {
  const headers: Record<string, string> = { ...faultHeaders(injection.rule), "x-amz-request-id": ctx.requestId };
  const operation = injection.facts.operation;
  if (operation === "DeleteObject") return new Response(null, { status: 204, headers });
  if (operation !== "PutObject" && operation !== "UploadPart") return respond();
  const expect = expectationsOf(ctx.request.headers, ctx.payload);
  const digests = new BodyDigests(expect);
  const source = bodySource(ctx.request, ctx.payload, expect.length);
  for await (const piece of source.pieces) digests.update(piece);
  const summary = await digests.verify(source.trailers);
  headers.etag = `"${toHex(summary.md5)}"`;
  if (summary.checksum) headers[checksumHeader(summary.checksum.algorithm)] = summary.checksum.value;
  return new Response(null, { status: 200, headers });
};
