import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

/**
 * A local stand-in for Azure Bot Service's Direct Line token API (directline.botframework.com cannot be reached from
 * here): `POST /v3/directline/tokens/generate` with `Authorization: Bearer <secret>` and an optional
 * `{ "user": { "id": … } }` body answers `{ conversationId, token, expires_in }` as the service documents.
 */
export class DirectLineTokenApi {
  /** What each call carried: the bearer and the user id asked for. */
  readonly calls: Array<{ authorization: string; userId: string | undefined }> = [];
  /** Answer the next calls with these statuses instead. */
  readonly failWith: number[] = [];
  private server?: http.Server;
  url = "";

  constructor(private readonly secret: string) {}

  /** The domain to give the bot as `DIRECTLINE_DOMAIN`. */
  get domain(): string {
    return `${this.url}/v3/directline`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const authorization = req.headers.authorization ?? "";
        const userId = (JSON.parse(body || "{}") as { user?: { id?: string } }).user?.id;
        this.calls.push({ authorization, userId });
        const failure = this.failWith.shift();
        const answer = (status: number, json?: unknown): void => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(json === undefined ? "" : JSON.stringify(json));
        };
        if (failure !== undefined) return answer(failure, { error: { code: "ServiceError" } });
        if (req.method !== "POST" || req.url !== "/v3/directline/tokens/generate") return answer(404);
        if (authorization !== `Bearer ${this.secret}`) return answer(403, { error: { code: "BadArgument" } });
        answer(200, { conversationId: `conv-${randomUUID()}`, token: `token-${randomUUID()}`, expires_in: 3600 });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
