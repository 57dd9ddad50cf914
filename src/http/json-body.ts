import { pipeline } from "node:stream";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import type { IncomingMessage } from "node:http";
import getRawBody from "raw-body";
import secureJson from "secure-json-parse";
import type { Request, Response } from "restify";

/** Reads the request's body as a JSON object, with every limit below; throws {@link BodyError}. */
export type BodyReader = () => Promise<Record<string, unknown>>;

/**
 * A route that takes a JSON body. It reads the body only when it is ready to (after its cheap checks, such as a rate
 * limit or a shared secret), and only through `readBody`.
 */
export type JsonRoute = (req: Request, res: Response, readBody: BodyReader) => Promise<void>;

/**
 * Whether the request says it has a body. A route whose body is optional and unused still reads one that is there,
 * so that every limit and check above applies to it (a damaged body is a 4xx, whatever the route does with it).
 */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Why a request body was refused, with the HTTP status it is answered with. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    /** A fixed word for the log (never any of the body). */
    readonly reason: "encoding" | "media-type" | "too-large" | "broken-stream" | "not-json" | "not-an-object" | "too-deep",
  ) {
    super(reason);
    this.name = "BodyError";
  }
}

/** How deeply a JSON body may nest; activities from real channels stay well under ten levels. */
export const MAX_JSON_DEPTH = 32;

const DECODERS: Readonly<Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress>> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * Reads a JSON object body with a hard limit on its size as it arrives and, for a compressed body (gzip, deflate,
 * br), on its inflated size: decompression stops as soon as the limit is passed, so a small "zip bomb" costs no
 * more memory than an honest body. A broken stream, bad JSON, a body that is not an object or nesting deeper than
 * {@link MAX_JSON_DEPTH} is refused; `__proto__` and `constructor.prototype` keys are dropped. Throws {@link BodyError}; never leaves a stream without an error handler.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  const [mediaType, ...parameters] = type.split(";").map((part) => part.trim());
  if (mediaType !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType ?? "")) throw new BodyError(415, "media-type");
  const charset = parameters.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") throw new BodyError(415, "media-type");

  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyError(413, "too-large");
  let source: Readable = req;
  if (encoding !== "identity") {
    const decoder = DECODERS[encoding];
    if (!decoder) throw new BodyError(415, "encoding");
    const inflate = decoder();
    // pipeline destroys the decoder when the request fails, and the decoder's own errors reach raw-body below.
    source = pipeline(req, inflate, () => undefined);
  }
  let text: string;
  try {
    text = await getRawBody(source, { limit: maxBytes, encoding: "utf8" });
  } catch (err) {
    source.destroy();
    throw (err as { type?: string }).type === "entity.too.large" ? new BodyError(413, "too-large") : new BodyError(400, "broken-stream");
  }
  return parseJsonObject(text);
}

/** Parses JSON text into an object, refusing anything {@link readJsonBody} refuses. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: "remove", constructorAction: "remove" });
  } catch {
    throw new BodyError(400, "not-json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new BodyError(400, "not-an-object");
  checkShape(value);
  return value as Record<string, unknown>;
}

/** Walks the parsed value without recursion, so that nothing later (cloning, storing) meets an absurd depth. */
function checkShape(root: object): void {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new BodyError(400, "too-deep");
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
}

/**
 * The first place in a parsed body where a string (a key or a value) is not well-formed Unicode (a lone surrogate,
 * which JSON allows but storage, logs and channels do not), as a path of the body's own keys; undefined when none.
 */
export function malformedTextIn(root: object): string | undefined {
  const stack: Array<[unknown, string]> = [[root, ""]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node === "string") {
      if (!node.isWellFormed()) return path;
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      if (!key.isWellFormed()) return path || "(key)";
      stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}
