import { z } from "zod";
import type { ProfileDetails } from "../src/directory/account";
import { characterCount } from "../src/policy";
import { parseUkPhoneNumber } from "../src/uk-phone-parser";

/** Shortest and longest account secret, in characters. */
export const SECRET_LENGTH = { min: 6, max: 64 } as const;

/** The profile fields: what each is called in a message, and its length limits in characters. */
export const PROFILE_FIELDS = {
  displayName: { label: "name", min: 2, max: 100 },
  jobTitle: { label: "job title", min: 2, max: 100 },
  department: { label: "department", min: 2, max: 100 },
  organisation: { label: "organisation", min: 2, max: 150 },
} as const;

/** Said when the work phone is not a UK number. */
export const BAD_PHONE = "Your work phone doesn't look like a UK phone number. Type it like **0113 243 3144**, or leave the box empty.";
/** Said when the account secret is missing. */
export const SECRET_MISSING = "Type your account secret in both boxes.";
/** Said when the account secret is too short or too long. */
export const SECRET_LENGTH_WRONG = `Your account secret needs ${SECRET_LENGTH.min} to ${SECRET_LENGTH.max} characters.`;
/** Said when the account secret holds hidden characters. */
export const SECRET_HIDDEN = "Your account secret can't contain tabs, line breaks or other hidden characters.";
/** Said when the two secret boxes differ. */
export const SECRET_MISMATCH = "The two account secret boxes don't match. Type the same secret in both.";
/** Said when the account secret contains the person's name or address. */
export const SECRET_PERSONAL = "Your account secret can't contain your name or your email address: someone who knows you could guess it.";
/** Said when the account secret is the person's password. */
export const SECRET_IS_PASSWORD = "Your account secret can't be the same as your password. Choose a different word.";

/** What a field's messages say. */
export const fieldMessages = (label: string, min: number, max: number) =>
  ({
    missing: `Type your ${label}.`,
    short: `Your ${label} needs at least ${min} characters.`,
    long: `Your ${label} can be at most ${max} characters.`,
    hidden: `Your ${label} can't contain tabs, line breaks or other hidden characters.`,
  }) as const;

// Control characters, and the bidirectional overrides that can make text display differently from what it is.
const HIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
// What a person may type in a phone number: digits, spaces, + ( ) - . and an extension.
const PHONE_TYPED = /^\+?[\d\s\-().]+(\s*(ext\.?|x)\s*\d{1,6})?$/i;
// Anything far longer than any limit is refused without counting its characters.
const RAW_LIMIT = 1024;

/** A trimmed text field with its length limits and no hidden characters. */
function detail(label: string, min: number, max: number) {
  const say = fieldMessages(label, min, max);
  return z
    .string({ required_error: say.missing, invalid_type_error: say.missing })
    .transform((text) => text.trim())
    .superRefine((text, ctx) => {
      const count = text.length > RAW_LIMIT ? RAW_LIMIT : characterCount(text);
      if (count === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: say.missing });
      else if (count < min) ctx.addIssue({ code: z.ZodIssueCode.custom, message: say.short });
      else if (count > max) ctx.addIssue({ code: z.ZodIssueCode.custom, message: say.long });
      if (HIDDEN.test(text)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: say.hidden });
    });
}

/** An optional UK phone number (libphonenumber-js, region GB); empty means none. */
const workPhone = z
  .string({ invalid_type_error: BAD_PHONE })
  .optional()
  .transform((text) => (text ?? "").trim())
  .superRefine((text, ctx) => {
    if (text === "") return;
    const parsed = text.length <= 40 && PHONE_TYPED.test(text) ? parseUkPhoneNumber(text) : undefined;
    if (parsed?.countryCallingCode !== "44" || !parsed.isValid()) ctx.addIssue({ code: z.ZodIssueCode.custom, message: BAD_PHONE });
  });

/** The account secret as typed (trimmed: spaces at the edges are easy to add by mistake and hard to say aloud). */
const secret = z
  .string({ required_error: SECRET_MISSING, invalid_type_error: SECRET_MISSING })
  .transform((text) => text.trim())
  .superRefine((text, ctx) => {
    if (text === "") return ctx.addIssue({ code: z.ZodIssueCode.custom, message: SECRET_MISSING });
    const count = text.length > RAW_LIMIT ? RAW_LIMIT : characterCount(text);
    if (count < SECRET_LENGTH.min || count > SECRET_LENGTH.max) ctx.addIssue({ code: z.ZodIssueCode.custom, message: SECRET_LENGTH_WRONG });
    if (HIDDEN.test(text)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: SECRET_HIDDEN });
  });

/** Whose form it is: what the secret may not contain, and how to tell whether it is their password. */
export interface ProfilePerson {
  email: string;
  /** Their names (first, last, display name, and the name typed on the form). */
  names: ReadonlyArray<string | undefined>;
  /** True when the text is the person's current password. */
  isPassword(text: string): Promise<boolean>;
}

/** A valid form: the profile to save and the account secret to hash. */
export interface ProfileForm {
  profile: ProfileDetails;
  secret: string;
}

/** The outcome of reading the form: valid, or every problem found, in the card's order. */
export type ProfileFormReading = { ok: true; form: ProfileForm } | { ok: false; problems: string[] };

/** Folds text so that "SAM", "Sam" and "ｓａｍ" compare equal. */
const fold = (text: string): string => text.normalize("NFKC").toLowerCase();

/** The person's own terms of 3 letters or more: name words and the parts of the address before the @. */
export function personalTerms(person: Pick<ProfilePerson, "email" | "names">): string[] {
  const local = person.email.split("@")[0] ?? "";
  const words = [...person.names, local]
    .filter((text): text is string => typeof text === "string")
    .flatMap((text) => fold(text).split(/[^\p{L}\p{M}]+/u));
  return [...new Set([...words, fold(person.email), fold(local)])].filter((term) => characterCount(term) >= 3);
}

/** True when the secret contains one of the person's terms, ignoring case and anything between the letters. */
export function containsPersonalTerm(text: string, terms: readonly string[]): boolean {
  const folded = fold(text);
  const letters = folded.replace(/[^\p{L}\p{M}]+/gu, "");
  return terms.some((term) => folded.includes(term) || letters.includes(term));
}

/** The zod schema of the profile form for one person, with the secret's checks that need to know them. */
export function profileFormSchema(person: ProfilePerson) {
  const fields = Object.fromEntries(Object.entries(PROFILE_FIELDS).map(([key, f]) => [key, detail(f.label, f.min, f.max)])) as {
    [K in keyof typeof PROFILE_FIELDS]: ReturnType<typeof detail>;
  };
  return z
    .object({ ...fields, workPhone, accountSecret: secret, confirmSecret: z.unknown() })
    .superRefine(async (form, ctx) => {
      const typed = form.accountSecret;
      const usable = typed !== "" && characterCount(typed) >= SECRET_LENGTH.min && characterCount(typed) <= SECRET_LENGTH.max;
      if (typed !== "" && (typeof form.confirmSecret !== "string" || form.confirmSecret.trim() !== typed)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["confirmSecret"], message: SECRET_MISMATCH });
      }
      if (!usable) return;
      if (containsPersonalTerm(typed, personalTerms({ email: person.email, names: [...person.names, form.displayName] }))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["accountSecret"], message: SECRET_PERSONAL });
      }
      if (await person.isPassword(typed)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["accountSecret"], message: SECRET_IS_PASSWORD });
    });
}

/**
 * Reads and checks a submitted profile form: required fields trimmed, within their lengths and free of hidden
 * characters; the work phone empty or a UK number; the account secret 6–64 characters, typed twice the same, not
 * containing the person's name or address and not their password. Problems never repeat the secret.
 */
export async function readProfileForm(submission: Readonly<Record<string, unknown>>, person: ProfilePerson): Promise<ProfileFormReading> {
  const parsed = await profileFormSchema(person).safeParseAsync(submission);
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.error.issues.map((issue) => issue.message))] };
  const { displayName, jobTitle, department, organisation, workPhone: phone, accountSecret } = parsed.data;
  const profile: ProfileDetails = { displayName, jobTitle, department, organisation, ...(phone ? { workPhone: phone } : {}) };
  return { ok: true, form: { profile, secret: accountSecret } };
}

/** The non-secret values as typed, to prefill the card again after a refusal (a non-text value becomes empty). */
export function typedProfileValues(submission: Readonly<Record<string, unknown>>): Record<keyof typeof PROFILE_FIELDS | "workPhone", string> {
  const typed = (key: string): string => {
    const value = submission[key];
    return typeof value === "string" && value.length <= 200 ? value : "";
  };
  return {
    displayName: typed("displayName"),
    jobTitle: typed("jobTitle"),
    department: typed("department"),
    organisation: typed("organisation"),
    workPhone: typed("workPhone"),
  };
}
