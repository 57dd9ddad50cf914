import type * as QRCode from "qrcode";

// Loaded with the first QR code (an authenticator app's set-up) rather than when the service starts.
let qrcode: typeof QRCode | undefined;

/**
 * A QR code of the text (an otpauth URI) as a PNG data URI an Adaptive Card can show. Error correction M, a quiet
 * zone of 2 modules and 6 pixels a module keep it readable by phone cameras off a laptop screen.
 */
export async function qrCodeDataUri(text: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
  qrcode ??= require("qrcode") as typeof QRCode;
  return qrcode.toDataURL(text, { errorCorrectionLevel: "M", margin: 2, scale: 6, type: "image/png" });
}
