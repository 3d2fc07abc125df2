/**
 * The console's page frame: navigation, the emergency halt (always visible, Alt+Shift+H), the
 * token dialog (shown when the control plane answers 401), and a live region for what an
 * action did. Each view fills `main`; its browser module (assets/<view>.client.js) does the rest.
 */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export const VIEWS = [
  { path: "/console", name: "overview", label: "Overview" },
  { path: "/console/rules", name: "rules", label: "Rules" },
  { path: "/console/events", name: "events", label: "Live events" },
  { path: "/console/anomalies", name: "anomalies", label: "Anomalies" },
  { path: "/console/experiments", name: "experiments", label: "Experiments" },
  { path: "/console/buckets", name: "buckets", label: "Buckets" },
] as const;

export type ViewName = (typeof VIEWS)[number]["name"];

export function Layout({ view, title, data, children }: { view: ViewName; title: string; data?: unknown; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · MockS3 chaos console`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/console/assets/console.css" />
          <link rel="stylesheet" href="/console/assets/views.css" />
        </head>
        <body data-view={view}>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <span class="brand">MockS3 chaos console</span>
            <nav aria-label="Console views">
              <ul>
                {VIEWS.map((v) => (
                  <li>
                    <a href={v.path} aria-current={v.name === view ? "page" : undefined}>
                      {v.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <button type="button" id="halt" class="halt" aria-keyshortcuts="Alt+Shift+H" title="Halt everything (Alt+Shift+H)">
              Halt everything
            </button>
          </header>
          <p id="status" role="status" aria-live="polite"></p>
          <main id="main" tabindex={-1}>
            <h1>{title}</h1>
            {children}
          </main>
          <dialog id="token-dialog" aria-labelledby="token-title">
            <form method="dialog" id="token-form">
              <h2 id="token-title">Control token</h2>
              <p>This stack was started with MOCKS3_CONTROL_TOKEN. Enter it once; this browser keeps it for the console.</p>
              <label for="token-input">Token</label>
              <input id="token-input" name="token" type="password" autocomplete="off" required />
              <button type="submit">Use the token</button>
            </form>
          </dialog>
          {data === undefined ? null : <script type="application/json" id="console-data" dangerouslySetInnerHTML={{ __html: safeJson(data) }} />}
          <script type="module" src={`/console/assets/${view}.js`}></script>
        </body>
      </html>
    </>
  );
}

/** JSON for a script element: `<` escaped, so no value can close the element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
