/**
 * The Graph stand-in's fault knobs, driven by the real `@azure/identity` and `@microsoft/microsoft-graph-client`:
 * injected errors with Retry-After (and the Graph client's retry handler), and hung requests.
 */
import assert from "node:assert/strict";
import type { User } from "@microsoft/microsoft-graph-types";
import { clientFor, graphError, noRetries } from "../support/graph/clients";
import { standInWithJane } from "../support/graph/sample-users";

describe("Graph stand-in with the real identity and Graph clients", function () {
  const jane = standInWithJane();

  describe("Microsoft Graph v1.0", function () {
    it("injects faults with Retry-After, which the Graph client's retry handler honours unless told not to", async function () {
      const client = clientFor(jane.graph);
      jane.graph.fail("getUser", { status: 429, code: "TooManyRequests", message: "Too many requests.", retryAfter: 0, times: 2 });
      const user = (await client.api(`/users/${jane.userId}`).get()) as User;
      assert.equal(user.id, jane.userId);
      assert.deepEqual(
        jane.graph.requestsOf("getUser").map((r) => r.status),
        [429, 429, 200],
        "retried twice by the default RetryHandler",
      );
      jane.graph.fail("setPassword", { status: 503, code: "serviceNotAvailable", message: "Service unavailable.", retryAfter: 0 });
      await client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Tulip-Meadow-47" } });
      assert.deepEqual(
        jane.graph.requestsOf("setPassword").map((r) => r.status),
        [503, 204],
        "a PATCH is retried too",
      );
      jane.graph.fail("revoke", { status: 503, code: "serviceNotAvailable", message: "Service unavailable.", retryAfter: 0 });
      const err = await graphError(client.api(`/users/${jane.userId}/revokeSignInSessions`).middlewareOptions(noRetries()).post({}));
      assert.equal(err.statusCode, 503);
      assert.equal(err.code, "serviceNotAvailable");
      assert.equal(err.headers?.get("retry-after"), "0");
      assert.equal(jane.graph.calls.revoke, 1, "not retried with RetryHandlerOptions(0, 0)");
      assert.equal(jane.graph.revocationsOf(jane.userId), 0);
    });

    it("hangs a PATCH after applying it, and stop() closes the hung connection", async function () {
      const client = clientFor(jane.graph);
      await client.api(`/users/${jane.userId}`).select("id").get();
      jane.graph.hang("setPassword", { afterApplying: true });
      const pending = client.api(`/users/${jane.userId}`).patch({ passwordProfile: { password: "Tulip-Meadow-47" } });
      const outcome = pending.then(
        () => "answered",
        () => "failed",
      );
      while (jane.graph.calls.setPassword === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(jane.graph.passwordOf(jane.userId), "Tulip-Meadow-47", "applied");
      assert.equal(jane.graph.requestsOf("setPassword")[0]?.status, 0, "never answered");
      await jane.graph.stop();
      assert.equal(await outcome, "failed");
    });
  });
});
