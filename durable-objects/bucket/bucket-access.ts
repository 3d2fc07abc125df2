/**
 * Whether a caller may do what it asks of this bucket, decided as S3 decides it: an explicit
 * Deny in the bucket policy refuses (the owner keeps the right to read, change and delete the
 * policy itself, so a policy can never lock it out); the owner may do everything else; anyone
 * else needs an Allow of the policy or, where the bucket's ownership setting enables ACLs, a
 * grant of the bucket's ACL — or, for reads of an object and of its ACL, of the object's ACL,
 * which the object's reader checks once it has found the version (objectAllows).
 *
 * The public access block (default: all four on, as for every bucket made since 2023) takes
 * effect here: RestrictPublicBuckets ignores a public policy's Allows for anyone but the owner,
 * IgnorePublicAcls ignores grants to AllUsers and AuthenticatedUsers.
 *
 * A request naming the owner it expects (`x-amz-expected-bucket-owner`) is refused first when
 * the bucket is another's, as on S3.
 *
 * A call without `caller.access` is the stack's own (lifecycle, the console's views): only
 * the owner check applies.
 */
import { conditionContext } from "../../shared/access/access-request";
import type { Acl } from "../../shared/access/acl";
import { aclAllows, isObjectAclAction } from "../../shared/access/acl";
import { type CompiledPolicy, compilePolicy, evaluatePolicy } from "../../shared/access/bucket-policy";
import type { Caller, ConfigDocument } from "../../shared/records";
import type { Failure } from "../../shared/s3-errors";
import type { BucketSettings } from "./bucket-settings";

/** The bucket's stored documents this reads, by subresource. */
export const POLICY = "policy";
export const PUBLIC_ACCESS_BLOCK = "publicAccessBlock";
export const OWNERSHIP = "ownershipControls";
export const BUCKET_ACL = "acl";

export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** The owner may always manage the policy, whatever it says. */
const POLICY_ACTIONS = new Set(["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]);

/** Allowed; or allowed only if the object's ACL grants it. */
export type Verdict = "allowed" | "object-acl";

export class BucketAccess {
  constructor(private readonly settings: BucketSettings) {}

  decide(caller: Caller): Verdict | Failure {
    const info = this.settings.info;
    if (!info) return { error: "NoSuchBucket" };
    const access = caller.access;
    const owner = access?.anonymous !== true && caller.ownerId === info.ownerId;
    if (!access) return owner ? "allowed" : denied();
    if (access.expectedOwner !== undefined && access.expectedOwner !== info.ownerId) return denied("The bucket is not owned by the expected bucket owner");
    const policy = this.settings.readConfig(POLICY, compileStored);
    if (policy) {
      const verdict = evaluatePolicy(policy, {
        subject: { anonymous: access.anonymous === true, ownerId: caller.ownerId, principalArn: access.principalArn },
        action: access.action,
        resource: `arn:aws:s3:::${info.name}${access.key === undefined ? "" : `/${access.key}`}`,
        context: conditionContext(access, caller.ownerId, caller.principal, Date.now()),
        restrictPublic: !owner && this.publicAccessBlock().RestrictPublicBuckets,
      });
      if (verdict === "Deny" && !(owner && POLICY_ACTIONS.has(access.action))) return denied(`${access.action} is denied by the bucket policy`);
      if (verdict === "Allow") return "allowed";
    }
    if (owner) return "allowed";
    if (this.ownership() === "BucketOwnerEnforced") return denied();
    if (isObjectAclAction(access.action)) return "object-acl";
    return aclAllows(this.bucketAcl(), access.action, grantees(caller), !this.publicAccessBlock().IgnorePublicAcls) ? "allowed" : denied();
  }

  /** Whether an object's ACL (none: private to the bucket owner) grants what the caller asks. */
  objectAllows(caller: Caller, acl: Acl | undefined): boolean {
    if (!acl || !caller.access) return false;
    return aclAllows(acl, caller.access.action, grantees(caller), !this.publicAccessBlock().IgnorePublicAcls);
  }

  ownership(): ObjectOwnership {
    return this.settings.readConfig(OWNERSHIP, readOwnership);
  }

  publicAccessBlock(): PublicAccessBlock {
    return this.settings.readConfig(PUBLIC_ACCESS_BLOCK, readBlock);
  }

  /** The bucket's ACL: the owner's FULL_CONTROL unless one was put. */
  bucketAcl(): Acl {
    const owner = this.settings.info!.ownerId;
    return this.settings.readConfig(BUCKET_ACL, (text) => (text ? (JSON.parse(text) as Acl) : undefined)) ?? { owner, grants: [{ grantee: { id: owner }, permission: "FULL_CONTROL" }] };
  }
}

function denied(message = "Access Denied"): Failure {
  return { error: "AccessDenied", message };
}

function grantees(caller: Caller) {
  return { anonymous: caller.access?.anonymous === true, ownerId: caller.ownerId };
}

function compileStored(text: ConfigDocument | undefined): CompiledPolicy | undefined {
  return text ? compilePolicy(text) : undefined;
}

/** Never put: BucketOwnerEnforced (S3's default since 2023); deleted: ObjectWriter, as before ownership controls. */
export function readOwnership(text: ConfigDocument | undefined): ObjectOwnership {
  if (text === undefined) return "BucketOwnerEnforced";
  if (text === null) return "ObjectWriter";
  return (JSON.parse(text) as { Rule: { ObjectOwnership: ObjectOwnership } }).Rule.ObjectOwnership;
}

/** Never put: all four on (S3's default since 2023); deleted: all off. */
export function readBlock(text: ConfigDocument | undefined): PublicAccessBlock {
  if (text === undefined) return { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  const stored = text === null ? {} : (JSON.parse(text) as Partial<PublicAccessBlock>);
  return {
    BlockPublicAcls: stored.BlockPublicAcls === true,
    IgnorePublicAcls: stored.IgnorePublicAcls === true,
    BlockPublicPolicy: stored.BlockPublicPolicy === true,
    RestrictPublicBuckets: stored.RestrictPublicBuckets === true,
  };
}
