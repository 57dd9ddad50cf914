import type { Request, Response } from "restify";
import type { RouteTable } from "../server";
import type { Logger } from "../logger";
import type { ThrottleDecision } from "../verification/ports";
import type { WebChatToken } from "./direct-line-tokens";
import { createWebChatTokenRoute } from "./token-route";
import { webChatPages } from "./web-routes";

/** What the web chat needs: where its Direct Line is, how to get a token, and the limits. */
export interface WebChatOptions {
  helpdeskPhone: string;
  /** The Direct Line domain the page's client uses, for a request (the local one follows the page's own address). */
  domainFor: (req: Request) => string;
  /** A conversation token for a new visitor. */
  issue: () => Promise<WebChatToken>;
  /** Counts one token request from a client address. */
  limit: (client: string) => Promise<ThrottleDecision>;
  /** Remembers which client address (as a pseudonym) a new conversation came from, for the per-user limits. */
  rememberClient: (conversationId: string, client: string) => Promise<void>;
  logger: Logger;
}

/**
 * The web chat channel's own routes: the page (`GET /chat` and its files) and `POST /api/webchat/token`. Mounted on
 * the bot's server, so every route runs under its guard.
 */
export function createWebChat(options: WebChatOptions): { mount(routes: RouteTable): void } {
  return {
    mount(routes) {
      const pages = webChatPages({ helpdeskPhone: options.helpdeskPhone, domainFor: options.domainFor });
      const get = (path: string, handler: (req: Request, res: Response) => void): void =>
        routes.get(path, (req, res) => Promise.resolve(handler(req, res)));
      get("/chat", pages.page);
      get("/chat/chat.css", pages.css);
      get("/chat/app.js", pages.script);
      get("/chat/webchat.js", pages.bundle);
      const tokenRoute = createWebChatTokenRoute({
        limit: options.limit,
        domain: options.domainFor,
        logger: options.logger,
        issue: async (req) => {
          const issued = await options.issue();
          await options.rememberClient(issued.conversationId, req.socket.remoteAddress ?? "unknown");
          return issued;
        },
      });
      routes.post("/api/webchat/token", tokenRoute);
    },
  };
}
