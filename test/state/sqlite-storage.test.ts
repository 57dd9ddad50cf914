import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite from "better-sqlite3";
import { openStateStore } from "../../src/state";
import { eventually } from "./claim-contract";
import { conversationKey, describeStorageContract } from "./storage-contract";

const folder = mkdtempSync(path.join(tmpdir(), "state-sqlite-"));
const file = path.join(folder, "nested", "state.sqlite");
after(function () {
  rmSync(folder, { recursive: true, force: true });
});

describeStorageContract("SQLite", async () => openStateStore(`sqlite://${file}`), { shared: true });

describe("SQLite state file", function () {
  it("creates the folder and stores plain JSON of the item and its eTag, nothing more", async function () {
    const store = await openStateStore(`sqlite://${file}`);
    const key = conversationKey();
    try {
      await store.storage.write({ [key]: { step: "verify" } });
      const eTag = (await store.storage.read([key]))[key] as { eTag: string };
      // A connection of its own, through the same SQLite library.
      const raw = new BetterSqlite(file, { readonly: true });
      const rows: unknown = raw.prepare("SELECT value FROM keyv_botstate WHERE key = ?").all(key);
      raw.close();
      assert.deepEqual(rows, [{ value: JSON.stringify({ value: { step: "verify", eTag: eTag.eTag } }) }]);
    } finally {
      await store.close();
    }
  });

  it("keeps claims across reopen, and deletes expired entries every 500 claims", async function () {
    const store = await openStateStore(`sqlite://${file}`);
    const [kept, expiring] = [conversationKey(), conversationKey()];
    assert.equal(await store.claim("sweep", kept, 3_600_000), true);
    assert.equal(await store.claim("sweep", expiring, 1), true);
    await store.close();
    const reopened = await openStateStore(`sqlite://${file}`);
    const raw = new BetterSqlite(file);
    const stored = (key: string): Promise<boolean> => Promise.resolve(raw.prepare("SELECT key FROM keyv_sweep WHERE key = ?").all(key).length === 1);
    try {
      assert.equal(await reopened.claim("sweep", kept, 3_600_000), false);
      await eventually(async () => (await reopened.keyv("sweep").get(expiring)) === undefined);
      raw.prepare("INSERT INTO keyv_sweep (key, value) VALUES (?, ?)").run(expiring, '{"value":true,"expires":1}');
      for (let i = 1; i < 499; i += 1) await reopened.claim("sweep", `filler:${i}`, 3_600_000);
      assert.equal(await stored(expiring), true, "not swept before the 500th claim");
      await reopened.claim("sweep", "filler:499", 3_600_000);
      assert.equal(await stored(expiring), false, "swept at the 500th claim");
      assert.equal(await stored(kept), true);
    } finally {
      raw.close();
      await reopened.close();
    }
  });

  it("sweeps a bounded window of rows at a time, moving on each sweep, so a big table never stalls a claim", async function () {
    const store = await openStateStore(`sqlite://${file}`);
    const raw = new BetterSqlite(file);
    try {
      assert.equal(await store.claim("window", "first", 3_600_000), true);
      const insert = raw.prepare("INSERT INTO keyv_window (key, value) VALUES (?, ?)");
      const far = JSON.stringify({ value: true, expires: Date.now() + 3_600_000 });
      raw.transaction(() => {
        for (let i = 0; i < 1500; i++) insert.run(`long-lived:${i}`, far);
        for (let i = 0; i < 300; i++) insert.run(`expired:${i}`, '{"value":true,"expires":1}');
      })();
      const expired = (): number => (raw.prepare("SELECT count(*) AS n FROM keyv_window WHERE key LIKE 'expired:%'").get() as { n: number }).n;
      for (let i = 2; i <= 500; i++) await store.claim("window", `claim:${i}`, 3_600_000);
      assert.equal(expired(), 300, "the first sweep looked only at the oldest 1,000 rows, none of them expired");
      for (let i = 501; i <= 1000; i++) await store.claim("window", `claim:${i}`, 3_600_000);
      assert.equal(expired(), 0, "the next sweep went on from there and deleted them");
      assert.equal((raw.prepare("SELECT count(*) AS n FROM keyv_window").get() as { n: number }).n, 1 + 1500 + 999);
    } finally {
      raw.close();
      await store.close();
    }
  });

  it("gives native() the store's connection to the file and a table apart from keyv's", async function () {
    const [a, b] = [await openStateStore(`sqlite://${file}`), await openStateStore(`sqlite://${file}`)];
    try {
      const [one, two] = [a.native("counters"), b.native("counters")];
      assert.ok(one.kind === "sqlite" && two.kind === "sqlite");
      assert.equal(one.table, "native_counters");
      const run = (access: typeof one, sql: string, ...params: unknown[]): unknown[] => {
        const statement = access.db.prepare(sql);
        if (statement.reader) return statement.all(...params);
        statement.run(...params);
        return [];
      };
      run(one, `CREATE TABLE IF NOT EXISTS ${one.table} (key TEXT PRIMARY KEY, n INTEGER)`);
      run(one, `INSERT OR REPLACE INTO ${one.table} (key, n) VALUES (?, ?)`, "k", 7);
      assert.deepEqual(run(two, `SELECT n FROM ${two.table} WHERE key = ?`, "k"), [{ n: 7 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("lets other people's turns run between one turn's statements", async function () {
    const store = await openStateStore(`sqlite://${file}`);
    const keyv = store.keyv("interleave");
    const order: string[] = [];
    try {
      // One turn's three statements in a row, and another piece of work that arrives meanwhile.
      const turn = (async () => {
        for (const step of ["a", "b", "c"]) {
          await keyv.set(step, step);
          order.push(step);
        }
      })();
      setImmediate(() => order.push("other turn"));
      await turn;
      const other = order.indexOf("other turn");
      assert.ok(other >= 0 && other < order.indexOf("c"), `the other turn waited for all three: ${order.join(", ")}`);
      assert.deepEqual(await Promise.all(["a", "b", "c"].map((step) => keyv.get(step))), ["a", "b", "c"]);
    } finally {
      await store.close();
    }
  });

  it("fails to open, clearly, when the file cannot be created", async function () {
    const plainFile = path.join(folder, "plain-file");
    writeFileSync(plainFile, "");
    await assert.rejects(openStateStore(`sqlite://${plainFile}/x.sqlite`), /Cannot open the SQLite state file/);
  });
});
