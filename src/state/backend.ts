import type Keyv from "keyv";
import type { ConditionalWriter } from "./keyv-storage";
import { KeyvStorage } from "./keyv-storage";
import type { StateStore, StateStoreKind } from "./state-store";

/** One namespace on a backend: a keyv and the atomic writer over the same keys. */
export interface Namespace {
  readonly keyv: Keyv<unknown>;
  readonly writer: ConditionalWriter;
}

/**
 * What each backend supplies. Naming rules, caching, the storage namespace and idempotent closing are shared
 * in {@link storeOverBackend}, so backends only map a physical namespace name to their own structure.
 */
export interface Backend {
  readonly kind: StateStoreKind;
  /** Opens the namespace whose physical name is `name` (already prefixed and validated). */
  open(name: string): Namespace;
  ping(): Promise<void>;
  /** Called once, after every namespace is done with. */
  close(): Promise<void>;
}

/** The namespace holding botbuilder storage; reserved so that no service can alias it through keyv(). */
export const STORAGE_NAMESPACE = "botstate";

const NAMESPACE = /^[a-z][a-z0-9_]{0,39}$/;
const PREFIX = /^[a-z0-9_]{0,40}$/;

/**
 * Builds a {@link StateStore} over a backend.
 *
 * @param backend - the backend
 * @param namespacePrefix - prepended to every physical namespace name (see StateStoreOptions)
 */
export function storeOverBackend(backend: Backend, namespacePrefix = ""): StateStore {
  // Namespaces become SQLite table names and Redis key prefixes: keep them to a safe, case-free alphabet.
  if (!PREFIX.test(namespacePrefix)) {
    throw new Error("namespacePrefix must be lower-case letters, digits and _ (at most 40).");
  }
  const opened = new Map<string, Namespace>();
  let closing: Promise<void> | undefined;

  const namespace = (name: string): Namespace => {
    if (closing) throw new Error("The state store is closed.");
    let found = opened.get(name);
    if (!found) {
      found = backend.open(namespacePrefix + name);
      opened.set(name, found);
    }
    return found;
  };

  const storageNamespace = namespace(STORAGE_NAMESPACE);
  return {
    kind: backend.kind,
    storage: new KeyvStorage(storageNamespace.keyv, storageNamespace.writer),
    keyv<Value = unknown>(name: string): Keyv<Value> {
      if (!NAMESPACE.test(name)) {
        throw new Error(`Namespace "${name}" must be lower-case letters, digits and _, starting with a letter.`);
      }
      if (name === STORAGE_NAMESPACE) throw new Error(`Namespace "${name}" is reserved for bot state.`);
      return namespace(name).keyv;
    },
    ping: async () => backend.ping(),
    close: async () => {
      closing ??= backend.close();
      return closing;
    },
  };
}
