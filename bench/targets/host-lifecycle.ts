/**
 * The child side of server-process.ts: a host announces its URLs as one JSON line and
 * stops cleanly when its stdin closes — the generator's way of stopping it, and what
 * happens when the generator dies — so no workerd is ever left behind. SIGTERM and SIGINT
 * are handled too (for a host run by hand), though under Miniflare its own exit hook
 * usually ends the process first, after killing workerd.
 */

/** how a host's ready line begins (its URLs follow, as JSON): a server's own output may be JSON too */
export const READY = "bench-host-ready ";

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
  process.stdout.write(`${READY}${JSON.stringify(urls)}\n`);
}
