import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { TeamsUser, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";
import { AgentsTeam } from "../handoff/support";
import { GraphStandIn } from "../support/graph-api";
import { NotifyApi } from "../support/notify-api";

/** A person in Entra ID, as the production tests put them there. */
export interface EntraPerson {
  email: string;
  firstName: string;
  lastName: string;
  /** Graph's form: "+44 7700 900461". */
  mobile?: string;
  createdDateTime?: string;
}

/**
 * The bot with `DIRECTORY=graph MESSAGING=notify`, pointed at the Entra ID and Graph stand-in (HTTPS) and the
 * GOV.UK Notify stand-in, with Teams-like people whose replies arrive at a fake connector.
 */
export class ProductionRig {
  bot!: NotifyBot;
  readonly graph = new GraphStandIn();
  readonly notify = new NotifyApi();
  readonly connector = new FakeConnector();
  serviceUrl = "";

  async start(env: Record<string, string> = {}): Promise<this> {
    await Promise.all([this.graph.start(), this.notify.start()]);
    this.serviceUrl = await this.connector.start();
    this.bot = await startNotifyBot({ ...this.settings(), ...env });
    return this;
  }

  /** The settings that point the bot at the stand-ins. */
  settings(): Record<string, string> {
    return {
      DIRECTORY: "graph",
      GRAPH_TENANT_ID: this.graph.tenantId,
      GRAPH_CLIENT_ID: this.graph.clientId,
      GRAPH_CLIENT_SECRET: this.graph.clientSecret,
      GRAPH_BASE_URL: this.graph.graphBaseUrl,
      AZURE_AUTHORITY_HOST: this.graph.authorityHost,
      GRAPH_TIMEOUT_MS: "1500",
      MESSAGING: "notify",
      NOTIFY_API_KEY: this.notify.apiKey,
      NOTIFY_BASE_URL: this.notify.url,
      NOTIFY_SMS_TEMPLATE_ID: this.notify.smsTemplateId,
      NOTIFY_EMAIL_TEMPLATE_ID: this.notify.emailTemplateId,
      NOTIFY_TIMEOUT_MS: "1500",
    };
  }

  /** Starts the bot again with a helpdesk agents' channel in a team on the same connector; returns the team. */
  async withAgentsChannel(): Promise<AgentsTeam> {
    const team = new AgentsTeam(this.serviceUrl, this.connector);
    await this.bot.service.close();
    this.bot = await startNotifyBot({ ...this.settings(), AGENTS_CHANNEL_ID: team.channelId });
    assert.equal(await this.bot.post(team.install()), 200);
    return team;
  }

  async stop(): Promise<void> {
    await this.bot?.service.close();
    await Promise.all([this.graph.stop(), this.notify.stop(), this.connector.stop()]);
  }

  /** A Teams user who is this person in Entra ID (Teams carries their object id). */
  person(person: EntraPerson): { user: TeamsUser; id: string } {
    const user = new TeamsUser(this.serviceUrl);
    const id = this.graph.addUser({
      id: user.aadObjectId,
      userPrincipalName: person.email,
      mail: person.email,
      displayName: `${person.firstName} ${person.lastName}`,
      givenName: person.firstName,
      surname: person.lastName,
      companyName: "Leeds Teaching Hospitals NHS Trust",
      jobTitle: "Staff Nurse",
      department: "Ward 12",
      createdDateTime: person.createdDateTime ?? "2024-03-01T09:30:00Z",
      phones: person.mobile ? [{ phoneType: "mobile", phoneNumber: person.mobile }] : [],
    });
    return { user, id };
  }

  /** Posts an activity and returns what the bot sent to that conversation because of it (messages drained). */
  async post(activity: Partial<Activity>): Promise<ReceivedActivity[]> {
    const before = this.connector.received.length;
    assert.equal(await this.bot.post(activity), 200);
    await this.bot.service.drainMessages();
    return this.connector.received.slice(before).filter((r) => r.conversationId === activity.conversation?.id);
  }

  /** The code in the latest text Notify was asked to send to `to` (E.164). */
  codeTextedTo(to: string): string {
    const text = this.notify.sent().filter((n) => n.type === "sms" && n.to === to).at(-1);
    const code = /\b(\d{6})\b/.exec(text?.body ?? "")?.[1];
    assert.ok(code, `a code was texted to ${to} through Notify`);
    return code;
  }
}

/** Every piece of text a person would read in what arrived (message text and card texts, titles, labels). */
export function readable(received: ReceivedActivity[]): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (typeof value === "string" && ["text", "title", "label"].includes(key)) parts.push(value);
      else walk(value);
    }
  };
  for (const r of received) {
    parts.push(r.activity.text ?? "");
    walk(r.activity.attachments?.map((a) => a.content as unknown));
  }
  return parts.filter(Boolean).join("\n");
}

/** The last card among what arrived (not an update). */
export function lastCard(received: ReceivedActivity[]): ReceivedActivity {
  const cards = received.filter((r) => !r.update && (r.activity.attachments ?? []).length > 0);
  assert.ok(cards.length > 0, `a card was sent; got: ${readable(received)}`);
  return cards[cards.length - 1];
}
