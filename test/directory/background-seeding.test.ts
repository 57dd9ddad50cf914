import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Storage, StoreItems } from "botbuilder";
import type { NewPassword } from "../../src/directory/directory";
import { EmbeddedDirectory } from "../../src/directory/embedded-directory";
import { SecretBox } from "../../src/directory/secret-box";
import { createLogger } from "../../src/logger";
import type { Logger } from "../../src/logger";
import { PasswordHasher } from "../../src/policy/password-hasher";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { LogCapture, TEST_SECRETS_KEY, startTestBot } from "../support/bot-client";
import { TempDir } from "../support/temp-dir";

const DEV_FIXTURE = path.resolve(__dirname, "..", "..", "env", "accounts.dev.json");
const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });
const box = new SecretBox(SecretBox.generateKey());
const NOW = new Date("2026-03-01T12:00:00Z");
const IMPORTED = "imported development accounts";
const FAILED = /^could not import the development accounts/;

/** A new password as the directory is given it (the embedded directory keeps only the hash). */
const pw = (hash: string): NewPassword => ({ password: "not kept", hash });

/** The JSON lines logged, parsed. */
const entries = (log: LogCapture): { level: number; msg: string; accounts?: number; err?: { name: string; message: string } }[] =>
  log.lines.map((line) => JSON.parse(line) as { level: number; msg: string });

/** Writes a fixture file and returns its path. */
function writeFixture(dir: TempDir, name: string, content: unknown): string {
  const file = dir.file(name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

/** A fixture of many accounts, each with a full password history: its import takes many hashes. */
function largeFixture(count: number): { email: string; password: string; previousPasswords: string[] }[] {
  return Array.from({ length: count }, (_, n) => ({
    email: `seeded.${String(n).padStart(3, "0")}@nhs.net`,
    password: `Dev-Only-${n}-now`,
    previousPasswords: Array.from({ length: 10 }, (__, k) => `Dev-Only-${n}-was-${k}`),
  }));
}

describe("EmbeddedDirectory: the development accounts imported in the background", function () {
  let dir: TempDir;
  let store: StateStore;
  let log: LogCapture;
  let logger: Logger;

  beforeEach(async function () {
    dir = new TempDir();
    store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    log = new LogCapture();
    logger = createLogger({ level: "info", destination: log });
  });
  afterEach(async function () {
    await store.close();
    dir.remove();
  });

  it("a lookup and a password change issued at once after startSeeding wait for the import and see the accounts", async function () {
    const directory = new EmbeddedDirectory(store.storage, box);
    directory.startSeeding(DEV_FIXTURE, { hasher, now: NOW, logger });
    const [jane, change, all] = await Promise.all([
      directory.findByEmail("jane.smith@nhs.net"),
      directory.setPassword("sam.okafor@nhs.net", pw("hash-after-reset"), NOW),
      directory.list(),
    ]);
    assert.ok(jane, "the lookup sees the imported account");
    assert.ok(await hasher.verify("Harbour-Lantern-58", jane.passwordHash));
    assert.equal(change.account.passwordHash, "hash-after-reset");
    assert.equal(all.length, 8);
    await directory.whenSeeded();
    assert.deepEqual(
      entries(log).map(({ msg, accounts }) => ({ msg, accounts })),
      [{ msg: IMPORTED, accounts: 8 }],
    );
  });

  it("leaves accounts already present untouched and counts only those it adds", async function () {
    const directory = new EmbeddedDirectory(store.storage, box);
    await directory.seedFromFile(DEV_FIXTURE, { hasher, now: NOW });
    await directory.setPassword("jane.smith@nhs.net", pw("hash-kept"), NOW);
    assert.equal(await directory.remove("tom.evans@nhs.net"), true);
    directory.startSeeding(DEV_FIXTURE, { hasher, now: NOW, logger });
    assert.equal((await directory.findByEmail("jane.smith@nhs.net"))?.passwordHash, "hash-kept");
    assert.ok(await directory.findByEmail("tom.evans@nhs.net"));
    assert.deepEqual(
      entries(log).map(({ msg, accounts }) => ({ msg, accounts })),
      [{ msg: IMPORTED, accounts: 1 }],
    );
  });

  it("refuses a bad fixture at once, before anything is written, and the service does not start", async function () {
    const bad = writeFixture(dir, "bad.json", [{ email: "w@nhs.net", password: "Dev-Only-4", mobile: "12" }]);
    const expected = `Invalid accounts fixture ${bad}:\n  - [0].mobile: must be a UK mobile number, e.g. 07700 900118`;
    const directory = new EmbeddedDirectory(store.storage, box);
    assert.throws(() => directory.startSeeding(bad, { hasher, logger }), (error: Error) => {
      assert.equal(error.name, "FixtureError");
      assert.equal(error.message, expected);
      return true;
    });
    assert.deepEqual(await directory.list(), []);
    assert.deepEqual(log.lines, []);
    await assert.rejects(startTestBot({ ACCOUNTS_FILE: bad }), (error: Error) => {
      assert.equal(error.message, expected);
      return true;
    });
  });

  it("logs a failed import once, naming no account, and the directory goes on answering", async function () {
    let failing = true;
    const flaky: Storage = {
      read: async (keys) => store.storage.read(keys),
      delete: async (keys) => store.storage.delete(keys),
      write: async (changes: StoreItems) => {
        if (failing) throw new Error("disk I/O error near directory/jane.smith@nhs.net");
        return store.storage.write(changes);
      },
    };
    const directory = new EmbeddedDirectory(flaky, box);
    directory.startSeeding(DEV_FIXTURE, { hasher, now: NOW, logger });
    assert.equal(await directory.findByEmail("jane.smith@nhs.net"), undefined);
    assert.deepEqual(await directory.list(), []);
    await directory.whenSeeded();
    const logged = entries(log);
    assert.equal(logged.length, 1, log.text);
    assert.match(logged[0].msg, FAILED);
    assert.equal(logged[0].level, 50, "an error line");
    assert.deepEqual([logged[0].err?.name, logged[0].err?.message], ["Error", "disk I/O error near directory/[address]"]);
    assert.ok(!log.text.includes("@"), "no address in the log");
    failing = false;
    await directory.importFixture([{ email: "x@nhs.net", password: "Dev-Only-1" }], { hasher, now: NOW });
    assert.equal((await directory.findByEmail("x@nhs.net"))?.email, "x@nhs.net");
    assert.equal(entries(log).length, 1, "the failure is logged once");
  });

  describe("in the running service", function () {
    this.timeout(60_000);
    const COUNT = 40;
    const lastEmail = `seeded.${String(COUNT - 1).padStart(3, "0")}@nhs.net`;

    /** Starts the service on this test's SQLite file with a fixture (the large one by default). */
    const start = async (fixture = writeFixture(dir, "accounts.json", largeFixture(COUNT))): Promise<Awaited<ReturnType<typeof startTestBot>>> => {
      await store.close();
      return startTestBot({ STATE_URL: `sqlite://${dir.file("state.sqlite")}`, ACCOUNTS_FILE: fixture, SECRETS_KEY: TEST_SECRETS_KEY });
    };
    /** Reopens the state file after the service closed it (afterEach closes it again). */
    const reopen = async (): Promise<EmbeddedDirectory> => {
      store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
      return new EmbeddedDirectory(store.storage, box);
    };

    it("a lookup right after start waits for the import and sees the last account", async function () {
      const bot = await start();
      try {
        const found = await bot.service.directory.findByEmail(lastEmail);
        assert.ok(found, "the last account is there");
        assert.equal(found.email, lastEmail);
        assert.ok(await hasher.verify(`Dev-Only-${COUNT - 1}-now`, found.passwordHash));
      } finally {
        await bot.service.close();
        await reopen();
      }
    });

    it("closing right after start waits for the import before the store closes", async function () {
      // A first start runs the reminder sweep that a fresh store has due at once (it lists the accounts, so it waits
      // for the import too); on the second start nothing but close itself waits for the import of the new accounts.
      await (await start(DEV_FIXTURE)).service.close();
      await reopen();
      const bot = await start();
      await bot.service.close();
      const messages = entries(bot.log).map(({ msg }) => msg);
      assert.ok(!messages.some((msg) => FAILED.test(msg)), bot.log.text);
      assert.ok(messages.indexOf(IMPORTED) >= 0 && messages.indexOf(IMPORTED) < messages.indexOf("bot stopped"), messages.join(" | "));
      assert.equal(entries(bot.log).find(({ msg }) => msg === IMPORTED)?.accounts, COUNT);
      const directory = await reopen();
      assert.equal((await directory.list()).length, 8 + COUNT);
    });
  });
});
