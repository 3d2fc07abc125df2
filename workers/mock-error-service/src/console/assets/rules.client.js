// Rules: the list with switches and live counts, the form built from the catalogue the page carries, its JSON view, presets, the global seed.
import { $, replaceKeepingFocus, el, say, call, send, data, showErrors, repeat } from "./core.js";

function rules() {
  const form = $("#rule-form");
  const conditionsList = $("#conditions");
  const jsonBox = $("#rule-json");
  const kinds = Object.fromEntries(data.conditions.map((c) => [c.type, c]));
  const actions = Object.fromEntries(data.actions.map((a) => [a.type, a]));
  let editing;
  let conditions = [];

  function fieldInput(field, path, value) {
    const id = `f-${path.replace(/\./g, "-")}`;
    if (field.kind === "multi") {
      const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
      return el(
        "fieldset",
        { class: "multi", "data-path": path },
        el("legend", {}, field.label),
        field.options.map((option) => el("label", { class: "check" }, el("input", { type: "checkbox", value: option, checked: chosen.has(option), "data-multi": path }), option)),
      );
    }
    let input;
    if (field.kind === "select")
      input = el(
        "select",
        { id, "data-path": path },
        el("option", { value: "" }, "—"),
        field.options.map((o) => el("option", { value: o, selected: o === value }, o)),
      );
    else if (field.kind === "boolean") input = el("input", { id, type: "checkbox", "data-path": path, checked: value === true });
    else
      input = el("input", {
        id,
        type: field.kind === "number" ? "number" : "text",
        step: field.kind === "number" ? "any" : undefined,
        "data-path": path,
        value: Array.isArray(value) ? value.join(", ") : (value ?? ""),
      });
    input.dataset.kind = field.kind;
    return el(
      "label",
      { for: id, class: field.kind === "boolean" ? "check" : undefined },
      field.kind === "boolean" ? [input, field.label] : [field.label + (field.required ? " (required)" : ""), input],
      field.hint ? el("span", { class: "hint" }, field.hint) : null,
    );
  }

  function readField(field, path) {
    if (field.kind === "multi") {
      const values = [...form.querySelectorAll(`[data-multi="${path}"]:checked`)].map((box) => box.value);
      return values.length ? values : undefined;
    }
    const input = form.querySelector(`[data-path="${path}"]`);
    if (!input) return undefined;
    if (field.kind === "boolean") return input.checked ? true : undefined;
    const text = input.value.trim();
    if (text === "") return undefined;
    if (field.kind === "number") return Number(text);
    if (field.kind === "list")
      return text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    if (field.kind === "duration" && /^\d+$/.test(text)) return Number(text);
    return text;
  }

  function renderConditions() {
    conditionsList.replaceChildren(
      ...conditions.map((condition, i) => {
        const kind = kinds[condition.type];
        return el(
          "li",
          { "data-path": `conditions.${i}` },
          el("strong", {}, kind.label),
          kind.hint ? el("span", { class: "hint" }, ` — ${kind.hint}`) : null,
          el(
            "div",
            { class: "fields" },
            kind.fields.map((f) => fieldInput(f, `conditions.${i}.${f.name}`, condition[f.name])),
          ),
          el(
            "button",
            {
              type: "button",
              "aria-label": `Remove the ${kind.label} condition`,
              onclick: () => {
                conditions = readConditions().filter((_, j) => j !== i);
                renderConditions();
                syncJson();
              },
            },
            "Remove",
          ),
        );
      }),
    );
  }

  function readConditions() {
    return conditions.map((condition, i) => {
      const out = { type: condition.type };
      for (const field of kinds[condition.type].fields) {
        const value = readField(field, `conditions.${i}.${field.name}`);
        if (value !== undefined) out[field.name] = value;
      }
      return out;
    });
  }

  function renderAction(action) {
    const kind = actions[action.type];
    $("#action-type").value = action.type;
    $("#action-fields").replaceChildren(
      kind.hint ? el("p", { class: "hint" }, kind.hint) : "",
      el(
        "div",
        { class: "fields" },
        kind.fields.map((f) => fieldInput(f, `action.${f.name}`, action[f.name])),
      ),
    );
  }

  function readRule() {
    const value = (name) => form.elements[name].value.trim();
    const rule = { name: value("name"), service: value("service"), enabled: form.elements.enabled.checked, conditions: readConditions(), action: { type: $("#action-type").value } };
    if (value("description")) rule.description = value("description");
    if (value("priority")) rule.priority = Number(value("priority"));
    if (value("seed")) rule.seed = Number(value("seed"));
    for (const field of actions[rule.action.type].fields) {
      const v = readField(field, `action.${field.name}`);
      if (v !== undefined) rule.action[field.name] = v;
    }
    return rule;
  }

  function loadRule(rule, id) {
    editing = id;
    form.elements.name.value = rule.name ?? "";
    form.elements.description.value = rule.description ?? "";
    form.elements.service.value = rule.service ?? "gateway";
    form.elements.priority.value = rule.priority ?? "";
    form.elements.seed.value = rule.seed ?? "";
    form.elements.enabled.checked = rule.enabled !== false;
    conditions = (rule.conditions ?? []).filter((c) => kinds[c.type]).map((c) => ({ ...c }));
    renderConditions();
    renderAction(actions[rule.action?.type] ? rule.action : { type: "http_error" });
    $("#form-title").textContent = id ? `Edit rule ${rule.name}` : "New rule";
    $("#rule-submit").textContent = id ? "Save the rule" : "Create the rule";
    showErrors(form, $("#rule-error"));
    syncJson();
  }

  function syncJson() {
    jsonBox.value = JSON.stringify(readRule(), null, 2);
  }

  form.addEventListener("input", syncJson);
  form.addEventListener("change", syncJson);
  $("#action-type").addEventListener("change", () => {
    renderAction({ type: $("#action-type").value });
    syncJson();
  });
  $("#add-condition").addEventListener("click", () => {
    conditions = readConditions();
    conditions.push({ type: $("#condition-type").value });
    renderConditions();
    syncJson();
    conditionsList.lastElementChild?.querySelector("input, select")?.focus();
  });
  $("#json-apply").addEventListener("click", () => {
    try {
      loadRule(JSON.parse(jsonBox.value), editing);
    } catch (error) {
      $("#rule-error").textContent = `The JSON cannot be read: ${error.message}`;
    }
  });
  $("#rule-reset").addEventListener("click", () => loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } }));
  $("#preset").addEventListener("change", (event) => {
    const preset = data.presets[Number(event.target.value)];
    if (!preset) return;
    const rule = structuredClone(preset.rule);
    if (preset.ends_after_seconds) rule.conditions.push({ type: "time_window", end: new Date(Date.now() + preset.ends_after_seconds * 1000).toISOString() });
    loadRule(rule);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rule = readRule();
    try {
      const saved = editing ? await send("PUT", `/api/v1/rules/${encodeURIComponent(editing)}`, rule) : await send("POST", "/api/v1/rules", rule);
      say(`${editing ? "Saved" : "Created"} rule ${saved.name ?? rule.name}.`);
      loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } });
      await refresh();
    } catch (error) {
      showErrors(form, $("#rule-error"), error);
    }
  });

  async function refresh() {
    const [listed, stats] = await Promise.all([call("/api/v1/rules"), call("/api/v1/stats")]);
    const all = Array.isArray(listed) ? listed : (listed.rules ?? []);
    const counts = new Map(stats.rules.map((r) => [r.rule_id, r]));
    replaceKeepingFocus(
      $("#rules tbody"),
      all.map((rule) => {
        const count = counts.get(rule.id) ?? { matched: 0, injected: 0 };
        return el(
          "tr",
          { "data-rule": rule.id },
          el(
            "td",
            {},
            el("input", {
              type: "checkbox",
              role: "switch",
              checked: rule.enabled,
              "aria-label": `${rule.name} enabled`,
              "data-focus": `switch ${rule.id}`,
              onchange: (event) => toggle(rule, event.target.checked),
            }),
          ),
          el("th", { scope: "row" }, rule.name),
          el("td", {}, rule.service),
          el("td", {}, rule.action.type),
          el("td", { class: "matched" }, count.matched),
          el("td", { class: "injected" }, count.injected),
          el(
            "td",
            {},
            el("button", { type: "button", "aria-label": `Edit ${rule.name}`, "data-focus": `edit ${rule.id}`, onclick: () => loadRule(rule, rule.id) }, "Edit"),
            " ",
            el(
              "button",
              { type: "button", "aria-label": `Duplicate ${rule.name}`, "data-focus": `duplicate ${rule.id}`, onclick: () => loadRule({ ...rule, name: `${rule.name} (copy)` }) },
              "Duplicate",
            ),
            " ",
            el("button", { type: "button", "aria-label": `Delete ${rule.name}`, "data-focus": `delete ${rule.id}`, onclick: () => remove(rule) }, "Delete"),
          ),
        );
      }),
    );
  }
  async function toggle(rule, on) {
    try {
      await send("POST", `/api/v1/rules/${encodeURIComponent(rule.id)}/${on ? "enable" : "disable"}`);
      say(`${rule.name} ${on ? "enabled" : "disabled"}.`);
    } catch (error) {
      say(`${rule.name}: ${error.message}`);
    }
    await refresh();
  }
  async function remove(rule) {
    if (!confirm(`Delete the rule ${rule.name}?`)) return;
    await send("DELETE", `/api/v1/rules/${encodeURIComponent(rule.id)}`).then(
      () => say(`Deleted ${rule.name}.`),
      (error) => say(`${rule.name}: ${error.message}`),
    );
    await refresh();
  }
  call("/api/v1/seed").then((r) => {
    $("#seed-input").value = r.seed ?? "";
  });
  $("#seed-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("#seed-input").value.trim();
    try {
      const r = await send("PUT", "/api/v1/seed", { seed: text === "" ? null : Number(text) });
      say(`The global seed is ${r.seed ?? "random"}.`);
    } catch (error) {
      say(`Seed: ${error.message}`);
    }
  });
  loadRule({ service: "gateway", conditions: [], action: { type: "http_error", http_code: 500 } });
  repeat(refresh, 2000);
}

rules();
