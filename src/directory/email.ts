/** The only domain the bot accepts for NHSmail accounts. */
export const NHSMAIL_DOMAIN = "nhs.net";

const ADDRESS = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9-]+\.)+[a-z]{2,}$/;

/** The outcome of reading an email address a person typed. */
export type EmailReading =
  | { ok: true; email: string }
  | { ok: false; reason: "not-an-address" | "not-nhsmail" };

/**
 * Reads an email address as a person would type it: surrounding spaces and angle brackets or a trailing full stop
 * are dropped and the address is case-folded. Only `@nhs.net` addresses are accepted.
 */
export function readNhsmailAddress(input: string): EmailReading {
  const email = input.trim().replace(/^<|>$/g, "").replace(/\.$/, "").trim().toLowerCase();
  if (email.length > 254 || !ADDRESS.test(email)) return { ok: false, reason: "not-an-address" };
  const domain = email.slice(email.lastIndexOf("@") + 1);
  return domain === NHSMAIL_DOMAIN ? { ok: true, email } : { ok: false, reason: "not-nhsmail" };
}
