/**
 * The client's TCP connection, which only the front door holds (shared/front-door-protocol.ts):
 * who the client is, and how to reset its connection (`connection_reset` faults).
 *
 * A request that reached the gateway's own socket directly, not through the front door, has
 * neither: no address is known and no connection can be reset. Such a request could carry
 * the front door's headers itself; the gateway's socket is on loopback only, and a forged
 * connection id names no connection unless it guesses the front door's random prefix.
 */
import { CLIENT_ADDRESS_HEADER, CONNECTION_HEADER, resetPath } from "../../../../shared/front-door-protocol";

/** The client's IP address as the front door saw it (IPv4 as `a.b.c.d`); undefined for a direct request. */
export function clientAddress(request: Request): string | undefined {
  return request.headers.get(CLIENT_ADDRESS_HEADER) || undefined;
}

/**
 * Has the front door reset the client connection that carried `request` with a TCP RST, and
 * drop its own connection to the gateway. When this resolves true the client has been reset:
 * the answer to this request, and any later one on that connection, goes nowhere. False when
 * that cannot be done: a direct request, no front door (wrangler dev), or a connection that
 * is already gone.
 */
export async function resetConnection(request: Request, env: GatewayEnv): Promise<boolean> {
  const id = request.headers.get(CONNECTION_HEADER);
  const control = env.MOCKS3_FRONT_DOOR_CONTROL;
  if (!id || !control) return false;
  try {
    const response = await fetch(control + resetPath(id), { method: "POST" });
    await response.body?.cancel();
    return response.status === 204;
  } catch {
    return false; // the front door is stopping
  }
}
