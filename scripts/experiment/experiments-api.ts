/**
 * `npm run experiment`'s client of the experiments API on mock-error-service
 * (`/api/v1/experiments`): each call has a time limit, sends MOCKS3_CONTROL_TOKEN as a bearer
 * token when the stack has one (as the ops tools do, scripts/ops/endpoints.ts), and answers
 * a value — the result, or why there is none — never a thrown error, so that the tool decides
 * in one place what a failure means (exit 2, or try again while polling).
 */
import type { ExperimentPlan, ExperimentResult } from "../../shared/experiments/result";
import { bearer } from "../../shared/control/bearer";
import { controlPolicy } from "../../shared/control/guard";

/** An answer: the body read as `T`, or the reason there is none (and the HTTP status, when one came). */
export type Answer<T> = { ok: true; value: T } | { ok: false; status?: number; reason: string };

const CALL_MS = 10_000;

export class ExperimentsApi {
  constructor(
    readonly base: string,
    /** aborts the calls in flight (Ctrl-C) */
    private readonly interrupt?: AbortSignal,
  ) {}

  /** Not interrupted either: an experiment started must be known, to be aborted. */
  start(document: string, contentType: string): Promise<Answer<ExperimentResult>> {
    return this.call("POST", "/api/v1/experiments", { body: document, headers: { "content-type": contentType }, signal: AbortSignal.timeout(CALL_MS) }, 201, json);
  }

  /** A dry run: the document checked and its timeline planned, nothing started. */
  check(document: string, contentType: string): Promise<Answer<ExperimentPlan>> {
    return this.call("POST", "/api/v1/experiments?dry_run=true", { body: document, headers: { "content-type": contentType } }, 200, (text) => JSON.parse(text) as ExperimentPlan);
  }

  get(id: string): Promise<Answer<ExperimentResult>> {
    return this.call("GET", `/api/v1/experiments/${encodeURIComponent(id)}`, {}, 200, json);
  }

  /** Aborting waits for the rollback, and is not itself interrupted. */
  abort(id: string): Promise<Answer<ExperimentResult>> {
    return this.call("POST", `/api/v1/experiments/${encodeURIComponent(id)}/abort`, { signal: AbortSignal.timeout(30_000) }, 200, json);
  }

  report(id: string): Promise<Answer<string>> {
    return this.call("GET", `/api/v1/experiments/${encodeURIComponent(id)}/report`, {}, 200, (text) => text);
  }

  reportUrl(id: string): string {
    return `${this.base}/api/v1/experiments/${encodeURIComponent(id)}/report`;
  }

  private async call<T>(method: string, path: string, init: RequestInit, expected: number, read: (text: string) => T): Promise<Answer<T>> {
    const signals = [AbortSignal.timeout(CALL_MS), ...(this.interrupt ? [this.interrupt] : [])];
    try {
      const response = await fetch(`${this.base}${path}`, {
        method,
        signal: AbortSignal.any(signals),
        ...init,
        headers: { ...bearer(controlPolicy(process.env).token), ...(init.headers as Record<string, string> | undefined) },
      });
      const text = await response.text();
      if (response.status !== expected) return { ok: false, status: response.status, reason: refusal(response.status, text) };
      return { ok: true, value: read(text) };
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      return { ok: false, reason: `${method} ${this.base}${path}: ${(error as Error).name === "TimeoutError" ? "no answer in time" : (cause?.message ?? (error as Error).message)}` };
    }
  }
}

function json(text: string): ExperimentResult {
  return JSON.parse(text) as ExperimentResult;
}

/** The API's `{error, reason}` as one line, or the status and the start of whatever came. */
function refusal(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string; reason?: string };
    if (body.reason) return `${status} ${body.error ?? "error"}: ${body.reason}`;
  } catch {}
  return `${status}: ${text.slice(0, 200) || "(empty answer)"}`;
}
