import assert from "node:assert/strict";
import { Verb } from "../../cards/verbs";
import { FakeConnector } from "../proactive/fake-connector";
import { KNOWN_EMAIL, KNOWN_TEMPORARY_PASSWORD, TeamsUser, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";
import { AgentsTeam } from "../handoff/support";
import { readOutbox } from "../support/outbox";
import { TempDir } from "../support/temp-dir";
import { parsePrometheusText } from "../support/prometheus-text";
import { otlpSpans, startOtlpCollector } from "../support/telemetry-collectors";
import type { CollectorStandIn } from "../support/telemetry-collectors";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
const NEW_PASSWORD = "Marigold-Tundra-Piano-63";
const FIRST_PASSWORD = "Kestrel-Harvest-Ridge-42";

/** A scrape's counter and gauge values by name and label set, read from the parsed exposition (not grepped). */
type Scrape = (name: string, labels?: Record<string, string>) => number;

/**
 * The metrics over the real server: after scripted journeys over HTTP (a reset by text, a lockout, a handoff taken by
 * an agent, a first-login task), `/metrics` on METRICS_PORT moves each counter by exactly what happened, and neither the
 * metrics nor the exported spans hold any address, number, code or password that was used.
 */
describe("metrics and traces over HTTP", function () {
  this.timeout(60_000);
  let dir: TempDir;
  let connector: FakeConnector;
  let team: AgentsTeam;
  let collector: CollectorStandIn;
  let bot: NotifyBot;
  let metricsText = "";

  before(async () => {
    dir = new TempDir();
    connector = new FakeConnector();
    team = new AgentsTeam(await connector.start(), connector);
    collector = await startOtlpCollector();
    bot = await startNotifyBot({ METRICS_PORT: "0", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, AGENTS_CHANNEL_ID: team.channelId, OUTBOX_FILE: dir.file("outbox.jsonl"), STATE_URL: `sqlite://${dir.file("state.sqlite")}` });
    assert.equal(await bot.post(team.install()), 200);
  });
  after(async () => {
    await bot.service.close();
    await Promise.all([connector.stop(), collector.close()]);
    dir.remove();
  });

  const scrape = async (): Promise<Scrape> => {
    const url = bot.service.metricsUrl;
    assert.ok(url, "the metrics server is on");
    metricsText = await (await fetch(url)).text();
    const samples = [...parsePrometheusText(metricsText).values()].flatMap((family) => family.samples);
    return (name, labels = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
  };
  const moved = async (action: () => Promise<void>): Promise<Scrape> => {
    const before = await scrape();
    await action();
    await bot.service.drainMessages();
    const after = await scrape();
    return (name, labels) => after(name, labels) - before(name, labels);
  };
  const post = async (activity: Parameters<NotifyBot["post"]>[0]): Promise<void> => assert.equal(await bot.post(activity), 200);
  const codeTo = (to: string): string => readOutbox(dir.file("outbox.jsonl")).filter((m) => m.to === to).at(-1)?.text.match(/\b\d{6}\b/)?.[0] ?? "";
  const used = new Set<string>([JANE, KNOWN_EMAIL, JANE_MOBILE, "7700900118", "07700 900118", NEW_PASSWORD, FIRST_PASSWORD, KNOWN_TEMPORARY_PASSWORD]);

  it("a reset by text: started, completed, the number and the code passed, a code and two notices sent", async () => {
    const user = new TeamsUser(team.serviceUrl);
    let turns = 0;
    const say = async (activity: Parameters<NotifyBot["post"]>[0]): Promise<void> => {
      turns++;
      await post(activity);
    };
    const delta = await moved(async () => {
      await say(user.message("reset my password"));
      await say(user.message(JANE));
      await say(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
      await say(user.message("07700 900118"));
      await bot.service.drainMessages();
      const code = codeTo(JANE_MOBILE);
      used.add(code);
      await say(user.message(code));
      await say(user.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }));
    });
    assert.equal(delta("helpdesk_turns_total", { activity_type: "message", channel: "msteams" }), turns);
    assert.equal(delta("helpdesk_turn_duration_count", { activity_type: "message" }), turns);
    assert.equal(delta("helpdesk_resets_started_total"), 1);
    assert.equal(delta("helpdesk_resets_completed_total"), 1);
    assert.equal(delta("helpdesk_resets_ended_total"), 0);
    assert.equal(delta("helpdesk_verifications_total", { method: "number", outcome: "passed" }), 1);
    assert.equal(delta("helpdesk_verifications_total", { method: "sms", outcome: "passed" }), 1);
    assert.equal(delta("helpdesk_verifications_total", { outcome: "failed" }), 0);
    assert.equal(delta("helpdesk_messages_sent_total", { channel: "sms", outcome: "sent" }), 2, "the code and the notice");
    assert.equal(delta("helpdesk_messages_sent_total", { channel: "email", outcome: "sent" }), 1);
    assert.ok(delta("helpdesk_store_operations_total", { op: "read" }) > 0);
  });

  it("a lockout: five wrong codes end the reset as blocked at the code step", async () => {
    const user = new TeamsUser(team.serviceUrl);
    const delta = await moved(async () => {
      await post(user.message("reset my password"));
      await post(user.message(JANE));
      await post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }));
      await post(user.message("07700 900118"));
      for (let i = 0; i < 5; i++) await post(user.message("000000"));
    });
    assert.equal(delta("helpdesk_resets_started_total"), 1);
    assert.equal(delta("helpdesk_resets_completed_total"), 0);
    assert.equal(delta("helpdesk_resets_ended_total", { reason: "blocked", step: "code" }), 1);
    assert.equal(delta("helpdesk_resets_ended_total"), 1);
    assert.equal(delta("helpdesk_verifications_total", { method: "sms", outcome: "failed" }), 5);
  });

  it("a handoff: requested, queued, taken, and its wait recorded", async () => {
    const alex = team.agent("Alex Jones");
    const user = new TeamsUser(team.serviceUrl);
    await post(user.install());
    const requested = await moved(() => post(user.message("talk to a person")));
    assert.equal(requested("helpdesk_handoffs_requested_total", { trigger: "asked" }), 1);
    assert.equal((await scrape())("helpdesk_handoff_queue_length"), 1);
    const request = team.requests().at(-1);
    assert.ok(request);
    const taken = await moved(() => post(alex.press(request, team.card(request).button(Verb.TakeHandoff))));
    assert.equal(taken("helpdesk_handoffs_taken_total"), 1);
    assert.equal(taken("helpdesk_handoff_wait_count"), 1);
    assert.equal((await scrape())("helpdesk_handoff_queue_length"), 0);
  });

  it("a first-login task: the checklist delivered proactively and the temporary password changed", async () => {
    const user = new TeamsUser(team.serviceUrl);
    await post(user.install());
    const delta = await moved(async () => {
      assert.equal((await bot.notify({ email: KNOWN_EMAIL, aadObjectId: user.aadObjectId })).body.status, "delivered");
      await post(user.submit({ verb: Verb.StartFirstLogin, task: "password" }));
      await post(user.submit({ verb: Verb.SubmitPasswordChange, oldPassword: KNOWN_TEMPORARY_PASSWORD, newPassword: FIRST_PASSWORD, confirmPassword: FIRST_PASSWORD }));
    });
    assert.equal(delta("helpdesk_proactive_deliveries_total", { outcome: "delivered" }), 1);
    assert.equal(delta("helpdesk_first_login_tasks_completed_total", { task: "password" }), 1);
    assert.equal(delta("helpdesk_first_login_tasks_completed_total"), 1);
  });

  it("holds no address, number, code or password in the metrics or the exported spans; every label is a fixed word", async () => {
    await scrape();
    for (const secret of used) assert.ok(secret && !metricsText.includes(secret), `"${secret.slice(0, 4)}…" is in /metrics`);
    // Closing flushes the spans still waiting to be exported (closing again in after() does nothing).
    await bot.service.close();
    const spans = otlpSpans(collector);
    assert.ok(spans.some((s) => s.name === "turn") && spans.some((s) => s.name === "store.read") && spans.some((s) => s.name === "policy.check"), "turns, store calls and the policy are traced");
    const exported = collector.received.map((r) => r.body).join("\n");
    for (const secret of used) assert.ok(!exported.includes(secret), `"${secret.slice(0, 4)}…" is in an exported span`);
    for (const family of parsePrometheusText(metricsText).values()) {
      for (const sample of family.samples) for (const value of Object.values(sample.labels)) assert.match(value, /^[A-Za-z0-9_.+:-]+$/, `${sample.name} label "${value}"`);
    }
  });
});
