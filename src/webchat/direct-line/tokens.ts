import { randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";

/** How long a conversation token lives (Direct Line's own: 30 minutes; the client refreshes it every 15). */
export const TOKEN_SECONDS = 30 * 60;

/** How long a stream URL's token may wait before its WebSocket connects (Direct Line's: 60 seconds). */
export const STREAM_TOKEN_SECONDS = 60;

/** The longest `Authorization` header or stream token looked at; anything longer is refused unread. */
const MAX_TOKEN_CHARS = 2048;

const ISSUER = "local-directline";

/** What a token grants: one conversation, as one user, both chosen by the server. */
export interface Grant {
  conversationId: string;
  userId: string;
}

/** A conversation token (for the REST API) or a stream token (only for the WebSocket at `streamUrl`). */
export type TokenKind = "conversation" | "stream";

/** A token as the API hands it out. */
export interface IssuedToken {
  token: string;
  /** Seconds until it expires. */
  expiresIn: number;
}

/** A token's check: its grant, or why it was refused (401: no token or not ours; 403: expired). */
export type TokenCheck = { ok: true; grant: Grant } | { ok: false; status: 401 | 403; reason: "missing" | "invalid" | "expired" };

/** A new conversation id: 24 URL-safe random characters. */
export function newConversationId(): string {
  return randomBytes(18).toString("base64url");
}

/** A user id the server makes up for a web visitor: `dl_` + random, as Direct Line's reserved prefix says. */
export function newUserId(): string {
  return `dl_${randomBytes(16).toString("hex")}`;
}

/** A new conversation with a new user, both made up here. */
export function newGrant(): Grant {
  return { conversationId: newConversationId(), userId: newUserId() };
}

/**
 * Direct Line tokens, as JWTs (HS256) signed with a key made up at start: a restart invalidates every token. A token
 * carries its conversation (`conv`) and user (`user`) as Direct Line's do, so a client can neither choose nor change
 * either. Tokens are never logged.
 */
export class DirectLineTokens {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** A token of `kind` for the grant. */
  issue(grant: Grant, kind: TokenKind = "conversation"): IssuedToken {
    const seconds = kind === "stream" ? STREAM_TOKEN_SECONDS : TOKEN_SECONDS;
    const iat = Math.floor(this.now().getTime() / 1000);
    const token = jwt.sign({ conv: grant.conversationId, user: grant.userId, iat, exp: iat + seconds }, this.key, {
      algorithm: "HS256",
      issuer: ISSUER,
      audience: kind,
    });
    return { token, expiresIn: seconds };
  }

  /** Checks a token of `kind`. */
  verify(token: string | undefined | null, kind: TokenKind = "conversation"): TokenCheck {
    if (!token) return { ok: false, status: 401, reason: "missing" };
    if (token.length > MAX_TOKEN_CHARS) return { ok: false, status: 401, reason: "invalid" };
    let claims: unknown;
    try {
      claims = jwt.verify(token, this.key, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: kind,
        clockTimestamp: Math.floor(this.now().getTime() / 1000),
      });
    } catch (err) {
      return (err as Error).name === "TokenExpiredError" ? { ok: false, status: 403, reason: "expired" } : { ok: false, status: 401, reason: "invalid" };
    }
    const { conv, user } = (claims ?? {}) as { conv?: unknown; user?: unknown };
    if (typeof conv !== "string" || typeof user !== "string") return { ok: false, status: 401, reason: "invalid" };
    return { ok: true, grant: { conversationId: conv, userId: user } };
  }

  /** Checks the conversation token in an `Authorization: Bearer …` header. */
  verifyAuthorization(header: string | undefined): TokenCheck {
    if (!header) return { ok: false, status: 401, reason: "missing" };
    if (header.length > MAX_TOKEN_CHARS + 16) return { ok: false, status: 401, reason: "invalid" };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? this.verify(match[1], "conversation") : { ok: false, status: 401, reason: "invalid" };
  }
}
