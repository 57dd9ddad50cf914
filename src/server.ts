import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import restify from "restify";
import type { Request, Response } from "restify";
import type { Activity, TurnContext } from "botbuilder";
import type { BotAdapter } from "./bot-adapter";
import type { Logger } from "./logger";
import { BodyError, readJsonBody } from "./http/json-body";
import type { BodyReader, JsonRoute } from "./http/json-body";
import { readInboundActivity } from "./http/inbound-activity";
import type { TokenCheck } from "./http/channel-token";

/** What the HTTP server needs. */
export interface ServerDependencies {
  adapter: BotAdapter;
  /** Runs one turn of the bot. */
  bot: (context: TurnContext) => Promise<unknown>;
  /** Throws when the state store cannot be reached. */
  ping: () => Promise<void>;
  logger: Logger;
  /** The largest request body, after decompression. */
  maxBodyBytes: number;
  /**
   * Checks the channel's token before the SDK sees it (see `http/channel-token.ts`); absent when authentication is
   * off (no app id configured, local use only).
   */
  checkToken?: (authorization: string | undefined, channelId: string, serviceUrl: string) => Promise<TokenCheck>;
  /** The handler of `POST /api/notify/first-login`; absent when the notify API is off (the route then is a 404). */
  notifyFirstLogin?: JsonRoute;
  /**
   * The local Direct Line (`/v3/directline/...` and its WebSocket streams, see `webchat/direct-line/`); absent when it
   * is off: every `/v3/directline` route is then a 404 and every upgrade request is dropped.
   */
  directLine?: MountedService;
  /** The web chat page and its token route (see `webchat/web-chat.ts`); absent when there is no web chat. */
  webChat?: { mount(routes: RouteTable): void };
}

/** Where a mounted service adds its routes; each runs under the server's guard, as the server's own routes do. */
export interface RouteTable {
  get(path: string, route: JsonRoute): void;
  post(path: string, route: JsonRoute): void;
  put(path: string, route: JsonRoute): void;
}

/** A service served by the bot's server: HTTP routes, WebSocket upgrades, and a close with the server. */
export interface MountedService {
  mount(routes: RouteTable): void;
  /** Handles an HTTP upgrade request; must answer or destroy the socket, and never throw. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops its open connections (WebSockets), so that the server can close. */
  close(): void;
}

/** How long a client may take to send a whole request. */
const REQUEST_TIMEOUT_MS = 30_000;

const BODY_ANSWERS: Readonly<Record<BodyError["status"], string>> = { 400: "bad request", 413: "request too large", 415: "unsupported media type" };

/**
 * The bot's HTTP surface: `POST /api/messages`, `POST /api/notify/first-login` (when configured), `GET /healthz` (the process is alive), `GET /readyz` (the store
 * answers) and the local Direct Line under `/v3/directline` with its WebSocket upgrades (when configured). Every request
 * body is read here, once, with its size limited before and after decompression; nothing a client sends is echoed back, and no request can take the process down. It counts the requests in flight so that
 * shutdown can let them finish.
 */
export class BotServer {
  private readonly server: restify.Server;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: ServerDependencies) {
    this.server = restify.createServer({ name: "nhsmail-helpdesk-bot", handleUncaughtExceptions: false });
    this.server.server.requestTimeout = REQUEST_TIMEOUT_MS;
    // Count each request from its first byte to its response, so shutdown waits for requests still being read too.
    this.server.pre((_req: Request, res: Response, next: restify.Next) => {
      const done = new Promise<void>((resolve) => res.once("close", resolve));
      this.inFlight.add(done);
      void done.then(() => this.inFlight.delete(done));
      next();
    });
    // restify accepts (req, res) handlers only when they are async functions.
    this.server.post("/api/messages", async (req: Request, res: Response) => this.guard(req, res, (readBody) => this.onMessages(req, res, readBody)));
    // eslint-disable-next-line @typescript-eslint/require-await -- restify takes (req, res) handlers only when async
    this.server.get("/healthz", async (_req: Request, res: Response) => void res.send(200, { status: "ok" }));
    this.server.get("/readyz", async (_req: Request, res: Response) => this.onReady(res));
    const notify = deps.notifyFirstLogin;
    if (notify) this.server.post("/api/notify/first-login", async (req: Request, res: Response) => this.guard(req, res, (readBody) => notify(req, res, readBody)));
    deps.directLine?.mount(this.routeTable());
    deps.webChat?.mount(this.routeTable());
    // Anything else under /v3/directline (all of it when the local Direct Line is off) is a plain 404.
    // eslint-disable-next-line @typescript-eslint/require-await -- restify takes (req, res) handlers only when async
    const notFound = async (_req: Request, res: Response): Promise<void> => void res.send(404, { error: "not found" });
    for (const method of ["get", "post", "put", "del", "patch"] as const) this.server[method]("/v3/directline/*", notFound);
    this.server.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Starts listening; resolves with the base URL (port 0 picks a free port). */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address: AddressInfo = this.server.address();
    const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    return `http://${shownHost}:${address.port}`;
  }

  /**
   * Stops accepting connections, then waits (up to `graceMs`) for the requests in flight, including ones whose body
   * is still arriving, to be answered. Idle keep-alive connections are closed at once.
   */
  async close(graceMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const stopped = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
    this.server.server.closeIdleConnections();
    const drained = Promise.allSettled([...this.inFlight]).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (this.inFlight.size > 0) this.deps.logger.warn({ requests: this.inFlight.size }, "shutdown grace period ended with requests in flight");
    // WebSockets stay open through the grace period (replies to turns in flight still reach them), then go.
    this.deps.directLine?.close();
    this.server.server.closeAllConnections();
    await stopped;
  }

  /** Requests received and not yet answered. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Runs a route with a body reader. A refused body (see `http/json-body.ts`) is answered 400, 413 or 415; any other
   * failure a handler did not answer becomes a plain 500. No library message or stack reaches the client.
   */
  private async guard(req: Request, res: Response, handler: (readBody: BodyReader) => Promise<void>): Promise<void> {
    try {
      await handler(() => readJsonBody(req, this.deps.maxBodyBytes));
    } catch (err) {
      if (err instanceof BodyError) {
        this.deps.logger.warn({ route: req.getPath(), reason: err.reason }, "refused a request body");
        // The rest of a refused body is not read: the connection closes rather than parse it as a next request.
        if (err.status === 413 || err.reason === "broken-stream") res.setHeader("connection", "close");
        if (!res.headersSent) res.send(err.status, { error: BODY_ANSWERS[err.status] });
        return;
      }
      const { name, message } = err as Error;
      this.deps.logger.error({ route: req.getPath(), err: { name, message: String(message).slice(0, 200) } }, "request failed");
      if (!res.headersSent) res.send(500, { error: "internal error" });
    }
  }

  /** The table a mounted service adds its routes to: each route runs under {@link guard}. */
  private routeTable(): RouteTable {
    const wrap = (route: JsonRoute) => async (req: Request, res: Response) => this.guard(req, res, (readBody) => route(req, res, readBody));
    return {
      get: (path, route) => void this.server.get(path, wrap(route)),
      post: (path, route) => void this.server.post(path, wrap(route)),
      put: (path, route) => void this.server.put(path, wrap(route)),
    };
  }

  /** An upgrade request goes to the local Direct Line, when it is on and the server is not closing; else it is dropped. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const directLine = this.deps.directLine;
    if (!directLine || this.closing) {
      socket.destroy();
      return;
    }
    try {
      directLine.upgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  }

  private async onMessages(req: Request, res: Response, readBody: BodyReader): Promise<void> {
    const authorization = req.headers.authorization;
    if (this.deps.checkToken && !authorization) {
      this.deps.logger.warn({ reason: "missing" }, "refused a request to /api/messages: token");
      res.send(401, { error: "unauthorized" });
      return;
    }
    const body = await readBody();
    const reading = readInboundActivity(body);
    if (!reading.ok) {
      this.deps.logger.warn({ turnId: turnIdOf(body), field: reading.field }, "refused a malformed activity");
      res.send(400, { error: "bad request" });
      return;
    }
    const activity = reading.activity;
    if (this.deps.checkToken) {
      const check = await this.deps.checkToken(authorization, activity.channelId, activity.serviceUrl);
      if (!check.ok) {
        this.deps.logger.warn({ turnId: turnIdOf(activity), reason: check.reason }, "refused a request to /api/messages: token");
        res.send(check.status, { error: check.status === 401 ? "unauthorized" : "try again later" });
        return;
      }
    }
    let answer;
    try {
      answer = await this.deps.adapter.runActivity(authorization ?? "", activity, (context) => this.deps.bot(context).then(() => undefined));
    } catch (err) {
      if ((err as Error).name !== "AuthenticationError") throw err;
      this.deps.logger.warn({ turnId: turnIdOf(activity), reason: "sdk" }, "refused a request to /api/messages: token");
      res.send(401, { error: "unauthorized" });
      return;
    }
    if (answer?.body === undefined) res.send(answer?.status ?? 200);
    else res.send(answer.status, answer.body);
  }

  private async onReady(res: Response): Promise<void> {
    try {
      await this.deps.ping();
      res.send(200, { status: "ready" });
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message } }, "state store is not reachable");
      res.send(503, { status: "unavailable", reason: "state store not reachable" });
    }
  }
}

/** The activity's id when it is a short string (safe to log as the turn id), else nothing. */
function turnIdOf(body: unknown): string | undefined {
  const id = (body as Partial<Activity> | undefined)?.id;
  return typeof id === "string" && id.length <= 128 && /^[\w:.@|-]+$/.test(id) ? id : undefined;
}
