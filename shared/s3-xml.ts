/**
 * The one place that writes and reads S3's XML (fast-xml-parser). Handlers return plain
 * objects; `renderXml` turns them into documents in S3's namespace: arrays become repeated
 * elements, `undefined` is left out, `null` becomes an empty element.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import type { S3ErrorCode, S3ErrorDetails } from "./s3-errors";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export type XmlValue = string | number | boolean | null | undefined | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

/** A document: its root element's name and content. */
export type XmlDocument = [root: string, content: XmlElement];

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

export function renderXml([root, content]: XmlDocument): string {
  return DECLARATION + builder.build({ [root]: { "@_xmlns": S3_NAMESPACE, ...content } });
}

export interface ErrorDocument {
  code: S3ErrorCode | (string & {});
  message: string;
  resource: string;
  requestId: string;
  details?: S3ErrorDetails;
}

/** S3's error document: no namespace, Code and Message first, as SDKs expect. */
export function renderErrorDocument({ code, message, resource, requestId, details }: ErrorDocument): string {
  return DECLARATION + builder.build({ Error: { Code: code, Message: message, ...details, Resource: resource, RequestId: requestId } });
}

const parsers = new Map<string, XMLParser>();

/**
 * Parses a request body. `arrays` names the element paths (like `Delete.Object`) that may
 * repeat, so one occurrence still reads as a list. Returns undefined for anything that is
 * not well-formed XML.
 */
export function parseXml(text: string, arrays: readonly string[] = []): Record<string, unknown> | undefined {
  if (!text.trim() || XMLValidator.validate(text) !== true) return undefined;
  const cacheKey = arrays.join(",");
  let parser = parsers.get(cacheKey);
  if (!parser) {
    const repeated = new Set(arrays);
    parser = new XMLParser({
      ignoreAttributes: true,
      removeNSPrefix: true,
      parseTagValue: false,
      trimValues: false,
      ignoreDeclaration: true,
      isArray: (_name, path) => typeof path === "string" && repeated.has(path),
    });
    parsers.set(cacheKey, parser);
  }
  return parser.parse(text) as Record<string, unknown>;
}
