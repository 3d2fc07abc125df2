/** MOCKS3_MAX_RULES: the most fault rules the store holds (10,000 unless set; 1 to 100,000). */
export const DEFAULT_MAX_RULES = 10_000;
const HIGHEST = 100_000;

export function maxRules(env: { MOCKS3_MAX_RULES?: string }): number {
  const text = env.MOCKS3_MAX_RULES?.trim() ?? "";
  if (text === "") return DEFAULT_MAX_RULES;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= HIGHEST)) throw new Error(`MOCKS3_MAX_RULES must be a whole number from 1 to ${HIGHEST}, got ${JSON.stringify(env.MOCKS3_MAX_RULES)}`);
  return n;
}
