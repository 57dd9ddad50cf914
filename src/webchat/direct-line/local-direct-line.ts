import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../../logger";
import type { MountedService, RouteTable } from "../../server";
import { BotDelivery } from "./bot-delivery";
import { DIRECT_LINE_PATH, mountClientRoutes } from "./client-routes";
import { connectorServiceUrl, mountConnectorRoutes } from "./connector-routes";
import { Conversations, DEFAULT_LIMITS } from "./conversations";
import type { DirectLineLimits } from "./conversations";
import { ActivityStreams } from "./stream";
import { DirectLineTokens, newGrant } from "./tokens";

/** A conversation token for a new web visitor (the shape of Direct Line's `tokens/generate` answer). */
export interface WebChatGrant {
  token: string;
  conversationId: string;
  /** Seconds until the token expires; the client refreshes it before then. */
  expiresIn: number;
}

/** What the local Direct Line needs. */
export interface LocalDirectLineOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:3978`: read only once requests arrive (the port may be chosen at listen). */
  baseUrl: () => string;
  logger: Logger;
  clock?: () => Date;
  limits?: Partial<DirectLineLimits>;
  /** How long the bot has to answer an activity (15 seconds). */
  botTimeoutMs?: number;
  /** How often WebSockets are pinged (30 seconds). */
  heartbeatMs?: number;
}

/**
 * A Direct Line 3.0 service inside the bot, for development and tests, so that Web Chat (`botframework-directlinejs`)
 * talks to the bot without Azure: the client API and WebSocket streams under `/v3/directline`, and the connector API the
 * bot replies through (its service URL is `<base>/v3/directline/`). Activities are delivered to the bot's own
 * `/api/messages` over HTTP as Azure delivers them. Everything is in memory and bounded (see {@link DirectLineLimits});
 * tokens are HMAC-signed with a key made up at start and last 30 minutes.
 */
export class LocalDirectLine implements MountedService {
  private readonly tokens: DirectLineTokens;
  private readonly conversations: Conversations;
  private readonly streams: ActivityStreams;
  private readonly limits: DirectLineLimits;

  constructor(private readonly options: LocalDirectLineOptions) {
    const now = options.clock ?? (() => new Date());
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.tokens = new DirectLineTokens(now);
    this.conversations = new Conversations(this.limits, {
      added: (conversationId, set) => this.streams.push(conversationId, set),
      ended: (conversationId) => this.streams.end(conversationId),
    });
    this.streams = new ActivityStreams({
      tokens: this.tokens,
      find: (conversationId) => this.conversations.get(conversationId),
      maxPerConversation: this.limits.socketsPerConversation,
      logger: options.logger,
      heartbeatMs: options.heartbeatMs,
    });
  }

  /** A token for a new conversation with a new user id (`dl_…`), both chosen here. */
  issueToken(): WebChatGrant {
    const grant = newGrant();
    const { token, expiresIn } = this.tokens.issue(grant);
    return { token, conversationId: grant.conversationId, expiresIn };
  }

  /** The domain Web Chat's Direct Line client is given: `<base>/v3/directline`. */
  get domain(): string {
    return `${this.options.baseUrl()}${DIRECT_LINE_PATH}`;
  }

  mount(routes: RouteTable): void {
    const now = this.options.clock ?? (() => new Date());
    const { logger } = this.options;
    const bot = new BotDelivery({
      messagesUrl: () => `${this.options.baseUrl()}/api/messages`,
      serviceUrl: () => connectorServiceUrl(this.options.baseUrl()),
      logger,
      timeoutMs: this.options.botTimeoutMs,
    });
    mountClientRoutes(routes, {
      tokens: this.tokens,
      conversations: this.conversations,
      bot,
      baseUrl: this.options.baseUrl,
      limits: this.limits,
      referenceGrammarId: randomUUID(),
      now,
      logger,
    });
    mountConnectorRoutes(routes, { conversations: this.conversations, limits: this.limits, now, logger });
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.streams.upgrade(req, socket, head);
  }

  close(): void {
    this.streams.close();
  }
}
