/**
 * Compares two strings in time that depends on their lengths only, not on where they differ
 * (a token guessed a character at a time must learn nothing from how fast it was refused).
 */
export function timingSafeEqual(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i % Math.max(given.length, 1)) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}
