import QRCode from "qrcode";

/**
 * A QR code of the text (an otpauth URI) as a PNG data URI an Adaptive Card can show. Error correction M, a quiet
 * zone of 2 modules and 6 pixels a module keep it readable by phone cameras off a laptop screen.
 */
export async function qrCodeDataUri(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: "M", margin: 2, scale: 6, type: "image/png" });
}
