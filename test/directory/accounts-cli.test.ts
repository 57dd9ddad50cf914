import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { EmbeddedDirectory } from "../../src/directory/embedded-directory";
import { SecretBox } from "../../src/directory/secret-box";
import { PasswordHasher } from "../../src/policy/password-hasher";
import { openStateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tsx.cmd" : "tsx");

describe("accounts command line", function () {
  this.timeout(120_000);
  let dir: TempDir;
  let env: NodeJS.ProcessEnv;
  const key = SecretBox.generateKey();

  /** Runs `tsx scripts/accounts.ts …` (what `npm run accounts -- …` runs) on a temporary store. */
  function accounts(args: string[], input = ""): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(TSX, ["scripts/accounts.ts", ...args], { cwd: ROOT, env, input, encoding: "utf8", timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  async function withDirectory<T>(use: (directory: EmbeddedDirectory) => Promise<T>): Promise<T> {
    const store = await openStateStore(String(env.STATE_URL));
    try {
      return await use(new EmbeddedDirectory(store.storage, new SecretBox(key)));
    } finally {
      await store.close();
    }
  }

  before(() => {
    dir = new TempDir();
    env = { ...process.env, STATE_URL: `sqlite://${dir.file("state.sqlite")}`, SECRETS_KEY: key, SCRYPT_LOG2N: "10", ENV_NAME: "dev" };
  });
  after(() => dir.remove());

  it("adds an account with the password from standard input, never echoing it", async function () {
    const run = accounts(["add", "--email", "Ada.Lovelace@NHS.net", "--mobile", "07700 900321", "--name", "Ada Lovelace", "--organisation", "Test Trust"], "Cli-Dev-Password-1\n");
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "Added ada.lovelace@nhs.net (methods: sms, voice).\n");
    assert.ok(!(run.stdout + run.stderr).includes("Cli-Dev-Password-1"));
    await withDirectory(async (directory) => {
      const account = await directory.findByEmail("ada.lovelace@nhs.net");
      assert.ok(account);
      assert.equal(account.mobile, "+447700900321");
      assert.deepEqual([account.firstName, account.lastName, account.organisation], ["Ada", "Lovelace", "Test Trust"]);
      assert.ok(await new PasswordHasher().verify("Cli-Dev-Password-1", account.passwordHash));
    });
  });

  it("with --totp, prints the otpauth URI once and stores the secret sealed", async function () {
    const run = accounts(["add", "--email", "grace.hopper@nhs.net", "--totp", "--temporary"], "Cli-Dev-Password-2");
    assert.equal(run.status, 0, run.stderr);
    const secret = /otpauth:\/\/totp\/[^\s]*[?&]secret=([A-Z2-7]+)/.exec(run.stdout)?.[1];
    assert.ok(secret, run.stdout);
    await withDirectory(async (directory) => {
      const account = await directory.findByEmail("grace.hopper@nhs.net");
      assert.ok(account?.totpSecretEncrypted && !account.totpSecretEncrypted.includes(secret));
      assert.equal(directory.totpSecretOf(account), secret);
      assert.equal(account.temporaryPassword, true);
    });
  });

  it("refuses to add an account twice, and explains usage mistakes with exit 2", function () {
    assert.equal(accounts(["add", "--email", "ada.lovelace@nhs.net"], "x").status, 1);
    const notNhs = accounts(["add", "--email", "ada@gmail.com"], "x");
    assert.equal(notNhs.status, 2);
    assert.match(notNhs.stderr, /--email must be an @nhs\.net address/);
    assert.match(accounts(["add", "--email", "b@nhs.net", "--mobile", "020 7946 0000"], "x").stderr, /UK mobile/);
    assert.equal(accounts(["add", "--email", "b@nhs.net"], "").status, 2);
    assert.equal(accounts(["frobnicate"]).status, 2);
    assert.equal(accounts(["list", "--verbose"]).status, 2);
  });

  it("lists accounts as a table without secrets", function () {
    const run = accounts(["list"]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^EMAIL\s+NAME\s+METHODS\s+MOBILE\s+PASSWORD EXPIRES\s+TEMPORARY$/);
    assert.match(lines[1], /^ada\.lovelace@nhs\.net\s+Ada Lovelace\s+sms, voice\s+\*{5}21\s+\d{4}-\d{2}-\d{2}\s+no$/);
    assert.match(lines[2], /^grace\.hopper@nhs\.net\s+app\s+\d{4}-\d{2}-\d{2}\s+yes$/);
    assert.equal(lines.length, 3);
    assert.ok(!run.stdout.includes("900321") && !run.stdout.includes("$scrypt") && !run.stdout.includes("v1."));
  });

  it("removes an account, and says when there is none", function () {
    const run = accounts(["remove", "--email", "ada.lovelace@nhs.net"]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "Removed ada.lovelace@nhs.net.\n");
    const again = accounts(["remove", "--email", "ada.lovelace@nhs.net"]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /No account ada\.lovelace@nhs\.net/);
    assert.doesNotMatch(accounts(["list"]).stdout, /ada\.lovelace/);
  });

  it("prints the administrators' actions as audit JSON lines, newest first", function () {
    const run = accounts(["audit", "--email", "ada.lovelace@nhs.net", "--limit", "5"]);
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; email: string });
    assert.deepEqual(events.map((e) => e.type), ["admin.account-removed", "admin.account-added"]);
    assert.equal(accounts(["audit", "--limit", "1"]).stdout.trim().split("\n").length, 1);
    assert.equal(accounts(["audit", "--limit", "0"]).status, 2);
  });

  it("seeds the development fixture, keeping accounts already present", function () {
    const first = accounts(["seed"]);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, "Imported 8 account(s); 0 already present and kept.\n");
    assert.equal(accounts(["seed"]).stdout, "Imported 0 account(s); 8 already present and kept.\n");
    assert.match(accounts(["list"]).stdout, /jane\.smith@nhs\.net\s+Jane Smith\s+sms, voice, app\s+\*{5}18/);
  });
});
