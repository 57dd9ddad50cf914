import { RecentMemory } from "../state/recent-memory";
import { randomUUID } from "node:crypto";
import type { Attachment, TurnContext } from "botbuilder";
import type Keyv from "keyv";
import type { Account } from "../directory/account";
import type { ChecklistMessages, UserLinks } from "../first-login";
import { checklistCardFor } from "../first-login/checklist-card";
import type { Logger } from "../logger";
import type { StateStore } from "../state";
import type { UserMessenger } from "./user-messenger";

/** What a notify call did. */
export type NotifyStatus = "delivered" | "queued" | "unknown-user";

/** A first-login notice waiting for the user to install or message the bot. */
export interface PendingNotice {
  id: string;
  email: string;
  aadObjectId?: string;
  queuedAt: string;
}

/** What {@link FirstLoginNotifier} needs. */
export interface FirstLoginNotifierDependencies {
  store: StateStore;
  /** The account of a lower-case address, if the directory holds one. */
  findAccount: (email: string) => Promise<Account | undefined>;
  /** Links the Teams user a notify call names to the address, so the checklist knows who is pressing its buttons. */
  links: UserLinks;
  /** Remembers where the checklist card was posted, so it is updated in place later. */
  checklistMessages: ChecklistMessages;
  messenger: Pick<UserMessenger, "send">;
  /** Minutes of account synchronisation after the AUP is accepted (shown on the checklist). */
  syncMinutes: number;
  logger: Logger;
  clock?: () => Date;
}

/** How long one address is remembered as notified (duplicates within it produce no second card). */
export const NOTIFIED_TTL_MS = 30 * 24 * 3_600_000;
const NOTIFIED = "first_login_notified";
const PENDING_SENT = "first_login_pending_sent";

/**
 * Sends the first-login checklist card to a new user, at most once per address: at once when a conversation
 * reference is stored for the user, otherwise when the user next installs or messages the bot.
 */
/** How long a user found with nothing queued is not looked up again by this instance. */
const NOTHING_QUEUED_MS = 30_000;

export class FirstLoginNotifier {
  private readonly pending: Keyv<PendingNotice>;
  private readonly pendingByUser: Keyv<string>;
  /**
   * Users this instance found with nothing queued, for a short while: their next turns need no read. A notice queued
   * here clears it at once; one queued by another instance is found within `NOTHING_QUEUED_MS`.
   */
  private readonly nothingQueued = new RecentMemory<true>(NOTHING_QUEUED_MS);
  private readonly clock: () => Date;

  constructor(private readonly deps: FirstLoginNotifierDependencies) {
    this.pending = deps.store.keyv<PendingNotice>("first_login_pending");
    this.pendingByUser = deps.store.keyv<string>("first_login_pending_user");
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * Handles one notify call for a lower-case @nhs.net address and an optional AAD object id. Never throws for a
   * delivery failure: the notice is queued instead.
   */
  async notify(email: string, aadObjectId?: string): Promise<NotifyStatus> {
    const account = await this.deps.findAccount(email);
    if (!account) return "unknown-user";
    if (aadObjectId) await this.deps.links.link(aadObjectId, email);
    if (!(await this.deps.store.claim(NOTIFIED, email, NOTIFIED_TTL_MS))) {
      const waiting = await this.pending.get(email);
      if (!waiting) return "delivered";
      if (aadObjectId && !waiting.aadObjectId) await this.queue({ ...waiting, aadObjectId });
      return "queued";
    }
    const notice: PendingNotice = { id: randomUUID(), email, aadObjectId, queuedAt: this.clock().toISOString() };
    const outcome = aadObjectId ? await this.deps.messenger.send(aadObjectId, { attachments: [this.card(account)] }) : undefined;
    if (outcome?.status === "sent") {
      if (outcome.activityId && outcome.conversationId) {
        await this.deps.checklistMessages.remember(email, { activityId: outcome.activityId, conversationId: outcome.conversationId });
      }
      this.deps.logger.info("first-login checklist delivered");
      return "delivered";
    }
    if (outcome) this.deps.logger.info({ outcome: outcome.status }, "first-login checklist not delivered now; queued");
    await this.queue(notice);
    return "queued";
  }

  /**
   * Delivers a queued notice for the user of this turn (a personal chat), exactly once across instances. Call it
   * after the turn's own replies.
   */
  async deliverPending(context: TurnContext, user: string): Promise<boolean> {
    if (this.nothingQueued.get(user)) return false;
    const email = await this.pendingByUser.get(user);
    const notice = email ? await this.pending.get(email) : undefined;
    if (!notice || notice.aadObjectId !== user) {
      this.nothingQueued.set(user, true);
      return false;
    }
    if (!(await this.deps.store.claim(PENDING_SENT, notice.id, NOTIFIED_TTL_MS))) return false;
    const account = await this.deps.findAccount(notice.email);
    if (!account) return false;
    try {
      const sent = await context.sendActivity({ attachments: [this.card(account)] });
      const conversationId = context.activity.conversation?.id;
      if (sent?.id && conversationId) await this.deps.checklistMessages.remember(notice.email, { activityId: sent.id, conversationId });
    } catch (err) {
      await this.deps.store.release(PENDING_SENT, notice.id);
      throw err;
    }
    await this.pending.delete(notice.email);
    await this.pendingByUser.delete(user);
    this.deps.logger.info("queued first-login card delivered");
    return true;
  }

  private async queue(notice: PendingNotice): Promise<void> {
    await this.pending.set(notice.email, notice, NOTIFIED_TTL_MS);
    if (notice.aadObjectId) {
      await this.pendingByUser.set(notice.aadObjectId, notice.email, NOTIFIED_TTL_MS);
      this.nothingQueued.forget(notice.aadObjectId);
    }
  }

  private card(account: Account): Attachment {
    return checklistCardFor(account, { syncMinutes: this.deps.syncMinutes, now: this.clock() });
  }
}
