/** A call to another service's control API through its binding, with the stack's token. */
import { bearer } from "../../../shared/control/bearer";
import { controlPolicy } from "../../../shared/control/guard";

export function internal(env: MockErrorEnv, binding: Fetcher, path: string, init: RequestInit = {}): Promise<Response> {
  return binding.fetch(`http://localhost${path}`, { ...init, headers: { ...bearer(controlPolicy(env).token), ...(init.headers as Record<string, string> | undefined) } });
}
