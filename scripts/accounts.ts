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
 *   npm run accounts -- provision --email x@nhs.net --name "First Last" --organisation "…"
 *                                 --organisation-type "NHS Trust" [--nas] [--mobile "07700 900123"]
 *                                 [--aad-object-id GUID] [--created-at ISO] [--bot-url http://127.0.0.1:3978]
 *     creates a new account with a random temporary password (printed once, stored only hashed), then asks the
 *     bot (POST /api/notify/first-login with NOTIFY_SECRET; default http://127.0.0.1:$PORT) to send the
 *     first-login guidance. The account stands even when the bot cannot be reached: the command to retry is shown.
 *   npm run accounts -- notify --email x@nhs.net [--aad-object-id GUID] [--bot-url …]
 *     asks the bot to send the first-login guidance; exit 1 unless it was delivered or queued.
 *
 * Exit codes: 0 done, 1 not done (e.g. no such account), 2 usage mistake.
 */
import path from "node:path";
import { addCommand } from "./accounts/add";
import type { AccountsContext } from "./accounts/context";
import { UsageError, openContext } from "./accounts/context";
import { listCommand } from "./accounts/list";
import { notifyCommand } from "./accounts/notify";
import { auditCommand, removeCommand, seedCommand } from "./accounts/other-commands";
import { provisionCommand } from "./accounts/provision";

const ROOT = path.resolve(__dirname, "..");
const COMMANDS: Record<string, (ctx: AccountsContext, args: string[]) => Promise<number>> = {
  add: addCommand,
  list: listCommand,
  remove: removeCommand,
  audit: auditCommand,
  seed: seedCommand,
  provision: provisionCommand,
  notify: notifyCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command "${name ?? ""}": use ${Object.keys(COMMANDS).join(", ")}`);
  const ctx = await openContext(ROOT);
  try {
    return await command(ctx, args);
  } finally {
    await ctx.store.close();
  }
}

const USAGE = `usage: npm run accounts -- ${Object.keys(COMMANDS).join("|")} [options] (see scripts/accounts.ts)`;

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
