/**
 * The experiment report (`GET /api/v1/experiments/{id}/report`, and the file
 * `npm run experiment -- --report` writes): one self-contained HTML page made from an
 * ExperimentResult alone — inline CSS and SVG, no script, nothing fetched — so that it can be
 * mailed, attached to a ticket or opened offline years later and still read the same.
 * Everything from the document (names, descriptions, rule names, log lines) is user text and
 * goes through Hono JSX, which escapes it; nothing here is written as raw HTML but the
 * doctype and the constant style sheet.
 *
 * @jsxImportSource hono/jsx — said here as well as in tsconfig, which vitest's transform does not read
 */
import { raw } from "hono/html";
import { type Check, measureOf } from "../../../../shared/experiments/document";
import { formatSeconds, formatThreshold, formatValue } from "../../../../shared/experiments/measure-format";
import type { CheckResult, ExperimentResult, PhaseResult } from "../../../../shared/experiments/result";
import { CheckChart } from "./report-chart";
import { REPORT_CSS } from "./report-css";

export function experimentReport(result: ExperimentResult): string {
  return (<Report result={result} />).toString();
}

function Report({ result }: { result: ExperimentResult }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${result.name} · experiment ${result.verdict} · MockS3`}</title>
          <style>{raw(REPORT_CSS)}</style>
        </head>
        <body>
          <header>
            <p class="kicker">MockS3 chaos experiment {result.id}</p>
            <h1>{result.name}</h1>
            {result.description ? <p class="description">{result.description}</p> : null}
          </header>
          <Outcome result={result} />
          <Timing result={result} />
          <section>
            <h2>Phases</h2>
            {result.phases.map((phase) => (
              <PhaseTable phase={phase} />
            ))}
          </section>
          {result.stop_conditions.length ? (
            <section>
              <h2>Stop conditions (latest values)</h2>
              <ChecksTable checks={result.stop_conditions} empty="" />
            </section>
          ) : null}
          <Charts result={result} />
          <Injections result={result} />
          <Log result={result} />
        </body>
      </html>
    </>
  );
}

function Outcome({ result }: { result: ExperimentResult }) {
  const stop = result.stopped_by;
  const measure = stop ? measureOfNamed(result, stop.check) : undefined;
  return (
    <section class={`outcome verdict-${result.verdict}`}>
      <p class="verdict">{result.verdict.toUpperCase()}</p>
      <p class="status">status: {result.status}</p>
      {result.reason ? <p class="reason">{result.reason}</p> : null}
      {stop ? (
        <p class="stopped-by">
          Stopped by <strong>{stop.check}</strong> at {formatSeconds(stop.at_ms)}: value {measure ? formatValue(measure, stop.value) : String(stop.value)}, threshold{" "}
          {measure ? formatThreshold(measure, stop.threshold) : JSON.stringify(stop.threshold)}
        </p>
      ) : null}
    </section>
  );
}

function Timing({ result }: { result: ExperimentResult }) {
  return (
    <section>
      <h2>Timing</h2>
      <dl class="timing">
        <dt>Started</dt>
        <dd>{result.created_at}</dd>
        <dt>Ended</dt>
        <dd>{result.ended_at ?? "still running"}</dd>
        <dt>Elapsed</dt>
        <dd>{`${formatSeconds(result.elapsed_ms)} of ${formatSeconds(result.total_ms)} planned`}</dd>
        {result.phase ? (
          <>
            <dt>Phase now</dt>
            <dd>{result.phase}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function PhaseTable({ phase }: { phase: PhaseResult }) {
  return (
    <div class={`phase phase-${phase.kind}`}>
      <h3>
        {phase.name} <span class="muted">({phase.kind})</span>
      </h3>
      <p class="muted">
        {`${formatSeconds(phase.start_ms)} – ${formatSeconds(phase.end_ms)}, ${phase.state}`}
        {phase.action ? `; action: ${phase.action}` : ""}
      </p>
      <ChecksTable checks={phase.checks} empty="No hypothesis check applies to this phase." />
    </div>
  );
}

function ChecksTable({ checks, empty }: { checks: CheckResult[]; empty: string }) {
  if (!checks.length) return <p class="muted">{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Check</th>
          <th>Measure</th>
          <th class="num">Value</th>
          <th class="num">Requests</th>
          <th>Threshold</th>
          <th>Verdict</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr>
            <td>{check.check}</td>
            <td>{check.measure}</td>
            <td class="num">{formatValue(check.measure, check.value)}</td>
            <td class="num">{check.count === undefined ? "" : String(check.count)}</td>
            <td>{formatThreshold(check.measure, check.threshold)}</td>
            <td class={`check-${check.verdict}`}>{check.verdict.replace("_", " ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Charts({ result }: { result: ExperimentResult }) {
  const charted = [...result.document.hypothesis.map((check) => ({ check, role: "hypothesis" })), ...result.document.stop_conditions.map((check) => ({ check, role: "stop condition" }))];
  if (!charted.length) return null;
  return (
    <section>
      <h2>Over time</h2>
      {charted.map(({ check, role }, i) => (
        <figure>
          <figcaption>
            <strong>{check.name}</strong> <span class="muted">{`${role}, ${measureOf(check)}, threshold ${formatThreshold(measureOf(check), check)}`}</span>
          </figcaption>
          <CheckChart id={`chart-${i}`} chart={chartOf(result, check, role === "stop condition")} />
        </figure>
      ))}
      <p class="muted legend">Shaded bands are the phases; dashed lines the thresholds; a break in the line is a window with no data.</p>
    </section>
  );
}

function chartOf(result: ExperimentResult, check: Check, stopCondition: boolean) {
  const stopped = stopCondition && result.stopped_by?.check === check.name ? result.stopped_by.at_ms : undefined;
  return {
    check: check.name,
    measure: measureOf(check),
    threshold: { max: check.max, min: check.min },
    points: result.samples.map((sample) => ({ t: sample.t, value: sample.values[check.name] ?? null })),
    phases: result.phases,
    total_ms: result.total_ms,
    stopped_at_ms: stopped,
  };
}

function Injections({ result }: { result: ExperimentResult }) {
  return (
    <section>
      <h2>Injections</h2>
      {result.injections.length ? (
        <table>
          <thead>
            <tr>
              <th>Rule</th>
              <th>Service</th>
              <th>Action</th>
              <th class="num">Matched</th>
              <th class="num">Injected</th>
            </tr>
          </thead>
          <tbody>
            {result.injections.map((row) => (
              <tr>
                <td>{row.rule}</td>
                <td>{row.service}</td>
                <td>{row.action}</td>
                <td class="num">{String(row.matched)}</td>
                <td class="num">{String(row.injected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No fault rule was in force.</p>
      )}
    </section>
  );
}

function Log({ result }: { result: ExperimentResult }) {
  return (
    <section>
      <h2>Log</h2>
      <ol class="log">
        {result.log.map((entry) => (
          <li>
            <time>{formatSeconds(entry.t)}</time> {entry.message}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The measure of a hypothesis check or stop condition, by name. */
function measureOfNamed(result: ExperimentResult, name: string) {
  const check = [...result.document.stop_conditions, ...result.document.hypothesis].find((c) => c.name === name);
  return check ? measureOf(check) : undefined;
}
