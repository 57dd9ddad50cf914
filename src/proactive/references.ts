import { TurnContext } from "botbuilder";
import type { ConversationReference } from "botbuilder";
import type Keyv from "keyv";
import type { StateStore } from "../state";
import { RecentMemory } from "../state/recent-memory";

/** The keyv namespace that holds conversation references. */
export const REFERENCES_NAMESPACE = "references";

/** Where a reference is kept: the Teams user (AAD object id when known, else the channel user id) and tenant. */
export interface ReferenceKey {
  user: string;
  tenant: string;
}

/** A conversation reference with the time it was last seen. */
export interface StoredReference {
  reference: Partial<ConversationReference>;
  savedAt: string;
}

/** One user's references, by tenant id. */
type UserReferences = Record<string, StoredReference>;

/** The tenant recorded when an activity names none (the Emulator, the Playground). */
export const NO_TENANT = "none";

/**
 * The key an activity belongs to, or undefined when it should not be kept: only personal (one-to-one) chats are
 * captured, so that a proactive card never lands in a team channel or group chat.
 */
export function referenceKeyOf(context: TurnContext): ReferenceKey | undefined {
  const { from, conversation } = context.activity;
  const channelData: unknown = context.activity.channelData;
  const type = conversation?.conversationType;
  if (!from?.id || !conversation?.id || (type !== undefined && type !== "personal")) return undefined;
  const tenantData = (channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const tenant = conversation.tenantId ?? (typeof tenantData === "string" ? tenantData : undefined) ?? NO_TENANT;
  return { user: from.aadObjectId ?? from.id, tenant };
}

/**
 * Conversation references of Teams users, kept in the state store (keyv namespace `references`) so that the bot
 * can message a user first. Each user key holds one reference per tenant; the latest one is used for sending.
 */
export class ConversationReferenceStore {
  private readonly keyv: Keyv<UserReferences>;
  /**
   * The conversation and service URL this instance last saw stored for a user and tenant: a message in the same
   * chat then needs no read at all. Forgotten after a few minutes, so a reference removed by another instance (an
   * uninstall, a 403) is written again soon after the person next writes.
   */
  private readonly seen = new RecentMemory<string>(5 * 60_000);

  constructor(store: StateStore, private readonly now: () => Date = () => new Date()) {
    this.keyv = store.keyv<UserReferences>(REFERENCES_NAMESPACE);
  }

  /**
   * Saves the reference of the activity's conversation, if it is a personal chat. Skips the write when the stored
   * reference already points at the same conversation and service URL.
   *
   * @returns the key it was saved under, or undefined when the activity is not captured
   */
  async capture(context: TurnContext): Promise<ReferenceKey | undefined> {
    const key = referenceKeyOf(context);
    if (!key) return undefined;
    const reference = withoutActivityId(context);
    const where = `${reference.conversation?.id ?? ""}|${reference.serviceUrl ?? ""}`;
    const memoryKey = `${key.user}|${key.tenant}`;
    if (this.seen.get(memoryKey) === where) return key;
    const existing = (await this.keyv.get(key.user)) ?? {};
    const current = existing[key.tenant]?.reference;
    if (current?.conversation?.id !== reference.conversation?.id || current?.serviceUrl !== reference.serviceUrl) {
      existing[key.tenant] = { reference, savedAt: this.now().toISOString() };
      await this.keyv.set(key.user, existing);
    }
    this.seen.set(memoryKey, where);
    return key;
  }

  /** The most recently saved reference of a user, with its tenant, or undefined. */
  async find(user: string): Promise<(StoredReference & { tenant: string }) | undefined> {
    const all = (await this.keyv.get(user)) ?? {};
    const latest = Object.entries(all).sort(([, a], [, b]) => b.savedAt.localeCompare(a.savedAt))[0];
    return latest ? { tenant: latest[0], ...latest[1] } : undefined;
  }

  /** Forgets a user's reference in one tenant (uninstalled, or Teams answered 403). */
  async remove(key: ReferenceKey): Promise<void> {
    this.seen.forget(`${key.user}|${key.tenant}`);
    const all = (await this.keyv.get(key.user)) ?? {};
    if (!(key.tenant in all)) return;
    delete all[key.tenant];
    if (Object.keys(all).length === 0) await this.keyv.delete(key.user);
    else await this.keyv.set(key.user, all);
  }
}

/** The conversation reference, without the id of the activity it was taken from (it is not needed to send). */
function withoutActivityId(context: TurnContext): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(context.activity);
  delete reference.activityId;
  return reference;
}
