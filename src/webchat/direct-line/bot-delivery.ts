import type { Logger } from "../../logger";

/** How long the bot has to answer an activity, as Direct Line allows (15 seconds). */
export const BOT_TIMEOUT_MS = 15_000;

/** Where the bot is, and where its replies should go. */
export interface BotDeliveryOptions {
  /** The bot's messaging endpoint (`…/api/messages`). */
  messagesUrl: () => string;
  /** The service URL the bot replies to (the local connector, see `connector-routes.ts`). */
  serviceUrl: () => string;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * Delivers activities to the bot as Azure's Direct Line does: an HTTP POST of the activity to its messaging endpoint
 * (delivery mode normal), the bot's replies coming back through the connector. Unsigned: the local Direct Line runs
 * only when the bot has no app id, so it checks no token.
 */
export class BotDelivery {
  constructor(private readonly options: BotDeliveryOptions) {}

  /** Posts the activity to the bot; true when the bot took it (2xx). Never throws. */
  async deliver(activity: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetch(this.options.messagesUrl(), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...activity, serviceUrl: this.options.serviceUrl() }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? BOT_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) this.options.logger.warn({ status: response.status, type: activity.type }, "local Direct Line: the bot refused an activity");
      return response.ok;
    } catch (err) {
      const reason = (err as Error).name === "TimeoutError" ? "timed out" : "unreachable";
      this.options.logger.warn({ reason, type: activity.type }, "local Direct Line: the bot did not answer");
      return false;
    }
  }
}
