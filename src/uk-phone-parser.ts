import type * as PhoneLibrary from "libphonenumber-js";
import type { PhoneNumber } from "libphonenumber-js";

let phoneLibrary: typeof PhoneLibrary | undefined;

/**
 * libphonenumber-js's parser, reading a number written without a country code as a UK one. The library and its
 * metadata (84 modules, about 25 ms) load on first use, not at every start.
 */
export function parseUkPhoneNumber(text: string): PhoneNumber | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
  phoneLibrary ??= require("libphonenumber-js") as typeof PhoneLibrary;
  return phoneLibrary.parsePhoneNumberFromString(text, "GB");
}
