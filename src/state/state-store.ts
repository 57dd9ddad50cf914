import type { RedisClientType } from "@keyv/redis";
import type { Storage } from "botbuilder";
import type Keyv from "keyv";
import type { Database } from "better-sqlite3";

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
  /**
   * Atomically creates `key` in `namespace` if absent (or expired), with a time-to-live; true for the one caller
   * that created it, across every instance on the same backend. The claim is an ordinary entry of
   * `keyv(namespace)` whose value is `true`: `keyv(namespace).get(key)` reads `true` until it expires (keyv's
   * `has()` does not check expiry on SQLite).
   *
   * @param namespace - as for {@link StateStore.keyv}
   * @param key - e.g. an activity id, account + code step, a job's run, a handoff
   * @param ttlMs - lifetime in milliseconds, a positive integer; afterwards the key can be claimed again
   * @throws RangeError for a bad `ttlMs`; Error as for {@link StateStore.keyv}
   */
  claim(namespace: string, key: string, ttlMs: number): Promise<boolean>;
  /** Removes a claim (e.g. to let a failed step be retried). Removing a key that is not there does nothing. */
  release(namespace: string, key: string): Promise<void>;
  /**
   * The backend's own client, for a library that keeps its own layout (such as a rate limiter). The namespace
   * reserves a place for it: a SQLite table or a Redis key prefix that no keyv namespace uses. A name used with
   * native() cannot also be used with keyv() or claim() on the same store.
   *
   * @param namespace - as for {@link StateStore.keyv}
   * @throws Error when the name is invalid, reserved, already used through keyv(), or the store is closed
   */
  native(namespace: string): NativeAccess;
  /** Resolves when the backend answers; rejects, within a bounded time, when it does not. For readiness probes. */
  ping(): Promise<void>;
  /** Releases connections. Safe to call more than once; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Direct access to a backend, from {@link StateStore.native}. The store owns the connection: do not close it.
 * - `memory`: nothing is shared; keep the data in the process.
 * - `sqlite`: a connection of its own to the state file (WAL, with a busy timeout); `table` is reserved for the
 *   caller, who creates it.
 * - `redis`: the store's client; every key the caller writes must start with `keyPrefix`.
 */
export type NativeAccess =
  | { readonly kind: "memory" }
  | { readonly kind: "sqlite"; readonly db: Database; readonly table: string }
  | { readonly kind: "redis"; readonly client: RedisClientType; readonly keyPrefix: string };

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
