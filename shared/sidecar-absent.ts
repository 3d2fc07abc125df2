/**
 * Features carried out by `npm start`'s Node sidecar (the anomalies and the search index) as a
 * worker sees them: through a URL variable that `npm start` sets to the sidecar it runs. The
 * wrangler configs leave it empty, so `wrangler dev` (`npm run dev`), which runs no sidecar,
 * never talks to another stack's; such a feature answers 503 with this reason instead.
 */
export function sidecarAbsent(feature: string, variable: string): string {
  return `${feature} is not available under wrangler dev: run npm start (${variable}, the sidecar's URL, is not set)`;
}
