/**
 * Presigned URLs carry request headers in their query string ("hoisted" by the signer):
 * `x-amz-meta-*`, `x-amz-tagging`, `x-amz-acl`, `x-amz-storage-class`, … S3 reads them as
 * the headers they stand for. The flexible-checksum ones are the exception: S3 ignores
 * checksums in presigned URLs (the JS SDK signs the CRC32 of an empty body into every
 * presigned PutObject), so they are left out.
 */
const AUTH_PARAMS = new Set(["x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token", "x-amz-content-sha256"]);

function isHoisted(name: string): boolean {
  return name.startsWith("x-amz-") && !AUTH_PARAMS.has(name) && !name.startsWith("x-amz-checksum-") && name !== "x-amz-sdk-checksum-algorithm";
}

/** The request with its hoisted query headers as real headers (the request itself if none). */
export function withHoistedHeaders(request: Request, query: URLSearchParams): Request {
  let headers: Headers | undefined;
  for (const [param, value] of query) {
    const name = param.toLowerCase();
    if (!isHoisted(name) || request.headers.has(name)) continue;
    headers ??= new Headers(request.headers);
    headers.set(name, value);
  }
  return headers ? new Request(request, { headers }) : request;
}
