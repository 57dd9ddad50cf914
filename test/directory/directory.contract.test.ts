import assert from "node:assert/strict";
import { DirectoryUnavailableError } from "../../src/directory/errors";
import type { DirectorySubject, Person } from "../support/directory-subjects";
import { embeddedSubject, graphSubject } from "../support/directory-subjects";

const RUTH: Person = {
  email: "ruth.adeyemi@nhs.net",
  firstName: "Ruth",
  lastName: "Adeyemi",
  organisation: "Leeds Teaching Hospitals NHS Trust",
  jobTitle: "Staff Nurse",
  department: "Ward 12",
  createdAt: "2024-03-01T09:30:00.000Z",
  mobile: "+44 7700 900118",
};
const QUOTED: Person = { ...RUTH, email: "sean.o'neil@nhs.net", firstName: "Sean", lastName: "O'Neil", mobile: undefined };
/** Characters an address may hold that mean something in a URL. */
const SYMBOLS: Person = { ...RUTH, email: "a&b+c#d%25e=f?g/h@nhs.net", firstName: "Symbol", lastName: "Test", mobile: undefined };

const DAY_MS = 86_400_000;

/**
 * What every directory must do, run against the embedded directory and against Entra ID through Graph (the
 * stand-in over HTTPS, with the real identity and Graph clients): the rest of the bot relies on exactly this.
 */
function directoryContract(name: string, open: () => Promise<DirectorySubject>): void {
  describe(`Directory contract: ${name}`, function () {
    let subject: DirectorySubject;
    beforeEach(async () => {
      subject = await open();
      await subject.add(RUTH);
      await subject.add(QUOTED);
      await subject.add(SYMBOLS);
    });
    afterEach(() => subject.close());

    it("finds an account by its address in any case, with its name, organisation, job, department, creation date and mobile", async () => {
      const account = await subject.directory.findByEmail("Ruth.Adeyemi@NHS.net");
      assert.ok(account);
      assert.equal(account.email, RUTH.email);
      assert.deepEqual(
        [account.firstName, account.lastName, account.organisation, account.jobTitle, account.department, account.createdAt],
        [RUTH.firstName, RUTH.lastName, RUTH.organisation, RUTH.jobTitle, RUTH.department, RUTH.createdAt],
      );
      assert.equal(account.mobile, "+447700900118", "the mobile in E.164");
      assert.equal(account.temporaryPassword, false);
    });

    it("an unknown address is simply not there", async () => {
      assert.equal(await subject.directory.findByEmail("nobody.here@nhs.net"), undefined);
    });

    it("a quote in an address finds that account and cannot change the query", async () => {
      assert.equal((await subject.directory.findByEmail(QUOTED.email))?.lastName, "O'Neil");
      assert.equal((await subject.directory.findByEmail(SYMBOLS.email))?.lastName, "Test", "&, +, #, %, =, ? and / reach the service as they are");
      for (const crafted of ["x' or mail eq 'ruth.adeyemi@nhs.net", "ruth.adeyemi@nhs.net' or '1' eq '1", "'", "''"]) {
        const found = await subject.directory.findByEmail(crafted).catch((error: unknown) => error);
        assert.ok(!(found instanceof DirectoryUnavailableError), `"${crafted}" made a query the service refused`);
        assert.equal(found, undefined, `"${crafted}" found an account`);
      }
    });

    it("sets a password: changed now, lasts 365 days, not temporary, and the previous hash goes into the history", async () => {
      const now = new Date();
      const first = await subject.directory.setPassword(RUTH.email, { password: "Cobalt-Harbour-Lantern-41", hash: "hash-one" }, now);
      assert.equal(first.account.passwordChangedAt, now.toISOString());
      assert.equal(Date.parse(first.account.passwordExpiresAt) - now.getTime(), 365 * DAY_MS);
      assert.equal(first.account.temporaryPassword, false);
      assert.equal(first.account.passwordHash, "hash-one");
      await subject.directory.setPassword(RUTH.email, { password: "Saffron-Meadow-Quartz-77", hash: "hash-two" }, new Date());
      const read = await subject.directory.findByEmail(RUTH.email);
      assert.equal(read?.passwordHash, "hash-two");
      assert.equal(read?.previousPasswordHashes[0], "hash-one");
      assert.ok(Math.abs(Date.parse(read?.passwordChangedAt ?? "") - Date.now()) < 60_000, "read back as changed just now");
    });

    it("refuses to set a password for an address with no account", async () => {
      await assert.rejects(subject.directory.setPassword("nobody.here@nhs.net", { password: "Cobalt-Harbour-Lantern-41", hash: "h" }, new Date()));
    });

    it("keeps first-login progress: the policy, the profile and account secret, and an MFA enrolment", async () => {
      const at = new Date("2026-12-01T10:00:00Z");
      await subject.directory.acceptAup(RUTH.email, "v3.1", at);
      await subject.directory.updateProfile(RUTH.email, { displayName: "Ruth A", jobTitle: "Sister", department: "Ward 14", organisation: RUTH.organisation, workPhone: "0113 243 3144" }, "secret-hash", at);
      const sealed = subject.directory.sealTotpSecret(RUTH.email, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
      await subject.directory.enrolMfa(RUTH.email, { method: "app", totpSecretEncrypted: sealed }, at);
      const read = await subject.directory.findByEmail(RUTH.email);
      assert.ok(read);
      assert.deepEqual([read.aupAcceptedAt, read.aupVersion], [at.toISOString(), "v3.1"]);
      assert.deepEqual([read.displayName, read.jobTitle, read.department, read.workPhone, read.accountSecretHash], ["Ruth A", "Sister", "Ward 14", "0113 243 3144", "secret-hash"]);
      assert.deepEqual([read.mfaMethod, read.mfaEnrolledAt], ["app", at.toISOString()]);
      assert.equal(subject.directory.totpSecretOf(read), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
      assert.ok(!JSON.stringify(read).includes("JBSWY3DP"), "the secret is sealed");
    });

    it("finds a signed-in person by their Entra object id where the directory knows one", async () => {
      const id = subject.userIdOf(RUTH.email);
      const found = await subject.directory.findByUserId(id ?? "00000000-0000-0000-0000-000000000000");
      if (subject.directory.signInProof === "password") return assert.equal(found, undefined);
      assert.equal(found?.email, RUTH.email);
      assert.equal(await subject.directory.findByUserId("not-an-object-id"), undefined);
    });
  });
}

directoryContract("embedded", embeddedSubject);
directoryContract("Entra ID through Microsoft Graph", () => graphSubject());
