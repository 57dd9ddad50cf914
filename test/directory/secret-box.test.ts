import assert from "node:assert/strict";
import fs from "node:fs";
import { SecretBox, loadOrCreateDevKey, resolveSecretsKey } from "../../src/directory/secret-box";
import { TempDir } from "../support/temp-dir";

const KEY = Buffer.alloc(32, 7).toString("base64");
const SEALED = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/;

/** Flips one character of one part of a sealed value, keeping it base64url. */
function tamper(sealed: string, part: number): string {
  const parts = sealed.split(".");
  const text = parts[part];
  parts[part] = (text[0] === "A" ? "B" : "A") + text.slice(1);
  return parts.join(".");
}

describe("SecretBox", function () {
  const box = new SecretBox(KEY);

  it("round-trips a secret in the v1.<iv>.<tag>.<ciphertext> form, with a fresh IV each time", function () {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const first = box.encrypt(secret);
    const second = box.encrypt(secret);
    assert.match(first, SEALED);
    assert.notEqual(first, second);
    assert.ok(!first.includes(secret));
    assert.equal(box.decrypt(first), secret);
    assert.equal(box.decrypt(second), secret);
    assert.equal(box.decrypt(box.encrypt("")), "");
    assert.equal(box.decrypt(box.encrypt("é ✓")), "é ✓");
  });

  it("refuses a value whose iv, tag or ciphertext was altered", function () {
    const sealed = box.encrypt("JBSWY3DPEHPK3PXP");
    for (const part of [1, 2, 3]) assert.throws(() => box.decrypt(tamper(sealed, part)), /altered|malformed/);
  });

  it("refuses malformed values, another key and another context", function () {
    const sealed = box.encrypt("JBSWY3DPEHPK3PXP", "jane.smith@nhs.net");
    assert.equal(box.decrypt(sealed, "jane.smith@nhs.net"), "JBSWY3DPEHPK3PXP");
    assert.throws(() => box.decrypt(sealed, "amir.patel@nhs.net"), /altered/);
    assert.throws(() => new SecretBox(SecretBox.generateKey()).decrypt(sealed, "jane.smith@nhs.net"), /another key/);
    for (const bad of ["", "v1.a.b", `v2${sealed.slice(2)}`, `${sealed}.x`, sealed.replace(/\.[^.]+$/, ".***")]) {
      assert.throws(() => box.decrypt(bad, "jane.smith@nhs.net"), /malformed/);
    }
  });

  it("makes keyed hashes: hex, stable for one key, different for another", function () {
    assert.match(box.hmac("123456"), /^[0-9a-f]{64}$/);
    assert.equal(box.hmac("123456"), new SecretBox(KEY).hmac("123456"));
    assert.notEqual(box.hmac("123456"), box.hmac("123457"));
    assert.notEqual(box.hmac("123456"), new SecretBox(SecretBox.generateKey()).hmac("123456"));
  });

  it("needs a 32-byte base64 key and never echoes it", function () {
    for (const bad of ["", "c2hvcnQ=", Buffer.alloc(31).toString("base64"), `${KEY}!`]) {
      assert.throws(
        () => new SecretBox(bad),
        (error: Error) => /32 bytes/.test(error.message) && (bad === "" || !error.message.includes(bad)),
      );
    }
  });
});

describe("development secrets key", function () {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it("creates a key file readable only by its owner, then reads the same key back", function () {
    const file = dir.file("var/secrets.key");
    const key = loadOrCreateDevKey(file);
    assert.equal(Buffer.from(key, "base64").length, 32);
    if (process.platform !== "win32") assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(loadOrCreateDevKey(file), key);
  });

  it("refuses a key file that does not hold a key", function () {
    fs.writeFileSync(dir.file("bad.key"), "not a key\n");
    assert.throws(() => loadOrCreateDevKey(dir.file("bad.key")), /does not hold a 32-byte base64 key/);
  });

  it("prefers SECRETS_KEY and only then falls back to the file", function () {
    assert.equal(resolveSecretsKey({ SECRETS_KEY: KEY }, dir.file("unused.key")), KEY);
    assert.equal(fs.existsSync(dir.file("unused.key")), false);
    assert.throws(() => resolveSecretsKey({ SECRETS_KEY: "c2hvcnQ=" }, dir.file("unused.key")), /32 bytes/);
    const fromFile = resolveSecretsKey({ SECRETS_KEY: " " }, dir.file("dev.key"));
    assert.equal(fromFile, fs.readFileSync(dir.file("dev.key"), "utf8").trim());
  });
});
