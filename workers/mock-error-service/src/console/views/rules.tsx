import { FAULT_SERVICES } from "../../../../../shared/faults/fault-services";
import { SelectField } from "./fields";
import { ACTIONS, CONDITIONS, PRESETS } from "../rule-catalogue";
import { ColumnHeads } from "./fields";

/**
 * Rules: the list (switches, live counts, edit, duplicate, delete), the form that builds any
 * rule (conditions and action from rule-catalogue.ts, built by the browser script), its JSON
 * view, the presets, and the global seed.
 */
export function Rules() {
  return (
    <>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Rules</h2>
        <table id="rules">
          <ColumnHeads names={["On", "Name", "Service", "Action", "Matched", "Injected", "Actions"]} />
          <tbody></tbody>
        </table>
        <form id="seed-form" class="inline">
          <label for="seed-input">Global seed (empty: random)</label>
          <input id="seed-input" name="seed" type="number" min="0" max="4294967295" />
          <button type="submit">Set the seed</button>
        </form>
      </section>
      <section aria-labelledby="form-title">
        <h2 id="form-title">New rule</h2>
        <label for="preset">Start from a preset</label>
        <select id="preset">
          <option value="">—</option>
          {PRESETS.map((p, i) => (
            <option value={String(i)}>{p.label}</option>
          ))}
        </select>
        <form id="rule-form" novalidate>
          <p id="rule-error" class="error" role="alert"></p>
          <div class="grid">
            <label>
              Name
              <input name="name" data-path="name" required />
            </label>
            <SelectField label="Service" name="service" path="service" options={FAULT_SERVICES} />
            <label>
              Description
              <input name="description" data-path="description" />
            </label>
            <label>
              Priority
              <input name="priority" type="number" data-path="priority" />
            </label>
            <label>
              Seed
              <input name="seed" type="number" data-path="seed" />
            </label>
            <label class="check">
              <input name="enabled" type="checkbox" checked /> Enabled
            </label>
          </div>
          <fieldset>
            <legend>Conditions (all must hold)</legend>
            <ol id="conditions" class="conditions"></ol>
            <label for="condition-type">Condition</label>
            <select id="condition-type">
              {CONDITIONS.map((c) => (
                <option value={c.type}>{c.label}</option>
              ))}
            </select>
            <button type="button" id="add-condition">
              Add the condition
            </button>
          </fieldset>
          <fieldset id="action">
            <legend>Action</legend>
            <label>
              Type
              <select name="action-type" id="action-type" data-path="action.type">
                {ACTIONS.map((a) => (
                  <option value={a.type}>{a.label}</option>
                ))}
              </select>
            </label>
            <div id="action-fields"></div>
          </fieldset>
          <div class="buttons">
            <button type="submit" id="rule-submit">
              Create the rule
            </button>
            <button type="button" id="rule-reset">
              Clear
            </button>
          </div>
        </form>
        <label for="rule-json">The rule as JSON (what is sent)</label>
        <textarea id="rule-json" rows={12} spellcheck={false}></textarea>
        <button type="button" id="json-apply">
          Use this JSON
        </button>
      </section>
    </>
  );
}
