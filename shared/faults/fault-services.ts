/** The services fault rules and service states apply to (mock-error-service, the control plane, is never one). */
export const FAULT_SERVICES = ["gateway", "metadata-service", "storage-service", "queue-service", "third-party-service"] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];
