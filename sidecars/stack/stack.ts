/**
 * The whole stack in one process: Miniflare hosting every worker (each on its own workerd
 * socket) and the front door on MOCKS3_PORT in front of the gateway.
 */
import { mkdir } from "node:fs/promises";
import { Miniflare } from "miniflare";
import { startFrontDoor, type FrontDoor } from "../front-door/front-door";
import type { StackConfig } from "./config";
import { clearLeftovers, forgetRun, recordRun } from "./leftovers";
import { miniflareOptions } from "./miniflare-options";
import { SERVICES } from "./services";

export interface Stack {
  /** the S3 endpoint (the front door) */
  endpoint: string;
  /** the gateway worker's own socket, behind the front door */
  gatewayUrl: string;
  /** every service's URL by name */
  services: Record<string, string>;
  close(): Promise<void>;
}

export async function startStack(config: StackConfig): Promise<Stack> {
  await mkdir(config.dataDir, { recursive: true });
  await clearLeftovers(config.dataDir);
  const mf = new Miniflare(await miniflareOptions(config));
  let frontDoor: FrontDoor | undefined;
  try {
    await mf.ready;
    await recordRun(config.dataDir);
    const gatewayUrl = (await mf.unsafeGetDirectURL("gateway")).toString().replace(/\/$/, "");
    frontDoor = await startFrontDoor({ host: config.host, port: config.basePort, target: gatewayUrl });
    const services: Record<string, string> = {};
    for (const service of SERVICES) {
      if (service.portOffset === undefined) continue;
      services[service.name] =
        service.portOffset === 0 ? frontDoor.url : (await mf.unsafeGetDirectURL(service.name)).toString().replace(/\/$/, "");
    }
    const door = frontDoor;
    return {
      endpoint: door.url,
      gatewayUrl,
      services,
      async close() {
        await door.close();
        await mf.dispose();
        await forgetRun(config.dataDir);
      },
    };
  } catch (error) {
    await frontDoor?.close();
    await mf.dispose();
    throw error;
  }
}
