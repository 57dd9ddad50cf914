import { parseArgs } from "node:util";
import type { RegisteredMethods } from "../../src/directory";
import { methodsOf } from "../../src/directory";
import { maskedHint } from "../../src/verification/phone";
import type { AccountsContext } from "./context";

/** "sms, voice, app", or "none". */
export function describeMethods(methods: RegisteredMethods): string {
  const names = (["sms", "voice", "app"] as const).filter((name) => methods[name]);
  return names.length > 0 ? names.join(", ") : "none";
}

/** Lays rows out in columns, two spaces apart, the first row being the header. */
export function formatTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd());
}

/** `list`: every account as a table, without secrets (the mobile shows only its last two digits). */
export async function listCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  const accounts = await ctx.directory.list();
  if (accounts.length === 0) {
    ctx.out("No accounts. Start the bot (it imports ACCOUNTS_FILE) or run: npm run accounts -- seed");
    return 0;
  }
  const rows = [["EMAIL", "NAME", "METHODS", "MOBILE", "PASSWORD EXPIRES", "TEMPORARY"]];
  for (const account of accounts) {
    rows.push([
      account.email,
      account.displayName ?? "",
      describeMethods(methodsOf(account)),
      account.mobile ? maskedHint(account.mobile) : "",
      account.passwordExpiresAt.slice(0, 10),
      account.temporaryPassword ? "yes" : "no",
    ]);
  }
  formatTable(rows).forEach((line) => ctx.out(line));
  return 0;
}
