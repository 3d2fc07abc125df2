/**
 * What `npm start`'s terminal shows by default (MOCKS3_LOG_STDOUT=summary): a line a second
 * while requests flow — requests per second, 4xx and 5xx answers, faults injected — and
 * every event worth a person's eye as it happens: a fault injected, an anomaly's change, a
 * webhook that failed. Request lines stay in the log file (`npm run logs`), where a 10 s
 * network storm's eighteen thousand of them belong. `full` echoes every line, `off` none.
 *
 * Request lines are counted without parsing them (a few string checks each): this runs for
 * every request the stack answers.
 */

export type ConsoleMode = "summary" | "full" | "off";

const REQUEST_KIND = '"kind":"request"';
const STATUS = /"status":(\d{3})/;
const SUMMARY_MS = 1000;

interface Counts {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  faults: number;
}

export class ConsoleSummary {
  private counts: Counts = { requests: 0, clientErrors: 0, serverErrors: 0, faults: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {
    this.timer = setInterval(() => this.summarise(), SUMMARY_MS).unref();
  }

  /** Structured log lines, as they arrive. */
  lines(lines: string[]): void {
    let events = "";
    for (const line of lines) {
      if (line.includes(REQUEST_KIND)) {
        this.counts.requests++;
        const status = Number(STATUS.exec(line)?.[1]);
        if (status >= 500) this.counts.serverErrors++;
        else if (status >= 400) this.counts.clientErrors++;
      } else {
        const event = describeEvent(line);
        if (event.fault) this.counts.faults++;
        if (event.text) events += `${event.text}\n`;
      }
    }
    if (events) this.write(events);
  }

  close(): void {
    clearInterval(this.timer);
    this.summarise();
  }

  private summarise(): void {
    const { requests, clientErrors, serverErrors, faults } = this.counts;
    if (requests === 0 && faults === 0) return;
    this.counts = { requests: 0, clientErrors: 0, serverErrors: 0, faults: 0 };
    this.write(`${clock()}  ${requests} req/s  4xx ${clientErrors}  5xx ${serverErrors}  faults ${faults}\n`);
  }
}

/** One line for a person: a fault, an anomaly's change, an experiment's course, a failed delivery; nothing for the rest. */
function describeEvent(line: string): { text?: string; fault?: boolean } {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line };
  }
  const at = typeof entry["@timestamp"] === "string" ? entry["@timestamp"].slice(11, 19) : clock();
  switch (entry.kind) {
    case "fault":
      return {
        fault: true,
        text: `${at}  fault    ${entry.fault_action} by "${entry.fault_rule}" at ${entry.service}: ${entry.operation} ${[entry.bucket, entry.key].filter(Boolean).join("/")} (${entry.request_id})`,
      };
    case "anomaly":
      return { text: `${at}  anomaly  ${entry.message}` };
    case "experiment":
      return { text: `${at}  experiment ${entry.message}` };
    case "delivery":
      return entry.outcome === "delivered" ? {} : { text: `${at}  delivery ${entry.message}` };
    default:
      return typeof entry.level === "string" && ["warn", "error"].includes(entry.level) ? { text: `${at}  ${entry.level.padEnd(8)} ${entry.message ?? line}` } : {};
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

/** MOCKS3_LOG_STDOUT: summary (the default), full, off; true and false as full and off. */
export function consoleMode(value: string | undefined): ConsoleMode {
  const text = value?.trim().toLowerCase() ?? "";
  if (text === "" || text === "summary") return "summary";
  if (["full", "true", "1", "yes", "on"].includes(text)) return "full";
  if (["off", "false", "0", "no"].includes(text)) return "off";
  throw new Error(`MOCKS3_LOG_STDOUT must be summary, full or off, got ${JSON.stringify(value)}`);
}
