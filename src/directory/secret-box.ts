import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes a base64 key and checks it is 32 bytes; the message never shows the key. */
function decodeKey(keyBase64: string): Buffer {
  const text = keyBase64.trim();
  const key = BASE64.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) throw new Error("The secrets key must be 32 bytes, base64-encoded.");
  return key;
}

/**
 * Encrypts small secrets (authenticator-app secrets) with AES-256-GCM, and makes keyed hashes (HMAC-SHA256) for
 * codes, captcha answers and pseudonymous ids. Sealed values read `v1.<iv>.<tag>.<ciphertext>` (base64url), so the
 * scheme can change later without breaking stored ones. The HMAC key is derived from the same key (HKDF-SHA256,
 * info "hmac"), so one configured key serves both without reusing key material across algorithms.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  /**
   * @param keyBase64 - 32 random bytes, base64-encoded (see {@link SecretBox.generateKey})
   * @throws Error when the key is not 32 bytes of base64
   */
  constructor(keyBase64: string) {
    this.key = decodeKey(keyBase64);
    this.macKey = Buffer.from(hkdfSync("sha256", this.key, Buffer.alloc(0), "hmac", KEY_BYTES));
  }

  /** A new random key, base64-encoded. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString("base64");
  }

  /**
   * Encrypts `plaintext` with a fresh random IV.
   *
   * @param context - optional associated data (e.g. the account's email) that must be given again to decrypt, so
   *   a sealed value copied onto another record does not open there
   */
  encrypt(plaintext: string, context = ""): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url"));
    return [VERSION, ...parts].join(".");
  }

  /**
   * Decrypts a value made by {@link SecretBox.encrypt} with the same key and context.
   *
   * @throws Error when the value is malformed, was altered, or was sealed with another key or context
   */
  decrypt(sealed: string, context = ""): string {
    const parts = sealed.split(".");
    const [version, iv, tag, ciphertext] = parts;
    if (parts.length !== 4 || version !== VERSION || ![iv, tag, ciphertext].every((part) => BASE64URL.test(part))) {
      throw new Error("The sealed secret is malformed.");
    }
    const ivBytes = Buffer.from(iv, "base64url");
    const tagBytes = Buffer.from(tag, "base64url");
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error("The sealed secret is malformed.");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    } catch (error) {
      throw new Error("The sealed secret cannot be opened: it was altered, or sealed with another key.", { cause: error });
    }
  }

  /** HMAC-SHA256 of `text` under the derived HMAC key, as 64 hex digits. */
  hmac(text: string): string {
    return createHmac("sha256", this.macKey).update(text, "utf8").digest("hex");
  }
}

/**
 * Reads the development secrets key from `file`, or creates it (32 random bytes, base64, mode 0600, folder
 * created) when missing. For development only, when no `SECRETS_KEY` is configured: anyone who can read the file
 * can open every sealed secret in the store.
 *
 * @returns the key, base64-encoded
 * @throws Error when the file exists but does not hold a valid key
 */
export function loadOrCreateDevKey(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx" fails if the file exists, so two processes starting together never overwrite each other's key.
    fs.writeFileSync(file, `${SecretBox.generateKey()}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = fs.readFileSync(file, "utf8").trim();
  try {
    decodeKey(key);
  } catch {
    throw new Error(`The secrets key file ${file} does not hold a 32-byte base64 key; delete it to make a new one.`);
  }
  return key;
}

/**
 * The secrets key to use: `SECRETS_KEY` when set (base64, 32 bytes), otherwise the development key file.
 *
 * @param env - where `SECRETS_KEY` is read from
 * @param devKeyFile - the development key file, e.g. `var/secrets.key`
 */
export function resolveSecretsKey(env: Record<string, string | undefined>, devKeyFile: string): string {
  const configured = env.SECRETS_KEY?.trim();
  if (configured) {
    decodeKey(configured);
    return configured;
  }
  return loadOrCreateDevKey(devKeyFile);
}
