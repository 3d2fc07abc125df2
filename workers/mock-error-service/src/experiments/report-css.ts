/**
 * The experiment report's style sheet, inlined into the page (report-html.tsx) so that the
 * file stands alone. System fonts only — a web font would be a request — and colours that
 * print: the verdict reads from its word as well as its colour.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --pending: #6e7781; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; padding: 24px; max-width: 880px; }
h1 { margin: 0 0 6px; font-size: 28px; overflow-wrap: anywhere; }
h2 { margin: 28px 0 10px; font-size: 20px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { margin: 18px 0 2px; font-size: 16px; overflow-wrap: anywhere; }
.kicker, .muted { color: var(--muted); }
.kicker { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.description { white-space: pre-wrap; }
.outcome { border-left: 8px solid var(--pending); background: #f6f8fa; padding: 12px 16px; margin: 16px 0; }
.outcome p { margin: 4px 0; overflow-wrap: anywhere; }
.verdict { font-size: 40px; font-weight: 800; letter-spacing: .06em; color: var(--pending); }
.verdict-passed { border-color: var(--pass); } .verdict-passed .verdict { color: var(--pass); }
.verdict-failed { border-color: var(--fail); } .verdict-failed .verdict { color: var(--fail); }
.timing { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
.timing dt { color: var(--muted); } .timing dd { margin: 0; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
th { font-weight: 600; background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.check-passed { color: var(--pass); font-weight: 600; }
.check-failed { color: var(--fail); font-weight: 600; }
.check-no_data { color: var(--muted); }
figure { margin: 14px 0; }
figcaption { margin-bottom: 4px; overflow-wrap: anywhere; }
.chart { width: 100%; height: auto; font-size: 11px; font-family: inherit; }
.chart text { fill: var(--muted); }
.band rect { fill: #ffffff; }
.band-before rect { fill: #eef6ff; } .band-step rect { fill: #fff4e5; } .band-after rect { fill: #eefaf0; }
.band-step.band-odd rect { fill: #ffe9c7; }
.band-label { font-weight: 600; }
.grid { stroke: #e6e9ec; } .axis { stroke: var(--muted); }
.series { stroke: #0969da; stroke-width: 2; stroke-linejoin: round; }
.dot { fill: #0969da; }
.threshold line { stroke: var(--fail); stroke-width: 1.5; }
.threshold-min line { stroke: #bc4c00; }
.threshold text { fill: var(--fail); } .threshold-min text { fill: #bc4c00; }
.stop { stroke: var(--fail); stroke-width: 2; }
.log { padding-left: 0; list-style: none; font-size: 14px; }
.log li { padding: 2px 0; border-bottom: 1px dotted var(--rule); overflow-wrap: anywhere; }
.log time { display: inline-block; min-width: 64px; color: var(--muted); font-variant-numeric: tabular-nums; }
@media print { body { padding: 0; } .outcome { break-inside: avoid; } figure { break-inside: avoid; } }
`;
