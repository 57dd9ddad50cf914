import { TeamsInfo, TurnContext } from "botbuilder";
import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import type Keyv from "keyv";
import type { Logger } from "../logger";
import { statusOf, withBackoff } from "../proactive/retry";
import { runInProactiveTurn } from "../proactive/proactive-turn";
import type { BackoffOptions } from "../proactive/retry";
import type { StateStore } from "../state";
import type { HandoffParty } from "./ports";

/** The keyv namespace that holds the agents' channel's conversation reference. */
export const AGENTS_CHANNEL_NAMESPACE = "agents_channel";

/** What {@link AgentsChannel} needs. */
export interface AgentsChannelDependencies {
  store: StateStore;
  adapter: CloudAdapter;
  botAppId: string;
  /** AGENTS_CHANNEL_ID (19:…@thread.tacv2); undefined when there is no agents' channel. */
  channelId?: string;
  logger: Logger;
  /** Retries of Teams' 429/412/502/504 (tests pass a delay that does not sleep). */
  backoff?: BackoffOptions;
  clock?: () => Date;
}

/** A request card posted in the channel: its activity id, and the conversation id of its reply thread. */
export interface PostedThread {
  activityId: string;
  threadId: string;
}

/** The reference, as kept. */
interface StoredChannel {
  reference: Partial<ConversationReference>;
  savedAt: string;
}

/** The key the one reference is kept under. */
const REFERENCE_KEY = "reference";
/** How Teams names a thread of a channel: `<channel id>;messageid=<root activity id>`. */
const THREAD_MARK = ";messageid=";

/** The channel a Teams conversation id belongs to: the id without any `;messageid=…` of a thread. */
export function channelOf(conversationId: string | undefined): string | undefined {
  if (!conversationId) return undefined;
  const at = conversationId.indexOf(THREAD_MARK);
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/** The conversation id of the thread whose root is this activity of the channel. */
export function threadIdOf(channelId: string, activityId: string): string {
  return `${channelId}${THREAD_MARK}${activityId}`;
}

/**
 * The helpdesk agents' Teams channel: remembers how to reach it (captured from any activity there, such as the
 * bot's install in the team or a message), posts request cards as new threads, updates them in place, posts into a
 * request's thread, and asks Teams whether a sender is a member.
 */
export class AgentsChannel {
  private readonly keyv: Keyv<StoredChannel>;

  constructor(private readonly deps: AgentsChannelDependencies) {
    this.keyv = deps.store.keyv<StoredChannel>(AGENTS_CHANNEL_NAMESPACE);
  }

  /** The configured channel id, if any. */
  get id(): string | undefined {
    return this.deps.channelId;
  }

  /**
   * True when the activity happened in the agents' channel: in the channel itself or one of its threads. Judged on
   * the conversation Teams delivered it in, never on anything a card carries.
   */
  isChannelActivity(activity: Partial<Activity>): boolean {
    return this.deps.channelId !== undefined && channelOf(activity.conversation?.id) === this.deps.channelId;
  }

  /** Saves the channel's reference when the activity is from it (skipped when unchanged). True when it is. */
  async capture(context: TurnContext): Promise<boolean> {
    if (!this.isChannelActivity(context.activity)) return false;
    const reference = TurnContext.getConversationReference(context.activity);
    delete reference.activityId;
    reference.conversation = { ...reference.conversation, id: this.deps.channelId } as ConversationReference["conversation"];
    const current = (await this.keyv.get(REFERENCE_KEY))?.reference;
    if (current?.serviceUrl === reference.serviceUrl && current?.bot?.id === reference.bot?.id) return true;
    await this.keyv.set(REFERENCE_KEY, { reference, savedAt: (this.deps.clock?.() ?? new Date()).toISOString() });
    this.deps.logger.info("agents' channel reference saved");
    return true;
  }

  /** True when the bot knows how to reach the channel (it is configured and its reference was captured). */
  async reachable(): Promise<boolean> {
    return (await this.reference()) !== undefined;
  }

  /**
   * Posts an activity as a new thread of the channel.
   *
   * @returns the new activity's id and its thread's id; undefined when the channel is not known
   * @throws the connector's error when Teams refuses it (after retries)
   */
  async post(activity: Partial<Activity>): Promise<PostedThread | undefined> {
    const reference = await this.reference();
    if (!reference || !this.deps.channelId) return undefined;
    const channelId = this.deps.channelId;
    const id = await this.run(reference, async (context) => (await context.sendActivity(activity))?.id);
    if (!id) throw new Error("Teams did not return the id of the posted request.");
    return { activityId: id, threadId: threadIdOf(channelId, id) };
  }

  /** Replaces a thread's first activity (a request card), addressed through its thread as Teams' own helpers do. */
  async update(posted: PostedThread, activity: Partial<Activity>): Promise<void> {
    const reference = await this.reference();
    if (!reference) return;
    const conversation = { ...reference.conversation, id: posted.threadId } as ConversationReference["conversation"];
    await this.run({ ...reference, conversation }, (context) => context.updateActivity({ ...activity, id: posted.activityId, type: "message" }).then(() => undefined));
  }

  /** Posts an activity into a request's thread. */
  async postInThread(threadId: string, activity: Partial<Activity>): Promise<void> {
    const reference = await this.reference();
    if (!reference) return;
    const conversation = { ...reference.conversation, id: threadId } as ConversationReference["conversation"];
    await this.run({ ...reference, conversation }, (context) => context.sendActivity(activity).then(() => undefined));
  }

  /**
   * The sender of this turn, when it came from the agents' channel and Teams lists them as a member (asked on every
   * call: membership is never taken from card data or remembered). Undefined for anyone else.
   *
   * @throws the connector's error for anything but "not found"
   */
  async member(context: TurnContext): Promise<HandoffParty | undefined> {
    const from = context.activity.from;
    if (!from?.id || !this.isChannelActivity(context.activity)) return undefined;
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      return { id: from.id, aadObjectId: member.aadObjectId ?? from.aadObjectId, name: member.name || from.name || "A helpdesk agent" };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async reference(): Promise<Partial<ConversationReference> | undefined> {
    if (!this.deps.channelId) return undefined;
    return (await this.keyv.get(REFERENCE_KEY))?.reference;
  }

  /** Runs work in a proactive turn of the channel, with retries; a failure reaches the caller. */
  private async run<T>(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<T>): Promise<T> {
    return withBackoff(() => runInProactiveTurn(this.deps.adapter, this.deps.botAppId, reference, work), this.deps.backoff);
  }
}
