/**
 * The control plane's protection: every control request (the `/api/v1` APIs of the services,
 * the anomalies sidecar's API, the console) passes `refusalOf` before its handler runs.
 *
 * - **Host.** A web page a user visits can resolve its own name to 127.0.0.1 (DNS rebinding)
 *   and then read and write the control APIs as "same origin". A request is served only when
 *   its Host is an address (v4 or v6), `localhost` (or a name under it), or a name the user
 *   allowed (MOCKS3_CONTROL_HOSTS): a rebinding page's Host is its own name.
 * - **Token.** With MOCKS3_CONTROL_TOKEN set, `Authorization: Bearer <token>` is required
 *   (401 otherwise); unset, nothing is asked.
 * - **Cross-site writes.** A page can POST a form, or a `text/plain` fetch, to any address
 *   without asking. A mutating request is refused when a browser says it comes from another
 *   origin (`Origin` not the request's own, as the console's requests are), and one that
 *   carries a body must say it is JSON (a form or `text/plain` never is). curl and the SDKs
 *   send no Origin, and the seed's examples send JSON, so they pass unchanged.
 */
import { timingSafeEqual } from "./timing-safe-equal";

export interface ControlPolicy {
  /** MOCKS3_CONTROL_TOKEN; undefined: no token asked */
  token: string | undefined;
  /** MOCKS3_CONTROL_HOSTS: names allowed besides addresses and localhost, lower case */
  hosts: ReadonlySet<string>;
}

export interface ControlVars {
  MOCKS3_CONTROL_TOKEN?: string;
  MOCKS3_CONTROL_HOSTS?: string;
}

export interface Refusal {
  status: 401 | 403 | 415;
  error: "unauthorized" | "forbidden" | "unsupported_media_type";
  reason: string;
}

let cached: { vars: ControlVars; policy: ControlPolicy } | undefined;

/** The policy of a worker's env (or the sidecar's process.env), parsed once per object. */
export function controlPolicy(vars: ControlVars): ControlPolicy {
  if (cached?.vars !== vars) cached = { vars, policy: parseControlPolicy(vars) };
  return cached.policy;
}

export function parseControlPolicy(vars: ControlVars): ControlPolicy {
  const token = vars.MOCKS3_CONTROL_TOKEN?.trim() || undefined;
  const names = (vars.MOCKS3_CONTROL_HOSTS ?? "").split(",").map((name) => name.trim().toLowerCase());
  return { token, hosts: new Set(names.filter((name) => name !== "")) };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Why a control request is refused, or undefined to serve it. */
export function refusalOf(method: string, headers: Headers, policy: ControlPolicy): Refusal | undefined {
  const host = headers.get("host");
  if (host !== null && !hostAllowed(hostnameOf(host), policy)) {
    return forbidden(`the Host ${JSON.stringify(host)} is not one of this machine's control addresses; add the name to MOCKS3_CONTROL_HOSTS to use it`);
  }
  if (policy.token !== undefined && !tokenMatches(headers.get("authorization"), policy.token)) {
    return { status: 401, error: "unauthorized", reason: "this control API needs the token of MOCKS3_CONTROL_TOKEN as Authorization: Bearer <token>" };
  }
  if (!MUTATING.has(method.toUpperCase())) return undefined;
  const origin = headers.get("origin");
  if (origin !== null && !sameOrigin(origin, host)) {
    return forbidden(`a change from the web page at ${origin} is refused: only the console's own page may change the control plane`);
  }
  if (headers.get("sec-fetch-site") === "cross-site") return forbidden("a change sent by another web site is refused");
  const type = headers.get("content-type");
  if ((type !== null || hasBody(headers)) && !acceptedBody(type)) {
    return {
      status: 415,
      error: "unsupported_media_type",
      reason: `a change must carry its body as JSON (Content-Type: application/json), or an experiment as YAML (application/yaml), not ${type ?? "no Content-Type"}`,
    };
  }
  return undefined;
}

function forbidden(reason: string): Refusal {
  return { status: 403, error: "forbidden", reason };
}

/** `Host`'s name without its port or an IPv6 literal's brackets, in lower case. */
function hostnameOf(host: string): string {
  const name = host.trim().toLowerCase();
  if (name.startsWith("[")) return name.slice(1, name.indexOf("]"));
  const colon = name.lastIndexOf(":");
  return colon < 0 ? name : name.slice(0, colon);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function hostAllowed(name: string, policy: ControlPolicy): boolean {
  if (IPV4.test(name) || name.includes(":")) return true;
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return policy.hosts.has(name);
}

function tokenMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match !== null && timingSafeEqual(match[1]!, token);
}

/** Whether `Origin` names the server the request was sent to (scheme aside: the stack speaks HTTP). */
function sameOrigin(origin: string, host: string | null): boolean {
  if (host === null) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (a sandboxed or file: page) and anything unparsable
  }
}

function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  return headers.has("transfer-encoding") || (length !== null && length.trim() !== "0");
}

/**
 * JSON, or YAML (experiments are written in it): types a web page cannot send to another
 * origin without a preflight, which the control plane never answers.
 */
function acceptedBody(type: string | null): boolean {
  const essence = (type ?? "").split(";")[0]!.trim().toLowerCase();
  return essence === "application/json" || (essence.startsWith("application/") && essence.endsWith("+json")) || YAML_TYPES.has(essence);
}

const YAML_TYPES = new Set(["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]);
