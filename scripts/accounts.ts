/**
 * The development directory from the command line, on the store the bot uses (`STATE_URL`).
 *
 *   npm run accounts -- add --email x@nhs.net [--mobile "07700 900123"] [--name "First Last"]
 *                           [--organisation "…"] [--totp] [--temporary]
 *     adds an account; the password is read from standard input (typed without echo on a terminal);
 *     --totp registers a new authenticator secret and prints its otpauth URI once.
 *   npm run accounts -- list                       every account, without secrets
 *   npm run accounts -- remove --email x@nhs.net   removes an account
 *   npm run accounts -- audit [--email x@nhs.net] [--limit 50]   audit events as JSON lines, newest first
 *   npm run accounts -- seed [--file env/accounts.dev.json]      imports the fixture (present accounts are kept)
 *
 * Exit codes: 0 done, 1 not done (e.g. no such account), 2 usage mistake.
 */
import path from "node:path";
import { addCommand } from "./accounts/add";
import type { AccountsContext } from "./accounts/context";
import { UsageError, openContext } from "./accounts/context";
import { listCommand } from "./accounts/list";
import { auditCommand, removeCommand, seedCommand } from "./accounts/other-commands";

const ROOT = path.resolve(__dirname, "..");
const COMMANDS: Record<string, (ctx: AccountsContext, args: string[]) => Promise<number>> = {
  add: addCommand,
  list: listCommand,
  remove: removeCommand,
  audit: auditCommand,
  seed: seedCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name ?? ""}": use add, list, remove, audit or seed`);
  const ctx = await openContext(ROOT);
  try {
    return await command(ctx, args);
  } finally {
    await ctx.store.close();
  }
}

const USAGE = "usage: npm run accounts -- add|list|remove|audit|seed [options] (see scripts/accounts.ts)";

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    const usage = err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    process.stderr.write(`accounts: ${err instanceof Error ? err.message : String(err)}\n`);
    if (usage) process.stderr.write(`${USAGE}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
