import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { TurnContext } from "botbuilder";
import type { Activity, Entity } from "botbuilder";
import { parseConfig } from "../../src/config";
import { AgentsChannel } from "../../src/handoff/agents-channel";
import { createHandoffDesk } from "../../src/handoff/desk";
import type { HandoffWiring } from "../../src/handoff/desk";
import { StoreHandoffs } from "../../src/handoff/store";
import { createLogger } from "../../src/logger";
import { ConversationReferenceStore, UserMessenger } from "../../src/proactive";
import { createServices } from "../../src/services";
import type { Services } from "../../src/services";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { TeamsUser } from "../proactive/support";
import { LogCapture, TEST_SECRETS_KEY } from "../support/bot-client";
import { TempDir } from "../support/temp-dir";

/** The helpdesk agents' Teams channel in a team, whose conversations' service URL is a fake connector. */
export class AgentsTeam {
  readonly channelId = `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
  readonly teamId = `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
  readonly tenantId = randomUUID();

  constructor(
    readonly serviceUrl: string,
    private readonly connector: FakeConnector,
  ) {}

  /** A member of the channel (Teams' roster lists them). */
  agent(name: string): Agent {
    const agent = new Agent(this, name);
    this.connector.addMember({ id: agent.id, name, aadObjectId: agent.aadObjectId });
    return agent;
  }

  /** Someone Teams does not list as a member (a guest, or a forged activity's sender). */
  outsider(name: string): Agent {
    return new Agent(this, name);
  }

  /** The bot being added to the team (Teams sends it in the team's channel). */
  install(): Partial<Activity> {
    return this.outsider("Team owner").activity(this.channelId, { type: "conversationUpdate", membersAdded: [{ id: "28:bot", name: "NHSmail helpdesk" }] });
  }

  /** The request cards the bot posted as new threads of the channel, oldest first. */
  requests(): ReceivedActivity[] {
    return this.connector.received.filter((r) => r.conversationId === this.channelId && !r.update && titleOf(r.activity).startsWith("Help request"));
  }

  /** The card of a request as it stands now (its latest update, or as posted). */
  card(request: ReceivedActivity): CardView {
    const latest = this.connector.received.filter((r) => r.id === request.id && r.conversationId.startsWith(this.channelId)).at(-1) ?? request;
    return new CardView(latest.activity);
  }

  /** The conversation id of a request's thread. */
  threadOf(request: ReceivedActivity): string {
    return `${this.channelId};messageid=${request.id}`;
  }

  /** What the bot posted in a request's thread, oldest first. */
  thread(request: ReceivedActivity): ReceivedActivity[] {
    const thread = this.threadOf(request);
    return this.connector.received.filter((r) => r.conversationId === thread && !r.update);
  }

  /** The texts the bot posted in a request's thread. */
  threadTexts(request: ReceivedActivity): string[] {
    return this.thread(request).map((r) => r.activity.text ?? "").filter(Boolean);
  }

  /** Everything the bot sent anywhere in the channel (cards, updates, notes), as one text, for leak checks. */
  everything(): string {
    return JSON.stringify(this.connector.received.filter((r) => r.conversationId.startsWith(this.channelId)));
  }
}

/** Someone in the agents' channel. */
export class Agent {
  readonly id = `29:${randomUUID()}`;
  readonly aadObjectId = randomUUID();

  constructor(
    private readonly team: AgentsTeam,
    readonly name: string,
  ) {}

  /** An activity from this person in a conversation of the channel (the channel itself, or a thread). */
  activity(conversationId: string, partial: Partial<Activity>): Partial<Activity> {
    return {
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: this.team.serviceUrl,
      from: { id: this.id, name: this.name, aadObjectId: this.aadObjectId },
      recipient: { id: "28:bot", name: "NHSmail helpdesk" },
      conversation: { id: conversationId, conversationType: "channel", isGroup: true, name: "", tenantId: this.team.tenantId },
      channelData: { tenant: { id: this.team.tenantId }, team: { id: this.team.teamId }, channel: { id: this.team.channelId } },
      locale: "en-GB",
      timestamp: new Date(),
      ...partial,
    };
  }

  /**
   * A reply in a request's thread, @mentioning the bot (as Teams requires for the bot to see it, unless the app has
   * resource-specific consent to read every message; `mention: false` is such a message).
   */
  reply(request: ReceivedActivity, text: string, options: { mention?: boolean } = {}): Partial<Activity> {
    return this.say(this.team.threadOf(request), text, options);
  }

  /** A message at the top of the channel, @mentioning the bot. */
  post(text: string): Partial<Activity> {
    return this.say(this.team.channelId, text);
  }

  /** Teams' notice that this person edited (or deleted) one of their messages in a request's thread. */
  edits(request: ReceivedActivity, how: "edit" | "delete"): Partial<Activity> {
    const activity = this.activity(this.team.threadOf(request), how === "edit" ? { type: "messageUpdate", text: "Corrected text" } : { type: "messageDelete" });
    activity.channelData = { ...(activity.channelData as object), eventType: how === "edit" ? "editMessage" : "softDeleteMessage" };
    return activity;
  }

  /** A message in a conversation of the channel (the channel or any thread). */
  say(conversationId: string, text: string, { mention = true }: { mention?: boolean } = {}): Partial<Activity> {
    return mention
      ? this.activity(conversationId, { type: "message", text: `<at>NHSmail helpdesk</at> ${text}`, entities: [botMention()] })
      : this.activity(conversationId, { type: "message", text });
  }

  /** A press of a button on a card the bot posted in a request's thread (or on the request card itself). */
  press(request: ReceivedActivity, data: Record<string, unknown>, card: ReceivedActivity = request): Partial<Activity> {
    return this.activity(this.team.threadOf(request), { type: "message", value: data, replyToId: card.id });
  }
}

/** The bot's @mention entity, as Teams sends it. */
function botMention(): Entity {
  return { type: "mention", text: "<at>NHSmail helpdesk</at>", mentioned: { id: "28:bot", name: "NHSmail helpdesk" } };
}

/** An Adaptive Card element or action, loosely typed for reading. */
interface Element {
  type?: string;
  text?: string;
  title?: string;
  value?: string;
  facts?: Array<{ title: string; value: string }>;
  items?: Element[];
  actions?: Element[];
  data?: Record<string, unknown>;
  id?: string;
  isVisible?: boolean;
  targetElements?: Array<string | { elementId: string }>;
  style?: string;
  choices?: Array<{ title: string; value: string }>;
}

/** A card as an agent or person reads it: its texts, facts and buttons. */
export class CardView {
  readonly content: { body?: Element[]; actions?: Element[] };
  constructor(activity: Partial<Activity>) {
    this.content = (activity.attachments?.[0]?.content ?? {}) as CardView["content"];
  }

  /** Every text block and fact, in order. */
  get texts(): string[] {
    const out: string[] = [];
    const walk = (elements: Element[] = []): void => {
      for (const e of elements) {
        if (e.text) out.push(e.text);
        for (const f of e.facts ?? []) out.push(`${f.title}: ${f.value}`);
        walk(e.items);
      }
    };
    walk(this.content.body);
    return out;
  }

  /** The fact with this title. */
  fact(title: string): string | undefined {
    return this.texts.find((t) => t.startsWith(`${title}: `))?.slice(title.length + 2);
  }

  /** Every action, in reading order: those in the body's action sets (nested ones included), then the card's own. */
  get actions(): Element[] {
    const out: Element[] = [];
    const walk = (elements: Element[] = []): void => {
      for (const e of elements) {
        if (e.type === "ActionSet") out.push(...(e.actions ?? []));
        walk(e.items);
      }
    };
    walk(this.content.body);
    return [...out, ...(this.content.actions ?? [])];
  }

  /** The buttons that send something (Action.Submit): title and data. */
  get buttons(): Array<{ title: string; data: Record<string, unknown> }> {
    return this.actions.filter((a) => a.type === "Action.Submit").map((a) => ({ title: a.title ?? "", data: a.data ?? {} }));
  }

  /** The texts a reader sees before pressing anything: those in elements hidden at first (isVisible false) left out. */
  get visibleTexts(): string[] {
    const out: string[] = [];
    const walk = (elements: Element[] = []): void => {
      for (const e of elements) {
        if (e.isVisible === false) continue;
        if (e.text) out.push(e.text);
        for (const f of e.facts ?? []) out.push(`${f.title}: ${f.value}`);
        walk(e.items);
      }
    };
    walk(this.content.body);
    return out;
  }

  /** Every element of the body, depth first (for ids and order). */
  get elements(): Element[] {
    const out: Element[] = [];
    const walk = (elements: Element[] = []): void => {
      for (const e of elements) {
        out.push(e);
        walk(e.items);
      }
    };
    walk(this.content.body);
    return out;
  }

  /** The data of the button with this verb. */
  button(verb: string): Record<string, unknown> {
    const found = this.buttons.find((b) => b.data.verb === verb);
    if (!found) throw new Error(`no ${verb} button on the card (${this.buttons.map((b) => b.title).join(", ")})`);
    return found.data;
  }

  /** The ids and styles of the inputs. */
  get inputs(): Element[] {
    const out: Element[] = [];
    const walk = (elements: Element[] = []): void => {
      for (const e of elements) {
        if (e.type?.startsWith("Input.")) out.push(e);
        walk(e.items);
      }
    };
    walk(this.content.body);
    return out;
  }
}

/** The first text of an activity's card, if any. */
export function titleOf(activity: Partial<Activity>): string {
  return new CardView(activity).texts[0] ?? "";
}

/** A desk built from the real parts (store, services, adapter, messenger, channel) without the server, for unit tests. */
export interface DeskRig {
  team: AgentsTeam;
  connector: FakeConnector;
  store: StateStore;
  services: Services;
  wiring: HandoffWiring;
  handoffs: StoreHandoffs;
  log: LogCapture;
  /** The state file (SQLite), for leak checks. */
  stateFile: string;
  outbox: string;
  /** Moves the rig's clock on. */
  advance(ms: number): void;
  /** Runs one inbound activity through the adapter (as the server does) with this turn logic. */
  turn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
  /** Runs one activity from the agents' channel through the desk's agents' handler. */
  agents(activity: Partial<Activity>): Promise<void>;
  /** A turn context for an activity, without running it (for the router's questions, such as isAgentActivity). */
  contextFor(activity: Partial<Activity>): TurnContext;
  /** A person in a personal chat whose conversation reference the bot has. */
  person(): Promise<TeamsUser>;
  /** The messages the bot sent a person, oldest first. */
  toPerson(user: TeamsUser): ReceivedActivity[];
  close(): Promise<void>;
}

/** Starts a {@link DeskRig} over a fresh SQLite state file; `installed` false leaves the agents' channel unknown. */
export async function startDeskRig(options: { installed?: boolean } = {}): Promise<DeskRig> {
  const dir = new TempDir();
  const connector = new FakeConnector();
  const serviceUrl = await connector.start();
  const team = new AgentsTeam(serviceUrl, connector);
  let now = Date.parse("2027-11-23T14:35:00Z");
  const clock = (): Date => new Date(now);
  const log = new LogCapture();
  const logger = createLogger({ level: "info", destination: log });
  const stateFile = dir.file("state.sqlite");
  const config = parseConfig({
    STATE_URL: `sqlite://${stateFile}`,
    SECRETS_KEY: TEST_SECRETS_KEY,
    SCRYPT_LOG2N: "10",
    CAPTCHA: "off",
    OUTBOX_FILE: dir.file("outbox.jsonl"),
    AGENTS_CHANNEL_ID: team.channelId,
  });
  const store = await openStateStore(config.STATE_URL);
  const services = await createServices(config, store, logger, { root: process.cwd(), clock, outboxEcho: () => undefined });
  const adapter = new TeamsAdapter({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" });
  const noWait = { delay: () => Promise.resolve() };
  const references = new ConversationReferenceStore(store, clock);
  const messenger = new UserMessenger({ references, adapter, botAppId: "", logger, backoff: noWait });
  const channel = new AgentsChannel({ store, adapter, botAppId: "", channelId: team.channelId, logger, backoff: noWait, clock });
  const handoffs = new StoreHandoffs(store, { averageMinutes: config.HANDOFF_AVERAGE_MINUTES });
  const wiring = createHandoffDesk({ handoffs, channel, messenger, jobs: services.jobs, services: services.reset, timeoutMinutes: config.HANDOFF_TIMEOUT_MINUTES, logger });

  const turn = async (activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> => {
    let failure: Error | undefined;
    const response = { socket: undefined, status: () => undefined, send: () => undefined, end: () => undefined, header: () => undefined };
    await adapter.process({ body: activity, headers: {}, method: "POST" }, response, async (context) => {
      try {
        await logic(context);
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
    });
    if (failure !== undefined) throw failure;
  };
  const rig: DeskRig = {
    team,
    connector,
    store,
    services,
    wiring,
    handoffs,
    log,
    stateFile,
    outbox: config.OUTBOX_FILE,
    advance: (ms) => void (now += ms),
    turn,
    agents: (activity) => turn(activity, wiring.onAgentActivity),
    contextFor: (activity) => new TurnContext(adapter, activity),
    async person() {
      const user = new TeamsUser(serviceUrl);
      await turn(user.install(), async (context) => void (await references.capture(context)));
      return user;
    },
    toPerson: (user) => connector.received.filter((r) => r.conversationId === user.conversationId),
    async close() {
      await services.close();
      await store.close();
      await connector.stop();
      dir.remove();
    },
  };
  if (options.installed !== false) await rig.agents(team.install());
  return rig;
}

/** Everything kept in a SQLite state file (and its write-ahead log), as text, for leak checks. */
export function stateFileText(file: string): string {
  return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("latin1")).join("\n");
}

/** True when `text` holds `digits` as a number of its own (not inside a longer run of digits). */
export function holdsNumber(text: string, digits: string): boolean {
  return new RegExp(`(?<!\\d)${digits}(?!\\d)`).test(text);
}
