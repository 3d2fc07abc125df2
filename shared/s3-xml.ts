/**
 * The one place that writes S3's XML (fast-xml-parser); the gateway reads request bodies in
 * its body/xml-body.ts. Handlers return plain objects; `renderXml` turns them into documents
 * in S3's namespace: arrays become repeated elements, `undefined` is left out, `null` becomes
 * an empty element.
 */
import { XMLBuilder } from "fast-xml-parser";
import type { S3ErrorCode, S3ErrorDetails } from "./s3-errors";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export type XmlValue = string | number | boolean | null | undefined | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

/** A document: its root element's name and content. */
export type XmlDocument = [root: string, content: XmlElement];

/**
 * Text and attribute values escaped: the five predefined entities, and CR as a character
 * reference — a raw CR reaches the client's parser as LF (XML's end-of-line handling), so a
 * key holding one would come back changed. S3 writes it as a reference too.
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xD;" };
const escapeValue = (_name: string, value: unknown) => (typeof value === "string" ? value.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!) : value);

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  processEntities: false,
  tagValueProcessor: escapeValue,
  attributeValueProcessor: escapeValue,
});

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
