import { randomUUID } from "node:crypto";
import type { CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
import type Keyv from "keyv";
import { firstLoginGuideCard } from "../../cards/render";
import type { Logger } from "../logger";
import type { StateStore } from "../state";
import type { ConversationReferenceStore } from "./references";
import { statusOf, withBackoff } from "./retry";
import type { BackoffOptions } from "./retry";

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
  references: ConversationReferenceStore;
  /** Whether the directory holds an account for a lower-case address. */
  accountExists: (email: string) => Promise<boolean>;
  adapter: CloudAdapter;
  botAppId: string;
  logger: Logger;
  clock?: () => Date;
  backoff?: BackoffOptions;
}

/** How long one address is remembered as notified (duplicates within it produce no second card). */
export const NOTIFIED_TTL_MS = 30 * 24 * 3_600_000;
const NOTIFIED = "first_login_notified";
const PENDING_SENT = "first_login_pending_sent";

/**
 * Sends the first-login guide card to a new user, at most once per address: at once when a conversation
 * reference is stored for the user, otherwise when the user next installs or messages the bot.
 */
export class FirstLoginNotifier {
  private readonly pending: Keyv<PendingNotice>;
  private readonly pendingByUser: Keyv<string>;
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
    if (!(await this.deps.accountExists(email))) return "unknown-user";
    if (!(await this.deps.store.claim(NOTIFIED, email, NOTIFIED_TTL_MS))) {
      const waiting = await this.pending.get(email);
      if (!waiting) return "delivered";
      if (aadObjectId && !waiting.aadObjectId) await this.queue({ ...waiting, aadObjectId });
      return "queued";
    }
    const notice: PendingNotice = { id: randomUUID(), email, aadObjectId, queuedAt: this.clock().toISOString() };
    const found = aadObjectId ? await this.deps.references.find(aadObjectId) : undefined;
    if (!aadObjectId || !found) {
      await this.queue(notice);
      return "queued";
    }
    try {
      await withBackoff(() => this.sendTo(found.reference), this.deps.backoff);
      this.deps.logger.info({ tenant: found.tenant }, "first-login card delivered");
      return "delivered";
    } catch (err) {
      const status = statusOf(err);
      if (status === 403) await this.deps.references.remove({ user: aadObjectId, tenant: found.tenant });
      this.deps.logger.warn({ status, err: { message: (err as Error).message } }, "first-login card not delivered; queued");
      await this.queue(notice);
      return "queued";
    }
  }

  /**
   * Delivers a queued notice for the user of this turn (a personal chat), exactly once across instances. Call it
   * after the turn's own replies.
   */
  async deliverPending(context: TurnContext, user: string): Promise<boolean> {
    const email = await this.pendingByUser.get(user);
    const notice = email ? await this.pending.get(email) : undefined;
    if (!notice || notice.aadObjectId !== user) return false;
    if (!(await this.deps.store.claim(PENDING_SENT, notice.id, NOTIFIED_TTL_MS))) return false;
    try {
      await context.sendActivity({ attachments: [firstLoginGuideCard()] });
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
    if (notice.aadObjectId) await this.pendingByUser.set(notice.aadObjectId, notice.email, NOTIFIED_TTL_MS);
  }

  /** Sends the card; the failure is caught inside the turn, or the adapter's turn error handler would swallow it. */
  private async sendTo(reference: Partial<ConversationReference>): Promise<void> {
    let failure: Error | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
      try {
        await context.sendActivity({ attachments: [firstLoginGuideCard()] });
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
    });
    if (failure !== undefined) throw failure;
  }
}
