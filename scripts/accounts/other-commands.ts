import path from "node:path";
import { parseArgs } from "node:util";
import { readNhsmailAddress } from "../../src/directory";
import type { AccountsContext } from "./context";
import { CommandError, UsageError } from "./context";

/** `remove --email x@nhs.net`: removes an account; exit 1 when there is none. */
export async function removeCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: "string" } } });
  const reading = readNhsmailAddress(values.email ?? "");
  if (!reading.ok) throw new UsageError("--email must be an @nhs.net address");
  if (!(await ctx.directory.remove(reading.email))) throw new CommandError(`No account ${reading.email}.`);
  await ctx.audit.record({ type: "admin.account-removed", outcome: "info", email: reading.email, actor: "accounts-cli" });
  ctx.out(`Removed ${reading.email}.`);
  return 0;
}

/** `audit [--email x@nhs.net] [--limit 50]`: audit events, newest first, one JSON object per line. */
export async function auditCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: "string" }, limit: { type: "string", default: "50" } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a whole number, at least 1");
  const events = await ctx.audit.list({ email: values.email, limit });
  events.forEach((event) => ctx.out(JSON.stringify(event)));
  return 0;
}

/** `seed [--file env/accounts.dev.json]`: imports the fixture as the bot does at start (present accounts are kept). */
export async function seedCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: "string" } } });
  const file = path.resolve(ctx.root, values.file ?? ctx.env.ACCOUNTS_FILE ?? "env/accounts.dev.json");
  const result = await ctx.directory.seedFromFile(file, { hasher: ctx.hasher });
  ctx.out(`Imported ${result.imported.length} account(s); ${result.skipped.length} already present and kept.`);
  return 0;
}
