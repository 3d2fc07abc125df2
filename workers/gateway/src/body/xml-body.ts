/**
 * Reads the XML body of an S3 request (CompleteMultipartUpload, DeleteObjects, tagging,
 * CORS, versioning, notifications…) into plain values, strictly, with saxes (XML 1.0
 * well-formedness). Character references, decimal and hex, and the five predefined entities
 * are decoded, so keys and values arrive byte-exact: Go's encoding/xml and smithy-go (rclone,
 * restic, minio-go, aws-sdk-go, Terraform…) write `"` as `&#34;`, `'` as `&#39;` and tab,
 * newline and CR as `&#x9;`, `&#xA;`, `&#xD;` — the quoted ETags of their
 * CompleteMultipartUpload bodies among them.
 *
 * Refused, as S3 refuses them (MalformedXML), before anything is built from them:
 *  - a document type declaration: no entity is ever declared, expanded or fetched (billion
 *    laughs, external entities naming local files);
 *  - nesting deeper than the document's schema goes (a 100,000-level document stops at the
 *    schema's depth + 1);
 *  - element names of Object.prototype's (`__proto__`, `constructor`, `prototype`); the
 *    values are built on objects without a prototype besides;
 *  - text beside child elements (S3's schemas have no mixed content).
 *
 * An element holding only text reads as its text (an empty one as ""), one with children as
 * an object of them; an element whose path is in `repeated` always reads as a list, any
 * other one seen twice becomes a list too. Namespace prefixes and attributes are dropped.
 */
import { SaxesParser } from "saxes";

export interface XmlSchema {
  /** how deep the document's schema goes: 1 for a lone root element */
  depth: number;
  /** element paths (`Delete.Object`) that may repeat: read as a list even when seen once */
  repeated?: readonly string[];
}

export type XmlRecord = Record<string, unknown>;

const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

interface Frame {
  name: string;
  path: string;
  text: string;
  children?: XmlRecord;
}

/** The document as values, or undefined when it is not well-formed or is refused above. */
export function parseXml(text: string, schema: XmlSchema): XmlRecord | undefined {
  if (!text.trim()) return undefined;
  const repeated = new Set(schema.repeated);
  const stack: Frame[] = [{ name: "", path: "", text: "" }];
  const parser = new SaxesParser({ position: false });
  parser.on("doctype", () => refuse());
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    if (FORBIDDEN_NAMES.has(name) || stack.length > schema.depth) refuse();
    const parent = stack[stack.length - 1]!;
    stack.push({ name, path: parent.path ? `${parent.path}.${name}` : name, text: "" });
  });
  parser.on("text", (chunk) => void (stack[stack.length - 1]!.text += chunk));
  parser.on("cdata", (chunk) => void (stack[stack.length - 1]!.text += chunk));
  parser.on("closetag", () => {
    const frame = stack.pop()!;
    if (frame.children && frame.text.trim()) refuse();
    const parent = stack[stack.length - 1]!;
    parent.children ??= Object.create(null) as XmlRecord;
    add(parent.children, frame.name, frame.children ?? frame.text, repeated.has(frame.path));
  });
  // saxes throws its own well-formedness errors when no error handler is set
  try {
    parser.write(text).close();
  } catch {
    return undefined;
  }
  return stack[0]!.children;
}

/** Values are text or objects, never lists: a list found here is one this reader made. */
function add(into: XmlRecord, name: string, value: unknown, asList: boolean): void {
  const existing = into[name];
  if (existing === undefined) into[name] = asList ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else into[name] = [existing, value];
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

function refuse(): never {
  throw new Error("refused");
}
