/**
 * `PUT /api/v1/upstreams/:bucket`'s body, checked whole: a bad upstream is refused with 400
 * and the reason when it is written, never found out at the first read. `force_path_style`
 * defaults to what the endpoint allows: path style for an IP address or `localhost` (no
 * `<bucket>.<host>` name can reach them), virtual-hosted otherwise, as the AWS SDKs do.
 */
import { z } from "zod";
import type { Upstream } from "../../../shared/upstreams";

/** S3's bucket naming rules (the ones every S3-compatible store follows). */
const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const endpoint = z
  .string()
  .trim()
  .superRefine((value, issue) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const reason = !url
      ? "not a URL"
      : !["http:", "https:"].includes(url.protocol)
        ? "not http or https"
        : url.username || url.password
          ? "credentials go in access_key_id and secret_access_key, not the URL"
          : url.search || url.hash
            ? "no query or fragment"
            : undefined;
    if (reason) issue.addIssue({ code: "custom", message: `endpoint ${JSON.stringify(value)}: ${reason}` });
  });

export const upstreamInput = z.strictObject({
  endpoint,
  bucket: z.string().regex(BUCKET_NAME, "bucket: not a valid S3 bucket name"),
  region: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,64}$/, "region: lower-case letters, digits and hyphens, like us-east-1")
    .default("us-east-1"),
  access_key_id: z.string().trim().min(1, "access_key_id: required").max(256),
  secret_access_key: z.string().min(1, "secret_access_key: required").max(1024),
  force_path_style: z.boolean().optional(),
});

export function isLocalBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** The upstream, or the reason it is refused. */
export function checkUpstream(input: unknown): { ok: true; upstream: Upstream } | { ok: false; reason: string } {
  const parsed = upstreamInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map(describe).join("; ") };
  const { force_path_style, ...rest } = parsed.data;
  const host = new URL(rest.endpoint).hostname;
  const hostOnly = host === "localhost" || /^[\d.]+$/.test(host) || host.startsWith("[");
  if (hostOnly && force_path_style === false) return { ok: false, reason: `force_path_style: ${host} cannot be addressed virtual-hosted (<bucket>.${host})` };
  return { ok: true, upstream: { ...rest, endpoint: rest.endpoint.replace(/\/+$/, ""), force_path_style: force_path_style ?? hostOnly } };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  const field = issue.path.join(".");
  if (issue.code === "invalid_type") return `${field}: expected ${issue.expected}`;
  return issue.message.startsWith(`${field}:`) || issue.message.startsWith("endpoint ") ? issue.message : `${field}: ${issue.message}`;
}
