/**
 * The experiment report (workers/mock-error-service/src/experiments/report-html.tsx) from a
 * hand-made ExperimentResult: every phase with its values and verdicts, the verdict and the
 * stop reason, one SVG chart per check with its threshold and a gap where there was no data,
 * user text escaped, and nothing the page would fetch — it must open offline.
 */
import { describe, expect, it } from "vitest";
import { experimentReport } from "../../workers/mock-error-service/src/experiments/report-html";
import { experimentResult } from "../helpers/experiment-result";

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;

describe("experiment report", () => {
  const html = experimentReport(experimentResult());

  it("experiment report › is one HTML page with a verdict, the stop reason and the timing", () => {
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toMatch(/<\/html>$/);
    expect(html).toContain('<p class="verdict">FAILED</p>');
    expect(html).toContain("status: stopped");
    expect(html).toContain("Stopped by <strong>p99</strong> at 25s: value 812 ms, threshold ≤ 500 ms");
    expect(html).toContain("25s of 40s planned");
    expect(experimentReport(experimentResult({ status: "completed", verdict: "passed", reason: null, stopped_by: null }))).toContain('<p class="verdict">PASSED</p>');
  });

  it("experiment report › has a table for each phase with its check values, thresholds and verdicts", () => {
    const phases = html.split(/<div class="phase /).slice(1);
    expect(phases.map((phase) => phase.match(/<h3>([^<]*)/)?.[1]?.trim())).toEqual(["before", "node-down", "after"]);
    expect(phases[0]).toMatch(/1\.23%.*≤ 5%.*passed/s);
    expect(phases[1]).toContain("action: node node-2 down");
    expect(phases[1]).toMatch(/8\.71%.*≤ 5%.*failed/s);
    expect(phases[2]).toMatch(/no data.*≤ 5%.*no data/s);
  });

  it("experiment report › draws one SVG chart per check, with its threshold, phase bands and a gap for no data", () => {
    expect(count(html, /<svg\b/g)).toBe(2);
    expect(count(html, /<\/svg>/g)).toBe(2);
    const [errors, p99] = html.split(/<svg\b/).slice(1);
    expect(errors).toMatch(/<g class="threshold threshold-max"><line [^>]*stroke-dasharray="6 4"/);
    expect(errors).toContain("max 5%");
    expect(p99).toContain("max 500 ms");
    expect(p99).toContain('class="stop"');
    for (const chart of [errors!, p99!]) {
      expect(count(chart, /class="band band-/g)).toBe(3);
      // the null sample at 9s splits the line into two segments
      expect(count(chart.match(/<path class="series" d="([^"]*)"/)?.[1] ?? "", /M/g)).toBe(2);
    }
  });

  it("experiment report › lists the injections and the log", () => {
    expect(html).toMatch(/storage-service<\/td><td>latency<\/td><td class="num">120<\/td><td class="num">30<\/td>/);
    expect(html).toContain("phase node-down started: node node-2 down");
    expect(count(html, /<li><time>/g)).toBe(3);
  });

  it("experiment report › renders a run that has just started: no samples, no injections, no log yet", () => {
    const started = experimentResult({ status: "running", verdict: "pending", reason: null, ended_at: null, stopped_by: null, elapsed_ms: 0, phase: "before", samples: [], injections: [], log: [] });
    const page = experimentReport(started);
    expect(page).toContain('<p class="verdict">PENDING</p>');
    expect(page).toContain("still running");
    expect(count(page, /<svg\b/g)).toBe(2);
    expect(page).not.toContain('class="series"');
    expect(page).not.toMatch(/NaN|Infinity/);
  });

  it("experiment report › escapes user text and loads nothing from elsewhere", () => {
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>slow</b>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends");
    expect(html).toContain("&lt;b&gt;slow&lt;/b&gt;");
    expect(html).not.toMatch(/\b(src|href|xlink:href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|<link\b/i);
  });
});
