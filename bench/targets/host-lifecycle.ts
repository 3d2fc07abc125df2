/**
 * The child side of server-process.ts: a host announces its URLs as one JSON line and
 * stops cleanly — on SIGTERM, or when stdin closes (the generator died without stopping
 * us), so no workerd is ever left behind.
 */
export function announceAndServe(urls: Record<string, string>, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.on("error", () => void stop());
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify(urls)}\n`);
}
