/**
 * What a request asks of a bucket, as the bucket's policy and ACLs judge it (bucket-policy.ts,
 * acl.ts). The gateway names it (the IAM action of the operation, the object, the request's
 * condition keys) and sends it with the caller; the bucket's Durable Object decides.
 */

export interface AccessRequest {
  /** the IAM action, as policies name it: `s3:GetObject` */
  action: string;
  /** the object, for an object action */
  key?: string;
  /** an unsigned request in strict mode: it acts as nobody's key */
  anonymous?: boolean;
  /** the signed key's ARN, `arn:aws:iam::<ownerId>:user/<name>` */
  principalArn?: string;
  /** signed in the query string rather than the Authorization header */
  presigned?: boolean;
  /** `x-amz-expected-bucket-owner` (for a copy's source, `x-amz-source-expected-bucket-owner`): the bucket must be this owner's */
  expectedOwner?: string;
  /** the condition keys the request carries, named in lower case (`aws:sourceip`, `s3:prefix`) */
  context: Record<string, string>;
}

/**
 * Every condition key of a request: what it carries, and what follows from who signed it,
 * how, and when — added only when a policy is evaluated.
 */
export function conditionContext(access: AccessRequest, ownerId: string, principal: string | undefined, now: number): Record<string, string> {
  const context: Record<string, string> = {
    ...access.context,
    "aws:currenttime": new Date(now).toISOString(),
    "aws:epochtime": String(Math.floor(now / 1000)),
    "aws:principaltype": access.anonymous ? "Anonymous" : "User",
  };
  if (access.anonymous) return context;
  context["aws:principalaccount"] = ownerId;
  if (access.principalArn) {
    context["aws:principalarn"] = access.principalArn;
    context["aws:username"] = access.principalArn.slice(access.principalArn.indexOf(":user/") + 6);
  }
  if (principal) context["aws:userid"] = principal;
  context["s3:authtype"] = access.presigned ? "REST-QUERY-STRING" : "REST-HEADER";
  context["s3:signatureversion"] = "AWS4-HMAC-SHA256";
  return context;
}

/** The principal ARN of a configured key. */
export function principalArnOf(ownerId: string, displayName: string): string {
  return `arn:aws:iam::${ownerId}:user/${displayName}`;
}
