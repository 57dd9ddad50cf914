import type { Grant } from "./tokens";

/** How much the local Direct Line keeps in memory. */
export interface DirectLineLimits {
  /** Activities kept per conversation; the oldest go first. */
  activitiesPerConversation: number;
  /** Bytes (serialized) kept per conversation; the oldest activities go first. */
  bytesPerConversation: number;
  /** Conversations kept; the one idle longest goes first. */
  conversations: number;
  /** Bytes kept over every conversation; the conversations idle longest go first. */
  totalBytes: number;
  /** Open WebSockets per conversation; one more is refused. */
  socketsPerConversation: number;
  /** The largest activity a client may post (serialized, once stamped). */
  clientActivityBytes: number;
}

export const DEFAULT_LIMITS: DirectLineLimits = {
  activitiesPerConversation: 500,
  bytesPerConversation: 512 * 1024,
  conversations: 1000,
  totalBytes: 64 * 1024 * 1024,
  socketsPerConversation: 5,
  clientActivityBytes: 32 * 1024,
};

/** An activity as the conversation keeps and hands it out: stamped, with its id. */
export type StoredActivity = Record<string, unknown> & { id: string };

/** Activities with the watermark after the last of them, as `GET …/activities` and the stream send them. */
export interface ActivitySet {
  activities: StoredActivity[];
  watermark?: string;
}

/** Hears what happens to conversations (the WebSocket streams). */
export interface ConversationEvents {
  /** Activities were added (or an activity replaced, under its old id). */
  added(conversationId: string, set: ActivitySet): void;
  /** The conversation was evicted: its streams should close. */
  ended(conversationId: string): void;
}

interface Entry {
  seq: number;
  activity: StoredActivity;
  bytes: number;
}

/** One conversation: its user and a log of activities, each at a sequence number (the watermark counts them). */
export class Conversation {
  private entries: Entry[] = [];
  private nextSeq = 0;
  /** Bytes of the activities kept. */
  bytes = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
  ) {}

  /** The id the next activity gets: `<conversation id>|0000001`, as Direct Line numbers them. */
  private idOf(seq: number): string {
    return `${this.id}|${String(seq).padStart(7, "0")}`;
  }

  /** Stamps an activity with the next id without keeping it (a typing indicator: streamed, never kept). */
  pass(activity: Record<string, unknown>): StoredActivity {
    return { ...activity, id: this.idOf(this.nextSeq++) };
  }

  /** Adds an activity (under `id` when it replaces one); returns it stamped with its id and the watermark. */
  add(activity: Record<string, unknown>, limits: DirectLineLimits, id?: string): { stored: StoredActivity; watermark: string } {
    const seq = this.nextSeq++;
    const stored: StoredActivity = { ...activity, id: id ?? this.idOf(seq) };
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    this.entries.push({ seq, activity: stored, bytes });
    this.bytes += bytes;
    while (this.entries.length > 1 && (this.entries.length > limits.activitiesPerConversation || this.bytes > limits.bytesPerConversation)) {
      const oldest = this.entries.shift() as Entry;
      this.bytes -= oldest.bytes;
    }
    return { stored, watermark: String(seq) };
  }

  /** Removes a kept activity by id (before it is added again, replaced); its bytes, or undefined when not kept. */
  remove(id: string): number | undefined {
    const index = this.entries.findIndex((entry) => entry.activity.id === id);
    if (index < 0) return undefined;
    const [entry] = this.entries.splice(index, 1) as [Entry];
    this.bytes -= entry.bytes;
    return entry.bytes;
  }

  /** The activities after a watermark (all of them without one), with the watermark to ask from next. */
  after(watermark: number | undefined): ActivitySet {
    const activities = this.entries.filter((entry) => watermark === undefined || entry.seq > watermark);
    const last = activities.at(-1)?.seq ?? watermark ?? (this.nextSeq > 0 ? this.nextSeq - 1 : undefined);
    return { activities: activities.map((entry) => entry.activity), ...(last === undefined ? {} : { watermark: String(last) }) };
  }
}

/**
 * The conversations of the local Direct Line, in memory and bounded (see {@link DirectLineLimits}): each keeps its
 * latest activities, and the conversations idle longest are dropped when there are too many or they hold too much.
 */
export class Conversations {
  /** In order of last use: the first is the one idle longest. */
  private readonly byId = new Map<string, Conversation>();
  private totalBytes = 0;

  constructor(
    private readonly limits: DirectLineLimits,
    private readonly events: ConversationEvents,
  ) {}

  /** Starts the grant's conversation, or finds it (marked as just used) when it has started already. */
  start(grant: Grant): { conversation: Conversation; created: boolean } {
    const found = this.touch(grant.conversationId);
    if (found) return { conversation: found, created: false };
    const conversation = new Conversation(grant.conversationId, grant.userId);
    this.byId.set(conversation.id, conversation);
    this.evict(conversation.id);
    return { conversation, created: true };
  }

  /** A started conversation, or undefined (never started, or evicted). */
  get(conversationId: string): Conversation | undefined {
    return this.byId.get(conversationId);
  }

  /**
   * Adds an activity to a conversation and tells the streams; undefined when there is no such conversation. A typing
   * indicator is streamed but not kept, and has no watermark, as Direct Line does (polling clients never see one).
   */
  add(conversationId: string, activity: Record<string, unknown>): StoredActivity | undefined {
    const conversation = this.touch(conversationId);
    if (!conversation) return undefined;
    if (activity.type === "typing") {
      const passed = conversation.pass(activity);
      this.events.added(conversation.id, { activities: [passed] });
      return passed;
    }
    return this.keep(conversation, activity);
  }

  /**
   * Replaces a kept activity: the new one keeps the old id but moves to the end of the log (a new watermark), so
   * that a client reading from its watermark gets it again and replaces what it shows. Undefined when not kept.
   */
  replace(conversationId: string, activityId: string, activity: Record<string, unknown>): StoredActivity | undefined {
    const conversation = this.touch(conversationId);
    const bytes = conversation?.remove(activityId);
    if (!conversation || bytes === undefined) return undefined;
    this.totalBytes -= bytes;
    return this.keep(conversation, activity, activityId);
  }

  /** How many conversations are kept. */
  get size(): number {
    return this.byId.size;
  }

  private keep(conversation: Conversation, activity: Record<string, unknown>, id?: string): StoredActivity {
    const before = conversation.bytes;
    const { stored, watermark } = conversation.add(activity, this.limits, id);
    this.totalBytes += conversation.bytes - before;
    this.evict(conversation.id);
    this.events.added(conversation.id, { activities: [stored], watermark });
    return stored;
  }

  /** Marks a conversation as just used. */
  private touch(conversationId: string): Conversation | undefined {
    const conversation = this.byId.get(conversationId);
    if (conversation) {
      this.byId.delete(conversationId);
      this.byId.set(conversationId, conversation);
    }
    return conversation;
  }

  /** Drops the conversations idle longest until the limits hold, never `keep` (the one in use). */
  private evict(keep: string): void {
    for (const [id, conversation] of this.byId) {
      if (this.byId.size <= this.limits.conversations && this.totalBytes <= this.limits.totalBytes) return;
      if (id === keep) continue;
      this.byId.delete(id);
      this.totalBytes -= conversation.bytes;
      this.events.ended(id);
    }
  }
}
