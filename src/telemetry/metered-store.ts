import type { StateStore } from "../state";
import { inSpan } from "./spans";
import type { Telemetry } from "./telemetry";

/** The store operations the metrics name. */
type StoreOp = "read" | "write" | "delete" | "claim";

/**
 * The state store with its storage calls (read, write, delete) and atomic claims counted, timed and traced as child
 * spans of the turn; keys and values are never recorded. Namespaced keyv access and native clients pass through.
 */
export function meteredStore(store: StateStore, telemetry: Telemetry): StateStore {
  const measured = <T>(op: StoreOp, call: () => Promise<T>): Promise<T> => {
    telemetry.count("helpdesk_store_operations", { op });
    return telemetry.time("helpdesk_store_operation_duration", { op }, () => inSpan(`store.${op}`, { op, kind: store.kind }, call));
  };
  const storage: StateStore["storage"] = {
    read: (keys) => measured("read", () => store.storage.read(keys)),
    write: (changes) => measured("write", () => store.storage.write(changes)),
    delete: (keys) => measured("delete", () => store.storage.delete(keys)),
  };
  return {
    kind: store.kind,
    storage,
    keyv: (namespace) => store.keyv(namespace),
    claim: (namespace, key, ttlMs) => measured("claim", () => store.claim(namespace, key, ttlMs)),
    release: (namespace, key) => store.release(namespace, key),
    native: (namespace) => store.native(namespace),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
