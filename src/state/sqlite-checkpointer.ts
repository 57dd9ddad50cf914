import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";

/** Writes on the main connection between two checkpoints asked of the worker. */
export const WRITES_PER_CHECKPOINT = 200;
/** SQLite's own default: the committing connection checkpoints once the WAL holds this many pages. */
const MAIN_THREAD_CHECKPOINT_PAGES = 1000;
/**
 * The main connection's threshold while the worker checkpoints: a safety net only (about 40 MB of WAL), reached
 * when the worker falls far behind; the WAL is then checkpointed on the main thread, as without a worker.
 */
export const SAFETY_NET_CHECKPOINT_PAGES = 10_000;
/**
 * A worker with no checkpoint to do for this long ends (its thread, heap and connection given back); the next 200
 * writes start another. Meanwhile the main connection keeps the safety net's threshold.
 */
export const CHECKPOINT_IDLE_MS = 60_000;
/** How long closing waits for the worker to close its connection before ending the thread. */
const CLOSE_WAIT_MS = 2000;

/** What the worker answers to a checkpoint: SQLite's three figures, or the error's code only. */
export type CheckpointReply = { busy: number; log: number; checkpointed: number } | { errorCode: string };

/**
 * The worker: its own connection to the file, and a PASSIVE checkpoint for each message (one at a time). PASSIVE
 * copies what it can without waiting for, or blocking, the main connection's reads and writes; once a checkpoint has
 * copied the whole WAL, the main connection's next write starts the WAL again from its beginning. Plain JavaScript in
 * a string (`eval: true`), so it runs the same under tsx and from the build; the driver's path comes from the main
 * thread, so it loads the same better-sqlite3 wherever the process was started.
 */
const CHECKPOINT_WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db;
parentPort.on("message", (message) => {
  if (message === "close") {
    try { if (db) db.close(); } finally { parentPort.close(); }
    return;
  }
  try {
    if (!db) db = new Database(workerData.file, { fileMustExist: true });
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ errorCode: String((error && error.code) || "error") });
  }
});
`;

/**
 * Moves the WAL checkpoints of a SQLite file off the main thread. Without it, the connection that commits a write
 * copies the WAL back into the database file whenever the WAL passes 1,000 pages: every few hundred turns, one turn
 * paid for copying (and syncing) everything written since, on the thread that answers everybody. Here the main
 * connection only counts its writes and, every {@link WRITES_PER_CHECKPOINT}, asks a worker thread (started on the
 * first request, so a process that never writes has none, and ended after {@link CHECKPOINT_IDLE_MS} without one) to
 * checkpoint on its own connection. The main connection
 * keeps a far higher threshold of its own as a safety net; if the worker stops or fails, the main connection goes back
 * to SQLite's default and checkpoints as before. Nothing is lost either way: a checkpoint only copies committed pages.
 */
export class SqliteCheckpointer {
  private worker?: Worker;
  /** Resolves once the last worker thread started has ended, whatever ended it. */
  private exited?: Promise<void>;
  /** Ends the worker once it has been idle for `idleMs`. */
  private idleTimer?: NodeJS.Timeout;
  private writes = 0;
  private waiting = false;
  private stopped = false;
  private readonly listeners = new Set<(reply: CheckpointReply) => void>();

  /**
   * @param file - the database file (already created by the main connection)
   * @param main - the main connection; its checkpoint threshold is raised while the worker runs
   * @param idleMs - a worker with no checkpoint to do for this long ends
   */
  constructor(
    private readonly file: string,
    private readonly main: () => Database,
    private readonly idleMs: number = CHECKPOINT_IDLE_MS,
  ) {}

  /** Counts one write on the main connection; asks for a checkpoint every {@link WRITES_PER_CHECKPOINT}. */
  wrote(): void {
    if (this.stopped || ++this.writes < WRITES_PER_CHECKPOINT || this.waiting) return;
    this.writes = 0;
    this.request();
  }

  /** Calls `listener` with each checkpoint's figures (for tests and benchmarks). */
  onCheckpoint(listener: (reply: CheckpointReply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True while a worker is there to checkpoint; false before the first, while idle, and after it has stopped. */
  get running(): boolean {
    return this.worker !== undefined && !this.stopped;
  }

  /** Closes the worker's connection and ends the thread; nothing more is asked of it (the store closes next). */
  async close(): Promise<void> {
    const { worker, exited } = this;
    this.stopped = true;
    clearTimeout(this.idleTimer);
    if (!exited) return;
    worker?.postMessage("close");
    const timer = setTimeout(() => void worker?.terminate(), CLOSE_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }

  private request(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    if (!worker) return;
    this.waiting = true;
    worker.postMessage("checkpoint");
  }

  private start(): Worker | undefined {
    try {
      // Raised first: if the connection refuses, no thread has been started to be left behind.
      this.main().pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
      // No loaders (nothing to compile) and none of this process's environment (no secrets to copy).
      const worker = new Worker(CHECKPOINT_WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        env: {},
        workerData: { driver: require.resolve("better-sqlite3"), file: this.file },
      });
      worker.unref();
      let retired = false;
      worker.on("message", (reply: CheckpointReply) => {
        this.waiting = false;
        this.idleTimer = setTimeout(() => {
          if (this.waiting || this.worker !== worker) return;
          // Ended on purpose: the next request starts another, and the main connection keeps the safety net.
          retired = true;
          this.worker = undefined;
          worker.postMessage("close");
        }, this.idleMs).unref();
        for (const listener of this.listeners) listener(reply);
      });
      worker.on("error", () => this.fallBack());
      const before = this.exited ?? Promise.resolve();
      this.exited = new Promise((resolve) =>
        worker.once("exit", () => {
          if (!retired) this.fallBack();
          void before.then(() => resolve());
        }),
      );
      this.worker = worker;
      return worker;
    } catch {
      this.fallBack();
      return undefined;
    }
  }

  /** The worker is gone: the main connection checkpoints by SQLite's default again. */
  private fallBack(): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.main().pragma(`wal_autocheckpoint = ${MAIN_THREAD_CHECKPOINT_PAGES}`);
    } catch {
      // The connection is closed or failing: it has no WAL to grow.
    }
  }
}
