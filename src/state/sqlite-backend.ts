import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite from "better-sqlite3";
import Keyv from "keyv";
import { SqliteCheckpointer } from "./sqlite-checkpointer";
import { SqliteKeyvStore, settle } from "./sqlite-keyv-store";
import type { Backend, Namespace } from "./backend";
import { claimEntry, keyvOptions } from "./stored-entry";

/** How long a connection waits for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

/** Every this many claims in a namespace, expired entries are deleted (SQLite, unlike Redis, keeps them). */
const SWEEP_EVERY = 500;
/**
 * Rows one sweep looks at: the next this many after where the last sweep stopped, wrapping round at the end, so a
 * sweep's cost stays the same however big the table grows (a full scan of 100,000 claims took 1–2 ms, all of it on
 * the thread that answers turns). Twice {@link SWEEP_EVERY}, so sweeping keeps up with claiming.
 */
const SWEEP_ROWS = 1000;

/**
 * A SQLite file: one table per namespace (`keyv_<name>`, columns `key` and `value`, the layout @keyv/sqlite uses),
 * all on one synchronous connection (better-sqlite3: a statement costs what SQLite takes, with no thread hop; one
 * connection reads and writes for the process, so the process never waits on its own locks). Compare-and-set is one
 * upsert statement whose update applies only when the stored eTag matches, so it is atomic across processes;
 * RETURNING tells whether a row was written. A claim is the same kind of upsert, applied only when the stored entry
 * has expired. native() gives a namespace the same connection and the table `native_<name>`: one SQLite library per
 * file in the process (two copies of SQLite on one file in one process can lose each other's locks). The WAL is
 * copied back into the file by {@link SqliteCheckpointer} on a worker thread, through the same library: a PASSIVE
 * checkpoint there never blocks the main connection's reads or writes.
 *
 * @param file - absolute path of the database file; its folder is created if missing
 */
export function sqliteBackend(file: string): Backend & { readonly checkpointer: SqliteCheckpointer } {
  mkdirSync(path.dirname(file), { recursive: true });
  let opened: BetterSqlite.Database | undefined;
  let failed: Error | undefined;
  // Opened on first use; a file that cannot be opened (unwritable folder, not a database) is reported by ping().
  const connection = (): BetterSqlite.Database => {
    if (opened) return opened;
    try {
      opened = new BetterSqlite(file, { timeout: BUSY_TIMEOUT_MS });
      // WAL lets readers carry on while another process writes (a no-op once the file is in WAL mode). With WAL,
      // synchronous NORMAL syncs at checkpoints rather than at every commit: a crash of the process loses nothing,
      // and a power cut can lose only the last commits, whole (SQLite's own advice for WAL).
      opened.pragma("journal_mode = WAL");
      opened.pragma("synchronous = NORMAL");
      return opened;
    } catch (error) {
      failed = error instanceof Error ? error : new Error("the SQLite file could not be opened");
      throw failed;
    }
  };

  // Checkpoints (copying the WAL back into the file) run on a worker thread, not on the thread that answers turns.
  const checkpointer = new SqliteCheckpointer(file, connection);

  return {
    kind: "sqlite",
    checkpointer,
    open(name: string): Namespace {
      // The prefix keeps namespaces such as "references" from colliding with SQL keywords.
      const table = `keyv_${name}`;
      const adapter = new SqliteKeyvStore(connection, table, () => checkpointer.wrote());
      const upsertIfMatch =
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ` +
        `ON CONFLICT(key) DO UPDATE SET value = excluded.value ` +
        `WHERE json_extract(${table}.value, '$.value.eTag') = ? RETURNING key`;
      const claimIfExpired =
        `INSERT INTO ${table} (key, value) VALUES (?, ?) ` +
        `ON CONFLICT(key) DO UPDATE SET value = excluded.value ` +
        `WHERE json_extract(${table}.value, '$.expires') < ? RETURNING key`;
      const sweepWindow = `SELECT rowid FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${SWEEP_ROWS}`;
      const sweep: Sweep = {
        delete: `DELETE FROM ${table} WHERE rowid IN (${sweepWindow}) AND json_extract(value, '$.expires') < ?`,
        end: `SELECT max(rowid) AS last, count(*) AS rows FROM (${sweepWindow})`,
        from: 0,
      };
      let claims = 0;
      return {
        // keyv's namespace stays undefined: the table is the namespace (and @keyv/sqlite's clear() empties it).
        keyv: new Keyv<unknown>(adapter, keyvOptions(undefined)),
        writer: {
          writeIfMatch: (key, entry, expectedETag) => settle(() => adapter.query(upsertIfMatch, key, entry, expectedETag).length === 1),
        },
        claim: (key, ttlMs) =>
          settle(() => {
            const now = Date.now();
            claims += 1;
            // Housekeeping only: a failed sweep must not fail the claim.
            if (claims % SWEEP_EVERY === 0) sweepQuietly(adapter, sweep, now);
            return adapter.query(claimIfExpired, key, claimEntry(ttlMs, now), now).length === 1;
          }),
      };
    },
    native(name: string) {
      return { kind: "sqlite", db: connection(), table: `native_${name}` };
    },
    ping: () => {
      if (failed) return Promise.reject(failed);
      try {
        connection().prepare("SELECT 1").get();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close: async () => {
      await checkpointer.close();
      opened?.close();
    },
  };
}

/** Where the sweep of one namespace's table is, and its two statements. */
interface Sweep {
  readonly delete: string;
  readonly end: string;
  /** The rowid the next sweep starts after. */
  from: number;
}

/**
 * Deletes the expired entries among the next {@link SWEEP_ROWS} rows after `sweep.from`, then moves `from` past them
 * (back to the start after the last row). Housekeeping only, so a failed sweep must not fail the claim that triggered it.
 */
function sweepQuietly(store: SqliteKeyvStore, sweep: Sweep, now: number): void {
  try {
    const [window] = store.query(sweep.end, sweep.from) as Array<{ last: number | null; rows: number }>;
    store.query(sweep.delete, sweep.from, now);
    sweep.from = window && window.rows === SWEEP_ROWS && window.last !== null ? window.last : 0;
  } catch {
    // The next sweep will try again.
  }
}
