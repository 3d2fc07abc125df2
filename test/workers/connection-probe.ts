/**
 * A test worker around the gateway's faults/connection.ts, so that the module runs in workerd
 * behind the real front door (connection-reset.test.ts) before any fault rule calls it:
 * `/reset` resets the connection that carried it; anything else answers what the module
 * reads from the request.
 */
import { clientAddress, resetConnection } from "../../workers/gateway/src/faults/connection";

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/reset") {
      const reset = await resetConnection(request, env);
      return new Response(`reset: ${reset}`);
    }
    return Response.json({ clientAddress: clientAddress(request) ?? null, connection: request.headers.get("x-mocks3-connection") });
  },
} satisfies ExportedHandler<GatewayEnv>;
