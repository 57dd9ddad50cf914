import assert from "node:assert/strict";
import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { Activity, TurnContext } from "botbuilder";
import { AuthenticationConstants, ClaimsIdentity, ConnectorFactory } from "botframework-connector";
import type { AuthenticateRequestResult, BotFrameworkAuthentication, ConnectorClient } from "botframework-connector";
import { BotAdapter } from "../src/bot-adapter";
import { ReusedConnectors } from "../src/reused-connectors";

const activity = (serviceUrl: string): Activity => ({ type: "message", channelId: "msteams", serviceUrl, conversation: { id: "c" }, from: { id: "u" }, recipient: { id: "b" } }) as Activity;

/** The SDK's own authentication, with authentication off (no app id), as in local development. */
const sdkAuthentication = (): BotFrameworkAuthentication => new ConfigurationBotFrameworkAuthentication({});

async function clientFor(auth: BotFrameworkAuthentication, serviceUrl: string): Promise<ConnectorClient> {
  const result = await auth.authenticateRequest(activity(serviceUrl), "");
  const client = await result.connectorFactory?.create(serviceUrl, result.audience);
  assert.ok(client, "a connector client");
  return client;
}

/** Where a client sends its requests (a field the SDK keeps protected). */
const addressOf = (client: ConnectorClient): unknown => (client as unknown as { baseUri: unknown }).baseUri;

describe("outbound clients reused across turns", () => {
  it("the SDK alone makes a new Bot Connector client every turn; reused, one per service address", async () => {
    const sdk = sdkAuthentication();
    assert.notEqual(await clientFor(sdk, "https://smba.example/uk/"), await clientFor(sdk, "https://smba.example/uk/"));
    const reused = new ReusedConnectors(sdkAuthentication());
    const first = await clientFor(reused, "https://smba.example/uk/");
    assert.equal(await clientFor(reused, "https://smba.example/uk/"), first, "the same address: the same client");
    const other = await clientFor(reused, "https://smba.example/emea/");
    assert.notEqual(other, first, "another address: its own client");
    assert.equal(addressOf(other), "https://smba.example/emea/");
    assert.equal(addressOf(first), "https://smba.example/uk/");
  });

  it("keeps one client per bot identity: another app id's claims never get this bot's client", async () => {
    const reused = new ReusedConnectors(sdkAuthentication());
    const claims = (appId: string): ClaimsIdentity => new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
    const mine = await reused.createConnectorFactory(claims("app-1")).create("https://smba.example/uk/");
    assert.equal(await reused.createConnectorFactory(claims("app-1")).create("https://smba.example/uk/"), mine);
    assert.notEqual(await reused.createConnectorFactory(claims("app-2")).create("https://smba.example/uk/"), mine);
    const tokens = await reused.createUserTokenClient(claims("app-1"));
    assert.equal(await reused.createUserTokenClient(claims("app-1")), tokens);
    assert.notEqual(await reused.createUserTokenClient(claims("app-2")), tokens);
  });

  it("a client that could not be made is not remembered: the next turn tries again", async () => {
    let calls = 0;
    class Flaky extends ConnectorFactory {
      create(serviceUrl: string): Promise<ConnectorClient> {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("no credentials yet")) : Promise.resolve({ baseUri: serviceUrl } as unknown as ConnectorClient);
      }
    }
    const sdk = sdkAuthentication();
    const flaky = Object.assign(Object.create(sdk) as BotFrameworkAuthentication, {
      authenticateRequest: async (a: Activity, h: string): Promise<AuthenticateRequestResult> => ({ ...(await sdk.authenticateRequest(a, h)), connectorFactory: new Flaky() }),
    });
    const reused = new ReusedConnectors(flaky);
    await assert.rejects(clientFor(reused, "https://smba.example/uk/"), /no credentials yet/);
    const client = await clientFor(reused, "https://smba.example/uk/");
    assert.equal(await clientFor(reused, "https://smba.example/uk/"), client);
    assert.equal(calls, 2);
  });

  it("holds at most 100 clients, so addresses in unauthenticated requests cannot grow it without bound", async () => {
    const reused = new ReusedConnectors(sdkAuthentication());
    const first = await clientFor(reused, "https://smba.example/0/");
    for (let i = 1; i <= 100; i++) await clientFor(reused, `https://smba.example/${i}/`);
    assert.notEqual(await clientFor(reused, "https://smba.example/0/"), first, "the oldest was forgotten");
  });

  it("the bot's adapter runs turns through it: two turns share one client", async () => {
    const adapter = new BotAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" });
    const seen: unknown[] = [];
    const turn = (id: string): Activity => ({ ...activity("https://smba.example/uk/"), id, deliveryMode: "expectReplies" });
    const keep = (context: TurnContext): Promise<void> => Promise.resolve(void seen.push(context.turnState.get(adapter.ConnectorClientKey)));
    for (const id of ["1", "2"]) await adapter.runActivity("", turn(id), keep);
    assert.equal(seen.length, 2);
    assert.ok(seen[0]);
    assert.equal(seen[0], seen[1]);
  });
});
