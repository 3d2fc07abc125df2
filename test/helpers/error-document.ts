/**
 * Checks that a response is S3's error document: the status, an XML body whose root is
 * Error with Code, Message, Resource and RequestId, and an x-amz-request-id header naming
 * the same request. A HEAD answer has no body, so only its status and header are checked.
 */
import { XMLParser } from "fast-xml-parser";
import { expect } from "vitest";

export interface ErrorDocument {
  Code: string;
  Message: string;
  Resource: string;
  RequestId: string;
  [detail: string]: string;
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false });

export async function expectErrorDocument(response: Response, status: number, code: string, resource?: string): Promise<ErrorDocument> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const requestId = response.headers.get("x-amz-request-id");
  expect(requestId).toMatch(/^[0-9A-F]{16}$/);
  expect(response.headers.get("content-type")).toMatch(/xml/);
  const error = (parser.parse(text) as { Error?: ErrorDocument }).Error;
  expect(error, text).toBeDefined();
  expect(error!.Code).toBe(code);
  expect(error!.Message).not.toBe("");
  expect(error!.RequestId).toBe(requestId);
  if (resource !== undefined) expect(error!.Resource).toBe(resource);
  else expect(error!.Resource).toMatch(/^\//);
  return error!;
}
