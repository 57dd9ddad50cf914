import { ActivityTypes } from "botbuilder";
import type { TurnContext } from "botbuilder";
import type { Logger } from "../logger";
import type { FirstLoginNotifier } from "./first-login-notifier";
import { referenceKeyOf } from "./references";
import type { ConversationReferenceStore } from "./references";

/** What the router calls on every turn so that the bot can message users first; see {@link ProactiveTurnHooks}. */
export interface ProactiveHooks {
  /** Before the turn's routes: captures or forgets the conversation reference. Never throws. */
  beforeTurn(context: TurnContext): Promise<void>;
  /** After the turn's replies: delivers a queued first-login card to this user. Never throws. */
  afterTurn(context: TurnContext): Promise<void>;
}

/** True when the bot is being uninstalled from this personal chat, or removed from it. */
export function isRemoval(context: TurnContext): boolean {
  const { type, action, membersRemoved = [], recipient } = context.activity;
  if (type === (ActivityTypes.InstallationUpdate as string)) return action === "remove" || action === "remove-upgrade";
  return type === (ActivityTypes.ConversationUpdate as string) && membersRemoved.some((m) => m.id === recipient?.id);
}

/** True for the activities that show the user can be reached: a message, an install, or members added. */
export function isContact(context: TurnContext): boolean {
  const { type, action, membersAdded = [] } = context.activity;
  if (type === (ActivityTypes.Message as string)) return true;
  if (type === (ActivityTypes.InstallationUpdate as string)) return action === "add" || action === "add-upgrade";
  return type === (ActivityTypes.ConversationUpdate as string) && membersAdded.length > 0;
}

/**
 * Captures conversation references on install, members added and every message of a personal chat, removes them
 * on uninstall, and hands queued first-login cards over when the user turns up.
 */
export class ProactiveTurnHooks implements ProactiveHooks {
  constructor(
    private readonly references: ConversationReferenceStore,
    private readonly notifier: FirstLoginNotifier,
    private readonly logger: Logger,
  ) {}

  async beforeTurn(context: TurnContext): Promise<void> {
    try {
      if (isRemoval(context)) {
        const key = referenceKeyOf(context);
        if (key) await this.references.remove(key);
      } else if (isContact(context)) {
        await this.references.capture(context);
      }
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, "conversation reference not updated");
    }
  }

  async afterTurn(context: TurnContext): Promise<void> {
    const aadObjectId = context.activity.from?.aadObjectId;
    if (!aadObjectId || !isContact(context) || !referenceKeyOf(context)) return;
    try {
      await this.notifier.deliverPending(context, aadObjectId);
    } catch (err) {
      this.logger.warn({ err: { message: (err as Error).message } }, "queued first-login card not delivered");
    }
  }
}
