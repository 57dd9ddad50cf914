import type { Storage } from "botbuilder";
import type Keyv from "keyv";

/** Which backend a {@link StateStore} runs on. */
export type StateStoreKind = "memory" | "sqlite" | "redis";

/**
 * Everything the bot keeps, on one backend: the botbuilder {@link Storage} used by teams-ai and the dialogs,
 * plus keyv namespaces for other services (throttles, directory, conversation references, jobs).
 */
export interface StateStore {
  /** The backend in use. */
  readonly kind: StateStoreKind;
  /** botbuilder storage with eTag compare-and-set; a stale write throws `StaleStateError`. */
  readonly storage: Storage;
  /**
   * A keyv on the same backend, isolated from every other namespace and from {@link StateStore.storage}. The
   * same name returns the same instance. Values are stored as JSON.
   *
   * @param namespace - lower-case letters, digits and `_`, starting with a letter (at most 40 characters)
   * @throws Error when the name is invalid, reserved, or the store is closed
   */
  keyv<Value = unknown>(namespace: string): Keyv<Value>;
  /** Resolves when the backend answers; rejects, within a bounded time, when it does not. For readiness probes. */
  ping(): Promise<void>;
  /** Releases connections. Safe to call more than once; the store must not be used afterwards. */
  close(): Promise<void>;
}

/** Options for {@link openStateStore}. */
export interface StateStoreOptions {
  /**
   * Prepended to every namespace's physical name (Redis key prefix, SQLite table name), so that several
   * stores can share one backend without seeing each other, e.g. a test run on a shared Redis.
   * Lower-case letters, digits and `_`. Default: none.
   */
  namespacePrefix?: string;
  /** Upper bound, in milliseconds, on {@link StateStore.ping} and on waiting for a Redis connection. Default 2000. */
  timeoutMs?: number;
}
