/**
 * What fault conditions look at: the S3 request as the gateway received it. The gateway
 * builds it once; calls to other services carry it, so a rule on storage-service can name
 * the bucket, key or client of the S3 request it slows down.
 */
export interface RequestFacts {
  requestId: string;
  /** the S3 operation (PutObject, …), or the service's own operation name */
  operation: string;
  method: string;
  bucket: string;
  key: string;
  /** the client's address, when known */
  sourceAddress?: string;
  userAgent?: string;
  accessKey?: string;
  contentLength?: number;
  partNumber?: number;
  /** header names in lower case */
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** forEach, not an iterator: in workerd each step of a Headers iterator is a call out of JS (5× slower). */
export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

export function queryRecord(query: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of query) if (!Object.hasOwn(record, name)) record[name] = value;
  return record;
}
