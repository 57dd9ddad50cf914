/**
 * The Graph stand-in's test TLS, identity platform and token checks, driven by the real `@azure/identity` and
 * `@microsoft/microsoft-graph-client`: trusting the certificate, issuing and refusing tokens, refusing a missing,
 * foreign or expired token, and how the Graph client must be pointed at the stand-in.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import https from "node:https";
import { AuthenticationRequiredError } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import type { User } from "@microsoft/microsoft-graph-types";
import { GRAPH_SCOPE, GraphStandIn } from "../support/graph-api";
import { credentialFor, graphError } from "../support/graph/clients";
import { standInWithJane } from "../support/graph/sample-users";
import { testTls } from "../support/test-tls";

/** GETs `url` with node:https, resolving to the status (or the TLS error code). */
function httpsStatus(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    https
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe("Graph stand-in with the real identity and Graph clients", function () {
  const jane = standInWithJane();

  describe("test TLS", function () {
    it("is trusted by node:https and fetch in the test process, for localhost and 127.0.0.1", async function () {
      const port = new URL(jane.graph.authorityHost).port;
      for (const host of ["localhost", "127.0.0.1"]) {
        const url = `https://${host}:${port}/${jane.graph.tenantId}/v2.0/.well-known/openid-configuration`;
        assert.equal(await httpsStatus(url), 200, `node:https to ${host}`);
        assert.equal((await fetch(url)).status, 200, `fetch to ${host}`);
      }
    });

    it("is trusted by a child process given NODE_EXTRA_CA_CERTS, and only then", async function () {
      const url = `${jane.graph.authorityHost}/${jane.graph.tenantId}/v2.0/.well-known/openid-configuration`;
      const script = `fetch(${JSON.stringify(url)}).then((r) => console.log(r.status), (e) => console.log(e.cause?.code ?? e.message))`;
      const [trusted, untrusted] = await Promise.all([
        childFetch(script, { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: testTls().caFile }),
        childFetch(script, { PATH: process.env.PATH }),
      ]);
      assert.equal(trusted, "200");
      assert.equal(untrusted, "DEPTH_ZERO_SELF_SIGNED_CERT");
    });
  });

  describe("identity platform", function () {
    it("issues a Graph token to ClientSecretCredential, after the OpenID configuration request", async function () {
      const token = await credentialFor(jane.graph).getToken(GRAPH_SCOPE);
      assert.ok(token.token.split(".").length === 3);
      assert.ok(token.expiresOnTimestamp > Date.now() + 3500_000);
      assert.equal(jane.graph.tokensIssued, 1);
      assert.deepEqual(
        jane.graph.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
        [`GET /${jane.graph.tenantId}/v2.0/.well-known/openid-configuration 200`, `POST /${jane.graph.tenantId}/oauth2/v2.0/token 200`],
      );
      assert.match(jane.graph.requests[1]?.query ?? "", /^client-request-id=[0-9a-f-]{36}$/);
      assert.deepEqual(jane.graph.tokenRequests, [{ grantType: "client_credentials", clientId: jane.graph.clientId, scope: GRAPH_SCOPE }]);
      const claims = JSON.parse(Buffer.from(token.token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
      assert.equal(claims.aud, "https://graph.microsoft.com");
      assert.equal(claims.tid, jane.graph.tenantId);
      assert.equal(claims.appid, jane.graph.clientId);
      assert.deepEqual(claims.roles, ["User.Read.All", "UserAuthenticationMethod.Read.All", "User-PasswordProfile.ReadWrite.All", "User.RevokeSessions.All"]);
    });

    it("refuses a wrong secret, which the identity library reports as AuthenticationRequiredError (cause: invalid_client)", async function () {
      await assert.rejects(credentialFor(jane.graph, "not-the-secret").getToken(GRAPH_SCOPE), (err: unknown) => {
        assert.ok(err instanceof AuthenticationRequiredError, String(err));
        assert.match(err.message, /^invalid_client: .*AADSTS7000215: Invalid client secret provided/s);
        const cause = err.cause as { errorCode?: string; errorNo?: number; status?: number };
        assert.deepEqual([cause.errorCode, cause.errorNo, cause.status], ["invalid_client", 7000215, 401]);
        return true;
      });
      assert.equal(jane.graph.tokensIssued, 0);
      assert.equal(jane.graph.calls.token, 1, "one token request: no retry of a 401");
    });
  });

  describe("Microsoft Graph v1.0", function () {
    it("answers 401 InvalidAuthenticationToken to a missing, foreign or expired token", async function () {
      const url = `${jane.graph.graphBaseUrl}/users/${jane.userId}`;
      const statusOf = async (authorization?: string): Promise<[number, string]> => {
        const res = await fetch(url, { headers: authorization ? { authorization } : {} });
        const body = (await res.json()) as { error: { code: string } };
        return [res.status, body.error.code];
      };
      assert.deepEqual(await statusOf(), [401, "InvalidAuthenticationToken"]);
      assert.deepEqual(await statusOf("Bearer not.a.token"), [401, "InvalidAuthenticationToken"]);
      assert.deepEqual(await statusOf(`Bearer ${jane.graph.signAccessToken({ exp: Math.floor(Date.now() / 1000) - 60 })}`), [401, "InvalidAuthenticationToken"]);
      const other = new GraphStandIn();
      assert.deepEqual(await statusOf(`Bearer ${other.signAccessToken()}`), [401, "InvalidAuthenticationToken"], "another tenant's token");
      assert.equal((await fetch(url, { headers: { authorization: `Bearer ${jane.graph.signAccessToken()}` } })).status, 200);
      assert.ok(jane.graph.requests.every((r) => !JSON.stringify(r).includes("Bearer")));
    });

    it("needs the custom host without its port, and a baseUrl without the version (or defaultVersion \"\")", async function () {
      const clientWith = (options: { baseUrl: string; customHost: string; defaultVersion?: string }): Client =>
        Client.initWithMiddleware({
          authProvider: new TokenCredentialAuthenticationProvider(credentialFor(jane.graph), { scopes: [GRAPH_SCOPE] }),
          baseUrl: options.baseUrl,
          customHosts: new Set([options.customHost]),
          ...(options.defaultVersion === undefined ? {} : { defaultVersion: options.defaultVersion }),
        });
      const withPort = await graphError(clientWith({ baseUrl: jane.graph.origin, customHost: new URL(jane.graph.origin).host }).api(`/users/${jane.userId}`).get());
      assert.equal(withPort.statusCode, 401, "no Authorization header sent");
      assert.equal(withPort.code, "InvalidAuthenticationToken");
      assert.equal(jane.graph.calls.token, 0);
      const twice = await graphError(clientWith({ baseUrl: jane.graph.graphBaseUrl, customHost: jane.graph.graphHost }).api(`/users/${jane.userId}`).get());
      assert.equal(twice.statusCode, 400);
      assert.equal(jane.graph.requestsOf("getUser").length, 1, "the request went to /v1.0/v1.0/users/…");
      const user = (await clientWith({ baseUrl: jane.graph.graphBaseUrl, customHost: jane.graph.graphHost, defaultVersion: "" }).api(`/users/${jane.userId}`).get()) as User;
      assert.equal(user.id, jane.userId);
    });
  });
});

/** Runs `script` in a child node process with exactly `env`, resolving to what it printed. */
function childFetch(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ["-e", script], { env, encoding: "utf8", timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`the child failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}
