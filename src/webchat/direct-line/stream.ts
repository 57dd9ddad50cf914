import { STATUS_CODES } from "node:http";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import WebSocket, { WebSocketServer } from "ws";
import type { Logger } from "../../logger";
import type { ActivitySet, Conversation } from "./conversations";
import type { DirectLineTokens } from "./tokens";
import { parseWatermark, queryOf, searchParamsOf } from "./query";

/** The stream's path; the conversation id is the service's own (URL-safe, 24 characters). */
const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

/** What a client may send on the stream (it sends only empty keep-alive messages). */
const MAX_CLIENT_MESSAGE_BYTES = 4096;

/** Output queued for a client that does not read; past it, the socket is dropped (the client reconnects). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** How often each socket is pinged; one that has not answered the last ping by the next is dropped. */
const HEARTBEAT_MS = 30_000;

/** What the streams need. */
export interface ActivityStreamsOptions {
  tokens: DirectLineTokens;
  /** A started conversation (evicted ones are gone). */
  find: (conversationId: string) => Conversation | undefined;
  maxPerConversation: number;
  logger: Logger;
  heartbeatMs?: number;
}

/** The WebSocket URL of a conversation's stream, with a stream token and the watermark to start after. */
export function streamUrlOf(baseUrl: string, conversationId: string, streamToken: string, watermark?: number): string {
  const url = new URL(`/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream`, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (watermark !== undefined) url.searchParams.set("watermark", String(watermark));
  url.searchParams.set("t", streamToken);
  return url.toString();
}

/**
 * The WebSocket stream of each conversation (`GET /v3/directline/conversations/{id}/stream?t=<stream token>`): on
 * connecting, the activities after the URL's watermark; then each activity as it is added, as
 * `{ activities: [...], watermark }` frames, as Direct Line sends them. Bounded: a few sockets per conversation,
 * tiny client messages, a cap on unread output, and a ping that drops dead sockets.
 */
export class ActivityStreams {
  private readonly server = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  private readonly byConversation = new Map<string, Set<WebSocket>>();
  private readonly answered = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ActivityStreamsOptions) {
    this.heartbeat = setInterval(() => this.ping(), options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Handles an HTTP upgrade request. Anything but a stream path is dropped at once; a stream request without a good
   * token, for a conversation that is not there, or one socket too many, is answered with a bare status and closed.
   * Never throws.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    try {
      this.accept(req, socket, head);
    } catch (err) {
      this.options.logger.warn({ err: { name: (err as Error).name } }, "local Direct Line: a stream request failed");
      socket.destroy();
    }
  }

  /** Sends added activities to the conversation's sockets. */
  push(conversationId: string, set: ActivitySet): void {
    const sockets = this.byConversation.get(conversationId);
    if (!sockets) return;
    const frame = JSON.stringify(set);
    for (const ws of sockets) this.send(ws, frame);
  }

  /** Closes a conversation's sockets (it was evicted). */
  end(conversationId: string): void {
    for (const ws of this.byConversation.get(conversationId) ?? []) ws.close(1000, "conversation ended");
  }

  /** Drops every socket and stops the heartbeat; later upgrades are refused. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const sockets of this.byConversation.values()) for (const ws of sockets) ws.terminate();
    this.byConversation.clear();
  }

  /** Open sockets of a conversation. */
  socketsOf(conversationId: string): number {
    return this.byConversation.get(conversationId)?.size ?? 0;
  }

  private accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = req.url ?? "";
    const match = STREAM_PATH.exec(url.split("?")[0] ?? "");
    if (this.closed || req.method !== "GET" || !match) {
      socket.destroy();
      return;
    }
    const conversationId = match[1];
    const params = searchParamsOf(queryOf(url));
    const check = this.options.tokens.verify(params?.get("t"), "stream");
    if (!check.ok) return this.refuse(socket, 401, check.reason);
    const conversation = this.options.find(conversationId);
    if (check.grant.conversationId !== conversationId || (conversation && conversation.userId !== check.grant.userId)) return this.refuse(socket, 403, "wrong-conversation");
    if (!conversation) return this.refuse(socket, 404, "no-conversation");
    const watermark = parseWatermark(params?.get("watermark"));
    if (!watermark.ok) return this.refuse(socket, 400, "watermark");
    if (this.socketsOf(conversationId) >= this.options.maxPerConversation) return this.refuse(socket, 429, "too-many-sockets");
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws, conversationId, watermark.value));
  }

  private attach(ws: WebSocket, conversationId: string, watermark: number | undefined): void {
    const conversation = this.options.find(conversationId);
    if (!conversation || this.closed) {
      ws.terminate();
      return;
    }
    let sockets = this.byConversation.get(conversationId);
    if (!sockets) this.byConversation.set(conversationId, (sockets = new Set()));
    sockets.add(ws);
    this.answered.add(ws);
    ws.on("error", () => ws.terminate());
    ws.on("pong", () => this.answered.add(ws));
    // The client's messages are keep-alives (empty); their content is never read.
    ws.on("message", () => this.answered.add(ws));
    ws.once("close", () => {
      const open = this.byConversation.get(conversationId);
      open?.delete(ws);
      if (open?.size === 0) this.byConversation.delete(conversationId);
    });
    const backlog = conversation.after(watermark);
    if (backlog.activities.length > 0) this.send(ws, JSON.stringify(backlog));
  }

  private send(ws: WebSocket, frame: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.options.logger.warn("local Direct Line: dropped a stream that does not read");
      ws.terminate();
      return;
    }
    ws.send(frame, (err) => {
      if (err) ws.terminate();
    });
  }

  private ping(): void {
    for (const sockets of this.byConversation.values()) {
      for (const ws of sockets) {
        if (!this.answered.has(ws)) {
          ws.terminate();
          continue;
        }
        this.answered.delete(ws);
        try {
          ws.ping();
        } catch {
          ws.terminate();
        }
      }
    }
  }

  /** Answers an upgrade request with a bare status (no body) and closes the connection. */
  private refuse(socket: Duplex, status: 400 | 401 | 403 | 404 | 429, reason: string): void {
    this.options.logger.warn({ status, reason }, "local Direct Line: refused a stream");
    socket.once("finish", () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}
