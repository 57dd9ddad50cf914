import type { Request, Response } from "restify";
import { hasBody } from "../http/json-body";
import type { BodyReader, JsonRoute } from "../http/json-body";
import { withinClientLimit } from "../http/client-limit";
import type { Logger } from "../logger";
import type { ThrottleDecision } from "../verification/ports";
import type { WebChatToken } from "./direct-line-tokens";
import { DirectLineUnavailable } from "./direct-line-tokens";

/** What `POST /api/webchat/token` needs. */
export interface WebChatTokenRouteOptions {
  /** Counts one request from a client address (shared by every instance through the store). */
  limit: (client: string) => Promise<ThrottleDecision>;
  /** A new conversation token for a new visitor (asking from `req`): from Azure's Direct Line, or the local one. */
  issue: (req: Request) => Promise<WebChatToken>;
  /** The Direct Line domain the page's client talks to, for a request. */
  domain: (req: Request) => string;
  logger: Logger;
  clock?: () => Date;
}

/**
 * `POST /api/webchat/token`: a conversation token for the web chat page, `{ token, conversationId, domain, expiresIn }`.
 * Limited per client address (429 with Retry-After). A body, if sent, is read through the server's limits and then
 * ignored, so nothing a browser sends (a user id, say) can choose whose conversation it joins. The Direct Line
 * secret never leaves the server.
 */
export function createWebChatTokenRoute(options: WebChatTokenRouteOptions): JsonRoute {
  const clock = options.clock ?? (() => new Date());
  return async (req: Request, res: Response, readBody: BodyReader): Promise<void> => {
    res.header("Cache-Control", "no-store");
    if (!(await withinClientLimit(req, res, options.limit, clock))) return;
    if (hasBody(req)) await readBody();
    try {
      const issued = await options.issue(req);
      res.send(200, { token: issued.token, conversationId: issued.conversationId, domain: options.domain(req), expiresIn: issued.expiresIn });
    } catch (err) {
      const reason = err instanceof DirectLineUnavailable ? err.reason : "failed";
      options.logger.warn({ reason }, "could not get a web chat token");
      res.send(503, { error: "web chat is unavailable; please try again in a moment" });
    }
  };
}
