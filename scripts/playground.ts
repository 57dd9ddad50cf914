/**
 * `npm run playground`: starts the Microsoft 365 Agents Playground (a local Teams-like client) pointed at the
 * local bot, fully offline, and prints the address to open.
 *
 * Settings (environment):
 * - `BOT_ENDPOINT` — the bot's messaging endpoint, default `http://127.0.0.1:3978/api/messages`;
 * - `PLAYGROUND_PORT` — the port the Playground serves its UI on, default 56150;
 * - `M365_AGENTS_PLAYGROUND_CONFIG_PATH` — the Playground's users, chats and team, default `env/playground.dev.json`:
 *   a user with a real Entra-style object id (as Teams users have) and a team whose General channel has a Teams-style
 *   id, which `env/.env.dev` names as the helpdesk agents' channel.
 *
 * The launcher functions are exported so the end-to-end tests start the Playground exactly the way people do.
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** The Playground's own default port, also ours. */
export const DEFAULT_PLAYGROUND_PORT = 56150;
/** Where `npm start` serves the bot by default. */
export const DEFAULT_BOT_ENDPOINT = "http://127.0.0.1:3978/api/messages";

/** Raised when the Playground cannot be started as asked; the message says what to do. */
export class PlaygroundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlaygroundError";
  }
}

/** Options for {@link startPlayground}. */
export interface PlaygroundOptions {
  /** The port to serve the UI on. It must be free: see {@link isPortFree}. */
  readonly port: number;
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  readonly appEndpoint: string;
  /** The Playground's log file (`M365_AGENTS_PLAYGROUND_LOGFILE`); its folder is created. */
  readonly logFile: string;
  /** A fixed id for the personal chat; the Playground picks a random one per start when absent. */
  readonly conversationId?: string;
  /** How long to wait for `Listening on N` and `GET /_debug/ping` = `pong`; 30 000 ms by default. */
  readonly startTimeoutMs?: number;
  /** Receives every line the Playground prints (standard output and error), without the newline. */
  readonly onOutput?: (line: string) => void;
}

/** How the Playground process ended. */
export interface PlaygroundExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started Playground, serving its UI and ready for a browser. */
export interface RunningPlayground {
  /** Address to open in a browser, e.g. `http://localhost:56150`. */
  readonly url: string;
  readonly port: number;
  /** Process id, which is also its process group id (it is started detached). */
  readonly pid: number;
  readonly logFile: string;
  /** Every line the Playground printed so far. */
  readonly output: readonly string[];
  /** Settles when the process has ended, for whatever reason. */
  readonly exited: Promise<PlaygroundExit>;
  /**
   * Ends the whole process group (SIGTERM, then SIGKILL after `graceMs`, 5 000 ms by default) and waits for
   * the process to end. Safe to call more than once.
   */
  stop(graceMs?: number): Promise<void>;
  /**
   * Sends SIGKILL to the process group at once, synchronously; for `process.on("exit")` safety nets where
   * nothing asynchronous can run.
   */
  killNow(): void;
}

/** Options for {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Wait between attempts; 50 ms by default. */
  readonly intervalMs?: number;
  /** Named in the timeout error, e.g. "the Playground to answer /_debug/ping". */
  readonly what: string;
}

/**
 * Calls `attempt` until it returns something other than `undefined`, or the deadline passes. Other errors
 * thrown by an attempt count as "not yet" (the last one is quoted in the timeout error); a
 * {@link PlaygroundError} stops the polling at once.
 *
 * @returns the first defined value
 * @throws PlaygroundError when the deadline passes, or the one an attempt threw
 */
export async function pollUntil<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error: unknown) {
      if (error instanceof PlaygroundError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? "" : ` (last error: ${describeError(lastError)})`;
      throw new PlaygroundError(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}${cause}.`);
    }
    await delay(Math.min(options.intervalMs ?? 50, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Whether nothing listens on `port`, checked the way the Playground checks it (all interfaces) and on
 * 127.0.0.1 too: on some systems a wildcard bind succeeds beside a loopback listener, and the browser would
 * then reach the other program.
 */
export async function isPortFree(port: number): Promise<boolean> {
  return (await canListen(port)) && (await canListen(port, "127.0.0.1"));
}

/** Finds a port that is free right now (the system's pick), checked as {@link isPortFree} does. */
export async function findFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, () => {
        const address = server.address();
        const chosen = typeof address === "object" && address !== null ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (port > 0 && (await isPortFree(port))) return port;
  }
  throw new PlaygroundError("Could not find a free port.");
}

/** The Playground's command-line entry, resolved from the installed package. */
export function playgroundCli(): string {
  return require.resolve("@microsoft/m365agentsplayground/cli.js");
}

/**
 * Starts the Playground offline (`--disable-telemetry`, no desktop browser, no statsbeat) as a detached process
 * group, then waits until it prints `Listening on N` with N equal to the requested port and answers
 * `GET /_debug/ping` with `pong`.
 *
 * @throws PlaygroundError if the port is taken, the Playground moved to another port, exited, or was not
 * ready in time; the process group is ended first
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const { port, appEndpoint, logFile } = options;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PlaygroundError(`Invalid port ${String(port)}.`);
  if (!(await isPortFree(port))) {
    throw new PlaygroundError(
      `Port ${port} is already in use, so the Playground would silently move to a random port. ` +
        "Stop whatever uses it (another Playground?) or choose another port with PLAYGROUND_PORT.",
    );
  }
  fs.mkdirSync(path.dirname(logFile), { recursive: true });

  const args = [playgroundCli(), "--port", String(port), "--app-endpoint", appEndpoint, "--channel-id", "msteams"];
  args.push("--disable-telemetry");
  if (options.conversationId !== undefined) args.push("--conversation-id", options.conversationId);
  const child = spawn(process.execPath, args, {
    detached: process.platform !== "win32",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: "none",
      APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    },
  });
  const pid = child.pid;
  if (pid === undefined) {
    const reason = await new Promise<string>((resolve) => child.once("error", (error) => resolve(error.message)));
    throw new PlaygroundError(`Could not start the Playground: ${reason}`);
  }

  const output: string[] = [];
  let listeningOn: number | undefined;
  const onLine = (line: string): void => {
    output.push(line);
    const match = /Listening on (\d+)/.exec(line);
    if (match?.[1] !== undefined && listeningOn === undefined) listeningOn = Number(match[1]);
    options.onOutput?.(line);
  };
  splitLines(child.stdout, onLine);
  splitLines(child.stderr, onLine);

  let exit: PlaygroundExit | undefined;
  const exited = new Promise<PlaygroundExit>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const running = controlOf(child, pid, exited, () => exit !== undefined);
  const playground: RunningPlayground = { url: `http://localhost:${port}`, port, pid, logFile, output, exited, ...running };

  try {
    const startedAt = Date.now();
    const actual = await pollUntil(
      () => {
        if (exit !== undefined) throw new PlaygroundError(exitMessage(exit, output));
        return Promise.resolve(listeningOn);
      },
      { timeoutMs, what: `the Playground to print "Listening on ${port}"` },
    );
    if (actual !== port) {
      throw new PlaygroundError(
        `The Playground was asked for port ${port} but is listening on ${actual} (the port was taken meanwhile). ` +
          "Stop whatever uses it or choose another port.",
      );
    }
    await pollUntil(
      async () => {
        if (exit !== undefined) throw new PlaygroundError(exitMessage(exit, output));
        const response = await fetch(`http://127.0.0.1:${port}/_debug/ping`, { signal: AbortSignal.timeout(2_000) });
        return (await response.text()).trim() === "pong" ? true : undefined;
      },
      { timeoutMs: Math.max(1_000, timeoutMs - (Date.now() - startedAt)), what: `http://127.0.0.1:${port}/_debug/ping to answer pong` },
    );
    return playground;
  } catch (error: unknown) {
    await playground.stop();
    throw error;
  }
}

function controlOf(
  child: ChildProcess,
  pid: number,
  exited: Promise<PlaygroundExit>,
  hasExited: () => boolean,
): Pick<RunningPlayground, "stop" | "killNow"> {
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (hasExited()) return;
    try {
      if (process.platform === "win32") child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  let stopping: Promise<void> | undefined;
  return {
    stop: (graceMs = 5_000) =>
      (stopping ??= (async () => {
        signalGroup("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), graceMs);
        });
        const outcome = await Promise.race([exited, late]);
        clearTimeout(timer);
        if (outcome === "late") {
          signalGroup("SIGKILL");
          await exited;
        }
        // Helpers it may have started share the group; make sure none outlives it.
        if (process.platform !== "win32") {
          try {
            process.kill(-pid, "SIGKILL");
          } catch {
            // The group is empty.
          }
        }
      })()),
    killNow: () => signalGroup("SIGKILL"),
  };
}

function splitLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    if (rest !== "") onLine(rest);
  });
}

function canListen(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function exitMessage(exit: PlaygroundExit, output: readonly string[]): string {
  const how = exit.signal === null ? `code ${String(exit.code)}` : `signal ${exit.signal}`;
  const tail = output.slice(-10).join("\n  ");
  return `The Playground exited early (${how}).${tail === "" ? "" : `\n  ${tail}`}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether something accepts TCP connections at the URL's host and port (used only for a friendly warning). */
async function isReachable(url: URL): Promise<boolean> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port, timeout: 1_000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** Command-line entry: reads the settings, starts the Playground, and stops it on Ctrl+C or SIGTERM. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const root = path.resolve(__dirname, "..");
  const portText = env.PLAYGROUND_PORT?.trim() || String(DEFAULT_PLAYGROUND_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    console.error(`PLAYGROUND_PORT must be a port number (1-65535), not ${JSON.stringify(portText)}.`);
    return 1;
  }
  const endpointText = env.BOT_ENDPOINT?.trim() || DEFAULT_BOT_ENDPOINT;
  if (!URL.canParse(endpointText) || !/^https?:$/.test(new URL(endpointText).protocol)) {
    console.error(`BOT_ENDPOINT must be an http(s) URL such as ${DEFAULT_BOT_ENDPOINT}, not ${JSON.stringify(endpointText)}.`);
    return 1;
  }
  const logFile = path.join(root, "var", "playground.log");
  // The launcher passes this process's environment to the Playground, which reads its config file from it.
  process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = env.M365_AGENTS_PLAYGROUND_CONFIG_PATH?.trim() || path.join(root, "env", "playground.dev.json");

  if (!(await isReachable(new URL(endpointText)))) {
    console.warn(`Note: nothing answers at ${endpointText} yet. Start the bot with \`npm start\` in another terminal.`);
  }

  let playground: RunningPlayground;
  try {
    playground = await startPlayground({
      port,
      appEndpoint: endpointText,
      logFile,
      onOutput: (line) => console.log(`[playground] ${line}`),
    });
  } catch (error: unknown) {
    console.error(`Could not start the Agents Playground: ${describeError(error)}`);
    return 1;
  }

  process.on("exit", () => playground.killNow());
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the Playground…`);
    void playground.stop();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  console.log("");
  console.log(`Agents Playground is ready: open ${playground.url}`);
  console.log(`  bot endpoint: ${endpointText}`);
  console.log(`  log file:     ${path.relative(process.cwd(), logFile) || logFile}`);
  console.log("  Press Ctrl+C to stop.");

  const exit = await playground.exited;
  if (stopping) return 0;
  console.error(exitMessage(exit, []));
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Could not run the Agents Playground: ${describeError(error)}`);
      process.exit(1);
    },
  );
}
