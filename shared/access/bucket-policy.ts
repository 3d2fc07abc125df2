/**
 * A bucket policy as the bucket evaluates it on every request: each statement applies when its
 * principal, action, resource and conditions all match; an explicit Deny wins over any Allow,
 * and with neither the policy says nothing (the owner, or an ACL, may still allow). The text
 * has been checked when it was put (workers/gateway/src/bucket-config/policy-document.ts);
 * the bucket compiles it once per version of it.
 */
import { globRegExp } from "../glob";
import { type ConditionBlock, conditionsHold } from "./policy-conditions";

/** Who sends the request, as a policy's Principal names it. */
export interface PolicySubject {
  anonymous: boolean;
  ownerId: string;
  principalArn?: string;
}

export interface PolicyQuestion {
  subject: PolicySubject;
  action: string;
  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key` */
  resource: string;
  context: Record<string, string>;
  /** the bucket's public access block has RestrictPublicBuckets on and this policy is public */
  restrictPublic?: boolean;
}

type Principals = "*" | { ids: Set<string>; arns: Set<string> };

interface Statement {
  effect: "Allow" | "Deny";
  principals: Principals;
  notPrincipal: boolean;
  actions: RegExp[];
  notAction: boolean;
  resources: RegExp[];
  notResource: boolean;
  condition?: ConditionBlock;
}

export interface CompiledPolicy {
  statements: Statement[];
  /** an Allow for everyone with no condition: S3's "public" policy */
  isPublic: boolean;
}

export function compilePolicy(text: string): CompiledPolicy {
  const document = JSON.parse(text) as { Statement?: unknown };
  const list = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const statements = (list as Record<string, unknown>[]).map(compileStatement);
  const isPublic = statements.some((s) => s.effect === "Allow" && s.principals === "*" && !s.notPrincipal && s.condition === undefined);
  return { statements, isPublic };
}

/** The policy's verdict: Deny when a Deny statement applies, else Allow when an Allow does. */
export function evaluatePolicy(policy: CompiledPolicy, question: PolicyQuestion): "Allow" | "Deny" | undefined {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!applies(statement, question)) continue;
    if (statement.effect === "Deny") return "Deny";
    allowed = true;
  }
  if (allowed && question.restrictPublic && policy.isPublic) return undefined;
  return allowed ? "Allow" : undefined;
}

function applies(s: Statement, q: PolicyQuestion): boolean {
  return (
    principalMatches(s.principals, q.subject) !== s.notPrincipal &&
    s.actions.some((a) => a.test(q.action)) !== s.notAction &&
    s.resources.some((r) => r.test(q.resource)) !== s.notResource &&
    (s.condition === undefined || conditionsHold(s.condition, q.context))
  );
}

function principalMatches(principals: Principals, subject: PolicySubject): boolean {
  if (principals === "*") return true;
  if (subject.anonymous) return false;
  return principals.ids.has(subject.ownerId) || (subject.principalArn !== undefined && principals.arns.has(subject.principalArn));
}

function compileStatement(raw: Record<string, unknown>): Statement {
  const principal = raw.Principal ?? raw.NotPrincipal;
  const action = raw.Action ?? raw.NotAction;
  const resource = raw.Resource ?? raw.NotResource;
  const statement: Statement = {
    effect: raw.Effect === "Deny" ? "Deny" : "Allow",
    principals: principalsOf(principal),
    notPrincipal: raw.Principal === undefined,
    actions: listOf(action).map((a) => globRegExp(a, true)),
    notAction: raw.Action === undefined,
    resources: listOf(resource).map((r) => globRegExp(r)),
    notResource: raw.Resource === undefined,
  };
  if (raw.Condition !== undefined) statement.condition = raw.Condition as ConditionBlock;
  return statement;
}

/**
 * `*`, `{"AWS": …}` with `*`, an owner id, `arn:aws:iam::<id>:root` or a key's ARN, and
 * `{"CanonicalUser": …}`. Service principals never send requests here.
 */
function principalsOf(value: unknown): Principals {
  if (value === "*") return "*";
  const { AWS, CanonicalUser } = (value ?? {}) as { AWS?: unknown; CanonicalUser?: unknown };
  const aws = listOf(AWS);
  if (aws.includes("*")) return "*";
  const ids = new Set(listOf(CanonicalUser));
  const arns = new Set<string>();
  for (const name of aws) {
    const root = /^arn:aws:iam::([^:]+):root$/.exec(name);
    if (root) ids.add(root[1]!);
    else if (name.startsWith("arn:")) arns.add(name);
    else ids.add(name);
  }
  return { ids, arns };
}

function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
