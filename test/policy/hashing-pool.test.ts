import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, scryptSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inspect, promisify } from "node:util";
import { HashingPool } from "../../src/policy/hashing-pool";
import { eventually } from "../state/claim-contract";

// A low cost keeps the suite quick; what is tested (threads, priority, crashes) is the same at any cost.
const PARAMS = { N: 2 ** 10, r: 8, p: 1, maxmem: 256 * 2 ** 10 * 8 };
const SECRET = "Pool-Secret-Word-93";
const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

/** The same hash done here, on this thread, to compare with. */
function expected(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32, PARAMS);
}

/** The nice value of one of this process's threads, from /proc (field 19 of its stat line). */
function niceOf(tid: number): number {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "latin1");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

/** Every thread of this process and its nice value (threads that end while being read are left out). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const name of fs.readdirSync("/proc/self/task")) {
    try {
      nices.set(Number(name), niceOf(Number(name)));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nices;
}

/** Fails unless `err` is an Error that says nothing of `secret`, however it is printed. */
function assertNoSecret(err: unknown, secret: string): true {
  assert.ok(err instanceof Error);
  for (const text of [err.message, err.stack ?? "", inspect(err, { depth: 5 }), JSON.stringify(err)]) {
    assert.ok(!text.includes(secret), `the error shows the secret: ${text}`);
  }
  return true;
}

const onLinux = process.platform === "linux" && fs.existsSync("/proc/thread-self/stat");

describe("HashingPool (scrypt on worker threads)", () => {
  const pools: HashingPool[] = [];
  const newPool = (size: number, idleMs?: number): HashingPool => {
    const pool = new HashingPool(size, idleMs);
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  it("gives the key Node's own scrypt gives, for many jobs at once, on no more workers than its size", async () => {
    const pool = newPool(2);
    const salts = Array.from({ length: 24 }, () => randomBytes(16));
    const keys = Promise.all(salts.map((salt, i) => pool.scrypt(`${SECRET}-${i}`, salt, 32, PARAMS)));
    assert.equal(pool.workers, 2, "two workers started, the rest of the jobs queued");
    (await keys).forEach((key, i) => assert.deepEqual(key, expected(`${SECRET}-${i}`, salts[i])));
    assert.equal(pool.workers, 2);
  });

  // Linux only: the test reads the worker thread's nice value from /proc/self/task/<tid>/stat, and the per-thread
  // effect of setpriority(2) that the pool relies on is Linux's. Elsewhere the workers run at normal priority.
  (onLinux ? it : it.skip)("hashes on threads at the lowest priority, leaving every other thread's as it was (Linux: reads /proc)", async () => {
    const before = threadNices();
    const pool = newPool(1);
    await pool.scrypt(SECRET, randomBytes(16), 32, PARAMS);
    const tid = await pool.workerThreadId();
    assert.equal(typeof tid, "number");
    assert.ok(!before.has(tid as number), "the worker is a thread of its own");
    assert.equal(niceOf(tid as number), 19, "the hashing thread runs at nice 19");
    const after = threadNices();
    for (const [other, nice] of before) {
      if (after.has(other)) assert.equal(after.get(other), nice, `thread ${other} kept its priority`);
    }
    assert.equal(after.get(process.pid), before.get(process.pid), "the main thread kept its priority");
  });

  it("starts a job again when its worker is killed mid-job, and carries on with a new worker", async () => {
    const pool = newPool(1);
    const salt = randomBytes(16);
    const job = pool.scrypt(SECRET, salt, 32, PARAMS);
    await pool.crashWorkers();
    assert.deepEqual(await job, expected(SECRET, salt));
    assert.equal(pool.workers, 1);
  });

  it("fails a job whose worker is killed twice, with an error that has no secret in it, and recovers", async () => {
    const pool = newPool(1);
    const job = pool.scrypt(SECRET, randomBytes(16), 32, PARAMS);
    const queued = pool.scrypt(`${SECRET}-queued`, randomBytes(16), 32, PARAMS);
    await pool.crashWorkers();
    await pool.crashWorkers();
    await assert.rejects(job, (err) => assertNoSecret(err, SECRET) && /worker stopped/.test((err as Error).message));
    await queued;
    const salt = randomBytes(16);
    assert.deepEqual(await pool.scrypt(SECRET, salt, 32, PARAMS), expected(SECRET, salt));
  });

  it("rejects scrypt's own refusal with its code only", async () => {
    const pool = newPool(1);
    const bad = pool.scrypt(SECRET, randomBytes(16), 32, { ...PARAMS, N: 3 });
    await assert.rejects(bad, (err) => assertNoSecret(err, SECRET) && /ERR_CRYPTO_INVALID_SCRYPT_PARAMS/.test((err as Error).message));
    assert.equal((await pool.scrypt(SECRET, randomBytes(16), 32, PARAMS)).length, 32, "the worker carries on");
  });

  it("fails what is queued or under way when closed, and starts new workers when used again", async () => {
    const pool = newPool(1);
    const jobs = [1, 2, 3].map((i) => pool.scrypt(`${SECRET}-${i}`, randomBytes(16), 32, PARAMS));
    const outcomes = Promise.allSettled(jobs);
    await pool.close();
    for (const outcome of await outcomes) {
      assert.equal(outcome.status, "rejected");
      assertNoSecret(outcome.reason, SECRET);
      assert.match((outcome.reason as Error).message, /closed/);
    }
    assert.equal(pool.workers, 0);
    assert.equal((await pool.scrypt(SECRET, randomBytes(16), 32, PARAMS)).length, 32);
    await pool.close();
    await pool.close();
  });

  it("ends a worker that has had no job for its idle time, and starts another for the next job", async () => {
    const pool = newPool(1, 50);
    const salt = randomBytes(16);
    assert.deepEqual(await pool.scrypt(SECRET, salt, 32, PARAMS), expected(SECRET, salt));
    const first = await pool.workerThreadId();
    assert.equal(pool.workers, 1);
    await eventually(() => Promise.resolve(pool.workers === 0));
    if (onLinux && first !== undefined) assert.equal(threadNices().has(first), false, "the idle worker's thread is gone");
    assert.deepEqual(await pool.scrypt(SECRET, salt, 32, PARAMS), expected(SECRET, salt));
    assert.equal(pool.workers, 1);
  });

  it("keeps a busy worker however long the jobs run back to back", async () => {
    // An idle time far shorter than the jobs: a worker ended between two queued jobs would show as a second thread.
    const pool = newPool(1, 1);
    const first = await pool.workerThreadId();
    const jobs = [1, 2, 3, 4, 5, 6].map((i) => pool.scrypt(`${SECRET}-${i}`, randomBytes(16), 32, PARAMS));
    const again = pool.workerThreadId();
    await Promise.all(jobs);
    assert.equal(await again, first);
  });

  it("keeps a process alive until its hash is done, and not after (the process exits on its own)", async () => {
    // A process of its own whose only work is one hash: with the worker unreferenced mid-job it would exit before
    // printing; with the idle worker referenced it would never exit (the bound below fails the test instead).
    const script = `const { PasswordHasher } = require("./src/policy/password-hasher");
      new PasswordHasher({ log2N: 10, r: 8, p: 1 }).hash("x").then((hash) => console.log(hash));`;
    const { stdout } = await run(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 15_000 });
    assert.match(stdout.trim(), /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });
});
