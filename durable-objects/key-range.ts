/**
 * Key-space arithmetic for listings. Keys are compared as UTF-8 bytes (SQLite's BINARY
 * collation), which orders exactly like Unicode code points.
 */

/**
 * Orders keys as S3 lists them (UTF-8 bytes, i.e. code points). JavaScript's `<` compares
 * UTF-16 code units instead, which puts astral characters (emoji) before U+E000–U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 code unit's place in code point order: surrogates go above the rest of the BMP. */
function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** The smallest string greater than every string that starts with `prefix`. */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    let last = (points.pop() as string).codePointAt(0)! + 1;
    if (last === 0xd800) last = 0xe000; // skip the surrogate range, never valid in a key
    if (last <= 0x10ffff) return points.join("") + String.fromCodePoint(last);
  }
  return undefined;
}

/**
 * The common prefix a key rolls up into under `delimiter`, or undefined when it is listed
 * as itself.
 */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}
