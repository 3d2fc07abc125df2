/**
 * The structured log's file, `<data dir>/logs/mocks3.log`: JSON lines appended as they come
 * (shared/telemetry/log-line.ts). At 64 MiB it is renamed to mocks3.log.1 (replacing the
 * previous one) and a new file begins, so the log never holds more than 128 MiB.
 */
import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from "node:fs";
import path from "node:path";

export const ROTATE_BYTES = 64 * 1024 * 1024;

export function logFilePath(dataDir: string): string {
  return path.join(dataDir, "logs", "mocks3.log");
}

export class LogFile {
  private stream: WriteStream;
  private bytes: number;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.bytes = sizeOf(file);
    this.stream = this.open();
  }

  /** Appends whole lines, each ending in a newline. */
  write(text: string): void {
    if (this.bytes + text.length > ROTATE_BYTES && this.bytes > 0) this.rotate();
    this.stream.write(text);
    this.bytes += Buffer.byteLength(text);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }

  private rotate(): void {
    this.stream.end();
    renameSync(this.file, `${this.file}.1`);
    this.bytes = 0;
    this.stream = this.open();
  }

  private open(): WriteStream {
    const stream = createWriteStream(this.file, { flags: "a" });
    // a full disk (disk_full anomaly, or a real one) must not take the stack down
    stream.on("error", (error) => console.error(`mocks3: cannot write ${this.file}: ${error.message}`));
    return stream;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
