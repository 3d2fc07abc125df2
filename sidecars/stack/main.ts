/** `npm start`: the whole MockS3 stack on this machine, until Ctrl-C. */
import { readConfig } from "./config";
import { startStack } from "./stack";

const config = readConfig();
const stack = await startStack(config);

console.log(`MockS3 is up — data in ${config.dataDir}`);
console.log(`  S3 API (gateway)     ${stack.endpoint}`);
for (const [name, url] of Object.entries(stack.services)) {
  if (name !== "gateway") console.log(`  ${name.padEnd(20)} ${url}`);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping MockS3…`);
  await stack.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
