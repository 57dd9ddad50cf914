/**
 * The parent side of `bench/server-process.ts`: starts a server under test in its own Node process and asks it for
 * its CPU time, a CPU profile, or to stop.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import type { FromChild, ServerKind, ToChild } from "./server-process";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** A server under test running in a child process. */
export interface ServerProcess {
  kind: ServerKind;
  child: ChildProcess;
  pid: number;
  url: string;
  store: string;
  /** Where the server's Prometheus metrics are scraped, when they are on. */
  metricsUrl?: string;
  /** User + system CPU the child has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** Starts the child's CPU profiler, or stops it and writes the profile to `file`. */
  profile(action: "start" | "stop", file?: string): Promise<void>;
  stop(): Promise<void>;
}

function nextMessage<T extends FromChild["type"]>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "${type}" from the server process within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: FromChild): void => {
      if (message.type === type) finish(undefined, message as Extract<FromChild, { type: T }>);
      else if (message.type === "failed") finish(new Error(`server process failed to start:\n${message.message}`));
    };
    const onExit = (code: number | null): void => finish(new Error(`server process exited (code ${code}) before "${type}"`));
    function finish(err: Error | undefined, message?: Extract<FromChild, { type: T }>): void {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else if (message) resolve(message);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** How a server process is started. */
export interface ServerProcessOptions {
  execArgv: string[];
  /** Extra environment for the process itself (e.g. UV_THREADPOOL_SIZE); the server's settings go in `env`. */
  processEnv?: Record<string, string>;
  /** What happens to the server's standard output. Default: shown. */
  stdout?: "ignore" | "inherit";
  startTimeoutMs?: number;
}

/** The Node options for a server process: this process's, with restify's DEP0111 warning silenced. */
export function serverExecArgv(): string[] {
  // restify 11 reads process.binding("http_parser") (DEP0111); the warning says nothing about the run.
  const quiet = process.allowedNodeEnvironmentFlags.has("--disable-warning") ? ["--disable-warning=DEP0111"] : [];
  return [...process.execArgv, ...quiet];
}

/** Starts a server under test in its own process; `onChild` is told of the process at once (to kill it on Ctrl-C). */
export async function startServerProcess(kind: ServerKind, env: Record<string, string>, options: ServerProcessOptions, onChild?: (child: ChildProcess) => void): Promise<ServerProcess> {
  const child = fork(path.join(__dirname, "server-process.ts"), [], {
    execArgv: options.execArgv,
    env: { ...process.env, ...options.processEnv },
    stdio: ["ignore", options.stdout ?? "inherit", "inherit", "ipc"],
  });
  onChild?.(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const order = (message: ToChild): void => void child.send(message);
  const ready = nextMessage(child, "ready", options.startTimeoutMs ?? START_TIMEOUT_MS);
  order({ type: "start", kind, env });
  try {
    const { url, store, metricsUrl } = await ready;
    return {
      kind,
      child,
      pid: child.pid ?? 0,
      url,
      store,
      metricsUrl,
      cpuMicros: async () => {
        const answer = nextMessage(child, "cpu", STOP_TIMEOUT_MS);
        order({ type: "cpu" });
        return (await answer).micros;
      },
      profile: async (action, file) => {
        const answer = nextMessage(child, "profiled", STOP_TIMEOUT_MS);
        order(action === "start" ? { type: "profile", action } : { type: "profile", action, file: file ?? "" });
        const { error } = await answer;
        if (error) throw new Error(`profiler in the ${kind} process: ${error}`);
      },
      stop: async () => {
        if (child.exitCode === null && child.connected) order({ type: "stop" });
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  }
}

/** Starts a server under test with these Node options, its output shown. */
export function startServer(kind: ServerKind, env: Record<string, string>, execArgv: string[]): Promise<ServerProcess> {
  return startServerProcess(kind, env, { execArgv });
}

