import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import BetterSqlite from "better-sqlite3";
import { sqliteBackend } from "../../src/state/sqlite-backend";
import { SAFETY_NET_CHECKPOINT_PAGES, SqliteCheckpointer, WRITES_PER_CHECKPOINT } from "../../src/state/sqlite-checkpointer";
import { eventually } from "./claim-contract";
import type { CheckpointReply } from "../../src/state/sqlite-checkpointer";
import type { Namespace } from "../../src/state/backend";

/** About 2 KB, the size of a conversation's state in the middle of a journey: each write is at least one page. */
const STATE = { dialogState: { stack: [{ id: "reset", state: { notes: "x".repeat(2000) } }] } };

describe("SQLite checkpoints on a worker thread", function () {
  let folder: string;
  let file: string;
  beforeEach(function () {
    folder = mkdtempSync(path.join(tmpdir(), "state-checkpoint-"));
    file = path.join(folder, "state.sqlite");
  });
  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  /** The backend's own connection (the one that answers turns). */
  const mainConnection = (backend: ReturnType<typeof sqliteBackend>): BetterSqlite.Database => {
    const access = backend.native("inspect");
    assert.equal(access.kind, "sqlite");
    return access.db;
  };
  const walBytes = (): number => statSync(`${file}-wal`).size;
  const nextCheckpoint = (checkpointer: SqliteCheckpointer): Promise<CheckpointReply> =>
    new Promise((resolve) => {
      const stop = checkpointer.onCheckpoint((reply) => {
        stop();
        resolve(reply);
      });
    });

  /** Writes one checkpoint's worth of entries (keys `<prefix>:<i>`) and resolves with the checkpoint they asked for. */
  const writeBatch = async (namespace: Namespace, checkpointer: SqliteCheckpointer, prefix: string): Promise<CheckpointReply> => {
    const done = nextCheckpoint(checkpointer);
    for (let i = 0; i < WRITES_PER_CHECKPOINT; i += 1) await namespace.keyv.set(`${prefix}:${i}`, STATE);
    return done;
  };

  it("starts no thread for a store that only reads, and one once it writes", async function () {
    const backend = sqliteBackend(file);
    try {
      const namespace = backend.open("botstate");
      for (let i = 0; i < WRITES_PER_CHECKPOINT; i += 1) await namespace.keyv.get(`conversation:${i}`);
      assert.equal(backend.checkpointer.running, false);
      const reply = await writeBatch(namespace, backend.checkpointer, "conversation");
      assert.equal(backend.checkpointer.running, true);
      assert.equal("errorCode" in reply, false);
    } finally {
      await backend.close();
    }
  });

  it("keeps the WAL small under steady writes, with the turn's thread never checkpointing below the safety net", async function () {
    const backend = sqliteBackend(file);
    try {
      const namespace = backend.open("botstate");
      const db = mainConnection(backend);
      let largest = 0;
      let complete = 0;
      // 40 rounds of writes, each followed by the checkpoint it asked for: about 16,000 pages written in all.
      for (let round = 0; round < 40; round += 1) {
        const reply = await writeBatch(namespace, backend.checkpointer, `conversation:${round}`);
        assert.ok(!("errorCode" in reply), "the worker's checkpoint failed");
        if (reply.checkpointed === reply.log) complete += 1;
        largest = Math.max(largest, walBytes());
      }
      assert.equal(db.pragma("wal_autocheckpoint", { simple: true }), SAFETY_NET_CHECKPOINT_PAGES);
      assert.ok(complete > 30, `only ${complete} of 40 checkpoints copied the whole WAL`);
      // Without the worker, the WAL would reach the safety net's 10,000 pages (about 40 MB) before any checkpoint.
      const pageSize = db.pragma("page_size", { simple: true }) as number;
      assert.ok(largest < 4 * WRITES_PER_CHECKPOINT * 2 * pageSize, `the WAL grew to ${largest} bytes`);
      const rows = db.prepare("SELECT count(*) AS n FROM keyv_botstate").get() as { n: number };
      assert.equal(rows.n, 40 * WRITES_PER_CHECKPOINT);
    } finally {
      await backend.close();
    }
  });

  it("goes back to checkpointing on the main connection when the worker stops", async function () {
    const backend = sqliteBackend(file);
    try {
      const namespace = backend.open("botstate");
      await writeBatch(namespace, backend.checkpointer, "conversation");
      const worker = (backend.checkpointer as unknown as { worker: Worker }).worker;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      await worker.terminate();
      await exited;
      const db = mainConnection(backend);
      assert.equal(backend.checkpointer.running, false);
      assert.equal(db.pragma("wal_autocheckpoint", { simple: true }), 1000);
      // Writes go on as before, and are checkpointed by the connection that commits them.
      for (let i = 0; i < 3000; i += 1) await namespace.keyv.set(`after:${i}`, STATE);
      const [row] = db.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
      assert.ok(row.log <= 1100, `the WAL holds ${row.log} pages`);
      assert.deepEqual(await namespace.keyv.get("after:2999"), STATE);
    } finally {
      await backend.close();
    }
  });

  it("ends a worker idle for its idle time, keeps the safety net meanwhile, and starts another when writes come again", async function () {
    const db = new BetterSqlite(file);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE rows (key TEXT PRIMARY KEY, value TEXT)");
    const insert = db.prepare("INSERT INTO rows (key, value) VALUES (?, ?)");
    const checkpointer = new SqliteCheckpointer(file, () => db, 50);
    const writeBatch = async (batch: number): Promise<CheckpointReply> => {
      const done = nextCheckpoint(checkpointer);
      for (let i = 0; i < WRITES_PER_CHECKPOINT; i += 1) {
        insert.run(`${batch}:${i}`, JSON.stringify(STATE));
        checkpointer.wrote();
      }
      return done;
    };
    try {
      assert.equal("errorCode" in (await writeBatch(1)), false);
      const first = (checkpointer as unknown as { worker: Worker }).worker;
      const firstExited = new Promise((resolve) => first.once("exit", resolve));
      await eventually(() => Promise.resolve(!checkpointer.running));
      await firstExited;
      assert.equal(db.pragma("wal_autocheckpoint", { simple: true }), SAFETY_NET_CHECKPOINT_PAGES, "not fallen back to the main thread");
      assert.equal("errorCode" in (await writeBatch(2)), false);
      assert.equal(checkpointer.running, true);
      assert.notEqual((checkpointer as unknown as { worker: Worker }).worker, first);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it("closes the worker with the store, and the file reopens with everything written", async function () {
    const backend = sqliteBackend(file);
    const namespace = backend.open("botstate");
    for (let i = 0; i < 3 * WRITES_PER_CHECKPOINT; i += 1) await namespace.keyv.set(`conversation:${i}`, STATE);
    const worker = (backend.checkpointer as unknown as { worker: Worker }).worker;
    let exited = false;
    worker.once("exit", () => (exited = true));
    await backend.close();
    assert.equal(exited, true);
    const reopened = new BetterSqlite(file, { readonly: true });
    try {
      const rows = reopened.prepare("SELECT count(*) AS n FROM keyv_botstate").get() as { n: number };
      assert.equal(rows.n, 3 * WRITES_PER_CHECKPOINT);
    } finally {
      reopened.close();
    }
  });
});
