/** `npm start`: the whole MockS3 stack on this machine, until Ctrl-C. */
import { readConfig } from "./config";
import { startStack, type Stack } from "./stack";
import { collectStartUpGarbage } from "../collect-start-up";

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  console.error(`MockS3 cannot start: ${(error as Error).message}`);
  process.exit(1);
}
let stack: Stack | undefined;
let stopping = false;

// Registered before Miniflare registers its own exit hook, so these run first; that hook
// then stops workerd and ends the process.
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping MockS3…`);
  await stack?.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

stack = await startStack(config);
collectStartUpGarbage();
console.log(`MockS3 is up — data in ${config.dataDir}`);
console.log(`  S3 API (gateway)     ${stack.endpoint}`);
for (const [name, url] of Object.entries(stack.services)) {
  if (name !== "gateway") console.log(`  ${name.padEnd(20)} ${url}`);
}
console.log(`  ${"anomalies sidecar".padEnd(20)} ${stack.anomalies}  (/metrics)`);
console.log(`  ${"chaos console".padEnd(20)} ${stack.services["mock-error-service"]}/console`);
