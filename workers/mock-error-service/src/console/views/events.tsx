import { FAULT_SERVICES } from "../../../../../shared/faults/fault-services";
import { S3_OPERATIONS } from "../../../../../shared/s3-operations";
import { ACTIONS } from "../rule-catalogue";

/** Live events: injections and request lines as they are logged, filtered, with pause. */
export function Events() {
  return (
    <>
      <form id="live-filter" class="filters">
        <label>
          Service
          <select name="service">
            <option value="">any</option>
            {[...FAULT_SERVICES, "mock-error-service"].map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Rule (id or name)
          <input name="rule" type="text" />
        </label>
        <label>
          Action
          <select name="action">
            <option value="">any</option>
            {ACTIONS.map((a) => (
              <option value={a.type}>{a.type}</option>
            ))}
          </select>
        </label>
        <label>
          Bucket
          <input name="bucket" type="text" />
        </label>
        <label>
          Operation
          <select name="operation">
            <option value="">any</option>
            {S3_OPERATIONS.map((o) => (
              <option value={o}>{o}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input name="faults" type="checkbox" /> Injections only
        </label>
        <button type="submit">Apply</button>
        <button type="button" id="live-pause" aria-pressed="false">
          Pause
        </button>
      </form>
      <p id="live-state" role="status"></p>
      <ol id="live-lines" class="lines" aria-label="Live events, newest first" tabindex={0}></ol>
    </>
  );
}
