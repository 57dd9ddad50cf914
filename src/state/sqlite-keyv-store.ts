import { EventEmitter } from "node:events";
import type { Database, Statement } from "better-sqlite3";
import type { KeyvStoreAdapter, StoredData } from "keyv";

/** How often a statement refused with SQLITE_BUSY is tried again. */
const BUSY_RETRIES = 8;
/** What a pause between tries waits on (nothing ever wakes it: the wait simply times out). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * A keyv store over one table of a SQLite file, through better-sqlite3's synchronous prepared statements: a call
 * costs about what SQLite itself takes, with no hop to a thread and back. The table's layout (`key` primary key,
 * `value` text) is the one @keyv/sqlite uses, so files written before read the same.
 */
export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { table: string; dialect: "sqlite" };
  namespace?: string;
  private readonly statements = new Map<string, Statement>();

  private created = false;

  /**
   * @param connection - the backend's connection, opened on first use (so a store that is never used opens nothing)
   * @param table - this namespace's table, created on first use
   * @param wrote - told after each statement that may have written (the checkpointer counts them)
   */
  constructor(
    private readonly connection: () => Database,
    table: string,
    private readonly wrote: () => void = () => undefined,
  ) {
    super();
    this.opts = { table, dialect: "sqlite" };
  }

  /**
   * Runs a statement (prepared once, then reused) and returns its rows (none for a statement without results).
   * SQLITE_BUSY is tried again a few times after a short pause: in WAL mode SQLite refuses at once, without waiting
   * for the busy timeout, when another process committed between this statement's read and its write; a refused
   * statement changed nothing, so trying it again is safe.
   */
  query(sql: string, ...parameters: unknown[]): unknown[] {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.run(sql, parameters);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || attempt >= BUSY_RETRIES) throw error;
        Atomics.wait(PAUSE, 0, 0, 2 ** attempt * (1 + Math.random()));
      }
    }
  }

  private run(sql: string, parameters: unknown[]): unknown[] {
    const db = this.connection();
    if (!this.created) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.opts.table}(key VARCHAR(255) PRIMARY KEY, value TEXT)`);
      this.created = true;
    }
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = db.prepare(sql)));
    if (statement.reader && statement.readonly) return statement.all(...parameters);
    const rows = statement.reader ? statement.all(...parameters) : (statement.run(...parameters), []);
    this.wrote();
    return rows;
  }

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return settle(() => (this.query(`SELECT value FROM ${this.opts.table} WHERE key = ?`, key)[0] as { value: StoredData<Value> } | undefined)?.value);
  }

  getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    // One key (a turn's conversation state, the usual read) is a plain lookup by primary key.
    if (keys.length === 1) return this.get<Value>(keys[0] ?? "").then((value) => [value]);
    return settle(() => {
      const rows = this.query(`SELECT key, value FROM ${this.opts.table} WHERE key IN (SELECT value FROM json_each(?))`, JSON.stringify(keys)) as { key: string; value: StoredData<Value> }[];
      const byKey = new Map(rows.map((row) => [row.key, row.value]));
      return keys.map((key) => byKey.get(key));
    });
  }

  set(key: string, value: unknown): Promise<void> {
    return settle(() => void this.query(`INSERT INTO ${this.opts.table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value));
  }

  delete(key: string): Promise<boolean> {
    return settle(() => this.query(`DELETE FROM ${this.opts.table} WHERE key = ? RETURNING key`, key).length > 0);
  }

  deleteMany(keys: string[]): Promise<boolean> {
    return settle(() => this.query(`DELETE FROM ${this.opts.table} WHERE key IN (SELECT value FROM json_each(?)) RETURNING key`, JSON.stringify(keys)).length > 0);
  }

  has(key: string): Promise<boolean> {
    return settle(() => this.query(`SELECT 1 FROM ${this.opts.table} WHERE key = ?`, key).length > 0);
  }

  clear(): Promise<void> {
    return settle(() => void this.query(`DELETE FROM ${this.opts.table} WHERE key LIKE ?`, this.namespace ? `${this.namespace}:%` : "%"));
  }

  /** The connection is the backend's, closed with it. */
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A synchronous call as a promise: its value, or its error as a rejection (never a throw). The statement runs at once
 * (so calls take effect in the order they were made), but its caller carries on only at the event loop's next turn,
 * as it would with a driver that answers from a thread: a journey turn with a dozen statements then lets other
 * people's turns in between them, instead of holding the thread for its whole length (without this, a help-card turn
 * that arrived during someone's reset step waited for all of it: p99 1.8–2.4 × its figure alone in `bench:journey`).
 */
export function settle<T>(run: () => T): Promise<T> {
  let value: T;
  try {
    value = run();
  } catch (error) {
    return new Promise((_, reject) => setImmediate(() => reject(error instanceof Error ? error : new Error(String(error)))));
  }
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}
