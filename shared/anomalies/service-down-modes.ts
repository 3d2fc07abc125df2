/** How a service is down: answering 503, never answering, or refusing connections (the gateway only). */
export const SERVICE_DOWN_MODES = ["unavailable", "hang", "refuse"] as const;
