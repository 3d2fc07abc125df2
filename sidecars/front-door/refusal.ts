/**
 * Whether the front door refuses connections (a service_down anomaly in mode `refuse` on the
 * gateway), and until when. Shared, like the connection table, by the control channel that
 * sets it and the front door that obeys it. A refusal always has an end and lifts itself
 * there, so the gateway comes back even if the sidecar that asked is gone.
 */

/** The longest a refusal may be asked for. */
export const MAX_REFUSAL_MS = 24 * 3_600_000;

type Listener = (refusing: boolean) => void;

export class Refusal {
  private timer: NodeJS.Timeout | undefined;
  private endsAt: number | undefined;
  private readonly listeners = new Set<Listener>();

  get refusing(): boolean {
    return this.endsAt !== undefined;
  }

  /** Refuses until `until` (ms since the epoch, at most MAX_REFUSAL_MS ahead); false for a time past. */
  refuse(until: number): boolean {
    const ms = Math.min(until - Date.now(), MAX_REFUSAL_MS);
    if (!(ms > 0)) return false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lift(), ms);
    this.timer.unref();
    const was = this.refusing;
    this.endsAt = Date.now() + ms;
    if (!was) this.emit(true);
    return true;
  }

  lift(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.refusing) return;
    this.endsAt = undefined;
    this.emit(false);
  }

  /** Calls `listener` at every change; returns the unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(refusing: boolean): void {
    for (const listener of this.listeners) listener(refusing);
  }
}
