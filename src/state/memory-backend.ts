import Keyv from "keyv";
import type { Backend, Namespace } from "./backend";
import { keyvOptions, storedETag } from "./stored-entry";

/**
 * Process memory: one Map per namespace (a shared Map would let one namespace's `clear()` wipe the others).
 * Compare-and-set is a synchronous read-compare-write on the Map, so no other write can interleave.
 * For tests only: nothing survives the process, and two processes never share it.
 */
export function memoryBackend(): Backend {
  return {
    kind: "memory",
    open(): Namespace {
      const entries = new Map<string, string>();
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
      };
    },
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
