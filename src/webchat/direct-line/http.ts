import type { Request, Response } from "restify";

/** The fixed answer of each refusal: never anything the client sent, nor why exactly. */
const ANSWERS = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  413: "request too large",
  502: "bot unavailable",
} as const;

/** Answers a refusal with its fixed word. */
export function refuse(res: Response, status: keyof typeof ANSWERS): void {
  res.send(status, { error: ANSWERS[status] });
}

/** A route parameter, decoded by the router; empty when absent. */
export function paramOf(req: Request, name: string): string {
  const params = req.params as Record<string, unknown> | undefined;
  const value = params?.[name];
  return typeof value === "string" ? value : "";
}

