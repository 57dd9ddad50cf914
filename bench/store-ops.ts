/** Store operations per turn, read from a bot's own Prometheus metrics (`helpdesk_store_operations_total`). */

/** "2.0 reads, 1.0 writes, 1.0 claims (4.0 in all)" per turn, or undefined when the metrics cannot be read. */
export async function storeOpsPerTurn(metricsUrl: string): Promise<string | undefined> {
  const text = await fetch(metricsUrl).then((r) => r.text()).catch(() => undefined);
  if (!text) return undefined;
  const sum = (name: string, label?: string): number =>
    text
      .split("\n")
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => label === undefined || line.includes(label))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
  const turns = sum("helpdesk_turns_total");
  if (!turns) return undefined;
  const per = (op: string): number => sum("helpdesk_store_operations_total", `op="${op}"`) / turns;
  const ops = ["read", "write", "delete", "claim"].map((op) => [op, per(op)] as const);
  const all = ops.reduce((total, [, n]) => total + n, 0);
  return `${ops.map(([op, n]) => `${n.toFixed(2)} ${op}s`).join(", ")} (${all.toFixed(2)} in all)`;
}
