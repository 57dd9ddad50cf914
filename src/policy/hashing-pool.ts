import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { HASHING_WORKER_SOURCE } from "./hashing-worker";
import type { HashRequest, WorkerReply, WorkerRequest } from "./hashing-worker";

/** scrypt's settings for one hash, as `crypto.scrypt` takes them. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

/** A request not yet numbered: what a caller asks for. */
type Unnumbered<T> = T extends WorkerRequest ? Omit<T, "id"> : never;

/** A request waiting for, or on, a worker. */
interface Job {
  id: number;
  request: Unnumbered<WorkerRequest>;
  /** True once the job has been started again after its worker stopped. */
  retried: boolean;
  resolve(reply: WorkerReply): void;
  reject(err: Error): void;
}

/** One worker thread and the job it is on, if any. */
interface Slot {
  worker: Worker;
  job?: Job;
  /** Ends the worker once it has had no job for the pool's idle time. */
  idleTimer?: NodeJS.Timeout;
  /** Set when the pool ends the worker on purpose (close): its job is failed, not retried. */
  closing: boolean;
}

/**
 * How many hashes run at once in this process: one core fewer than the machine has (at least one), so that even with
 * every hashing thread busy a core is left for the main thread.
 */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * How long a worker waits for another job before it ends (its thread and heap, a few MB, given back): hashes come in
 * bursts, a reset's few within a minute, and a bot is idle most of the day. Starting a worker again takes a few ms.
 */
export const WORKER_IDLE_MS = 5000;

/** An error from hashing that says what went wrong and nothing of what was hashed. */
function hashingError(reason: string): Error {
  return new Error(`password hashing failed: ${reason}`);
}

function toBuffer(key: Uint8Array): Buffer {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/**
 * A few worker threads that run scrypt, each at the lowest scheduling priority (see `HASHING_WORKER_SOURCE`): the
 * bot's main thread gets a core first, and a hash never stalls other people's turns. Workers start on first use, at
 * most `size` of them; further jobs queue here, in order. A worker that stops mid-job (a crash) is replaced and its job
 * started again once; a second stop fails the job. Secrets go to the workers by `postMessage` (within this process)
 * and are never logged; errors carry no secret. An idle worker does not keep the process alive, and ends after
 * {@link WORKER_IDLE_MS} without a job.
 */
export class HashingPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  /**
   * @param size - at most this many workers at once
   * @param idleMs - a worker with no job for this long ends; the next job starts another
   */
  constructor(
    readonly size: number = defaultPoolSize(),
    private readonly idleMs: number = WORKER_IDLE_MS,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("a hashing pool needs at least one worker");
  }

  /** scrypt of `secret` (hashed as given: normalise first) and `salt`: a key of `keyLength` bytes. */
  async scrypt(secret: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
    const request: Unnumbered<HashRequest> = { kind: "hash", secret, salt: new Uint8Array(salt), keyLength, ...params };
    const reply = await this.submit(request);
    if ("key" in reply) return toBuffer(reply.key);
    throw hashingError("errorCode" in reply ? reply.errorCode : "unexpected reply");
  }

  /** The Linux thread id of a worker (started if none is), or undefined where there is none to read. For tests. */
  async workerThreadId(): Promise<number | undefined> {
    const reply = await this.submit({ kind: "describe" });
    return "threadId" in reply ? reply.threadId : undefined;
  }

  /** Workers running now. */
  get workers(): number {
    return this.slots.size;
  }

  /** Ends every worker at once, as a crash would: their jobs are started again (once). For tests. */
  async crashWorkers(): Promise<void> {
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  /** Ends the workers and fails every job queued or under way. The pool can still be used: it starts new workers. */
  async close(): Promise<void> {
    const slots = [...this.slots];
    for (const slot of slots) {
      slot.closing = true;
      clearTimeout(slot.idleTimer);
    }
    for (const job of this.queue.splice(0)) job.reject(hashingError("the hashing pool was closed"));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private submit(request: Unnumbered<WorkerRequest>): Promise<WorkerReply> {
    return new Promise<WorkerReply>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, retried: false, resolve, reject });
      this.dispatch();
    });
  }

  /** Hands queued jobs to idle workers, starting workers up to `size`; the rest wait for a worker to be free. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.idleSlot();
      if (!slot && this.slots.size >= this.size) return;
      slot ??= this.startWorker();
      const job = this.queue.shift() as Job;
      if (slot) this.assign(slot, job);
      else job.reject(hashingError("no worker could be started"));
    }
  }

  private idleSlot(): Slot | undefined {
    for (const slot of this.slots) if (!slot.job && !slot.closing) return slot;
    return undefined;
  }

  /** Starts a worker (unreferenced until it has a job), or undefined when the thread could not be made. */
  private startWorker(): Slot | undefined {
    let worker: Worker;
    try {
      // No tsx or other loaders (nothing to compile), and none of this process's environment (no secrets to copy).
      worker = new Worker(HASHING_WORKER_SOURCE, { eval: true, execArgv: [], env: {} });
    } catch {
      return undefined;
    }
    const slot: Slot = { worker, closing: false };
    worker.unref();
    worker.on("message", (reply: WorkerReply) => this.settle(slot, reply));
    worker.on("messageerror", () => this.fail(slot, hashingError("unreadable reply")));
    // What an uncaught error in the worker said is dropped: the exit that follows fails or retries the job.
    worker.on("error", () => undefined);
    worker.once("exit", () => this.replace(slot));
    this.slots.add(slot);
    return slot;
  }

  private assign(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    slot.job = job;
    slot.worker.ref();
    try {
      slot.worker.postMessage({ ...job.request, id: job.id });
    } catch {
      this.release(slot);
      job.reject(hashingError("the job could not be sent to a worker"));
    }
  }

  /** Takes the worker's job off it (it is idle again) and returns the job. */
  private release(slot: Slot): Job | undefined {
    const job = slot.job;
    slot.job = undefined;
    if (!slot.closing) {
      slot.worker.unref();
      slot.idleTimer = setTimeout(() => this.retire(slot), this.idleMs).unref();
    }
    return job;
  }

  /** Ends an idle worker: it leaves the pool (as on `close`), and the next job starts another. */
  private retire(slot: Slot): void {
    if (slot.job || slot.closing) return;
    slot.closing = true;
    void slot.worker.terminate();
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    if (slot.job?.id !== reply.id) return;
    this.release(slot)?.resolve(reply);
    this.dispatch();
  }

  private fail(slot: Slot, err: Error): void {
    this.release(slot)?.reject(err);
    this.dispatch();
  }

  /** A worker stopped: its job is started again once (not after `close`), and another worker may take its place. */
  private replace(slot: Slot): void {
    this.slots.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    if (job && !slot.closing && !job.retried) {
      job.retried = true;
      this.queue.unshift(job);
    } else if (job) {
      job.reject(hashingError(slot.closing ? "the hashing pool was closed" : "the hashing worker stopped"));
    }
    this.dispatch();
  }
}

let shared: HashingPool | undefined;

/** The process's hashing pool, which every `PasswordHasher` uses unless given another. */
export function sharedHashingPool(): HashingPool {
  shared ??= new HashingPool();
  return shared;
}
