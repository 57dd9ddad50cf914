import type Keyv from "keyv";
import type { ConditionalWriter } from "./keyv-storage";
import { KeyvStorage } from "./keyv-storage";
import type { NativeAccess, StateStore, StateStoreKind } from "./state-store";

/** One namespace on a backend: a keyv and the atomic writers over the same keys. */
export interface Namespace {
  readonly keyv: Keyv<unknown>;
  readonly writer: ConditionalWriter;
  /**
   * Stores {@link claimEntry} under `key` in one atomic step unless an unexpired entry is there.
   *
   * @returns true when this call stored it
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * What each backend supplies. Naming rules, caching, the storage namespace and idempotent closing are shared
 * in {@link storeOverBackend}, so backends only map a physical namespace name to their own structure.
 */
export interface Backend {
  readonly kind: StateStoreKind;
  /** Opens the namespace whose physical name is `name` (already prefixed and validated). */
  open(name: string): Namespace;
  /** Direct access for the namespace whose physical name is `name` (see {@link StateStore.native}). */
  native(name: string): NativeAccess;
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
  const natives = new Map<string, NativeAccess>();
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
  // keyv()/claim() and native() lay keys out differently, so one name serves one of them.
  const checkName = (name: string, native: boolean): void => {
    if (closing) throw new Error("The state store is closed.");
    if (!NAMESPACE.test(name)) {
      throw new Error(`Namespace "${name}" must be lower-case letters, digits and _, starting with a letter.`);
    }
    if (name === STORAGE_NAMESPACE) throw new Error(`Namespace "${name}" is reserved for bot state.`);
    if ((native ? opened : natives).has(name)) {
      throw new Error(`Namespace "${name}" is already used through ${native ? "keyv() or claim()" : "native()"}.`);
    }
  };
  const userNamespace = (name: string): Namespace => {
    checkName(name, false);
    return namespace(name);
  };

  const storageNamespace = namespace(STORAGE_NAMESPACE);
  return {
    kind: backend.kind,
    storage: new KeyvStorage(storageNamespace.keyv, storageNamespace.writer),
    keyv<Value = unknown>(name: string): Keyv<Value> {
      return userNamespace(name).keyv;
    },
    claim: async (name, key, ttlMs) => {
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
        throw new RangeError("A claim's ttlMs must be a positive whole number of milliseconds.");
      }
      return userNamespace(name).claim(key, ttlMs);
    },
    release: async (name, key) => {
      await userNamespace(name).keyv.delete(key);
    },
    native: (name) => {
      checkName(name, true);
      let found = natives.get(name);
      if (!found) {
        found = backend.native(namespacePrefix + name);
        natives.set(name, found);
      }
      return found;
    },
    ping: async () => backend.ping(),
    close: async () => {
      closing ??= backend.close();
      return closing;
    },
  };
}
