/**
 * The consistency faults: the request is answered as usual, from the bucket's memory of what
 * keys were `seconds` ago (durable-objects/bucket/recent-changes.ts) — `stale_read` for
 * GET/HEAD (the previous version's bytes and headers, or 404 after a create), `list_lag` for
 * listings (new keys missing, deleted ones still there). The bucket remembers the changes
 * made while such a rule is in force (s3/pipeline.ts sets the caller's window).
 */
import type { FaultAction } from "../fault-context";

export const staleRead: FaultAction = ({ injection, ctx, respond }) => {
  const action = injection.rule.action;
  if (action.type === "stale_read") ctx.consistency = { staleMs: action.seconds * 1000 };
  return respond();
};

export const listLag: FaultAction = ({ injection, ctx, respond }) => {
  const action = injection.rule.action;
  if (action.type === "list_lag") ctx.consistency = { listLagMs: action.seconds * 1000 };
  return respond();
};
