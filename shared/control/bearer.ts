/** The Authorization header a caller inside the stack sends to a control API (none without a token). */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
