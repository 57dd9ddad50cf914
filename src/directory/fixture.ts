import fs from "node:fs";
import { z } from "zod";
import type { Account } from "./account";
import { PASSWORD_LIFETIME_DAYS } from "./account";
import { readNhsmailAddress } from "./email";
import { normaliseUkMobile } from "../verification/phone";
import type { SecretBox } from "./secret-box";

/** How many earlier password hashes an account keeps. */
export const PASSWORD_HISTORY_LIMIT = 10;

const DAY_MS = 24 * 60 * 60 * 1000;
const BASE32 = /^[A-Z2-7]{16,}=*$/;

const blankToUndefined = (value: unknown): unknown =>
  value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;
const text = z.preprocess(blankToUndefined, z.string().trim().max(200).optional());
const time = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date or time")
    .transform((value) => new Date(value).toISOString())
    .optional(),
);
const secret = z.string({ required_error: "is required", invalid_type_error: "must be a string" }).min(1, "must not be empty");

/** One entry of the accounts fixture, as written in the file (e.g. `env/accounts.dev.json`). */
const fixtureEntrySchema = z.object({
  email: z.string({ required_error: "is required" }).transform((value, ctx) => {
    const reading = readNhsmailAddress(value);
    if (reading.ok) return reading.email;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an @nhs.net address" });
    return z.NEVER;
  }),
  mobile: z.preprocess(
    blankToUndefined,
    z
      .string({ invalid_type_error: "must be a string" })
      .transform((value, ctx) => {
        const e164 = normaliseUkMobile(value);
        if (e164) return e164;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be a UK mobile number, e.g. 07700 900118" });
        return z.NEVER;
      })
      .optional(),
  ),
  password: secret,
  previousPasswords: z.array(secret, { invalid_type_error: "must be an array of strings" }).default([]),
  totpSecret: z.preprocess(
    blankToUndefined,
    z
      .string({ invalid_type_error: "must be a string" })
      .transform((value) => value.replace(/[\s-]/g, "").toUpperCase())
      .refine((value) => BASE32.test(value), "must be base32 (A–Z, 2–7), at least 16 characters")
      .optional(),
  ),
  displayName: text,
  firstName: text,
  lastName: text,
  organisation: text,
  organisationType: text,
  nasManaged: z.boolean({ invalid_type_error: "must be true or false" }).optional(),
  createdAt: time,
  passwordChangedAt: time,
  temporaryPassword: z.boolean({ invalid_type_error: "must be true or false" }).default(false),
  jobTitle: text,
  department: text,
  workPhone: text,
  /** First-login progress of an established account; absent for a new one. */
  aupAcceptedAt: time,
  profileUpdatedAt: time,
  accountSecret: z.preprocess(blankToUndefined, secret.optional()),
  mfaMethod: z.enum(["app", "sms"], { invalid_type_error: "must be app or sms", message: "must be app or sms" }).optional(),
  mfaEnrolledAt: time,
});

/** A validated, normalised fixture entry: email lower-case, mobile E.164, TOTP secret upper-case base32. */
export type FixtureEntry = z.infer<typeof fixtureEntrySchema>;

/** A fixture that does not validate. The message names each bad entry (index from 0) and field, never a value. */
export class FixtureError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid accounts fixture ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FixtureError";
  }
}

/**
 * Validates and normalises fixture entries. Every problem is listed as `[index].field: rule`; values are never
 * shown (they include passwords).
 *
 * @param source - how to name the fixture in the message, e.g. its file name
 * @throws {@link FixtureError}
 */
export function parseFixture(entries: unknown, source = "(fixture)"): FixtureEntry[] {
  if (!Array.isArray(entries)) throw new FixtureError(source, ["must be a JSON array of account objects"]);
  const problems: string[] = [];
  const parsed: FixtureEntry[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry: unknown, index) => {
    const result = fixtureEntrySchema.safeParse(entry);
    if (!result.success) {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        problems.push(`[${index}]: must be an object`);
        return;
      }
      for (const issue of result.error.issues) problems.push(`[${index}].${issue.path.join(".")}: ${issue.message}`);
      return;
    }
    const earlier = seen.get(result.data.email);
    if (earlier !== undefined) problems.push(`[${index}].email: repeats entry [${earlier}]`);
    seen.set(result.data.email, index);
    parsed.push(result.data);
  });
  if (problems.length > 0) throw new FixtureError(source, problems);
  return parsed;
}

/**
 * Reads and validates a fixture file.
 *
 * @throws {@link FixtureError} when the file is missing, not JSON, or has bad entries
 */
export function readFixtureFile(file: string): FixtureEntry[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new FixtureError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text near the error, which may be a password: say only that it is not JSON.
    throw new FixtureError(file, ["is not valid JSON"]);
  }
  return parseFixture(entries, file);
}

/** What turning a fixture entry into an account needs. */
export interface AccountBuildOptions {
  /** Hashes passwords (a `PasswordHasher`). */
  hasher: { hash(secret: string): Promise<string> };
  /** Encrypts the TOTP secret, bound to the account's email. */
  box: SecretBox;
  /** Import time: the default `createdAt` and `passwordChangedAt`. */
  now: Date;
}

/**
 * Builds the stored account for a fixture entry: passwords hashed, TOTP secret encrypted, expiry set to
 * `passwordChangedAt` + 365 days. A missing first or last name is taken from `displayName` ("Jane Smith").
 */
export async function accountFromEntry(entry: FixtureEntry, options: AccountBuildOptions): Promise<Account> {
  const { hasher, box, now } = options;
  const [passwordHash, ...previousPasswordHashes] = await Promise.all(
    [entry.password, ...entry.previousPasswords.slice(0, PASSWORD_HISTORY_LIMIT)].map(async (pw) => hasher.hash(pw)),
  );
  const accountSecretHash = entry.accountSecret === undefined ? undefined : await hasher.hash(entry.accountSecret);
  const changedAt = entry.passwordChangedAt ?? now.toISOString();
  const words = entry.displayName?.split(/\s+/) ?? [];
  const firstName = entry.firstName ?? words[0];
  const lastName = entry.lastName ?? (words.length > 1 ? words[words.length - 1] : undefined);
  const displayName = entry.displayName ?? ([firstName, lastName].filter(Boolean).join(" ") || undefined);
  return dropUndefined({
    email: entry.email,
    displayName,
    firstName,
    lastName,
    organisation: entry.organisation,
    organisationType: entry.organisationType,
    nasManaged: entry.nasManaged,
    createdAt: entry.createdAt ?? now.toISOString(),
    mobile: entry.mobile,
    totpSecretEncrypted: entry.totpSecret === undefined ? undefined : box.encrypt(entry.totpSecret, entry.email),
    passwordHash,
    previousPasswordHashes,
    passwordChangedAt: changedAt,
    passwordExpiresAt: new Date(Date.parse(changedAt) + PASSWORD_LIFETIME_DAYS * DAY_MS).toISOString(),
    temporaryPassword: entry.temporaryPassword,
    jobTitle: entry.jobTitle,
    department: entry.department,
    workPhone: entry.workPhone,
    aupAcceptedAt: entry.aupAcceptedAt,
    aupVersion: entry.aupAcceptedAt === undefined ? undefined : "earlier",
    profileUpdatedAt: entry.profileUpdatedAt,
    accountSecretHash,
    mfaMethod: entry.mfaMethod,
    mfaEnrolledAt: entry.mfaMethod === undefined ? undefined : (entry.mfaEnrolledAt ?? entry.createdAt ?? now.toISOString()),
  });
}

/** Removes keys whose value is undefined, so stored JSON holds only what is known. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
