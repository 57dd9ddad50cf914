import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import type { Database } from "better-sqlite3";
import type { StateStore } from "../state";
import type { ThrottleName } from "./ports";
import type { ThrottleLimit, ThrottleLimits } from "./throttle-limits";

/** The state-store namespace (see `StateStore.native`) that holds every throttle counter. */
export const THROTTLE_NAMESPACE = "throttles";

/** One rate limiter per named limit, on the state store's backend. */
export interface LimiterSet {
  readonly limiters: Readonly<Record<ThrottleName, RateLimiterAbstract>>;
  /** Resolves once the limiters can be used (SQLite creates its table first); rejects if that failed. */
  readonly ready: Promise<void>;
  /** Deletes expired counters where the backend keeps them (SQLite); does nothing elsewhere. */
  sweep(): Promise<void>;
  /** Runs one limiter operation (see {@link serialOn} for why SQLite runs them one at a time). */
  run<T>(operation: () => Promise<T>): Promise<T>;
}

const direct = async <T>(operation: () => Promise<T>): Promise<T> => operation();

/**
 * Memory limiters by store, so that every throttles object on one memory store shares its counters, as they
 * would on SQLite or Redis. Keyed by limit too, because a memory limiter holds its limit with its counters.
 */
const memoryLimiters = new WeakMap<StateStore, Map<string, RateLimiterMemory>>();

/**
 * Builds rate-limiter-flexible limiters over the store's own backend: RateLimiterRedis on the store's node-redis
 * client (keys `<prefix>throttles::<limit>:<key>`, expired by Redis), RateLimiterSQLite on a connection of its
 * own to the store's file (table `native_<prefix>throttles`), RateLimiterMemory for a memory store. Each consume
 * is one atomic step in the backend (a Lua script; a single upsert), so instances sharing the backend share
 * counts without losing any.
 */
export function limitersFor(store: StateStore, limits: ThrottleLimits): LimiterSet {
  const names = Object.keys(limits) as ThrottleName[];
  type Limiters = Record<ThrottleName, RateLimiterAbstract>;
  const build = (make: (name: ThrottleName, limit: ThrottleLimit) => RateLimiterAbstract): Limiters =>
    Object.fromEntries(names.map((name) => [name, make(name, limits[name])])) as Limiters;
  const options = (limit: ThrottleLimit, keyPrefix: string) => ({
    keyPrefix,
    points: limit.points,
    duration: limit.windowSeconds,
    blockDuration: limit.blockSeconds,
  });

  const access = store.native(THROTTLE_NAMESPACE);
  switch (access.kind) {
    case "redis": {
      const limiters = build(
        (name, limit) =>
          new RateLimiterRedis({
            ...options(limit, `${access.keyPrefix}${name}`),
            storeClient: access.client,
            useRedisPackage: true,
          }),
      );
      return { limiters, ready: Promise.resolve(), sweep: () => Promise.resolve(), run: direct };
    }
    case "sqlite": {
      const created: Promise<void>[] = [];
      const limiters = build((name, limit) => {
        let limiter: RateLimiterSQLite | undefined;
        created.push(
          new Promise<void>((resolve, reject) => {
            const opts = { ...options(limit, name), storeClient: access.db, storeType: "better-sqlite3" };
            limiter = new RateLimiterSQLite({ ...opts, tableName: access.table }, (error) =>
              error ? reject(error) : resolve(),
            );
          }),
        );
        return limiter as RateLimiterSQLite;
      });
      const ready = Promise.all(created).then(() => undefined);
      // Each operation awaits `ready`; this handler only keeps a failure from being reported as unhandled.
      void ready.catch(() => undefined);
      // Every limiter uses the same table, so one of them clears expired rows for all.
      const sweeper: object = limiters.codeSent;
      const sweep = async () => {
        if (hasClearExpired(sweeper)) await sweeper.clearExpired(Date.now());
      };
      return { limiters, ready, sweep, run: serialOn(access.db) };
    }
    case "memory": {
      const shared = memoryLimiters.get(store) ?? new Map<string, RateLimiterMemory>();
      memoryLimiters.set(store, shared);
      const limiters = build((name, limit) => {
        const id = `${name}:${limit.points}:${limit.windowSeconds}:${limit.blockSeconds}`;
        const limiter = shared.get(id) ?? new RateLimiterMemory(options(limit, name));
        shared.set(id, limiter);
        return limiter;
      });
      return { limiters, ready: Promise.resolve(), sweep: () => Promise.resolve(), run: direct };
    }
  }
}

/** RateLimiterSQLite has clearExpired(), which its type declarations leave out. */
function hasClearExpired(limiter: object): limiter is { clearExpired(nowMs: number): Promise<void> } {
  return "clearExpired" in limiter && typeof limiter.clearExpired === "function";
}

/** The last operation queued on each SQLite connection. */
const tails = new WeakMap<Database, Promise<void>>();

/**
 * Runs operations on one SQLite connection one at a time. RateLimiterSQLite wraps each upsert in
 * `SAVEPOINT … RELEASE` on the shared connection; run concurrently, those transactions nest into one that stays
 * open while others keep arriving, so another connection (another bot instance) waits on its lock, and a
 * failed step leaves it open for good (`ROLLBACK TO` does not end it). One at a time, each transaction is a few
 * statements long, and after a failure a `ROLLBACK` ends whatever was left open.
 */
function serialOn(db: Database): LimiterSet["run"] {
  return async <T>(operation: () => Promise<T>): Promise<T> => {
    const current = (tails.get(db) ?? Promise.resolve()).then(async () => {
      try {
        return await operation();
      } catch (error: unknown) {
        // Refused (the library rejects with its result) is not a failure: the transaction was released.
        if (!(error instanceof RateLimiterRes)) {
          if (db.inTransaction) db.exec("ROLLBACK");
        }
        throw error;
      }
    });
    tails.set(
      db,
      current.then(
        () => undefined,
        () => undefined,
      ),
    );
    return current;
  };
}
