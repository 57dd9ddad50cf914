import { randomInt } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../../src/config";
import { readNhsmailAddress } from "../../src/directory";
import { createPasswordPolicy } from "../../src/policy";
import type { PasswordContext } from "../../src/policy";
import { normaliseUkMobile } from "../../src/verification/phone";
import type { AccountsContext } from "./context";
import { CommandError, UsageError } from "./context";
import type { NotifyTarget } from "./notify";
import { describeNotice, describeProblems, noticeAccepted, notifyCommandLine, readAadObjectId, readBotUrl, sendFirstLoginNotice } from "./notify";

/** Letters and digits that cannot be mistaken for one another when read out or copied (no 0/O/o, 1/l/I). */
export const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
/** Four groups of four (about 93 bits), joined by hyphens: 19 characters. */
const GROUPS = 4;
const GROUP_LENGTH = 4;
/** Candidates tried before giving up; a random one fails the policy only by rare chance (or a breach check that is down). */
const POLICY_ATTEMPTS = 10;
/** The fixture's limit on a text field. */
const MAX_TEXT = 200;
const CONTROL = /\p{Cc}/u;

/** A validated `provision` request. */
export interface ProvisionRequest {
  email: string;
  name: string;
  organisation: string;
  organisationType: string;
  nasManaged: boolean;
  /** As typed; checked to be a UK mobile. */
  mobile?: string;
  aadObjectId?: string;
  /** ISO 8601; default now. */
  createdAt?: string;
  botUrl?: string;
}

/** A random temporary password from node:crypto: four groups of four unambiguous characters, e.g. `Hq7d-Kx2m-…`. */
export function generateTemporaryPassword(): string {
  const group = (): string => Array.from({ length: GROUP_LENGTH }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");
  return Array.from({ length: GROUPS }, group).join("-");
}

/**
 * Reads the options of `provision`, naming every bad one at once.
 *
 * @throws {@link UsageError} listing each problem
 */
export function readProvisionOptions(args: string[], now: Date): ProvisionRequest {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      organisation: { type: "string" },
      "organisation-type": { type: "string" },
      nas: { type: "boolean", default: false },
      mobile: { type: "string" },
      "aad-object-id": { type: "string" },
      "created-at": { type: "string" },
      "bot-url": { type: "string" },
    },
  });
  const problems: string[] = [];
  const reading = readNhsmailAddress(values.email ?? "");
  if (!reading.ok) problems.push(values.email === undefined ? "--email is required (an @nhs.net address)" : "--email must be an @nhs.net address");
  const name = readText("--name", values.name, problems, 'e.g. --name "Jane Smith"');
  const organisation = readText("--organisation", values.organisation, problems, 'e.g. --organisation "Leeds Teaching Hospitals NHS Trust"');
  const organisationType = readText("--organisation-type", values["organisation-type"], problems, 'e.g. --organisation-type "NHS Trust"');
  if (values.mobile !== undefined && !normaliseUkMobile(values.mobile)) problems.push("--mobile must be a UK mobile number, e.g. 07700 900123");
  const aadObjectId = values["aad-object-id"] === undefined ? undefined : readAadObjectId(values["aad-object-id"]);
  if (values["aad-object-id"] !== undefined && !aadObjectId) problems.push("--aad-object-id must be a GUID (the person's Entra object id)");
  const createdAt = values["created-at"] === undefined ? undefined : readTime(values["created-at"], now, problems);
  const botUrl = values["bot-url"] === undefined ? undefined : readBotUrl(values["bot-url"]);
  if (botUrl && !botUrl.ok) problems.push(botUrl.problem);
  if (!reading.ok || problems.length > 0) throw new UsageError(describeProblems(problems));
  return {
    email: reading.email,
    name,
    organisation,
    organisationType,
    nasManaged: values.nas,
    mobile: values.mobile,
    aadObjectId,
    createdAt,
    botUrl: botUrl?.ok ? botUrl.url : undefined,
  };
}

/**
 * `provision --email x@nhs.net --name "First Last" --organisation "…" --organisation-type "NHS Trust" [--nas]
 * [--mobile …] [--aad-object-id GUID] [--created-at ISO] [--bot-url URL]`: creates a new account with a random
 * temporary password that passes the password policy (stored only hashed, printed here once), records
 * `account.provisioned` in the audit, then asks the bot to send the first-login guidance. Exit 1 when the address
 * exists; the account stands even when the guidance could not be sent (the command to send it later is printed).
 */
export async function provisionCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const now = new Date();
  const request = readProvisionOptions(args, now);
  const { email, name } = request;
  if (await ctx.directory.findByEmail(email)) throw new CommandError(`${email} already exists; nothing was changed.`);

  const words = name.split(/\s+/);
  const password = await passingPassword(ctx, {
    email,
    displayName: name,
    firstName: words[0],
    lastName: words.length > 1 ? words[words.length - 1] : undefined,
    organisation: request.organisation,
  });
  // The fixture import hashes the password and creates the account only if it is still absent (no overwrite race).
  const entry = {
    email,
    password,
    displayName: name,
    organisation: request.organisation,
    organisationType: request.organisationType,
    nasManaged: request.nasManaged,
    mobile: request.mobile,
    createdAt: request.createdAt ?? now.toISOString(),
    temporaryPassword: true,
  };
  const result = await ctx.directory.importFixture([entry], { hasher: ctx.hasher, now }, "provision");
  if (!result.imported.includes(email)) throw new CommandError(`${email} already exists; nothing was changed.`);

  const nas = request.nasManaged ? ", managed by the National Administration Service" : "";
  ctx.out(`Created ${email} for ${name} (${request.organisation}, ${request.organisationType}${nas}).`);
  ctx.out(`Temporary password: ${password}`);
  ctx.out(`Give it to ${name} by a method your local policy approves. It will not be shown again; they choose their own at first login.`);
  await ctx.audit.record({ type: "account.provisioned", outcome: "info", email, actor: "accounts-cli" });

  const target: NotifyTarget = { email, aadObjectId: request.aadObjectId, botUrl: request.botUrl };
  const report = await sendFirstLoginNotice(ctx, target);
  ctx.out(describeNotice(report, email));
  if (!noticeAccepted(report.outcome)) ctx.out(`The account is ready. To send the guidance later, run: ${notifyCommandLine(target)}`);
  return 0;
}

/** A fresh temporary password that passes the full policy (as configured: breach source, history length…). */
async function passingPassword(ctx: AccountsContext, context: PasswordContext): Promise<string> {
  const config = parseConfig(ctx.env);
  const handle = await createPasswordPolicy({
    root: ctx.root,
    breachSource: config.BREACH_SOURCE,
    breachIndexFile: config.BREACH_INDEX_FILE ? path.resolve(ctx.root, config.BREACH_INDEX_FILE) : undefined,
    hibpUrl: config.HIBP_URL,
    hibpTimeoutMs: config.HIBP_TIMEOUT_MS,
    hibpFailMode: config.HIBP_FAIL_MODE,
    historyLength: config.PASSWORD_HISTORY,
    scryptLog2N: config.SCRYPT_LOG2N,
    logger: { warn: (_obj, msg) => void process.stderr.write(`${msg}\n`) },
  });
  const failed = new Set<string>();
  try {
    for (let attempt = 0; attempt < POLICY_ATTEMPTS; attempt++) {
      const candidate = generateTemporaryPassword();
      const verdict = await handle.policy.check({ password: candidate, context });
      if (verdict.ok) return candidate;
      verdict.failures.forEach((failure) => failed.add(failure.rule));
    }
  } finally {
    await handle.close();
  }
  throw new CommandError(`Could not make a temporary password that passes the password policy (${[...failed].join(", ")}); nothing was created.`);
}

function readText(option: string, value: string | undefined, problems: string[], example: string): string {
  const text = value?.trim().replace(/\s+/g, " ") ?? "";
  if (text === "") problems.push(`${option} is required, ${example}`);
  else if (text.length > MAX_TEXT) problems.push(`${option} must be at most ${MAX_TEXT} characters`);
  else if (CONTROL.test(text)) problems.push(`${option} must not hold control characters`);
  return text;
}

function readTime(value: string, now: Date, problems: string[]): string | undefined {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(time)) problems.push("--created-at must be an ISO 8601 date or time, e.g. 2027-11-23T09:00:00Z");
  else if (time > now.getTime()) problems.push("--created-at must not be in the future");
  else return new Date(time).toISOString();
  return undefined;
}
