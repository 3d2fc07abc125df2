/**
 * Globs, as fault conditions and IAM policies write them: `*` any run of characters (`/`
 * included), `?` one character. `ignoreCase` for IAM's action names.
 */
export function globRegExp(glob: string, ignoreCase = false): RegExp {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
}

/** A name test: exact when the pattern has no wildcard, else the glob. */
export function nameMatcher(patterns: string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !/[*?]/.test(p)));
  const globs = patterns.filter((p) => /[*?]/.test(p)).map((pattern) => globRegExp(pattern));
  return (name) => exact.has(name) || globs.some((glob) => glob.test(name));
}
