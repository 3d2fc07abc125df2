/**
 * mock-error-service's rule API as the fault cases use it, like any user's script: add a
 * rule (refused → the case fails with the reason), and start over (every rule deleted, stats
 * and events cleared).
 */

export async function addRule(api: string, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  if (response.status !== 201) throw new Error(`rule ${JSON.stringify(rule.name)} refused (${response.status}): ${await response.text()}`);
}

/** Every rule deleted, stats and events cleared. */
export async function clearRules(api: string): Promise<void> {
  const response = await fetch(`${api}/api/v1/rules`, { method: "DELETE" });
  if (!response.ok) throw new Error(`DELETE /api/v1/rules: ${response.status} ${await response.text()}`);
  await fetch(`${api}/api/v1/reset`, { method: "POST" });
}
