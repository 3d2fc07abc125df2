/**
 * ACLs on the S3 side: what a request asks — a canned `x-amz-acl`, `x-amz-grant-*` headers
 * (`id="…"`, `uri="…"`; `emailAddress` is refused, there being no accounts by mail here) or
 * an AccessControlPolicy body — checked as S3 checks them, and the AccessControlPolicy
 * document Get…Acl answers. The bucket decides what a request may set
 * (durable-objects/bucket/acls.ts).
 */
import { type Acl, type AclRequest, CANNED_ACLS, type CannedAcl, type Grant, type Grantee, GROUPS, PERMISSIONS, type Permission } from "../../../../shared/access/acl";
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlDocument } from "../../../../shared/s3-xml";
import type { XmlRecord } from "../body/xml-body";

const GRANT_HEADERS: ReadonlyArray<readonly [string, Permission]> = [
  ["x-amz-grant-read", "READ"],
  ["x-amz-grant-write", "WRITE"],
  ["x-amz-grant-read-acp", "READ_ACP"],
  ["x-amz-grant-write-acp", "WRITE_ACP"],
  ["x-amz-grant-full-control", "FULL_CONTROL"],
];

const XSI = "http://www.w3.org/2001/XMLSchema-instance";

/** The ACL a request's headers ask for; undefined when they name none. */
export function aclRequestFromHeaders(headers: Headers): AclRequest | undefined {
  const canned = headers.get("x-amz-acl");
  const grants: Grant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) for (const grantee of granteesOf(value)) grants.push({ grantee, permission });
  }
  if (canned !== null && grants.length > 0) throw new S3Error("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
  if (canned !== null) {
    if (!CANNED_ACLS.includes(canned as CannedAcl)) throw new S3Error("InvalidArgument", undefined, { ArgumentName: "x-amz-acl", ArgumentValue: canned });
    return { canned: canned as CannedAcl };
  }
  return grants.length > 0 ? { grants } : undefined;
}

/** `id="…", uri="…"`: one header's grantees. */
function granteesOf(value: string): Grantee[] {
  const grantees: Grantee[] = [];
  for (const part of value.split(",")) {
    const match = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!match?.[2]) throw new S3Error("InvalidArgument", "Invalid grant header", { ArgumentName: "x-amz-grant", ArgumentValue: value });
    grantees.push(granteeOf(match[1]!.toLowerCase(), match[2]));
  }
  return grantees;
}

function granteeOf(kind: string, value: string): Grantee {
  if (kind === "id") return { id: value };
  if (kind === "uri") {
    if (!GROUPS.includes(value)) throw new S3Error("InvalidArgument", "Invalid group uri", { ArgumentName: "uri", ArgumentValue: value });
    return { group: value };
  }
  throw new S3Error("UnresolvableGrantByEmailAddress");
}

type GrantElement = { Grantee?: { ID?: unknown; URI?: unknown; EmailAddress?: unknown }; Permission?: unknown };

/** The grants of a Put…Acl body (its Owner is the resource's, which the body cannot change). */
export function aclRequestFromPolicy(document: XmlRecord | undefined): AclRequest {
  const policy = document?.AccessControlPolicy as { AccessControlList?: { Grant?: GrantElement[] } | string } | undefined;
  if (!policy || typeof policy !== "object") throw new S3Error("MalformedACLError");
  const list = typeof policy.AccessControlList === "object" ? (policy.AccessControlList.Grant ?? []) : [];
  const grants = list.map((element): Grant => {
    const permission = element.Permission;
    if (typeof permission !== "string" || !PERMISSIONS.includes(permission as Permission)) throw new S3Error("MalformedACLError");
    const { ID, URI, EmailAddress } = element.Grantee ?? {};
    if (typeof ID === "string" && ID) return { grantee: granteeOf("id", ID), permission: permission as Permission };
    if (typeof URI === "string" && URI) return { grantee: granteeOf("uri", URI), permission: permission as Permission };
    if (EmailAddress !== undefined) throw new S3Error("UnresolvableGrantByEmailAddress");
    throw new S3Error("MalformedACLError");
  });
  return { grants };
}

/** Get…Acl's answer; `displayName` names the configured keys' owners. */
export function aclDocument(acl: Acl, displayName: (ownerId: string) => string | undefined): XmlDocument {
  const user = (id: string) => {
    const name = displayName(id);
    return name === undefined ? { ID: id } : { ID: id, DisplayName: name };
  };
  const Grant = acl.grants.map(({ grantee, permission }) => ({
    Grantee: "id" in grantee ? { "@_xmlns:xsi": XSI, "@_xsi:type": "CanonicalUser", ...user(grantee.id) } : { "@_xmlns:xsi": XSI, "@_xsi:type": "Group", URI: grantee.group },
    Permission: permission,
  }));
  return ["AccessControlPolicy", { Owner: user(acl.owner), AccessControlList: { Grant } }];
}
