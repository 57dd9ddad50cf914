import Keyv from "keyv";
import type { Backend, Namespace } from "./backend";
import { claimEntry, entryExpired, keyvOptions, storedETag } from "./stored-entry";

/** Every this many claims in a namespace, expired entries are swept, so claims that nobody reads again go. */
const SWEEP_EVERY = 500;

/**
 * Process memory: one Map per namespace (a shared Map would let one namespace's `clear()` wipe the others).
 * Compare-and-set and claims are synchronous read-compare-write steps on the Map, so no other write can
 * interleave. For tests only: nothing survives the process, and two processes never share it.
 */
export function memoryBackend(): Backend {
  return {
    kind: "memory",
    open(): Namespace {
      const entries = new Map<string, string>();
      let claims = 0;
      return {
        keyv: new Keyv<unknown>(entries, keyvOptions(undefined)),
        writer: {
          writeIfMatch: (key, entry, expectedETag) => {
            const current = entries.get(key);
            if (current !== undefined && storedETag(current) !== expectedETag) return Promise.resolve(false);
            entries.set(key, entry);
            return Promise.resolve(true);
          },
        },
        claim: (key, ttlMs) => {
          const now = Date.now();
          claims += 1;
          if (claims % SWEEP_EVERY === 0) {
            for (const [each, raw] of entries) if (entryExpired(raw, now)) entries.delete(each);
          }
          const current = entries.get(key);
          if (current !== undefined && !entryExpired(current, now)) return Promise.resolve(false);
          entries.set(key, claimEntry(ttlMs, now));
          return Promise.resolve(true);
        },
      };
    },
    native: () => ({ kind: "memory" }),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
