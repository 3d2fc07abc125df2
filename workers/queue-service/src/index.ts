/**
 * queue-service (8083): wiring only. Its work comes from queues — object events
 * (object-events.ts), webhook deliveries (deliveries.ts), dead letters (dead-letters.ts) —
 * and its HTTP side is /health and the control API (api.ts).
 */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { serviceGate } from "../../../shared/faults/service-gate";
import { healthApp } from "../../../shared/health";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { queueApi } from "./api";
import { handleDeadLetters } from "./dead-letters";
import { handleDeliveries, type DeliveryMessage } from "./deliveries";
import type { ObjectEventsMessage } from "../../../shared/notifications/object-events";
import { handleObjectEvents } from "./object-events";
import { controlGuard } from "../../../shared/control/middleware";

export { FaultControl } from "../../../shared/faults/service-gate";

// the rules this worker checks (shared/faults/gate-services.ts)
serviceGate.serve("queue-service");

const app = new Hono<{ Bindings: QueueEnv }>()
  .use(requestLog("queue-service"))
  .use("/api/v1/*", controlGuard())
  .use(serviceDown("queue-service"))
  .route("/", healthApp<QueueEnv>("queue-service"))
  .route("/", queueApi);

const QUEUES: Record<string, (batch: MessageBatch<never>, env: QueueEnv, ctx: ExecutionContext) => Promise<void>> = {
  "mocks3-object-events": (batch, env, ctx) => handleObjectEvents(batch as MessageBatch<ObjectEventsMessage>, env, ctx),
  "mocks3-deliveries": (batch, env, ctx) => handleDeliveries(batch as MessageBatch<DeliveryMessage>, env, ctx),
  "mocks3-dead-letters": (batch, env) => handleDeadLetters(batch as MessageBatch<never>, env),
};

export default {
  ...tracedWorker("queue-service", app.fetch),
  async queue(batch, env, ctx) {
    const handle = QUEUES[batch.queue];
    if (!handle) throw new Error(`queue-service consumes no queue named ${batch.queue}`);
    await handle(batch as MessageBatch<never>, env, ctx);
  },
} satisfies ExportedHandler<QueueEnv>;
