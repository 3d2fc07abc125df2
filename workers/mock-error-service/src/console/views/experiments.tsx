import { ColumnHeads } from "./fields";

/**
 * Experiments: the list (status, verdict, the running one's phase and progress, why one failed
 * or stopped, its report, abort) and a form that starts one from a pasted YAML or JSON document.
 */
export function Experiments() {
  return (
    <>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Experiments</h2>
        <p id="experiments-note">Loading…</p>
        <table id="experiments" hidden>
          <ColumnHeads names={["Experiment", "Status", "Verdict", "Time", "Actions"]} />
          <tbody></tbody>
        </table>
      </section>
      <section aria-labelledby="start-title">
        <h2 id="start-title">Start an experiment</h2>
        <form id="experiment-form" novalidate>
          <p id="experiment-error" class="error" role="alert"></p>
          <label>
            Experiment document (YAML or JSON)
            <textarea name="document" rows={14} spellcheck={false} aria-describedby="document-hint" required></textarea>
          </label>
          <p id="document-hint" class="hint">
            The hypothesis, the steps and the stop conditions, as described under “Experiments” in the README. One experiment runs at a time.
          </p>
          <button type="submit">Start the experiment</button>
        </form>
      </section>
    </>
  );
}
