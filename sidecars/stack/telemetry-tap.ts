/**
 * Where the workers' output goes. workerd's stdout and stderr come here instead of
 * Miniflare's own printer: a structured log line (shared/telemetry/log-line.ts) is appended
 * to the log file, shown on the terminal as MOCKS3_LOG_STDOUT says (console-summary.ts: a
 * summary a second and the events, by default), and queued for the
 * sidecar's metrics, which get the queue every 250 ms — the workers never make a call of
 * their own for metrics. Everything else is printed as it came.
 */
import readline from "node:readline";
import type { Readable } from "node:stream";
import { LOG_LINE_START } from "../../shared/telemetry/log-line";
import type { TelemetryBatch } from "../../shared/telemetry/sidecar-messages";
import { ConsoleSummary, type ConsoleMode } from "./console-summary";
import { LogFile } from "./log-file";

const BATCH_MS = 250;
/** lines kept for the sidecar while it is away (starting, restarting); older ones are dropped */
const MAX_QUEUED = 50_000;

export interface TelemetryTapOptions {
  file: string;
  console: ConsoleMode;
  /** the sidecar's metrics, when it is there: false when it could not take the batch */
  send(batch: TelemetryBatch): boolean;
  frontDoorConnections(): number;
}

export class TelemetryTap {
  private readonly log: LogFile;
  private readonly summary: ConsoleSummary | undefined;
  private queued: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: TelemetryTapOptions) {
    this.log = new LogFile(options.file);
    if (options.console === "summary") this.summary = new ConsoleSummary();
    this.timer = setInterval(() => this.flush(), BATCH_MS).unref();
  }

  /**
   * Miniflare's handleRuntimeStdio. workerd's stdout is read a chunk at a time, not a line at
   * a time: under load a chunk holds many log lines, written to the file in one write.
   */
  readonly runtimeStdio = (stdout: Readable, stderr: Readable): void => {
    let partial = "";
    stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      const logged: string[] = [];
      for (const line of lines) {
        if (line.startsWith(LOG_LINE_START)) logged.push(line);
        else console.log(line);
      }
      if (logged.length > 0) this.lines(logged, true);
    });
    readline.createInterface(stderr).on("line", (line) => console.error(line));
  };

  /** Log lines: to the file, to stdout, and (for the workers' lines) to the metrics. */
  lines(lines: string[], measured: boolean): void {
    const text = `${lines.join("\n")}\n`;
    this.log.write(text);
    if (this.options.console === "full") process.stdout.write(text);
    this.summary?.lines(lines);
    if (!measured) return;
    for (const line of lines) this.queued.push(line);
    if (this.queued.length > MAX_QUEUED) this.queued.splice(0, this.queued.length - MAX_QUEUED);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.summary?.close();
    this.flush();
    await this.log.close();
  }

  private flush(): void {
    const batch: TelemetryBatch = { type: "telemetry", lines: this.queued, frontDoorConnections: this.options.frontDoorConnections() };
    if (this.options.send(batch)) this.queued = [];
  }
}
