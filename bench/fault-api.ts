/**
 * mock-error-service's rule API as the fault cases use it, like any user's script: add a
 * rule or a batch of them (refused → the case fails with the reason), and start over (every
 * rule deleted, stats and events cleared).
 */

type RuleBody = Record<string, unknown>;

/** One rule, or an array of up to 1,000 created at once. */
export async function addRule(api: string, rule: RuleBody | RuleBody[]): Promise<void> {
  const response = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  const what = Array.isArray(rule) ? `${rule.length} rules` : `rule ${JSON.stringify(rule.name)}`;
  if (response.status !== 201) throw new Error(`${what} refused (${response.status}): ${await response.text()}`);
}

/** Every rule deleted, stats and events cleared. */
export async function clearRules(api: string): Promise<void> {
  const response = await fetch(`${api}/api/v1/rules`, { method: "DELETE" });
  if (!response.ok) throw new Error(`DELETE /api/v1/rules: ${response.status} ${await response.text()}`);
  await fetch(`${api}/api/v1/reset`, { method: "POST" });
}
