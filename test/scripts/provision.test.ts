import assert from "node:assert/strict";
import path from "node:path";
import { parseConfig } from "../../src/config";
import { StoreAuditLog } from "../../src/audit";
import { startService } from "../../src/index";
import type { RunningService } from "../../src/index";
import { createPasswordPolicy } from "../../src/policy";
import { PasswordHasher } from "../../src/policy/password-hasher";
import { FakeConnector } from "../proactive/fake-connector";
import { TeamsUser, isFirstLoginCard } from "../proactive/support";
import { LogCapture, TEST_SECRETS_KEY } from "../support/bot-client";
import { TempDir } from "../support/temp-dir";
import { closedPort, filesContaining, runAccounts } from "./accounts-process";
import type { AccountsRun } from "./accounts-process";

const ROOT = path.resolve(__dirname, "..", "..");
const NOTIFY_SECRET = "provision-test-notify-secret-0123456789";
const TEMPORARY_PASSWORD = /^Temporary password: (\S+)$/m;

describe("accounts provision and notify, against the running bot", function () {
  this.timeout(120_000);
  let dir: TempDir;
  let connector: FakeConnector;
  let serviceUrl: string;
  let bot: RunningService;
  let log: LogCapture;
  let stateUrl: string;

  before(async () => {
    dir = new TempDir();
    connector = new FakeConnector();
    serviceUrl = await connector.start();
    log = new LogCapture();
    stateUrl = `sqlite://${dir.file("state.sqlite")}`;
    const config = parseConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      STATE_URL: stateUrl,
      LOG_LEVEL: "info",
      NOTIFY_SECRET,
      CAPTCHA: "off",
      SCRYPT_LOG2N: "10",
      SECRETS_KEY: TEST_SECRETS_KEY,
      ACCOUNTS_FILE: path.join(ROOT, "env", "accounts.dev.json"),
      OUTBOX_FILE: dir.file("outbox.jsonl"),
    });
    bot = await startService(config, { root: ROOT, logDestination: log, outboxEcho: () => undefined, retryDelay: () => Promise.resolve() });
  });
  after(async () => {
    await bot.close();
    await connector.stop();
    dir.remove();
  });

  /** The command line's environment: the bot's store and secrets; no env/ file is read (ENV_NAME names none). */
  const cliEnv = (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENV_NAME: "provision-test-no-such-env",
      STATE_URL: stateUrl,
      SECRETS_KEY: TEST_SECRETS_KEY,
      SCRYPT_LOG2N: "10",
      NOTIFY_SECRET,
      PORT: new URL(bot.url).port,
      ...overrides,
    };
    for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete env[name];
    return env;
  };
  const provisionArgs = (email: string, ...extra: string[]): string[] => [
    "provision",
    "--email",
    email,
    "--name",
    "Rosa Delgado",
    "--organisation",
    "Harrogate District NHS Foundation Trust",
    "--organisation-type",
    "NHS Trust",
    ...extra,
  ];
  const passwordOf = (run: AccountsRun): string => {
    const password = TEMPORARY_PASSWORD.exec(run.stdout)?.[1];
    assert.ok(password, `no temporary password in: ${run.stdout}${run.stderr}`);
    return password;
  };
  const occurrences = (text: string, part: string): number => text.split(part).length - 1;
  const auditOf = (email: string) => new StoreAuditLog(bot.store.storage, { logger: { info: () => undefined } }).list({ email });
  const firstLoginCards = (user: TeamsUser) => connector.received.filter((r) => r.conversationId === user.conversationId && isFirstLoginCard(r.activity));
  const post = async (activity: object): Promise<number> => {
    const response = await fetch(`${bot.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    await response.arrayBuffer();
    return response.status;
  };

  it("creates the account with a policy-passing temporary password shown once, and queues the guidance until the person opens the bot", async () => {
    const user = new TeamsUser(serviceUrl);
    const started = Date.now();
    const run = await runAccounts(provisionArgs("Rosa.Delgado@NHS.net", "--mobile", "07700 900461", "--aad-object-id", user.aadObjectId), cliEnv());
    assert.equal(run.status, 0, run.stderr);
    const password = passwordOf(run);

    assert.match(password, /^[A-HJ-NP-Za-km-np-z2-9]{4}(-[A-HJ-NP-Za-km-np-z2-9]{4}){3}$/);
    assert.equal(occurrences(run.stdout, password), 1, "printed exactly once");
    assert.ok(!run.stderr.includes(password), "not on standard error");
    assert.ok(!log.text.includes(password), "not in the bot's log");
    assert.notDeepEqual(await filesContaining(dir.path, "state.sqlite", "rosa.delgado@nhs.net"), [], "the store file is read");
    assert.deepEqual(await filesContaining(dir.path, "state.sqlite", password), [], "not in the store file");
    assert.match(run.stdout, /^Created rosa\.delgado@nhs\.net for Rosa Delgado \(Harrogate District NHS Foundation Trust, NHS Trust\)\.$/m);
    assert.match(run.stdout, /Give it to Rosa Delgado by a method your local policy approves\. It will not be shown again/);
    assert.match(run.stdout, /^First-login guidance: queued until they open the bot\.$/m);

    const account = await bot.directory.findByEmail("rosa.delgado@nhs.net");
    assert.ok(account);
    assert.equal(account.temporaryPassword, true);
    assert.ok(await new PasswordHasher().verify(password, account.passwordHash), "the printed password is the stored one");
    assert.deepEqual(
      [account.displayName, account.firstName, account.lastName, account.organisationType, account.nasManaged, account.mobile],
      ["Rosa Delgado", "Rosa", "Delgado", "NHS Trust", false, "+447700900461"],
    );
    const created = Date.parse(account.createdAt);
    assert.ok(created >= started - 1000 && created <= Date.now(), "created now");

    const policy = await createPasswordPolicy({ root: ROOT, breachSource: "offline" });
    try {
      const verdict = await policy.policy.check({
        password,
        context: { email: account.email, firstName: "Rosa", lastName: "Delgado", organisation: account.organisation },
      });
      assert.deepEqual(verdict.failures, []);
    } finally {
      await policy.close();
    }

    const events = await auditOf("rosa.delgado@nhs.net");
    assert.deepEqual(events.map((e) => [e.type, e.actor]), [["account.provisioned", "accounts-cli"]]);
    assert.ok(!JSON.stringify(events).includes(password));

    assert.equal(firstLoginCards(user).length, 0);
    assert.equal(await post(user.message("hello")), 200);
    assert.equal(firstLoginCards(user).length, 1, "the first-login card reaches the person on their first message");
    assert.equal(await post(user.message("hello again")), 200);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("refuses an address that already exists and changes nothing", async () => {
    const before = await bot.directory.findByEmail("rosa.delgado@nhs.net");
    const run = await runAccounts(provisionArgs("rosa.delgado@nhs.net", "--nas"), cliEnv());
    assert.equal(run.status, 1);
    assert.match(run.stderr, /rosa\.delgado@nhs\.net already exists; nothing was changed\./);
    assert.doesNotMatch(run.stdout + run.stderr, /Temporary password/);
    assert.deepEqual(await bot.directory.findByEmail("rosa.delgado@nhs.net"), before);
    assert.equal((await auditOf("rosa.delgado@nhs.net")).length, 1);
    assert.equal((await runAccounts(provisionArgs("jane.smith@nhs.net"), cliEnv())).status, 1, "a seeded account too");
  });

  it("delivers the guidance at once to a person who already has the bot", async () => {
    const user = new TeamsUser(serviceUrl);
    assert.equal(await post(user.install()), 200);
    const run = await runAccounts(provisionArgs("kim.lee@nhs.net", "--aad-object-id", user.aadObjectId, "--bot-url", `${bot.url}/`), cliEnv());
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^First-login guidance: delivered to them in Teams\.$/m);
    assert.equal(firstLoginCards(user).length, 1);
  });

  it("with a wrong NOTIFY_SECRET, still creates the account, says the guidance was not sent and how to send it later", async () => {
    const wrong = "not-the-bots-secret-0123456789abcdef";
    const run = await runAccounts(provisionArgs("ola.nowak@nhs.net", "--nas", "--created-at", "2024-02-01T09:00:00Z"), cliEnv({ NOTIFY_SECRET: wrong }));
    assert.equal(run.status, 0, run.stderr);
    const password = passwordOf(run);
    assert.equal(occurrences(run.stdout + run.stderr, password), 1);
    assert.match(run.stdout, /^First-login guidance: not sent: the bot refused NOTIFY_SECRET/m);
    assert.match(run.stdout, /To send the guidance later, run: npm run accounts -- notify --email ola\.nowak@nhs\.net$/m);
    assert.ok(!(run.stdout + run.stderr + log.text).includes(wrong), "the secret is never echoed");
    const account = await bot.directory.findByEmail("ola.nowak@nhs.net");
    assert.ok(account?.temporaryPassword);
    assert.deepEqual([account.createdAt, account.nasManaged], ["2024-02-01T09:00:00.000Z", true]);

    const later = await runAccounts(["notify", "--email", "ola.nowak@nhs.net"], cliEnv());
    assert.equal(later.status, 0, later.stderr);
    assert.equal(later.stdout, "First-login guidance: queued until they open the bot.\n");
    assert.ok(!later.stdout.includes(password));
  });

  it("with the bot down, still creates the account and prints the command to send the guidance later", async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const run = await runAccounts(provisionArgs("eve.adams@nhs.net", "--bot-url", down), cliEnv());
    assert.equal(run.status, 0, run.stderr);
    passwordOf(run);
    assert.match(run.stdout, new RegExp(`^First-login guidance: not sent: could not reach the bot at ${down}/api/notify/first-login \\(ECONNREFUSED\\)\\.$`, "m"));
    assert.match(run.stdout, new RegExp(`run: npm run accounts -- notify --email eve\\.adams@nhs\\.net --bot-url ${down}$`, "m"));
    assert.ok(await bot.directory.findByEmail("eve.adams@nhs.net"));
  });

  it("without NOTIFY_SECRET, still creates the account and says the secret is missing", async () => {
    const run = await runAccounts(provisionArgs("max.ortiz@nhs.net"), cliEnv({ NOTIFY_SECRET: undefined }));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^First-login guidance: not sent: NOTIFY_SECRET is not set here\./m);
    assert.ok(await bot.directory.findByEmail("max.ortiz@nhs.net"));
  });

  it("names every bad option (exit 2) and creates nothing", async () => {
    const run = await runAccounts(
      ["provision", "--email", "new.person@nhs.net", "--organisation", " ", "--mobile", "020 7946 0000", "--aad-object-id", "me", "--created-at", "last week", "--bot-url", "ftp://bot"],
      cliEnv(),
    );
    assert.equal(run.status, 2);
    for (const option of ["--name is required", "--organisation is required", "--organisation-type is required", "--mobile must be a UK mobile", "--aad-object-id must be a GUID", "--created-at must be an ISO 8601", "--bot-url must start with http"]) {
      assert.ok(run.stderr.includes(option), `names ${option}: ${run.stderr}`);
    }
    assert.equal(run.stdout, "");
    assert.equal(await bot.directory.findByEmail("new.person@nhs.net"), undefined);
    assert.match((await runAccounts(provisionArgs("someone@example.com"), cliEnv())).stderr, /--email must be an @nhs\.net address/);
    assert.equal((await runAccounts(provisionArgs("new.person@nhs.net", "--colour", "blue"), cliEnv())).status, 2);
  });

  it("notify: an unknown address gets unknown-user and exit 1; a wrong secret exit 1", async () => {
    const unknown = await runAccounts(["notify", "--email", "nobody.here@nhs.net"], cliEnv());
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /First-login guidance: not sent \(unknown-user\): the bot holds no account nobody\.here@nhs\.net/);
    const refused = await runAccounts(["notify", "--email", "max.ortiz@nhs.net"], cliEnv({ NOTIFY_SECRET: "another-wrong-secret-0123456789abcdef" }));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the bot refused NOTIFY_SECRET/);
    assert.equal((await runAccounts(["notify", "--email", "max.ortiz@nhs.net", "--aad-object-id", "nope"], cliEnv())).status, 2);
  });
});
