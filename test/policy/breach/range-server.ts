import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake range API does with the next requests. */
export type Behaviour = "ok" | "hang" | "stall-body" | "500" | "429" | "malformed";

/** One request as the server saw it. */
export interface SeenRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * A local stand-in for api.pwnedpasswords.com: `GET /range/ABCDE` answers `SUFFIX:COUNT` lines joined by CRLF,
 * sorted by suffix, and with `Add-Padding: true` adds 800 random `SUFFIX:0` lines, as the real API does.
 */
export class RangeServer {
  readonly requests: SeenRequest[] = [];
  behaviour: Behaviour = "ok";
  retryAfter = "30";
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  /** Full upper-case SHA-1 → count (0 marks a hash the answer lists only as padding). */
  readonly counts = new Map<string, number>();

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // restify, loaded by other suites in the same process, replaces ServerResponse#writeHead with one that does not
  // return the response, so calls are never chained here.
  private reply(res: http.ServerResponse, status: number, body: string): void {
    res.writeHead(status);
    res.end(body);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({ url: req.url ?? "", headers: req.headers });
    const match = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? "");
    if (this.behaviour === "hang") return;
    if (this.behaviour === "500") return this.reply(res, 500, "Internal Server Error");
    if (this.behaviour === "429") {
      res.writeHead(429, { "Retry-After": this.retryAfter, "Content-Type": "application/json" });
      return void res.end('{"statusCode":429,"message":"Rate limit is exceeded."}');
    }
    if (this.behaviour === "malformed") return this.reply(res, 200, "<html>captive portal</html>");
    if (match === null || req.method !== "GET") return this.reply(res, 400, "The hash prefix was not in a valid format");
    const prefix = match[1];
    const lines: string[] = [];
    for (const [hash, count] of this.counts) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:${count}`);
    if (req.headers["add-padding"] === "true") {
      for (let i = 0; i < 800; i++) lines.push(`${crypto.randomBytes(18).toString("hex").toUpperCase().slice(0, 35)}:0`);
    }
    lines.sort();
    res.writeHead(200, { "Content-Type": "text/plain" });
    if (this.behaviour === "stall-body") return void res.write(lines.slice(0, 10).join("\r\n"));
    res.end(lines.join("\r\n"));
  }
}
