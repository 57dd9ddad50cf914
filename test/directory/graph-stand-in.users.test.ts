/**
 * The Graph stand-in's user routes, driven by the real `@azure/identity` and `@microsoft/microsoft-graph-client`:
 * look-up by `$filter` (quoting and URL encoding), `$select`, phone methods, password changes under the policy,
 * session revocation, and the 404 and 403 answers.
 */
import assert from "node:assert/strict";
import type { PhoneAuthenticationMethod, User } from "@microsoft/microsoft-graph-types";
import { PHONE_METHOD_IDS } from "../support/graph-api";
import { clientFor, graphError } from "../support/graph/clients";
import type { Collection } from "../support/graph/clients";
import { standInWithJane } from "../support/graph/sample-users";

describe("Graph stand-in with the real identity and Graph clients", function () {
  const jane = standInWithJane();

  describe("Microsoft Graph v1.0", function () {
    it("finds a user by filter, honouring $select, and reads their phone methods", async function () {
      const client = clientFor(jane.graph);
      const found = (await client
        .api("/users")
        .filter("userPrincipalName eq 'JANE.SMITH@nhs.net' or mail eq 'nobody@nhs.net'")
        .select(["id", "displayName", "companyName", "lastPasswordChangeDateTime"])
        .get()) as Collection<User>;
      assert.deepEqual(found.value, [
        { id: jane.userId, displayName: "Jane Smith", companyName: "Leeds Teaching Hospitals NHS Trust", lastPasswordChangeDateTime: "2025-11-02T10:00:00Z" },
      ]);
      assert.deepEqual(jane.graph.filters, ["userPrincipalName eq 'JANE.SMITH@nhs.net' or mail eq 'nobody@nhs.net'"]);
      const phones = (await client.api(`/users/${jane.userId}/authentication/phoneMethods`).get()) as Collection<PhoneAuthenticationMethod>;
      assert.deepEqual(phones.value, [
        { id: PHONE_METHOD_IDS.mobile, phoneNumber: "+44 7700900018", phoneType: "mobile", smsSignInState: "notAllowedByPolicy" },
        { id: PHONE_METHOD_IDS.office, phoneNumber: "+44 1134960000", phoneType: "office", smsSignInState: "notSupported" },
      ]);
      const byUpn = (await client.api("/users/jane.smith@nhs.net").get()) as User;
      assert.equal(byUpn.id, jane.userId);
      assert.equal(byUpn.companyName, undefined, "not in Graph's default property set");
      assert.equal(jane.graph.tokensIssued, 1, "the credential reuses its token");
    });

    it("matches a doubled quote in a filter literal and answers 400 to an unescaped one", async function () {
      const id = jane.graph.addUser({
        userPrincipalName: "sean.obrien@nhs.net",
        mail: "sean.o'brien@nhs.net",
        displayName: "Seán O'Brien",
        givenName: "Seán",
        surname: "O'Brien",
        companyName: "NHS England",
        jobTitle: "Analyst",
        department: "Data",
        createdDateTime: "2022-01-10T09:00:00Z",
      });
      const client = clientFor(jane.graph);
      const escaped = (await client.api("/users").filter(encodeURIComponent("mail eq 'sean.o''brien@nhs.net'")).select("id,mail").get()) as Collection<User>;
      assert.deepEqual(escaped.value, [{ id, mail: "sean.o'brien@nhs.net" }]);
      const err = await graphError(client.api("/users").filter(encodeURIComponent("mail eq 'sean.o'brien@nhs.net'")).get());
      assert.equal(err.statusCode, 400);
      assert.equal(err.code, "BadRequest");
      assert.match(err.message, /^Invalid filter clause/);
      assert.deepEqual(jane.graph.filters, ["mail eq 'sean.o''brien@nhs.net'", "mail eq 'sean.o'brien@nhs.net'"]);
    });

    it("sends a filter unencoded unless the caller encodes it (an & splits the query, a + reads as a space)", async function () {
      const id = jane.graph.addUser({
        userPrincipalName: "a+b@nhs.net",
        mail: "a+b@nhs.net",
        displayName: "A B",
        givenName: "A",
        surname: "B",
        companyName: "NHS England",
        jobTitle: "Analyst",
        department: "Data",
        createdDateTime: "2022-01-10T09:00:00Z",
      });
      const client = clientFor(jane.graph);
      const err = await graphError(client.api("/users").filter("mail eq 'a&b@nhs.net'").get());
      assert.equal(err.statusCode, 400, "the literal was cut at the &");
      const plus = (await client.api("/users").filter("mail eq 'a+b@nhs.net'").select("id").get()) as Collection<User>;
      assert.deepEqual(plus.value, [], "no match, and no error");
      const encoded = (await client.api("/users").filter(encodeURIComponent("mail eq 'a+b@nhs.net'")).select("id").get()) as Collection<User>;
      assert.deepEqual(encoded.value, [{ id }]);
      assert.deepEqual(jane.graph.filters, ["mail eq 'a", "mail eq 'a b@nhs.net'", "mail eq 'a+b@nhs.net'"]);
    });

    it("changes a password (204), and refuses one that breaks the policy with Request_BadRequest", async function () {
      const client = clientFor(jane.graph);
      const before = Date.now();
      const ok: unknown = await client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Tulip-Meadow-47", forceChangePasswordNextSignIn: false } });
      assert.equal(ok, undefined);
      assert.equal(jane.graph.passwordOf(jane.userId), "Tulip-Meadow-47");
      assert.ok(Date.parse(jane.graph.user(jane.userId)?.lastPasswordChangeDateTime ?? "") >= before - 1000);
      for (const weak of ["short1A", "alllowercaseletters", "JaneSmith-2025!", "Smith#Garden42"]) {
        const err = await graphError(client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: weak, forceChangePasswordNextSignIn: false } }));
        assert.equal(err.statusCode, 400, weak);
        assert.equal(err.code, "Request_BadRequest");
        assert.match(err.message, /does not comply with password complexity requirements/);
      }
      jane.graph.setPasswordPolicy({ bannedWords: ["nhs"] });
      const banned = await graphError(client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Nhs-Tulip-47" } }));
      assert.equal(banned.code, "Request_BadRequest");
      const extra = await graphError(client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Tulip-Meadow-48" }, accountEnabled: true }));
      assert.equal(extra.statusCode, 400);
      assert.equal(jane.graph.passwordOf(jane.userId), "Tulip-Meadow-47");
    });

    it("revokes sign-in sessions and counts them", async function () {
      const answer = (await clientFor(jane.graph).api(`/users/${jane.userId}/revokeSignInSessions`).post({})) as { value: boolean };
      assert.equal(answer.value, true);
      assert.equal(jane.graph.revocationsOf(jane.userId), 1);
    });

    it("answers 404 Request_ResourceNotFound for an unknown user", async function () {
      const err = await graphError(clientFor(jane.graph).api("/users/nobody@nhs.net").get());
      assert.equal(err.statusCode, 404);
      assert.equal(err.code, "Request_ResourceNotFound");
    });

    it("answers 403 Authorization_RequestDenied without the app role or the directory role", async function () {
      const client = clientFor(jane.graph);
      jane.graph.revokeRole("UserAuthenticationMethod.Read.All");
      const err = await graphError(client.api(`/users/${jane.userId}/authentication/phoneMethods`).get());
      assert.equal(err.statusCode, 403);
      assert.equal(err.code, "Authorization_RequestDenied");
      assert.equal(err.message, "Insufficient privileges to complete the operation.");
      assert.ok(err.requestId);
      jane.graph.setDirectoryRole(false);
      const denied = await graphError(client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Tulip-Meadow-47" } }));
      assert.equal(denied.statusCode, 403);
      assert.equal(jane.graph.passwordOf(jane.userId), undefined);
    });
  });
});
