/**
 * What the Graph stand-in knows about a request: the kinds of request it answers, the record it keeps of each, the
 * context a handler gets, and reading the body and headers off the wire.
 */
import type http from "node:http";

/**
 * The kinds of request the stand-in answers, for counters and fault knobs: `token` is the token endpoint,
 * `metadata` the OpenID configuration and key documents, the rest Graph routes.
 */
export type GraphRouteKind = "metadata" | "token" | "findUser" | "getUser" | "phoneMethods" | "setPassword" | "revoke";

/** One request the stand-in received, without its body or Authorization header. */
export interface GraphRequestRecord {
  method: string;
  /** The path, percent-decoded. */
  path: string;
  /** The query string with each name and value decoded (`$filter=mail eq 'a@b'&$select=id`). */
  query: string;
  /** The query string as it arrived. */
  rawQuery: string;
  kind?: GraphRouteKind;
  /** The status answered; 0 while (or if never) answered. */
  status: number;
}

/** What a route handler gets: the request, read. */
export interface RequestContext {
  method: string;
  params: string[];
  query: URLSearchParams;
  body: string;
  headers: http.IncomingHttpHeaders;
  clientRequestId: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The record of a request just received (not yet answered). */
export function recordOf(method: string, url: URL): GraphRequestRecord {
  return {
    method,
    path: safeDecode(url.pathname),
    query: [...url.searchParams].map(([k, v]) => `${k}=${v}`).join("&"),
    rawQuery: url.search.slice(1),
    status: 0,
  };
}

/** Percent-decodes `text`, or returns it as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The first value of a header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the request body as UTF-8, refusing more than 1 MiB. */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
