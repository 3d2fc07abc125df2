/**
 * `commit_then_error`, an ambiguous write: the operation runs and its effect is kept, then
 * the client is told it failed (500 by default). A client that retries must cope with the
 * write having happened.
 */
import { injectedS3Error } from "../../../../../shared/faults/injected-error";
import type { FaultAction } from "../fault-context";

export const commitThenError: FaultAction = async ({ injection, respond }) => {
  const response = await respond();
  await response.body?.cancel();
  throw injectedS3Error(injection.rule);
};
