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
  /** the request's condition keys, named in lower case (`aws:sourceip`, `s3:prefix`): those it has */
  context: Record<string, string>;
}

/** The principal ARN of a configured key. */
export function principalArnOf(ownerId: string, displayName: string): string {
  return `arn:aws:iam::${ownerId}:user/${displayName}`;
}
