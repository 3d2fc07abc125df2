/**
 * Tells an injection in progress (a delay, a hold, a throttled stream) that its rule is no
 * longer in force: disabled, deleted or halted.
 *
 * Not an AbortController: workerd ties one to the request that created it, and the rule
 * change that must end the injection always arrives in another request (mock-error-service's
 * push, or a later request's poll), where `abort()` throws "Cannot perform I/O on behalf of a
 * different request" — the injection ran to its end. Plain callbacks may be called from any
 * request; a wait they end resumes in the request that waits.
 */
export class RuleStop {
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.stopped;
  }

  /** Calls `listener` once when the rule stops (at once if it has); returns how to stop listening. */
  onStop(listener: () => void): () => void {
    if (this.stopped) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }
}
