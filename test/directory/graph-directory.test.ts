import assert from "node:assert/strict";
import { DirectoryUnavailableError, PasswordRefusedError } from "../../src/directory/errors";
import type { Person } from "../support/directory-subjects";
import { graphSubject } from "../support/directory-subjects";
import type { GraphSubject } from "../support/directory-subjects";

const AMARA: Person = {
  email: "amara.okonkwo@nhs.net",
  firstName: "Amara",
  lastName: "Okonkwo",
  organisation: "Bradford Teaching Hospitals NHS Foundation Trust",
  jobTitle: "Physiotherapist",
  department: "Outpatients",
  createdAt: "2023-11-20T08:00:00.000Z",
  mobile: "+44 7700 900461",
};
const GOOD = "Heron-Copper-Violin-26";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return assert.fail("it succeeded");
}

const unavailable = (error: unknown): string => (error instanceof DirectoryUnavailableError ? error.failure : `not unavailable: ${String(error)}`);

describe("Entra ID through Microsoft Graph: what the directory does with each answer", function () {
  let s: GraphSubject;
  let id: string;
  const open = async (options: Parameters<typeof graphSubject>[0] = {}): Promise<void> => {
    s = await graphSubject(options);
    await s.add(AMARA);
    id = s.userIdOf(AMARA.email) ?? "";
  };
  afterEach(() => s.close());

  describe("setting a password", () => {
    beforeEach(() => open());

    it("sends the password to PATCH /users/{id}, not to be changed at next sign-in, then signs every session out", async () => {
      const change = await s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date());
      assert.equal(s.graph.passwordOf(id), GOOD);
      assert.equal(s.graph.forceChangeOf(id), false);
      assert.equal(s.graph.revocationsOf(id), 1);
      assert.equal(change.signedOutEverywhere, true);
      assert.equal(s.graph.calls.setPassword, 1);
    });

    it("a refusal by the tenant's password rules is PasswordRefusedError, and nothing is recorded", async () => {
      s.graph.setPasswordPolicy({ bannedWords: ["heron"] });
      assert.ok((await failure(s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date()))) instanceof PasswordRefusedError);
      assert.equal(s.graph.passwordOf(id), undefined);
      assert.equal(s.graph.revocationsOf(id), 0);
      assert.equal((await s.directory.findByEmail(AMARA.email))?.passwordHash, "", "no hash recorded for a password that was refused");
    });

    it("without the User Administrator role: 'permission', logged once with what to grant, nothing changed", async () => {
      s.graph.setDirectoryRole(false);
      for (let i = 0; i < 2; i++) assert.equal(unavailable(await failure(s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date()))), "permission");
      assert.equal(s.graph.passwordOf(id), undefined);
      assert.equal(s.graph.calls.setPassword, 2, "each attempt was sent once");
      assert.equal(s.log.lines.filter((line) => line.includes("set the password")).length, 1);
    });

    it("a 429 on the change is 'throttled' and the change is not sent again", async () => {
      s.graph.fail("setPassword", { status: 429, code: "TooManyRequests", message: "Too many requests", retryAfter: 1 });
      assert.equal(unavailable(await failure(s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date()))), "throttled");
      assert.equal(s.graph.calls.setPassword, 1);
    });

    it("a 500 that did not apply: read back, nothing changed, said so ('unreachable'); never sent twice", async () => {
      s.graph.fail("setPassword", { status: 500, code: "generalException", message: "An error occurred" });
      assert.equal(unavailable(await failure(s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date()))), "unreachable");
      assert.equal(s.graph.calls.setPassword, 1);
      assert.equal(s.graph.passwordOf(id), undefined);
      assert.ok(s.graph.calls.getUser >= 1, "the account was read back before answering");
    });

    it("no answer to a change Entra applied: read back, the change stands", async () => {
      await s.close();
      await open({ timeoutMs: 400 });
      s.graph.hang("setPassword", { afterApplying: true });
      const change = await s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date());
      assert.equal(s.graph.passwordOf(id), GOOD);
      assert.equal(s.graph.calls.setPassword, 1, "not sent again after the timeout");
      assert.equal(change.account.passwordHash, "h1");
    });

    it("no answer and no read-back either: 'uncertain' (the card says to try signing in with the new password)", async () => {
      await s.close();
      await open({ timeoutMs: 400 });
      s.graph.hang("setPassword");
      s.graph.fail("getUser", { status: 503, code: "serviceNotAvailable", message: "Service unavailable", times: Infinity });
      assert.equal(unavailable(await failure(s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date()))), "uncertain");
      assert.equal(s.graph.calls.setPassword, 1);
    });

    it("when the sessions cannot be signed out the password still changes, and the card does not promise it", async () => {
      s.graph.revokeRole("User.RevokeSessions.All");
      const change = await s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date());
      assert.equal(s.graph.passwordOf(id), GOOD);
      assert.equal(change.signedOutEverywhere, false);
    });
  });

  it("REVOKE_SESSIONS_AFTER_RESET=off: the password changes and no session is signed out", async () => {
    await open({ revokeSessions: false });
    const change = await s.directory.setPassword(AMARA.email, { password: GOOD, hash: "h1" }, new Date());
    assert.equal(s.graph.revocationsOf(id), 0);
    assert.equal(change.signedOutEverywhere, false);
  });

  describe("reading", () => {
    beforeEach(() => open());

    it("honours Retry-After on a 429, then reads", async () => {
      s.graph.fail("findUser", { status: 429, code: "TooManyRequests", message: "Too many requests", retryAfter: 2, times: 2 });
      assert.equal((await s.directory.findByEmail(AMARA.email))?.lastName, "Okonkwo");
      assert.deepEqual(s.waits, [2000, 2000]);
      assert.equal(s.graph.calls.findUser, 3);
    });

    it("a 429 storm: 3 tries, then 'throttled'", async () => {
      s.graph.fail("findUser", { status: 429, code: "TooManyRequests", message: "Too many requests", retryAfter: 1, times: Infinity });
      assert.equal(unavailable(await failure(s.directory.findByEmail(AMARA.email))), "throttled");
      assert.equal(s.graph.calls.findUser, 3);
    });

    it("a Retry-After longer than a person should wait: 'throttled' at once", async () => {
      s.graph.fail("findUser", { status: 503, code: "serviceNotAvailable", message: "Service unavailable", retryAfter: 120 });
      assert.equal(unavailable(await failure(s.directory.findByEmail(AMARA.email))), "throttled");
      assert.deepEqual(s.waits, []);
      assert.equal(s.graph.calls.findUser, 1);
    });

    it("no permission to read phone methods: 'permission', and the log says what to grant, once", async () => {
      s.graph.revokeRole("UserAuthenticationMethod.Read.All");
      for (let i = 0; i < 2; i++) assert.equal(unavailable(await failure(s.directory.findByEmail(AMARA.email))), "permission");
      assert.equal(s.log.lines.filter((line) => line.includes("read the registered phones")).length, 1);
    });

    it("an unknown address costs the same calls as a known one", async () => {
      await s.directory.findByEmail(AMARA.email);
      const known = { ...s.graph.calls };
      await s.directory.findByEmail("not.an.account@nhs.net");
      assert.equal(s.graph.calls.findUser - known.findUser, known.findUser);
      assert.equal(s.graph.calls.phoneMethods - known.phoneMethods, known.phoneMethods);
    });

    it("takes the mobile from the 'mobile' phone method only, in E.164", async () => {
      s.graph.addUser({
        userPrincipalName: "kofi.mensah@nhs.net",
        mail: "kofi.mensah@nhs.net",
        displayName: "Kofi Mensah",
        givenName: "Kofi",
        surname: "Mensah",
        companyName: "NHS England",
        jobTitle: "Analyst",
        department: "Data",
        createdDateTime: "2024-01-01T00:00:00Z",
        phones: [
          { phoneType: "office", phoneNumber: "+44 113 496 0000" },
          { phoneType: "alternateMobile", phoneNumber: "+44 7700 900999" },
        ],
      });
      assert.equal((await s.directory.findByEmail("kofi.mensah@nhs.net"))?.mobile, undefined);
      assert.equal((await s.directory.findByEmail(AMARA.email))?.mobile, "+447700900461");
    });
  });
});
