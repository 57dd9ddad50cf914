import { randomBytes } from "node:crypto";
import type { Request, Response } from "restify";
import type { RouteTable } from "../../server";
import type { Logger } from "../../logger";
import type { BodyReader } from "../../http/json-body";
import { BOT_ACCOUNT, CHANNEL_ID, readClientActivity } from "./activities";
import type { BotDelivery } from "./bot-delivery";
import type { Conversation, Conversations, DirectLineLimits } from "./conversations";
import { paramOf, refuse } from "./http";
import { hasBody } from "../../http/json-body";
import { parseWatermark, queryOf, searchParamsOf } from "./query";
import { streamUrlOf } from "./stream";
import { newGrant } from "./tokens";
import type { DirectLineTokens, Grant } from "./tokens";

/** The Direct Line 3.0 API's root path. */
export const DIRECT_LINE_PATH = "/v3/directline";

/** What the client API needs. */
export interface ClientRoutesDependencies {
  tokens: DirectLineTokens;
  conversations: Conversations;
  bot: BotDelivery;
  /** The server's base URL (known once it listens), for stream URLs. */
  baseUrl: () => string;
  limits: DirectLineLimits;
  /** Handed out with each conversation, as Direct Line does (Web Chat's speech uses it). */
  referenceGrammarId: string;
  now: () => Date;
  logger: Logger;
}

/**
 * The Direct Line 3.0 client API, as `botframework-directlinejs` (inside Web Chat) calls it:
 *
 * - `POST /tokens/generate`: a new conversation id with a token for it and a user id the server chose;
 * - `POST /tokens/refresh`: a fresh token for the same conversation and user;
 * - `POST /conversations`: starts the token's conversation (201; 200 when it has started already), with a stream URL;
 * - `GET /conversations/{id}?watermark=N`: the same with a fresh stream URL that starts after the watermark (reconnect);
 *   like every route of a conversation, it starts the conversation when the token has not been used before;
 * - `POST /conversations/{id}/activities`: posts an activity, delivered to the bot, answered `{ id }`;
 * - `GET /conversations/{id}/activities?watermark=N`: the activities after the watermark, `{ activities, watermark }`.
 *
 * A token opens only its own conversation (another's is a 403), and what a client posts is always from the token's
 * user. Tokens are answered `Cache-Control: no-store` and never logged.
 */
export function mountClientRoutes(routes: RouteTable, deps: ClientRoutesDependencies): void {
  const p = DIRECT_LINE_PATH;
  routes.post(`${p}/tokens/generate`, (req, res, readBody) => generate(deps, req, res, readBody));
  routes.post(`${p}/tokens/refresh`, (req, res, readBody) => refresh(deps, req, res, readBody));
  routes.post(`${p}/conversations`, (req, res, readBody) => start(deps, req, res, readBody));
  routes.get(`${p}/conversations/:conversationId`, (req, res) => reconnect(deps, req, res));
  routes.post(`${p}/conversations/:conversationId/activities`, (req, res, readBody) => post(deps, req, res, readBody));
  routes.get(`${p}/conversations/:conversationId/activities`, (req, res) => list(deps, req, res));
}

/** The token answer of `tokens/generate` and `tokens/refresh`. */
function tokenAnswer(deps: ClientRoutesDependencies, grant: Grant): Record<string, unknown> {
  const { token, expiresIn } = deps.tokens.issue(grant);
  return { conversationId: grant.conversationId, token, expires_in: expiresIn };
}

/** The conversation answer: a fresh token, and a stream URL (with its own short-lived token) after the watermark. */
function conversationAnswer(deps: ClientRoutesDependencies, grant: Grant, watermark?: number): Record<string, unknown> {
  const stream = deps.tokens.issue(grant, "stream").token;
  return {
    ...tokenAnswer(deps, grant),
    streamUrl: streamUrlOf(deps.baseUrl(), grant.conversationId, stream, watermark),
    referenceGrammarId: deps.referenceGrammarId,
  };
}

/** The token's grant, or undefined once the request is answered (401 no or bad token, 403 expired). */
function authorize(deps: ClientRoutesDependencies, req: Request, res: Response): Grant | undefined {
  const check = deps.tokens.verifyAuthorization(req.headers.authorization);
  if (check.ok) return check.grant;
  // An expired token is routine (a tab left open); anything else is worth a warning.
  deps.logger[check.reason === "expired" ? "debug" : "warn"]({ reason: check.reason }, "local Direct Line: refused a token");
  refuse(res, check.status);
  return undefined;
}

/**
 * The token's conversation, started on its first use (as on Azure, where a token's conversation exists from the
 * moment the token is made: a client may reconnect to it without starting it); the bot hears that it started.
 * Undefined once answered 403 when the token's user is not the conversation's (never, with tokens made here).
 */
function open(deps: ClientRoutesDependencies, res: Response, grant: Grant, locale?: string): { conversation: Conversation; created: boolean } | undefined {
  const { conversation, created } = deps.conversations.start(grant);
  if (conversation.userId !== grant.userId) {
    refuse(res, 403);
    return undefined;
  }
  if (created) {
    // As Azure does, the bot hears that the conversation started (the user is in the token, so both join now).
    void deps.bot.deliver({
      type: "conversationUpdate",
      id: `${grant.conversationId}|${randomBytes(6).toString("hex")}`,
      timestamp: deps.now().toISOString(),
      channelId: CHANNEL_ID,
      from: { id: grant.userId },
      recipient: { ...BOT_ACCOUNT },
      conversation: { id: grant.conversationId },
      membersAdded: [{ ...BOT_ACCOUNT }, { id: grant.userId }],
      ...(locale ? { locale } : {}),
    });
  }
  return { conversation, created };
}

/**
 * The conversation of the path, when the token is for it; else undefined once answered (403 when the token is for
 * another conversation, whether or not that one exists).
 */
function conversationFor(deps: ClientRoutesDependencies, req: Request, res: Response): { grant: Grant; conversation: Conversation } | undefined {
  const grant = authorize(deps, req, res);
  if (!grant) return undefined;
  if (paramOf(req, "conversationId") !== grant.conversationId) {
    deps.logger.warn({ reason: "wrong-conversation" }, "local Direct Line: refused a token");
    refuse(res, 403);
    return undefined;
  }
  const opened = open(deps, res, grant);
  return opened && { grant, conversation: opened.conversation };
}

/** The request's watermark, or undefined once a bad one is answered 400 (`null`: none given). */
function watermarkOf(req: Request, res: Response): number | null | undefined {
  const params = searchParamsOf(queryOf(req.url));
  const reading = params ? parseWatermark(params.get("watermark")) : ({ ok: false } as const);
  if (!reading.ok) {
    refuse(res, 400);
    return undefined;
  }
  return reading.value ?? null;
}

async function generate(deps: ClientRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  res.header("Cache-Control", "no-store");
  // Azure takes a user id here from the holder of the secret; this service has no secret, so it chooses the user
  // itself and reads the body only to keep its limits.
  if (hasBody(req)) await readBody();
  const grant = newGrant();
  res.send(200, tokenAnswer(deps, grant));
}

async function refresh(deps: ClientRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  res.header("Cache-Control", "no-store");
  const grant = authorize(deps, req, res);
  if (!grant) return;
  if (hasBody(req)) await readBody();
  res.send(200, tokenAnswer(deps, grant));
}

async function start(deps: ClientRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  res.header("Cache-Control", "no-store");
  const grant = authorize(deps, req, res);
  if (!grant) return;
  // The client may send `{ user: { id }, locale }`: the user is the token's, whatever it says; the locale is kept.
  const body = hasBody(req) ? await readBody() : {};
  const locale = typeof body.locale === "string" && /^[A-Za-z0-9-]{1,32}$/.test(body.locale) ? body.locale : undefined;
  const opened = open(deps, res, grant, locale);
  if (!opened) return;
  res.send(opened.created ? 201 : 200, conversationAnswer(deps, grant));
}

// eslint-disable-next-line @typescript-eslint/require-await -- a route is async
async function reconnect(deps: ClientRoutesDependencies, req: Request, res: Response): Promise<void> {
  res.header("Cache-Control", "no-store");
  const found = conversationFor(deps, req, res);
  if (!found) return;
  const watermark = watermarkOf(req, res);
  if (watermark === undefined) return;
  res.send(200, conversationAnswer(deps, found.grant, watermark ?? undefined));
}

async function post(deps: ClientRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  const found = conversationFor(deps, req, res);
  if (!found) return;
  const body = await readBody();
  const reading = readClientActivity(body, { conversationId: found.conversation.id, userId: found.grant.userId, now: deps.now() });
  if (!reading.ok) {
    deps.logger.warn("local Direct Line: refused a malformed activity");
    return refuse(res, 400);
  }
  if (Buffer.byteLength(JSON.stringify(reading.activity)) > deps.limits.clientActivityBytes) return refuse(res, 413);
  const stored = deps.conversations.add(found.conversation.id, reading.activity);
  if (!stored) return refuse(res, 404);
  if (!(await deps.bot.deliver(stored))) return refuse(res, 502);
  res.send(200, { id: stored.id });
}

// eslint-disable-next-line @typescript-eslint/require-await -- a route is async
async function list(deps: ClientRoutesDependencies, req: Request, res: Response): Promise<void> {
  const found = conversationFor(deps, req, res);
  if (!found) return;
  const watermark = watermarkOf(req, res);
  if (watermark === undefined) return;
  res.send(200, found.conversation.after(watermark ?? undefined));
}
