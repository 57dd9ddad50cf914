import type { Telemetry } from "../telemetry/telemetry";
import type { Activity, CloudAdapter, TurnContext } from "botbuilder";
import { runInProactiveTurn } from "./proactive-turn";
import type { Logger } from "../logger";
import type { ConversationReferenceStore } from "./references";
import { statusOf, withBackoff } from "./retry";
import type { BackoffOptions } from "./retry";

/** What a proactive send did: sent (with the new activity's id), no reference for the user, or refused / failed. */
export type ProactiveOutcome =
  | { status: "sent"; activityId?: string; conversationId?: string }
  | { status: "no-reference" }
  | { status: "gone" }
  | { status: "failed"; httpStatus?: number };

/** What {@link UserMessenger} needs. */
export interface UserMessengerDependencies {
  references: ConversationReferenceStore;
  adapter: CloudAdapter;
  botAppId: string;
  logger: Logger;
  backoff?: BackoffOptions;
  /** Counts deliveries (delivered, queued for later, failed) for the metrics. */
  telemetry?: Telemetry;
}

/** A proactive outcome as the metrics name it. */
const DELIVERY: Record<ProactiveOutcome["status"], "delivered" | "queued" | "failed"> = { sent: "delivered", "no-reference": "queued", gone: "failed", failed: "failed" };

/**
 * Messages a Teams user first, through the latest stored conversation reference: retries Teams' 429/412/502/504 with
 * back-off and jitter, forgets the reference on 403 (the user uninstalled the bot or left the tenant), and never
 * throws for a delivery failure — it answers with an outcome instead.
 */
export class UserMessenger {
  constructor(private readonly deps: UserMessengerDependencies) {}

  /** Sends an activity to a user (Entra object id or channel user id). */
  async send(user: string, activity: Partial<Activity>): Promise<ProactiveOutcome> {
    return this.withReference(user, async (context) => {
      const response = await context.sendActivity(activity);
      return { activityId: response?.id, conversationId: context.activity.conversation?.id };
    });
  }

  /** Replaces an activity the bot sent the user earlier (e.g. the checklist card), in the same conversation. */
  async update(user: string, activityId: string, activity: Partial<Activity>): Promise<ProactiveOutcome> {
    return this.withReference(user, async (context) => {
      await context.updateActivity({ ...activity, id: activityId, type: "message" });
      return { activityId, conversationId: context.activity.conversation?.id };
    });
  }

  private async withReference(
    user: string,
    work: (context: TurnContext) => Promise<{ activityId?: string; conversationId?: string }>,
  ): Promise<ProactiveOutcome> {
    const outcome = await this.attempt(user, work);
    this.deps.telemetry?.count("helpdesk_proactive_deliveries", { outcome: DELIVERY[outcome.status] });
    return outcome;
  }

  private async attempt(user: string, work: (context: TurnContext) => Promise<{ activityId?: string; conversationId?: string }>): Promise<ProactiveOutcome> {
    const found = await this.deps.references.find(user);
    if (!found) return { status: "no-reference" };
    try {
      const result = await withBackoff(() => runInProactiveTurn(this.deps.adapter, this.deps.botAppId, found.reference, work), this.deps.backoff);
      return { status: "sent", ...result };
    } catch (err) {
      const httpStatus = statusOf(err);
      if (httpStatus === 403) {
        await this.deps.references.remove({ user, tenant: found.tenant });
        this.deps.logger.info({ tenant: found.tenant }, "proactive message refused (403): reference removed");
        return { status: "gone" };
      }
      this.deps.logger.warn({ status: httpStatus, err: { message: (err as Error).message } }, "proactive message not delivered");
      return { status: "failed", httpStatus };
    }
  }
}
