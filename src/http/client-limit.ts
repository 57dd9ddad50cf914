import type { Request, Response } from "restify";
import type { ThrottleDecision } from "../verification/ports";

/**
 * Counts a request against a per-client-address limit; when it is over, answers 429 with `Retry-After` and returns
 * false (the route then stops). Shared by every route that a stranger can call.
 */
export async function withinClientLimit(
  req: Request,
  res: Response,
  limit: (client: string) => Promise<ThrottleDecision>,
  clock: () => Date,
): Promise<boolean> {
  const decision = await limit(req.socket.remoteAddress ?? "unknown");
  if (decision.allowed) return true;
  const wait = decision.retryAt ? decision.retryAt.getTime() - clock().getTime() : 60_000;
  res.header("Retry-After", String(Math.max(1, Math.ceil(wait / 1000))));
  res.send(429, { error: "too many requests" });
  return false;
}
