/** `http_error` and `slow_down`: the handler never runs; the client gets the rule's S3 error. */
import { injectedS3Error } from "../../../../../shared/faults/injected-error";
import type { FaultAction } from "../fault-context";

export const httpError: FaultAction = async ({ injection }) => {
  throw injectedS3Error(injection.rule);
};
