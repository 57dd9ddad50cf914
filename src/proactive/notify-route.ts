import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "restify";
import { z } from "zod";
import { readNhsmailAddress } from "../directory/email";
import type { Logger } from "../logger";
import type { NotifyStatus } from "./first-login-notifier";
import type { BodyReader, JsonRoute } from "../http/json-body";
import { withinClientLimit } from "../http/client-limit";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The body of `POST /api/notify/first-login`. */
export const notifyBodySchema = z
  .object({
    email: z.string().max(320).transform((value, ctx) => {
      const reading = readNhsmailAddress(value);
      if (reading.ok) return reading.email;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be an @nhs.net email address" });
      return z.NEVER;
    }),
    aadObjectId: z.string().regex(GUID, "must be a GUID (the user's Entra object id)").transform((v) => v.toLowerCase()).optional(),
  })
  .strict();

/** What the notify route needs. */
export interface NotifyRouteOptions {
  /** The shared secret callers send as `Authorization: Bearer <secret>`. */
  secret: string;
  /** Counts one call from a client address against the rate limit (shared by every instance through the store). */
  limit: (client: string) => Promise<{ allowed: boolean; retryAt?: Date }>;
  clock?: () => Date;
  notify: (email: string, aadObjectId?: string) => Promise<NotifyStatus>;
  logger: Logger;
}

/** Compares a presented bearer token with the secret in constant time (both are hashed to the same length first). */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
  const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(secret)) && presented.length > 0;
}

/**
 * Builds the restify handler of `POST /api/notify/first-login`: rate limit by client address (429), shared-secret
 * check (401), body validation (400), then the notifier's answer `{ status }` (200).
 */
export function createNotifyHandler(options: NotifyRouteOptions): JsonRoute {
  const clock = options.clock ?? (() => new Date());
  return async (req: Request, res: Response, readBody: BodyReader): Promise<void> => {
    if (!(await withinClientLimit(req, res, options.limit, clock))) return;
    if (!bearerMatches(req.headers.authorization, options.secret)) {
      options.logger.warn("refused an unauthenticated first-login notify call");
      res.send(401, { error: "unauthorized" });
      return;
    }
    const parsed = notifyBodySchema.safeParse(await readBody());
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message.replace(/^./, (c) => c.toLowerCase())}`);
      res.send(400, { error: "invalid request", problems });
      return;
    }
    const status = await options.notify(parsed.data.email, parsed.data.aadObjectId);
    options.logger.info({ status }, "first-login notify call answered");
    res.send(200, { status });
  };
}
