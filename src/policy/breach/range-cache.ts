/**
 * A small least-recently-used cache of range answers, keyed by the 5-hex-digit prefix. It holds only what the
 * public range API returned (the breached suffixes of that prefix), never a password or a full hash.
 */
export class RangeCache {
  private readonly entries = new Map<string, { suffixes: string; expires: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  /** The cached suffixes of `prefix`, or undefined if absent or expired. */
  get(prefix: string, now: number): string | undefined {
    const entry = this.entries.get(prefix);
    if (entry === undefined) return undefined;
    this.entries.delete(prefix);
    if (entry.expires <= now) return undefined;
    this.entries.set(prefix, entry);
    return entry.suffixes;
  }

  /** Stores the suffixes of `prefix`, evicting the least recently used entry when full. */
  set(prefix: string, suffixes: string, now: number): void {
    if (this.capacity <= 0 || this.ttlMs <= 0) return;
    this.entries.delete(prefix);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(prefix, { suffixes, expires: now + this.ttlMs });
  }
}

/** SHA-1 hex suffix length in range answers (40 − 5). */
export const SUFFIX_LENGTH = 35;
const LINE = /^([0-9A-Fa-f]{35}):(\d+)$/;

/**
 * Parses a range answer (`SUFFIX:COUNT` lines, CRLF or LF) into the concatenated upper-case suffixes whose count is
 * above 0 — padding lines (`:0`) are dropped. Throws on any other line (an HTML error page, a proxy's answer…).
 */
export function parseRange(body: string): string {
  const suffixes: string[] = [];
  for (const raw of body.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") continue;
    const match = LINE.exec(line);
    if (match === null) throw new Error("malformed range response");
    if (/[1-9]/.test(match[2])) suffixes.push(match[1].toUpperCase());
  }
  return suffixes.join("");
}

/** Whether `suffix` is one of the fixed-width suffixes in `suffixes`. */
export function hasSuffix(suffixes: string, suffix: string): boolean {
  for (let at = suffixes.indexOf(suffix); at >= 0; at = suffixes.indexOf(suffix, at + 1)) {
    if (at % SUFFIX_LENGTH === 0) return true;
  }
  return false;
}
