import type { Request, Response } from "restify";
import type { RouteTable } from "../../server";
import type { Logger } from "../../logger";
import type { BodyReader } from "../../http/json-body";
import { readBotActivity } from "./activities";
import type { Conversations, DirectLineLimits } from "./conversations";
import { paramOf, refuse } from "./http";

/**
 * The path the bot's service URL points at: the Bot Framework connector client calls
 * `{serviceUrl}v3/conversations/{conversationId}/activities[/{activityId}]`, so with a service URL of
 * `http://host:port/v3/directline/` its calls land under this path.
 */
export const CONNECTOR_PATH = "/v3/directline/v3/conversations";

/** The service URL put on the activities the bot receives. */
export function connectorServiceUrl(baseUrl: string): string {
  return `${baseUrl}/v3/directline/`;
}

/** What the connector routes need. */
export interface ConnectorRoutesDependencies {
  conversations: Conversations;
  limits: DirectLineLimits;
  now: () => Date;
  logger: Logger;
}

/**
 * The part of the Bot Framework connector API the bot uses to talk in a Direct Line conversation:
 *
 * - `POST …/{conversationId}/activities` (a message, proactive ones too) and `…/activities/{replyToId}` (a reply);
 * - `PUT …/{conversationId}/activities/{activityId}` (replaces a card in place: the client gets it again, same id).
 *
 * Each is kept in the conversation, pushed to its streams at once, and answered `{ id }` as the real connector does.
 * The bot calls them unsigned (it has no app id when this service runs), so only calls from this machine are taken.
 */
export function mountConnectorRoutes(routes: RouteTable, deps: ConnectorRoutesDependencies): void {
  const activities = `${CONNECTOR_PATH}/:conversationId/activities`;
  routes.post(activities, (req, res, readBody) => send(deps, req, res, readBody));
  routes.post(`${activities}/:activityId`, (req, res, readBody) => send(deps, req, res, readBody));
  routes.put(`${activities}/:activityId`, (req, res, readBody) => update(deps, req, res, readBody));
}

/** Whether the request comes from this machine (the bot calling its own service URL). */
function fromThisMachine(req: Request): boolean {
  const remote = req.socket.remoteAddress ?? "";
  return remote === req.socket.localAddress || remote === "127.0.0.1" || remote === "::1" || remote.startsWith("::ffff:127.");
}

/** The stamped activity of a connector call, or undefined once the request is answered. */
async function readActivity(deps: ConnectorRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<Record<string, unknown> | undefined> {
  if (!fromThisMachine(req)) {
    deps.logger.warn({ reason: "not-local" }, "local Direct Line: refused a connector call");
    refuse(res, 403);
    return undefined;
  }
  const conversationId = paramOf(req, "conversationId");
  if (!deps.conversations.get(conversationId)) {
    refuse(res, 404);
    return undefined;
  }
  const reading = readBotActivity(await readBody(), { conversationId, now: deps.now() });
  if (!reading.ok) {
    deps.logger.warn("local Direct Line: refused a malformed connector call");
    refuse(res, 400);
    return undefined;
  }
  if (Buffer.byteLength(JSON.stringify(reading.activity)) > deps.limits.bytesPerConversation) {
    refuse(res, 413);
    return undefined;
  }
  return reading.activity;
}

async function send(deps: ConnectorRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  const activity = await readActivity(deps, req, res, readBody);
  if (!activity) return;
  const stored = deps.conversations.add(paramOf(req, "conversationId"), activity);
  if (!stored) return refuse(res, 404);
  res.send(200, { id: stored.id });
}

async function update(deps: ConnectorRoutesDependencies, req: Request, res: Response, readBody: BodyReader): Promise<void> {
  const activity = await readActivity(deps, req, res, readBody);
  if (!activity) return;
  const activityId = paramOf(req, "activityId");
  const stored = deps.conversations.replace(paramOf(req, "conversationId"), activityId, activity);
  if (!stored) return refuse(res, 404);
  res.send(200, { id: stored.id });
}
