import { FAULT_SERVICES } from "../../../../../shared/faults/fault-services";
import { S3_OPERATIONS } from "../../../../../shared/s3-operations";
import { ACTIONS } from "../rule-catalogue";
import { SelectField } from "./fields";

/** Live events: injections and request lines as they are logged, filtered, with pause. */
export function Events() {
  return (
    <>
      <form id="live-filter" class="filters">
        <SelectField label="Service" name="service" options={[...FAULT_SERVICES, "mock-error-service"]} anyLabel="any" />
        <label>
          Rule (id or name)
          <input name="rule" type="text" />
        </label>
        <SelectField label="Action" name="action" options={ACTIONS.map((a) => a.type)} anyLabel="any" />
        <label>
          Bucket
          <input name="bucket" type="text" />
        </label>
        <SelectField label="Operation" name="operation" options={S3_OPERATIONS} anyLabel="any" />
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
