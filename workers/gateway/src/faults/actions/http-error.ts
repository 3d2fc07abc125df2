/**
 * `http_error` and `slow_down`: the handler never runs; the client gets the rule's S3 error,
 * after the rule's `delay` when it has one (a slow failure; a halt ends the wait at once).
 */
import { waitOut } from "../../../../../shared/faults/delay-time";
import { injectedS3Error } from "../../../../../shared/faults/injected-error";
import type { FaultAction } from "../fault-context";

export const httpError: FaultAction = async ({ injection }) => {
  await waitOut(injection);
  throw injectedS3Error(injection.rule);
};
