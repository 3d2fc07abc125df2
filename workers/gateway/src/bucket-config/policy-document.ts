/**
 * A bucket policy as S3 checks it when it is put (MalformedPolicy with S3's reasons): JSON of
 * at most 20 KB, statements with an Effect, a principal, S3 actions and resources of this
 * bucket, conditions with IAM's operators. `isPublic` is GetBucketPolicyStatus's answer: an
 * Allow for everyone (`*`) with no condition. The bucket evaluates the policy on every request
 * (shared/access/bucket-policy.ts).
 */
import { compilePolicy } from "../../../../shared/access/bucket-policy";
import { conditionProblem } from "../../../../shared/access/policy-conditions";
import { globRegExp } from "../../../../shared/glob";
import { S3Error } from "../../../../shared/s3-errors";

const MAX_POLICY_BYTES = 20 * 1024;

type Statement = Record<string, unknown>;

export function checkPolicy(text: string, bucket: string): void {
  if (new TextEncoder().encode(text).byteLength > MAX_POLICY_BYTES) throw new S3Error("MalformedPolicy", "Policies must be less than 20KB");
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new S3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) throw new S3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
  const { Version, Statement } = policy as Record<string, unknown>;
  if (Version !== undefined && Version !== "2012-10-17" && Version !== "2008-10-17") throw new S3Error("MalformedPolicy", "The policy must contain a valid version string");
  const statements = statementsOf(Statement);
  if (statements.length === 0) throw new S3Error("MalformedPolicy", "Missing required field Statement");
  for (const statement of statements) checkStatement(statement, bucket);
}

export function isPublic(text: string): boolean {
  return compilePolicy(text).isPublic;
}

function statementsOf(value: unknown): Statement[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.some((s) => typeof s !== "object" || s === null || Array.isArray(s))) throw new S3Error("MalformedPolicy", "Statement must be an object or a list of objects");
  return list as Statement[];
}

function checkStatement(statement: Statement, bucket: string): void {
  if (statement.Effect !== "Allow" && statement.Effect !== "Deny") throw new S3Error("MalformedPolicy", "Invalid effect");
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) throw new S3Error("MalformedPolicy", "Missing required field Principal");
  const actions = strings(statement.Action ?? statement.NotAction, "Action");
  if (actions.some((action) => action !== "*" && !/^s3:[A-Za-z*?]+$/.test(action))) throw new S3Error("MalformedPolicy", "Policy has invalid action");
  const resources = strings(statement.Resource ?? statement.NotResource, "Resource");
  for (const resource of resources) {
    const match = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(resource);
    if (resource !== "*" && !(match && globRegExp(match[1]!).test(bucket))) throw new S3Error("MalformedPolicy", "Policy has invalid resource");
  }
  const problem = statement.Condition === undefined ? undefined : conditionProblem(statement.Condition);
  if (problem) throw new S3Error("MalformedPolicy", problem);
}

function strings(value: unknown, field: string): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length === 0) throw new S3Error("MalformedPolicy", `Missing required field ${field}`);
  if (list.some((item) => typeof item !== "string")) throw new S3Error("MalformedPolicy", `Policy has invalid ${field.toLowerCase()}`);
  return list as string[];
}
