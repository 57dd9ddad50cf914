import type { Config } from "../config";
import type { Logger } from "../logger";
import { DIRECT_LINE_PATH, LocalDirectLine } from "./direct-line";
import { generateDirectLineToken, newWebUserId } from "./direct-line-tokens";
import { createWebChat } from "./web-chat";

/** What the web channel needs from the rest of the wiring. */
export interface WebChannelDependencies {
  logger: Logger;
  clock: () => Date;
  /** The server's own address, once it listens (the local Direct Line's connector calls come back to it). */
  baseUrl: () => string;
  /** The per-client limit on new web chat tokens. */
  limit: Parameters<typeof createWebChat>[0]["limit"];
  /** Remembers which client a web conversation belongs to, for the per-user limits. */
  rememberClient: Parameters<typeof createWebChat>[0]["rememberClient"];
}

/**
 * The web chat page and where its tokens come from: Azure's Direct Line (with `DIRECTLINE_SECRET`), or a local
 * Direct Line served by the bot itself when there is neither an app id (its requests to the bot are unsigned) nor a
 * secret. No page without either.
 */
export function createWebChannel(config: Config, deps: WebChannelDependencies): { localDirectLine?: LocalDirectLine; webChat?: ReturnType<typeof createWebChat> } {
  const localDirectLine =
    config.BOT_ID || config.DIRECTLINE_SECRET
      ? undefined
      : new LocalDirectLine({
          baseUrl: deps.baseUrl,
          logger: deps.logger,
          clock: deps.clock,
          // What a client posts must still fit the bot's own body limit once stamped.
          limits: { clientActivityBytes: Math.min(32 * 1024, config.MAX_BODY_KB * 1024 - 2048) },
        });
  const secret = config.DIRECTLINE_SECRET;
  if (!secret && !localDirectLine) return {};
  const webChat = createWebChat({
    helpdeskPhone: config.HELPDESK_PHONE,
    // The local Direct Line is reached at whatever address the page was opened at (localhost or 127.0.0.1).
    domainFor: (req) => (secret ? config.DIRECTLINE_DOMAIN : `http://${req.headers.host ?? "127.0.0.1"}${DIRECT_LINE_PATH}`),
    issue: async () => {
      if (secret) return generateDirectLineToken({ domain: config.DIRECTLINE_DOMAIN, secret, userId: newWebUserId() });
      const issued = localDirectLine?.issueToken();
      if (!issued) throw new Error("no local Direct Line");
      return issued;
    },
    limit: deps.limit,
    rememberClient: deps.rememberClient,
    logger: deps.logger,
  });
  return { localDirectLine, webChat };
}
