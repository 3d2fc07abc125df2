/** The one upstream store (UpstreamsDO), third-party-service's state. */

/** its binding, named after the service whose state it is, for traces (shared/telemetry/rpc-trace.ts) */
export const UPSTREAMS_STATE = { UPSTREAMS: "third-party-service" };

export function upstreamsStore(env: ThirdPartyEnv) {
  return env.UPSTREAMS.getByName("upstreams");
}
