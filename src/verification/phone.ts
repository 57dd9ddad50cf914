import { createHash, timingSafeEqual } from "node:crypto";
import { parseUkPhoneNumber } from "../uk-phone-parser";
import type { KeyedHash } from "./claim-store";

/** What a person may type around the digits: spaces, dashes, brackets, dots, slashes and a leading `+`. */
const TYPED = /^\+?[\d\s\-()./]+$/;

/** A UK mobile in E.164 form: +44, then 7 and nine more digits (Ofcom's 07xxx xxxxxx). */
const UK_MOBILE_E164 = /^\+447\d{9}$/;

/**
 * Reads a UK mobile number as a person types it and returns its E.164 form, e.g. "+447700900118", for:
 * "+447700900118", "+4407700900118" (the NHSmail guide's "+440" form: +44 then the trunk 0), "+44 (0)7700 900118",
 * "07700 900118", "07700-900-118", "(07700) 900118", "0044 7700 900118", "447700900118", "7700 900118", with spaces, dashes,
 * brackets or dots anywhere.
 *
 * @remarks
 * libphonenumber-js parses the number (international prefix 00, trunk 0 with or without +44, country code). The
 * check is then the shape of a UK mobile rather than libphonenumber's validity, because its metadata refuses
 * Ofcom's drama range (07700 900xxx) that development accounts and tests use; the directory stores the same shape.
 * Crown dependency mobiles (+44 7624, 7781, 7911…) share +44 7 and are accepted.
 *
 * @returns the E.164 form, or undefined for letters, numbers of other countries, landlines, too few or too many digits
 */
export function normaliseUkMobile(input: string): string | undefined {
  // Tabs, non-breaking and other spaces (pasted text) all count as one plain space.
  const trimmed = input.replace(/\s+/g, " ").trim();
  // Refuse letters and other text up front: libphonenumber would otherwise pick digits out of free text, or
  // read letters as a keypad number.
  if (!TYPED.test(trimmed)) return undefined;
  const parsed = parseUkPhoneNumber(trimmed);
  const e164 = parsed?.countryCallingCode === "44" ? parsed.number : undefined;
  return e164 !== undefined && UK_MOBILE_E164.test(e164) ? e164 : undefined;
}

/**
 * Whether what the person typed is the registered mobile. Both sides are normalised, so the registered number may
 * be in any UK form; the comparison takes the same time wherever the numbers differ.
 */
export function phoneMatches(typed: string, registeredE164: string): boolean {
  const a = normaliseUkMobile(typed);
  const b = normaliseUkMobile(registeredE164);
  if (a === undefined || b === undefined) return false;
  // Digests give equal lengths, so timingSafeEqual never throws and the length is not revealed.
  const digest = (text: string): Buffer => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The hint NHSmail's reset page shows: five asterisks and the last two digits, e.g. "*****18". */
export function maskedHint(e164: string): string {
  const digits = e164.replace(/\D/g, "");
  return `*****${digits.slice(-2).padStart(2, "0")}`;
}

/**
 * A plausible hint for an address that has no account, the same every time for the same address (so asking twice
 * cannot tell a real account from a missing one), and unpredictable without the HMAC key.
 *
 * @param seed - what identifies the request, e.g. the email address typed (compared case-insensitively)
 * @param hmac - the keyed hash (e.g. `SecretBox.hmac`)
 */
export function fakeHint(seed: string, hmac: KeyedHash): string {
  const digest = hmac(JSON.stringify(["phone-hint", seed.trim().toLowerCase()]));
  const lastTwo = Number.parseInt(digest.slice(0, 8), 16) % 100;
  return maskedHint(lastTwo.toString().padStart(2, "0"));
}
