/**
 * Which services' rules each worker's gate checks, and so keeps (a worker's gate holds no
 * other service's rules): the gateway checks its own and, for the hops inside a request,
 * metadata-service's (faults/hops.ts), storage-service's (inline bytes) and whether
 * third-party-service has any; metadata-service's gate only keeps the service states. Each
 * worker serves its list (serviceGate.serve), and mock-error-service tells a new rule only
 * to the gates that keep it — the others learn the version at their next poll.
 */
import type { FaultService } from "./fault-services";

export const GATE_SERVICES = {
  gateway: ["gateway", "metadata-service", "storage-service", "third-party-service"],
  "metadata-service": [],
  "storage-service": ["storage-service"],
  "queue-service": ["queue-service"],
  "third-party-service": ["third-party-service"],
} as const satisfies Record<string, readonly FaultService[]>;

export type GateWorker = keyof typeof GATE_SERVICES;

/** The gates that keep rules of these services. */
export function gatesKeeping(services: Iterable<FaultService>): GateWorker[] {
  const wanted = new Set(services);
  return (Object.keys(GATE_SERVICES) as GateWorker[]).filter((worker) => GATE_SERVICES[worker].some((service: FaultService) => wanted.has(service)));
}
