/**
 * What a hashing worker thread runs, and the messages it takes and gives. The code is plain JavaScript in a string,
 * started with `new Worker(HASHING_WORKER_SOURCE, { eval: true })`, so it runs the same from TypeScript under tsx and
 * from the build, with no file to find at run time. It needs only Node's own modules.
 */

/** A hash to work out: scrypt of `secret` (already NFC-normalised) with `salt`. */
export interface HashRequest {
  kind: "hash";
  id: number;
  secret: string;
  salt: Uint8Array;
  keyLength: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

/** Asks the worker which thread it is (a test reads that thread's nice value from /proc). */
export interface DescribeRequest {
  kind: "describe";
  id: number;
}

/** What the pool sends a worker. */
export type WorkerRequest = HashRequest | DescribeRequest;

/**
 * What a worker sends back for the request with the same id: the key; or the error's code only (never its message,
 * which could one day quote an input); or, for `describe`, its Linux thread id (undefined elsewhere).
 */
export type WorkerReply =
  | { id: number; key: Uint8Array }
  | { id: number; errorCode: string }
  | { id: number; threadId: number | undefined };

/**
 * The worker. On start it lowers its own thread's scheduling priority to the lowest (nice 19): on Linux,
 * `setpriority(PRIO_PROCESS, 0, …)` from a thread changes that thread only, so the bot's main thread gets a core
 * first and hashing has what is left. Where that is refused or not per-thread, it carries on at normal priority.
 * Then it answers one request at a time with the synchronous scrypt, which blocks only this thread.
 */
export const HASHING_WORKER_SOURCE = String.raw`
"use strict";
const { parentPort } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
const os = require("node:os");
const fs = require("node:fs");

function lowerPriority() {
  try {
    os.setPriority(0, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not allowed or not supported: hash at normal priority.
  }
}

function threadId() {
  try {
    return Number(fs.readFileSync("/proc/thread-self/stat", "latin1").split(" ")[0]) || undefined;
  } catch {
    return undefined;
  }
}

function hash(request) {
  const { secret, salt, keyLength, N, r, p, maxmem } = request;
  try {
    const key = scryptSync(secret, salt, keyLength, { N, r, p, maxmem });
    return { id: request.id, key: new Uint8Array(key.buffer, key.byteOffset, key.byteLength) };
  } catch (err) {
    const code = err && typeof err.code === "string" ? err.code : "ERR_HASHING";
    return { id: request.id, errorCode: code };
  }
}

lowerPriority();
parentPort.on("message", (request) => {
  if (request.kind === "describe") parentPort.postMessage({ id: request.id, threadId: threadId() });
  else parentPort.postMessage(hash(request));
});
`;
