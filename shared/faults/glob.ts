/** Globs in fault conditions: `*` any run of characters (`/` included), `?` one character. */
export function globRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s");
}

/** A name test: exact when the pattern has no wildcard, else the glob. */
export function nameMatcher(patterns: string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !/[*?]/.test(p)));
  const globs = patterns.filter((p) => /[*?]/.test(p)).map(globRegExp);
  return (name) => exact.has(name) || globs.some((glob) => glob.test(name));
}
