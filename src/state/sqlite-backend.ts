import { mkdirSync } from "node:fs";
import path from "node:path";
import { KeyvSqlite } from "@keyv/sqlite";
import Keyv from "keyv";
import { Database } from "sqlite3";
import type { Backend, Namespace } from "./backend";
import { claimEntry, keyvOptions } from "./stored-entry";

/** How long a connection waits for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;
/**
 * How often a statement refused with SQLITE_BUSY is tried again. In WAL mode SQLite refuses at once, without waiting
 * for the busy timeout, when a connection's read snapshot went stale before it could write (another connection
 * committed in between); a refused statement changed nothing, so trying it again is safe.
 */
const BUSY_RETRIES = 8;

/** Every this many claims in a namespace, expired entries are deleted (SQLite, unlike Redis, keeps them). */
const SWEEP_EVERY = 500;

/**
 * A SQLite file: one table per namespace (`keyv_<name>`, with @keyv/sqlite's columns `key` and `value`), each
 * on its own connection. Compare-and-set is one upsert statement whose update applies only when the stored eTag
 * matches, so it is atomic across connections and processes; RETURNING tells whether a row was written.
 * A claim is the same kind of upsert, applied only when the stored entry has expired. native() gives each
 * namespace a sqlite3 connection of its own and the table `native_<name>`.
 *
 * @param file - absolute path of the database file; its folder is created if missing
 */
export function sqliteBackend(file: string): Backend {
  mkdirSync(path.dirname(file), { recursive: true });
  const adapters: KeyvSqlite[] = [];
  const connected: Promise<void>[] = [];
  const databases: Database[] = [];

  return {
    kind: "sqlite",
    open(name: string): Namespace {
      // The prefix keeps namespaces such as "references" from colliding with SQL keywords.
      const table = `keyv_${name}`;
      const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table, busyTimeout: BUSY_TIMEOUT_MS });
      // Every statement of the adapter (keyv's get and set included) goes through its query property.
      const query = adapter.query.bind(adapter);
      adapter.query = (sql: string, ...parameters: unknown[]) => retryWhileBusy(() => query(sql, ...parameters));
      adapters.push(adapter);
      // WAL lets readers carry on while another connection writes (a no-op once the file is in WAL mode).
      // Querying at once also gives the adapter's connection promise a handler: a failure to open (unwritable
      // folder, not a database) is reported by ping() instead of surfacing as an unhandled rejection.
      const ready = adapter.query("PRAGMA journal_mode = WAL").then(() => undefined);
      void ready.catch(() => undefined);
      connected.push(ready);
      const upsertIfMatch =
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ` +
        `ON CONFLICT(key) DO UPDATE SET value = excluded.value ` +
        `WHERE json_extract(${table}.value, '$.value.eTag') = ? RETURNING key`;
      const claimIfExpired =
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ` +
        `ON CONFLICT(key) DO UPDATE SET value = excluded.value ` +
        `WHERE json_extract(${table}.value, '$.expires') < ? RETURNING key`;
      const sweep = `DELETE FROM ${table} WHERE json_extract(value, '$.expires') < ?`;
      let claims = 0;
      return {
        // keyv's namespace stays undefined: the table is the namespace (and @keyv/sqlite's clear() empties it).
        keyv: new Keyv<unknown>(adapter, keyvOptions(undefined)),
        writer: {
          writeIfMatch: async (key, entry, expectedETag) => {
            const rows: unknown = await adapter.query(upsertIfMatch, key, entry, expectedETag);
            return Array.isArray(rows) && rows.length === 1;
          },
        },
        claim: async (key, ttlMs) => {
          const now = Date.now();
          claims += 1;
          // Housekeeping only: a failed sweep must not fail the claim.
          if (claims % SWEEP_EVERY === 0) await adapter.query(sweep, now).catch(() => undefined);
          const rows: unknown = await adapter.query(claimIfExpired, key, claimEntry(ttlMs, now), now);
          return Array.isArray(rows) && rows.length === 1;
        },
      };
    },
    native(name: string) {
      // Errors opening are reported by the first statement that uses the connection.
      const db = new Database(file, () => undefined);
      db.configure("busyTimeout", BUSY_TIMEOUT_MS);
      databases.push(db);
      return { kind: "sqlite", db, table: `native_${name}` };
    },
    ping: async () => {
      await Promise.all(connected);
      await adapters[0]?.query("SELECT 1");
    },
    close: async () => {
      await Promise.allSettled([
        ...adapters.map(async (adapter) => adapter.close()),
        ...databases.map(async (db) => new Promise<void>((resolve) => db.close(() => resolve()))),
      ]);
    },
  };
}

/** Runs a statement, trying it again (after a short, growing, jittered pause) while SQLite answers SQLITE_BUSY. */
async function retryWhileBusy<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if ((err as { code?: unknown }).code !== "SQLITE_BUSY" || attempt >= BUSY_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, (2 ** attempt) * (1 + Math.random())));
    }
  }
}
