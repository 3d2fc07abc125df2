/** MOCKS3_MAX_RECORDED_DECISIONS: the most decisions a recording holds before it stops by itself (100,000 unless set; 1 to 100,000). */
import { MAX_RECORDED_DECISIONS } from "../../../shared/faults/recording";

export function maxRecordedDecisions(env: { MOCKS3_MAX_RECORDED_DECISIONS?: string }): number {
  const text = env.MOCKS3_MAX_RECORDED_DECISIONS?.trim() ?? "";
  if (text === "") return MAX_RECORDED_DECISIONS;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_RECORDED_DECISIONS))
    throw new Error(`MOCKS3_MAX_RECORDED_DECISIONS must be a whole number from 1 to ${MAX_RECORDED_DECISIONS}, got ${JSON.stringify(env.MOCKS3_MAX_RECORDED_DECISIONS)}`);
  return n;
}
