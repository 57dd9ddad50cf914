import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../src/config";
import { startService } from "../../src/index";
import { LogCapture, TEST_SECRETS_KEY } from "../support/bot-client";
import { GraphStandIn } from "../support/graph-api";

const BASE = { STATE_URL: "memory://", SECRETS_KEY: TEST_SECRETS_KEY, PORT: "0", HOST: "127.0.0.1", CAPTCHA: "off", SCRYPT_LOG2N: "10" };
const KEY = "live-0f5d4c3b-2a19-4e8f-9b7a-6c5d4e3f2a1b-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("settings for Entra ID and GOV.UK Notify", () => {
  it("DIRECTORY=graph without a tenant or client id stops start-up naming both", () => {
    assert.deepEqual(problems({ DIRECTORY: "graph" }), ["GRAPH_TENANT_ID is required when DIRECTORY is graph", "GRAPH_CLIENT_ID is required when DIRECTORY is graph"]);
  });

  it("MESSAGING=notify needs an API key and both templates; a mistyped key is named but never shown", () => {
    assert.deepEqual(problems({ MESSAGING: "notify" }), [
      "NOTIFY_API_KEY is required when MESSAGING is notify",
      "NOTIFY_SMS_TEMPLATE_ID is required when MESSAGING is notify",
      "NOTIFY_EMAIL_TEMPLATE_ID is required when MESSAGING is notify",
    ]);
    const mistyped = problems({ MESSAGING: "notify", NOTIFY_API_KEY: `${KEY.slice(0, -1)}`, NOTIFY_SMS_TEMPLATE_ID: "x", NOTIFY_EMAIL_TEMPLATE_ID: "8a4e1f2b-3c5d-4e6f-8a7b-9c0d1e2f3a4b" });
    assert.equal(mistyped.length, 2);
    assert.match(mistyped[0] ?? "", /^NOTIFY_API_KEY must be a GOV\.UK Notify API key/);
    assert.ok(!mistyped.join("\n").includes(KEY.slice(10, 40)), "the key is not echoed");
    assert.match(mistyped[1] ?? "", /^NOTIFY_SMS_TEMPLATE_ID must be a GUID/);
  });

  it("an authority or Graph address that is not https is refused (the identity library would refuse it later)", () => {
    const found = problems({ AZURE_AUTHORITY_HOST: "http://login.example", GRAPH_BASE_URL: "http://graph.example/v1.0" });
    assert.deepEqual(found.map((p) => p.split(" ")[0]), ["GRAPH_BASE_URL", "AZURE_AUTHORITY_HOST"]);
  });

  it("a client secret Entra refuses stops start-up with one message naming the settings, never the secret", async function () {
    this.timeout(30_000);
    const graph = await new GraphStandIn().start();
    try {
      const wrong = "not-the-secret-~Q8x";
      const config = parseConfig({
        ...BASE,
        DIRECTORY: "graph",
        GRAPH_TENANT_ID: graph.tenantId,
        GRAPH_CLIENT_ID: graph.clientId,
        GRAPH_CLIENT_SECRET: wrong,
        GRAPH_BASE_URL: graph.graphBaseUrl,
        AZURE_AUTHORITY_HOST: graph.authorityHost,
      });
      const log = new LogCapture();
      const error = await startService(config, { logDestination: log }).then(
        () => assert.fail("it started"),
        (err: unknown) => err,
      );
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /refused the bot's credential \(AADSTS7000215\): check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET/);
      assert.ok(!error.message.includes(wrong) && !log.text.includes(wrong));
    } finally {
      await graph.stop();
    }
  });
});
