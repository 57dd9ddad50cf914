/**
 * The Graph stand-in's answers: the reply a handler returns, Graph's OData and the identity platform's OAuth error
 * bodies, Graph's date-time form, and writing a reply to the wire.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";

/** An answer to send: status, optional JSON body and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by the OData query parsers (`$filter`, `$select`); its message becomes the 400 answer's. */
export class ODataError extends Error {}

const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Graph's date-time form: ISO 8601 in UTC, whole seconds. */
export function graphDateTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Graph's OData error body. */
export function odataError(code: string, message: string, clientRequestId: string = randomUUID()): unknown {
  return { error: { code, message, innerError: { date: graphDateTime(), "request-id": randomUUID(), "client-request-id": clientRequestId } } };
}

/** The identity platform's OAuth error body. */
export function oauthError(error: string, code: number, description: string, correlationId: string = randomUUID()): unknown {
  const traceId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
  return {
    error,
    error_description: `${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: code ? [code] : [],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...(code ? { error_uri: `https://login.microsoftonline.com/error?code=${code}` } : {}),
  };
}

/** Writes `reply` with the headers both services send; a body is JSON, typed as Graph's when `isGraph`. */
export function sendReply(res: http.ServerResponse, reply: Reply, clientRequestId: string, isGraph: boolean): void {
  const headers: Record<string, string> = {
    "cache-control": "no-store, no-cache",
    "client-request-id": clientRequestId,
    "request-id": randomUUID(),
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  headers["content-type"] ??= isGraph ? GRAPH_JSON : "application/json; charset=utf-8";
  res.writeHead(reply.status, headers);
  res.end(JSON.stringify(reply.body));
}
