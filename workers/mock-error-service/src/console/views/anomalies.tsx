import { FAULT_SERVICES } from "../../../../../shared/faults/fault-services";
import { SelectField } from "./fields";
import { ANOMALY_FORM } from "../rule-catalogue";

/** Anomalies: start any of the five types with the seed's fields; each one's countdown, measured value against its target on a chart, cancel. */
export function Anomalies() {
  return (
    <>
      <section aria-labelledby="start-title">
        <h2 id="start-title">Start an anomaly</h2>
        <form id="anomaly-form" novalidate>
          <p id="anomaly-error" class="error" role="alert"></p>
          <div class="grid">
            <label>
              Name
              <input name="name" data-path="name" required />
            </label>
            <SelectField label="Service" name="service" path="service" options={FAULT_SERVICES} />
            <label>
              Type
              <select name="anomaly_type" id="anomaly-type" data-path="anomaly_type">
                {ANOMALY_FORM.types.map((t) => (
                  <option value={t.type}>{t.type}</option>
                ))}
              </select>
            </label>
            <label>
              Metric
              <select name="metric_name" id="anomaly-metric" data-path="metric_name"></select>
            </label>
            <label>
              Target value
              <input name="target_value" type="number" step="any" data-path="target_value" required />
            </label>
            <label>
              Duration
              <input name="duration" data-path="duration" value="2m" aria-describedby="duration-hint" required />
            </label>
            <label id="mode-label">
              Mode (service_down)
              <select name="mode" data-path="mode">
                <option value="">default</option>
                {ANOMALY_FORM.modes.map((m) => (
                  <option value={m}>{m}</option>
                ))}
              </select>
            </label>
          </div>
          <p id="duration-hint" class="hint">
            A duration such as "2m" or "30s", or integer nanoseconds as in the seed.
          </p>
          <button type="submit">Start the anomaly</button>
        </form>
      </section>
      <section aria-labelledby="running-title">
        <h2 id="running-title">Anomalies</h2>
        <div id="anomalies" class="cards">
          <p>Loading…</p>
        </div>
      </section>
    </>
  );
}
