/**
 * Starting a server process for `bench/footprint.ts` and measuring it: the time from spawn to the first 200 from
 * `GET /healthz`, and its resident set (VmRSS) once it has been healthy, quiet and idle for a while. Every child is tracked so
 * that it can be stopped however the bench ends.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { procCpuMicros } from "./proc-cpu";

/** How to start one server. */
export interface ServerSpec {
  /** Arguments to `node`, e.g. `["--disable-warning=DEP0111", "dist/src/index.js"]`. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** What one start measured. */
export interface StartFigures {
  /** Milliseconds from spawn to the first 200 from `/healthz`. */
  healthyMs: number;
  /** VmRSS in MiB after `idleMs` of idling once quiet. */
  rssMb: number;
  /**
   * VmRSS in MiB once settled: read again a while later (`settleMs`), after V8's memory reducer has given back the
   * young generation's spare room (up to 32 MB, which a process still holds or not a few seconds after going quiet,
   * by chance of timing).
   */
  settledMb: number;
}

/** A running server with its base URL. */
export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from `/healthz`. */
  healthyMs: number;
  /** The last lines it wrote to standard error (for a failure message). */
  stderrTail(): string;
}

const POLL_MS = 10;
const live = new Set<ChildProcess>();

/** Every child still running, for clean-up on exit or Ctrl-C. */
export function liveChildren(): ReadonlySet<ChildProcess> {
  return live;
}

/** The URL a server announces on standard output: a JSON line with `url`, as "bot listening" or "floor listening". */
function urlOf(line: string): string | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return typeof parsed.url === "string" && typeof parsed.msg === "string" && parsed.msg.endsWith("listening") ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Spawns `node` with the spec's arguments and resolves once `/healthz` answers 200 (polled every 10 ms from the
 * moment the server prints its URL). Rejects if the process exits first or `timeoutMs` passes.
 */
export async function startServer(spec: ServerSpec, timeoutMs = 120_000): Promise<RunningServer> {
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const tail: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    tail.push(text);
    if (tail.length > 40) tail.shift();
  });
  const stderrTail = (): string => tail.join("").split("\n").slice(-20).join("\n");
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${stderrTail()}`)), timeoutMs);
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      buffered += text;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const found = urlOf(line);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before listening:\n${stderrTail()}`));
    });
  });
  while (!(await healthy(url))) {
    if (child.exitCode !== null) throw new Error(`exited before /healthz answered:\n${stderrTail()}`);
    if (performance.now() - started > timeoutMs) throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
  return { url, child, healthyMs: performance.now() - started, stderrTail };
}

/** VmRSS of a process, in MiB, from /proc/<pid>/status. */
export function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

/** Stops a child with SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopServer(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A process is quiet once it has used at most this much CPU over {@link QUIET_WINDOW_MS}. */
const QUIET_CPU_MICROS = 20_000;
const QUIET_WINDOW_MS = 1000;
/** How long to wait for a process to go quiet before reading its figures anyway. */
const QUIET_TIMEOUT_MS = 60_000;

/**
 * Resolves once process `pid` has used at most {@link QUIET_CPU_MICROS} of CPU in {@link QUIET_WINDOW_MS} (its
 * start-up work, such as importing the development accounts, is done), or after {@link QUIET_TIMEOUT_MS}.
 */
async function quiet(pid: number): Promise<void> {
  const deadline = performance.now() + QUIET_TIMEOUT_MS;
  let before = procCpuMicros(pid);
  while (before !== undefined && performance.now() < deadline) {
    await sleep(QUIET_WINDOW_MS);
    const after = procCpuMicros(pid);
    if (after === undefined || after - before <= QUIET_CPU_MICROS) return;
    before = after;
  }
}

/** A server started and read once at rest, still running so that it can be read again once settled. */
export interface MeasuredStart {
  figures: Omit<StartFigures, "settledMb">;
  /** When the first RSS was read (performance.now()). */
  readAt: number;
  /** Reads VmRSS again, in MiB. */
  rssNow(): number;
  stop(): Promise<void>;
}

/**
 * Starts a server, waits until it is healthy and then quiet (its start-up work done), lets it idle for `idleMs` and
 * reads its RSS; the server keeps running (see {@link MeasuredStart}) and is stopped if anything fails.
 */
export async function measureStart(spec: ServerSpec, idleMs: number): Promise<MeasuredStart> {
  const server = await startServer(spec);
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error("the server has no process id");
    await quiet(pid);
    await sleep(idleMs);
    return {
      figures: { healthyMs: server.healthyMs, rssMb: residentMb(pid) },
      readAt: performance.now(),
      rssNow: () => residentMb(pid),
      stop: () => stopServer(server.child),
    };
  } catch (err) {
    await stopServer(server.child);
    throw err;
  }
}
