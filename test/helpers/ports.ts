/** Finds a run of free loopback ports, so test and bench stacks never collide with `npm start`. */
import net from "node:net";

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Ports are drawn below Linux's ephemeral range (32768–60999 by default): a port found free
 * there can be taken by an outgoing connection before the stack binds it (EADDRINUSE).
 */
const LOWEST_PORT = 20_000;
const HIGHEST_PORT = 32_700;

/** A base port such that base … base+count-1 are all free. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOWEST_PORT + Math.floor(Math.random() * (HIGHEST_PORT - LOWEST_PORT - count));
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error("no free port range found");
}
