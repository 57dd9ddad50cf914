import type { DeserializedData, KeyvOptions } from "keyv";

/**
 * How every value is laid out in every backend: keyv's envelope, as plain JSON, e.g.
 * `{"value":{"dialogState":…,"eTag":"…"}}`. Using JSON.stringify rather than keyv's default serializer keeps the
 * stored text plain JSON (no `:base64:` or `::` escapes), so the backends' atomic writers can find the eTag at
 * `$.value.eTag` with the database's own JSON functions.
 */
export function encodeEntry(value: unknown): string {
  return JSON.stringify({ value });
}

/** Returns the eTag held in a stored entry, or undefined when there is none (or the text is not an entry). */
export function storedETag(raw: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.value)) return undefined;
  const eTag = parsed.value.eTag;
  return typeof eTag === "string" ? eTag : undefined;
}

/**
 * The entry a claim stores: keyv's envelope with `true` as the value and keyv's `expires` (epoch milliseconds),
 * so keyv reads a claim as `true` until it expires, and as absent afterwards.
 *
 * @param ttlMs - the claim's lifetime
 * @param now - the current time, epoch milliseconds
 */
export function claimEntry(ttlMs: number, now: number): string {
  return JSON.stringify({ value: true, expires: now + ttlMs });
}

/**
 * Whether a stored entry has expired at `now`, by keyv's rule (strictly after `expires`). An entry without
 * `expires`, or text that is not an entry, never expires.
 */
export function entryExpired(raw: string, now: number): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return false;
  }
  return isRecord(parsed) && typeof parsed.expires === "number" && now > parsed.expires;
}

/**
 * keyv options shared by every backend. Errors are thrown rather than swallowed (keyv's default would turn a
 * failed read into "no state", silently starting a conversation afresh). keyv's own `namespace:` key prefix is
 * off: each backend isolates namespaces itself (a Map, a table or a Redis key prefix per namespace).
 */
export function keyvOptions(namespace: string | undefined): Omit<KeyvOptions, "store"> {
  return {
    namespace,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: <Value>(text: string) => JSON.parse(text) as DeserializedData<Value>,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
