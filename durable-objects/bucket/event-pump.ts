/**
 * Records a bucket's object events in its outbox and tells queue-service that there are
 * some: one message on the object-events queue for however many events a burst of writes
 * records (the first write of a burst sends it a few milliseconds later; queue-service then
 * takes everything waiting). A message that never arrives loses nothing: the events wait in
 * the outbox for the next message, or for queue-service's sweep when the stack starts.
 */
import type { EventOrigin } from "../../shared/notifications/object-events";
import type { NewEvent, Outbox } from "./outbox";

/** How long a burst of writes gathers before the message goes out. */
const GATHER_MS = 10;

export interface ObjectEventsMessage {
  bucket: string;
}

export class EventPump {
  private pending = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: DurableObjectsEnv,
  ) {}

  record(outbox: Outbox, bucket: string, event: NewEvent, origin: EventOrigin): void {
    outbox.record(event, { requestId: origin.requestId, sourceIp: origin.sourceIp, principal: origin.principal });
    if (this.pending) return;
    this.pending = true;
    const send = async () => {
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      this.pending = false;
      await this.env.OBJECT_EVENTS.send({ bucket } satisfies ObjectEventsMessage);
    };
    this.ctx.waitUntil(
      send().catch(() => {
        this.pending = false;
      }),
    );
  }
}
