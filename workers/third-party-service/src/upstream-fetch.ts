/**
 * One object from an upstream S3 source: a GET signed with aws4fetch (SigV4, with
 * UNSIGNED-PAYLOAD as S3 GETs are), its answer turned into what the gateway stores and
 * serves (shared/upstreams.ts).
 *
 * - Always the whole object: a client's Range or conditions are served from the local copy.
 * - The bytes as sent (`encodeResponseBody: "manual"`): an object stored with
 *   `Content-Encoding: gzip` is not inflated by workerd's fetch on its way through.
 * - No retries here: a failed read is the client's answer, and the
 *   client's own retry reads again. The answer's headers are awaited HEADERS_TIMEOUT_MS.
 * - Never MockS3 itself (shared/own-sockets.ts): the URL is asked before every read, as when
 *   the upstream was set, and redirects are not followed (a 3xx is a refusal, 502).
 * - Keys with `.` or `..` path segments cannot be read: URLs resolve them away.
 */
import { AwsClient } from "aws4fetch";
import { destinationRefusal } from "../../../shared/own-sockets";
import type { Failure } from "../../../shared/s3-errors";
import type { ReadThroughAnswer, Upstream } from "../../../shared/upstreams";
import { upstreamHead } from "./upstream-head";

const HEADERS_TIMEOUT_MS = 30_000;

/** The answer, and the status that stands for it in the service's log line. */
export interface UpstreamRead {
  answer: ReadThroughAnswer;
  status: number;
}

/** `guard`: MOCKS3_DESTINATION_GUARD */
export async function readFromUpstream(upstream: Upstream, key: string, guard: string): Promise<UpstreamRead> {
  const url = objectUrl(upstream, key);
  const refused = await destinationRefusal(guard, url);
  if (refused) return failed(502, "BadGateway", `The upstream S3 source is refused: ${refused}.`);
  const client = new AwsClient({ accessKeyId: upstream.access_key_id, secretAccessKey: upstream.secret_access_key, service: "s3", region: upstream.region });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${HEADERS_TIMEOUT_MS} ms`)), HEADERS_TIMEOUT_MS);
  let response: Response;
  try {
    const signed = await client.sign(url, { method: "GET" });
    // a Request made by aws4fetch would not keep encodeResponseBody: the options go to fetch itself
    response = await fetch(signed.url, { method: "GET", headers: signed.headers, signal: abort.signal, encodeResponseBody: "manual", redirect: "manual" });
  } catch (error) {
    return failed(503, "ServiceUnavailable", `${upstream.endpoint} cannot be reached: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 200 && response.body) {
    const head = upstreamHead(response.headers);
    if (head) return { answer: { kind: "object", head, body: response.body }, status: 200 };
    await response.body.cancel();
    return failed(502, "BadGateway", `${upstream.endpoint} answered 200 without a Content-Length`);
  }
  const code = await errorCode(response);
  const said = `${upstream.endpoint} answered ${response.status}${code ? ` ${code}` : ""}`;
  if (response.status === 404) return failed(404, "NoSuchKey", `The specified key does not exist (${said}).`);
  if (response.status >= 500 || response.status === 429) return failed(503, "ServiceUnavailable", `The upstream S3 source is unavailable: ${said}.`);
  return failed(502, "BadGateway", `The upstream S3 source refused the read: ${said}.`);
}

/** `<endpoint>/<bucket>/<key>` (path style) or `<scheme>//<bucket>.<host>/<key>`. */
export function objectUrl(upstream: Upstream, key: string): string {
  const path = key.split("/").map(encodeSegment).join("/");
  if (upstream.force_path_style) return `${upstream.endpoint}/${encodeSegment(upstream.bucket)}/${path}`;
  const url = new URL(upstream.endpoint);
  return `${url.protocol}//${upstream.bucket}.${url.host}${url.pathname.replace(/\/+$/, "")}/${path}`;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The S3 error code of an error answer, read from at most its first few KiB. */
async function errorCode(response: Response): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < 8192) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // the code only makes the message clearer
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
}

function failed(status: number, error: Failure["error"], message: string): UpstreamRead {
  return { answer: { error, message }, status };
}
