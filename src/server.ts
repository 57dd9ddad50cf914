import type { AddressInfo } from "node:net";
import restify from "restify";
import type { Request, Response } from "restify";
import type { CloudAdapter, TurnContext } from "botbuilder";
import type { Logger } from "./logger";

/** What the HTTP server needs. */
export interface ServerDependencies {
  adapter: CloudAdapter;
  /** Runs one turn of the bot. */
  bot: (context: TurnContext) => Promise<unknown>;
  /** Throws when the state store cannot be reached. */
  ping: () => Promise<void>;
  logger: Logger;
  maxBodyBytes: number;
  /** True when Bot Framework authentication is on (an app id is configured). */
  authenticationRequired: boolean;
  /** The handler of `POST /api/notify/first-login`; absent when the notify API is off (the route then is a 404). */
  notifyFirstLogin?: (req: Request, res: Response) => Promise<void>;
}

/**
 * The bot's HTTP surface: `POST /api/messages`, `POST /api/notify/first-login` (when configured), `GET /healthz` (the process is alive) and `GET /readyz` (the store
 * answers). It counts the turns in flight so that shutdown can let them finish.
 */
export class BotServer {
  private readonly server: restify.Server;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly deps: ServerDependencies) {
    this.server = restify.createServer({ name: "nhsmail-helpdesk-bot", handleUncaughtExceptions: false });
    // Count each request from its first byte to its response, so shutdown waits for requests still being read too.
    this.server.pre((_req: Request, res: Response, next: restify.Next) => {
      const done = new Promise<void>((resolve) => res.once("close", resolve));
      this.inFlight.add(done);
      void done.then(() => this.inFlight.delete(done));
      next();
    });
    this.server.use(restify.plugins.bodyReader({ maxBodySize: deps.maxBodyBytes }));
    // bodyReader: true tells the JSON parser the body has already been read (with the size limit above).
    this.server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
    // restify accepts (req, res) handlers only when they are async functions.
    this.server.post("/api/messages", async (req: Request, res: Response) => this.onMessages(req, res));
    // eslint-disable-next-line @typescript-eslint/require-await -- restify takes (req, res) handlers only when async
    this.server.get("/healthz", async (_req: Request, res: Response) => void res.send(200, { status: "ok" }));
    this.server.get("/readyz", async (_req: Request, res: Response) => this.onReady(res));
    const notify = deps.notifyFirstLogin;
    if (notify) this.server.post("/api/notify/first-login", async (req: Request, res: Response) => notify(req, res));
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
    this.server.server.closeAllConnections();
    await stopped;
  }

  /** Requests received and not yet answered. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  private async onMessages(req: Request, res: Response): Promise<void> {
    // The adapter would refuse this too, but with a stack trace on the console for every unsigned probe.
    if (this.deps.authenticationRequired && !req.headers.authorization) {
      this.deps.logger.warn("refused an unsigned request to /api/messages");
      res.send(401, { error: "unauthorized" });
      return;
    }
    await this.deps.adapter.process(req, res, (context) => this.deps.bot(context).then(() => undefined));
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
