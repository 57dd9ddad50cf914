import { randomBytes } from "node:crypto";
import { z } from "zod";

/** A Direct Line conversation token for one web visitor. */
export interface WebChatToken {
  token: string;
  conversationId: string;
  /** Seconds until it expires (the client refreshes it before then). */
  expiresIn: number;
}

const tokenAnswer = z.object({ token: z.string().min(1), conversationId: z.string().min(1), expires_in: z.number().int().positive() });

/** A user id the server makes up for a web visitor (`dl_` + random): a browser never chooses whose conversation it joins. */
export function newWebUserId(): string {
  return `dl_${randomBytes(16).toString("hex")}`;
}

/** Thrown when Direct Line's token API cannot give a token; its message never holds the secret. */
export class DirectLineUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`Direct Line token API: ${reason}`);
    this.name = "DirectLineUnavailable";
  }
}

/**
 * Exchanges the Direct Line secret for a conversation token bound to a user id the server chose, through Azure Bot
 * Service's token API (`POST {domain}/tokens/generate`). The secret goes only to Direct Line, never to a browser.
 */
export async function generateDirectLineToken(options: { domain: string; secret: string; userId: string; timeoutMs?: number }): Promise<WebChatToken> {
  let response: Response;
  try {
    response = await fetch(`${options.domain.replace(/\/+$/, "")}/tokens/generate`, {
      method: "POST",
      headers: { authorization: `Bearer ${options.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ user: { id: options.userId } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new DirectLineUnavailable((err as Error).name === "TimeoutError" ? "timed out" : "unreachable");
  }
  if (!response.ok) throw new DirectLineUnavailable(`HTTP ${response.status}`);
  const parsed = tokenAnswer.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new DirectLineUnavailable("unexpected answer");
  return { token: parsed.data.token, conversationId: parsed.data.conversationId, expiresIn: parsed.data.expires_in };
}
