/**
 * The consistency faults' names and window, apart from the action schemas (actions.ts): every
 * worker's gate needs them (gate-rules.ts), and none should bundle zod for it.
 */

/** Longest window of a consistency fault: replaced bytes stay readable 30 s after their release. */
export const MAX_CONSISTENCY_SECONDS = 30;

/** The actions that need the bucket to remember recent changes while a rule takes them. */
export const CONSISTENCY_ACTIONS: readonly string[] = ["stale_read", "list_lag"];
