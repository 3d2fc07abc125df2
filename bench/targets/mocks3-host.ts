/**
 * Child process: the whole MockS3 stack as `npm start` runs it — startStack(readConfig(env))
 * — on a free run of ports and BENCH's own data directory. It announces both the front door
 * and the gateway worker's own socket behind it, so one stack serves two targets, and
 * mock-error-service, where the fault case sets its rules.
 */
import { readConfig } from "../../sidecars/stack/config";
import { collectStartUpGarbage } from "../../sidecars/collect-start-up";
import { startStack } from "../../sidecars/stack/stack";
import { freePortRange } from "../../test/helpers/ports";
import { announceAndServe } from "./host-lifecycle";

/** the six services and, at +10, the anomalies sidecar */
const SERVICE_PORTS = 11;

const basePort = await freePortRange(SERVICE_PORTS);
const stack = await startStack(readConfig({ ...process.env, MOCKS3_PORT: String(basePort) }));
collectStartUpGarbage();
announceAndServe({ endpoint: stack.endpoint, gatewayUrl: stack.gatewayUrl, faultApi: stack.services["mock-error-service"]! }, () => stack.close());
