import fs from "node:fs";
import path from "node:path";
import type { Request, Response } from "restify";
import { CHAT_PAGE_CSS, CHAT_PAGE_SCRIPT, chatPageHtml } from "./chat-page";
import type { ChatPageOptions } from "./chat-page";

/** Where the Web Chat bundle is, inside the installed `botframework-webchat` package (served from here, no CDN). */
export function webChatBundlePath(): string {
  for (const dir of require.resolve.paths("botframework-webchat") ?? []) {
    const candidate = path.join(dir, "botframework-webchat", "dist", "webchat.js");
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("botframework-webchat is not installed (dist/webchat.js not found)");
}

/** The page's security headers: its own scripts only, no framing, and connections only to itself and Direct Line. */
function pageHeaders(res: Response, directLineOrigins: string[]): void {
  const connect = ["'self'", ...directLineOrigins].join(" ");
  res.header(
    "Content-Security-Policy",
    `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; ` +
      `connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  );
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Referrer-Policy", "no-referrer");
  res.header("X-Frame-Options", "DENY");
}

/** The origins (https and wss, or http and ws) of a Direct Line domain such as https://directline.botframework.com/v3/directline. */
export function directLineOrigins(domain: string): string[] {
  const { protocol, host } = new URL(domain);
  return [`${protocol}//${host}`, `${protocol === "https:" ? "wss:" : "ws:"}//${host}`];
}

/** The GET handlers of the web chat page and its files. */
export interface WebChatPages {
  page: (req: Request, res: Response) => void;
  css: (req: Request, res: Response) => void;
  script: (req: Request, res: Response) => void;
  bundle: (req: Request, res: Response) => void;
}

/**
 * Builds the handlers for `GET /chat`, `/chat/chat.css`, `/chat/app.js` and `/chat/webchat.js`. `domainFor` gives the
 * Direct Line domain for a request (the local one follows the address the page was opened at).
 */
export function webChatPages(options: ChatPageOptions & { domainFor: (req: Request) => string }): WebChatPages {
  // Made when first asked for, not at start: reading the helpdesk's number loads the phone library.
  let html: string | undefined;
  const bundle = webChatBundlePath();
  const sendText = (res: Response, type: string, body: string, cache: string): void => {
    res.writeHead(200, { "content-type": `${type}; charset=utf-8`, "cache-control": cache, "x-content-type-options": "nosniff" });
    res.end(body);
  };
  return {
    page: (req, res) => {
      pageHeaders(res, directLineOrigins(options.domainFor(req)));
      sendText(res, "text/html", (html ??= chatPageHtml(options)), "no-cache");
    },
    css: (_req, res) => sendText(res, "text/css", CHAT_PAGE_CSS, "public, max-age=3600"),
    script: (_req, res) => sendText(res, "text/javascript", CHAT_PAGE_SCRIPT, "public, max-age=3600"),
    bundle: (_req, res) => {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400", "x-content-type-options": "nosniff" });
      fs.createReadStream(bundle)
        .on("error", () => res.destroy())
        .pipe(res);
    },
  };
}
