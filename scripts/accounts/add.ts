import { parseArgs } from "node:util";
import { generateSecret, generateURI } from "otplib";
import type { Account } from "../../src/directory";
import { PASSWORD_LIFETIME_DAYS, methodsOf, readNhsmailAddress } from "../../src/directory";
import { normaliseUkMobile } from "../../src/verification/phone";
import { readSecret } from "../read-secret";
import type { AccountsContext } from "./context";
import { CommandError, UsageError } from "./context";
import { describeMethods } from "./list";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `add --email x@nhs.net [--mobile …] [--name "First Last"] [--organisation …] [--totp] [--temporary]`: adds an
 * account with the password read from standard input (typed without echo on a terminal). `--totp` registers a new
 * authenticator secret and prints its otpauth URI, once.
 */
export async function addCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      mobile: { type: "string" },
      name: { type: "string" },
      organisation: { type: "string" },
      totp: { type: "boolean", default: false },
      temporary: { type: "boolean", default: false },
    },
  });
  const reading = readNhsmailAddress(values.email ?? "");
  if (!reading.ok) throw new UsageError("--email must be an @nhs.net address");
  const email = reading.email;
  const mobile = values.mobile === undefined ? undefined : normaliseUkMobile(values.mobile);
  if (values.mobile !== undefined && !mobile) throw new UsageError("--mobile must be a UK mobile number, e.g. 07700 900118");
  if (await ctx.directory.findByEmail(email)) throw new CommandError(`${email} already exists; remove it first.`);

  const password = await readSecret(`Password for ${email}: `);
  if (password === "") throw new UsageError("the password (read from standard input) must not be empty");
  const now = new Date();
  const words = (values.name ?? "").trim().split(/\s+/).filter(Boolean);
  const totpSecret = values.totp ? generateSecret() : undefined;
  const account: Account = {
    email,
    createdAt: now.toISOString(),
    passwordHash: await ctx.hasher.hash(password),
    previousPasswordHashes: [],
    passwordChangedAt: now.toISOString(),
    passwordExpiresAt: new Date(now.getTime() + PASSWORD_LIFETIME_DAYS * DAY_MS).toISOString(),
    temporaryPassword: values.temporary,
  };
  if (words.length > 0) Object.assign(account, { displayName: words.join(" "), firstName: words[0] });
  if (words.length > 1) account.lastName = words[words.length - 1];
  if (values.organisation?.trim()) account.organisation = values.organisation.trim();
  if (mobile) account.mobile = mobile;
  if (totpSecret) account.totpSecretEncrypted = ctx.directory.sealTotpSecret(email, totpSecret);

  await ctx.directory.upsert(account);
  await ctx.audit.record({ type: "admin.account-added", outcome: "info", email, actor: "accounts-cli" });
  ctx.out(`Added ${email} (methods: ${describeMethods(methodsOf(account))}).`);
  if (totpSecret) {
    ctx.out("Authenticator app: add this URI (or a QR code of it) now; it is not shown again:");
    ctx.out(generateURI({ issuer: "NHSmail (dev)", label: email, secret: totpSecret }));
  }
  return 0;
}
