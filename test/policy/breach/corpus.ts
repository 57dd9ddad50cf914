import crypto from "node:crypto";
import { Readable } from "node:stream";

/** Random SHA-1s as upper-case hex, sorted (hash order, as the Have I Been Pwned downloader writes them). */
export function randomSortedHashes(count: number): string[] {
  const hashes = new Set<string>();
  while (hashes.size < count) hashes.add(crypto.randomBytes(20).toString("hex").toUpperCase());
  return [...hashes].sort();
}

/** Random SHA-1s not in `exclude`. */
export function absentHashes(count: number, exclude: ReadonlySet<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const hash = crypto.randomBytes(20).toString("hex").toUpperCase();
    if (!exclude.has(hash)) out.push(hash);
  }
  return out;
}

/** A byte stream of `text` cut into chunks of `size` bytes, so lines straddle chunk boundaries. */
export function chunkedStream(text: string, size: number): Readable {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** Upper-case hex SHA-1 of a password's UTF-8. */
export function sha1Hex(password: string): string {
  return crypto.createHash("sha1").update(password, "utf8").digest("hex").toUpperCase();
}
