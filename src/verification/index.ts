/**
 * Verification services behind small ports: one-time codes, authenticator-app codes, phone matching and the
 * image captcha. Throttles live beside them in their own module.
 *
 * @packageDocumentation
 */
export type { CodeCheck, OneTimeCodes, TotpVerifier, Captcha, CaptchaChallenge } from "./ports";
export type { ClaimStore, VerificationStore, KeyedHash } from "./claim-store";
export { sameDigest } from "./claim-store";
export { StoredOneTimeCodes } from "./one-time-codes";
export type { OneTimeCodeOptions } from "./one-time-codes";
export { OtplibTotpVerifier, generateTotpSecret, otpauthUri, currentTotp } from "./totp";
export type { TotpVerifierOptions } from "./totp";
export { normaliseUkMobile, phoneMatches, maskedHint, fakeHint } from "./phone";
export { ImageCaptcha, CAPTCHA_ALPHABET } from "./captcha";
export type { ImageCaptchaOptions } from "./captcha";
