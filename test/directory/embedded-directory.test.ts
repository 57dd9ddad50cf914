import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Storage, StoreItems } from "botbuilder";
import { methodsOf } from "../../src/directory/account";
import type { NewPassword } from "../../src/directory/directory";
import { EmbeddedDirectory } from "../../src/directory/embedded-directory";
import { FixtureError } from "../../src/directory/fixture";
import { SecretBox } from "../../src/directory/secret-box";
import { PasswordHasher } from "../../src/policy/password-hasher";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";

const DEV_FIXTURE = path.resolve(__dirname, "..", "..", "env", "accounts.dev.json");
const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });
const box = new SecretBox(SecretBox.generateKey());
const NOW = new Date("2026-03-01T12:00:00Z");

interface RawEntry {
  password: string;
  previousPasswords?: string[];
  totpSecret?: string;
}
const rawFixture = JSON.parse(fs.readFileSync(DEV_FIXTURE, "utf8")) as RawEntry[];

/** A new password as the directory is given it (the embedded directory keeps only the hash). */
const pw = (hash: string): NewPassword => ({ password: "not kept", hash });

describe("EmbeddedDirectory on SQLite", function () {
  let dir: TempDir;
  let file: string;
  let store: StateStore;
  let directory: EmbeddedDirectory;

  beforeEach(async function () {
    dir = new TempDir();
    file = dir.file("state.sqlite");
    store = await openStateStore(`sqlite://${file}`);
    directory = new EmbeddedDirectory(store.storage, box);
    await directory.seedFromFile(DEV_FIXTURE, { hasher, now: NOW });
  });
  afterEach(async function () {
    await store.close();
    dir.remove();
  });

  it("imports the fixture with hashed passwords and sealed TOTP secrets: no secret in the SQLite files", async function () {
    await store.close();
    const bytes = fs
      .readdirSync(dir.path)
      .filter((name) => name.startsWith("state.sqlite"))
      .map((name) => fs.readFileSync(path.join(dir.path, name)).toString("latin1"))
      .join("\n");
    assert.ok(bytes.includes("jane.smith@nhs.net"), "the accounts are in the file");
    const secrets = rawFixture.flatMap((e) => [e.password, ...(e.previousPasswords ?? []), ...(e.totpSecret ? [e.totpSecret] : [])]);
    assert.ok(secrets.length >= 9);
    for (const secret of secrets) assert.ok(!bytes.includes(secret), `the stored bytes must not hold a fixture secret in clear`);
  });

  it("stores normalised accounts whose hashes verify", async function () {
    const jane = await directory.findByEmail("jane.smith@nhs.net");
    assert.ok(jane);
    assert.equal(jane.mobile, "+447700900118");
    assert.equal(jane.createdAt, "2019-04-01T09:00:00.000Z");
    assert.equal(jane.passwordChangedAt, NOW.toISOString());
    assert.equal(jane.passwordExpiresAt, "2027-03-01T12:00:00.000Z");
    assert.equal(jane.temporaryPassword, false);
    assert.ok(await hasher.verify("Harbour-Lantern-58", jane.passwordHash));
    assert.equal(jane.previousPasswordHashes.length, 2);
    assert.ok(await hasher.verify("Harbour-Lantern-57", jane.previousPasswordHashes[0]));
    assert.ok(await hasher.verify("Willow-Station-31", jane.previousPasswordHashes[1]));
    assert.equal(directory.totpSecretOf(jane), "6P44SLTPSGOAW3WEDQPAOXNB63OSPXLO");
    assert.deepEqual(await directory.findByEmail(" Jane.Smith@NHS.net "), jane);
    assert.equal(await directory.findByEmail("nobody@nhs.net"), undefined);
  });

  it("reports each account's methods", async function () {
    const methods = async (email: string): Promise<string> => {
      const m = methodsOf(await directory.findByEmail(email));
      return (["sms", "voice", "app"] as const).filter((k) => m[k]).join(",") || "none";
    };
    assert.equal(await methods("jane.smith@nhs.net"), "sms,voice,app");
    assert.equal(await methods("amir.patel@nhs.net"), "sms,voice");
    assert.equal(await methods("olivia.brown@nhs.net"), "app");
    assert.equal(await methods("tom.evans@nhs.net"), "none");
    const sam = await directory.findByEmail("sam.okafor@nhs.net");
    assert.equal(sam?.temporaryPassword, true);
    assert.equal(directory.totpSecretOf(sam), undefined);
    const priya = await directory.findByEmail("priya.shah@nhs.net");
    assert.deepEqual([priya?.nasManaged, priya?.organisationType], [true, "Pharmacy"]);
  });

  it("setPassword moves the old hash to the front of the history (10 kept), renews the expiry, clears the flag", async function () {
    const before = await directory.findByEmail("sam.okafor@nhs.net");
    assert.ok(before);
    const { account: changed, signedOutEverywhere } = await directory.setPassword("sam.okafor@nhs.net", pw("hash-1"), new Date("2026-06-01T08:00:00Z"));
    assert.equal(signedOutEverywhere, false, "the embedded directory has no sessions to sign out");
    assert.equal(changed.passwordHash, "hash-1");
    assert.deepEqual(changed.previousPasswordHashes, [before.passwordHash]);
    assert.equal(changed.passwordChangedAt, "2026-06-01T08:00:00.000Z");
    assert.equal(changed.passwordExpiresAt, "2027-06-01T08:00:00.000Z");
    assert.equal(changed.temporaryPassword, false);
    assert.deepEqual(await directory.findByEmail("sam.okafor@nhs.net"), changed);
    for (let n = 2; n <= 12; n++) await directory.setPassword("sam.okafor@nhs.net", pw(`hash-${n}`), NOW);
    const after = await directory.findByEmail("sam.okafor@nhs.net");
    assert.equal(after?.passwordHash, "hash-12");
    assert.deepEqual(after?.previousPasswordHashes, ["hash-11", "hash-10", "hash-9", "hash-8", "hash-7", "hash-6", "hash-5", "hash-4", "hash-3", "hash-2"]);
    await assert.rejects(directory.setPassword("nobody@nhs.net", pw("hash"), NOW), /No account nobody@nhs\.net/);
  });

  it("applies two concurrent password changes, from two connections, without losing either", async function () {
    const other = await openStateStore(`sqlite://${file}`);
    try {
      const second = new EmbeddedDirectory(other.storage, box);
      const original = (await directory.findByEmail("amir.patel@nhs.net"))?.passwordHash;
      await Promise.all([
        directory.setPassword("amir.patel@nhs.net", pw("hash-a"), NOW),
        second.setPassword("amir.patel@nhs.net", pw("hash-b"), NOW),
      ]);
      const after = await directory.findByEmail("amir.patel@nhs.net");
      assert.ok(after && original);
      const seen = [after.passwordHash, ...after.previousPasswordHashes.slice(0, 2)];
      assert.ok(
        (seen[0] === "hash-a" && seen[1] === "hash-b") || (seen[0] === "hash-b" && seen[1] === "hash-a"),
        `both changes applied, got ${seen.join(", ")}`,
      );
      assert.equal(seen[2], original);
    } finally {
      await other.close();
    }
  });

  it("retries a write that lost the race instead of overwriting", async function () {
    let conflicts = 0;
    const racing: Storage = {
      read: async (keys) => store.storage.read(keys),
      delete: async (keys) => store.storage.delete(keys),
      write: async (changes: StoreItems) => {
        if (conflicts === 0) {
          conflicts++;
          await directory.setPassword("tom.evans@nhs.net", pw("hash-sneaked-in"), NOW);
        }
        return store.storage.write(changes);
      },
    };
    const { account: changed } = await new EmbeddedDirectory(racing, box).setPassword("tom.evans@nhs.net", pw("hash-mine"), NOW);
    assert.equal(conflicts, 1);
    assert.equal(changed.passwordHash, "hash-mine");
    assert.equal(changed.previousPasswordHashes[0], "hash-sneaked-in");
    assert.deepEqual(await directory.findByEmail("tom.evans@nhs.net"), changed);
  });

  it("a second import keeps accounts already present, so a reset password survives a restart", async function () {
    await directory.setPassword("jane.smith@nhs.net", pw("hash-after-reset"), NOW);
    await store.close();
    store = await openStateStore(`sqlite://${file}`);
    directory = new EmbeddedDirectory(store.storage, box);
    const result = await directory.seedFromFile(DEV_FIXTURE, { hasher, now: NOW });
    assert.deepEqual(result.imported, []);
    assert.equal(result.skipped.length, 8);
    assert.equal((await directory.findByEmail("jane.smith@nhs.net"))?.passwordHash, "hash-after-reset");
  });

  it("lists, upserts and removes accounts", async function () {
    const emails = async (): Promise<string[]> => (await directory.list()).map((a) => a.email);
    const fixture = ["amir.patel", "jane.smith", "kofi.mensah", "lena.murphy", "olivia.brown", "priya.shah", "sam.okafor", "tom.evans"];
    assert.deepEqual(await emails(), fixture.map((name) => `${name}@nhs.net`));
    const tom = await directory.findByEmail("tom.evans@nhs.net");
    assert.ok(tom);
    await directory.upsert({ ...tom, email: "Ada.New@NHS.net", displayName: "Ada New" });
    assert.equal((await directory.findByEmail("ada.new@nhs.net"))?.displayName, "Ada New");
    assert.equal(await directory.remove("tom.evans@nhs.net"), true);
    assert.equal(await directory.remove("tom.evans@nhs.net"), false);
    assert.equal(await directory.findByEmail("tom.evans@nhs.net"), undefined);
    assert.deepEqual((await emails()).slice(0, 2), ["ada.new@nhs.net", "amir.patel@nhs.net"]);
    assert.equal((await emails()).length, 8);
  });

  it("imports concurrently without overwriting and refuses a bad fixture before writing anything", async function () {
    const fresh = await openStateStore("memory://");
    try {
      const a = new EmbeddedDirectory(fresh.storage, box);
      const b = new EmbeddedDirectory(fresh.storage, box);
      const entries = [{ email: "x@nhs.net", password: "Dev-Only-1" }, { email: "y@nhs.net", password: "Dev-Only-2" }];
      const [ra, rb] = await Promise.all([a.importFixture(entries, { hasher }), b.importFixture(entries, { hasher })]);
      assert.equal(ra.imported.length + rb.imported.length, 2);
      assert.equal((await a.list()).length, 2);
      const bad = [{ email: "z@nhs.net", password: "Dev-Only-3" }, { email: "w@nhs.net", password: "Dev-Only-4", mobile: "12" }];
      await assert.rejects(a.importFixture(bad, { hasher }, "bad.json"), (error: Error) => {
        assert.ok(error instanceof FixtureError);
        assert.equal(error.message, "Invalid accounts fixture bad.json:\n  - [1].mobile: must be a UK mobile number, e.g. 07700 900118");
        return true;
      });
      assert.equal(await a.findByEmail("z@nhs.net"), undefined);
    } finally {
      await fresh.close();
    }
  });
});
