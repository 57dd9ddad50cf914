/**
 * Runs one server under test in its own process, driven over the IPC channel by `bench/turn.ts`:
 * - parent → child `{ type: "start", kind, env }`, child → parent `{ type: "ready", url, store }` or `{ type: "failed" }`;
 * - parent → child `{ type: "cpu" }`, child → parent `{ type: "cpu", micros }` (user + system CPU so far);
 * - parent → child `{ type: "profile", action: "start" }` starts V8's CPU profiler in this process;
 *   `{ type: "profile", action: "stop", file }` stops it and writes the `.cpuprofile` to `file`; each is answered
 *   `{ type: "profiled" }` (so only the rounds that count are profiled, not start-up or warm-up);
 * - parent → child `{ type: "stop" }`, child → parent `{ type: "stopped" }`, then the child exits.
 * If the parent goes away, the child closes its server and exits too.
 */
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import type { DestinationStream } from "pino";

/** Which server a child runs. */
export type ServerKind = "echo" | "stateful-echo" | "bot";

/** Messages from the parent. */
export type ToChild =
  | { type: "start"; kind: ServerKind; env: Record<string, string> }
  | { type: "cpu" }
  | { type: "profile"; action: "start" }
  | { type: "profile"; action: "stop"; file: string }
  | { type: "stop" };

/** Messages from the child. */
export type FromChild =
  | { type: "ready"; url: string; store: string; metricsUrl?: string }
  | { type: "failed"; message: string }
  | { type: "cpu"; micros: number }
  | { type: "profiled"; error?: string }
  | { type: "stopped" };

interface Running {
  url: string;
  store: string;
  metricsUrl?: string;
  close(): Promise<void>;
}

/** A log sink that formats (so pino's cost stays in) but writes nothing. */
const discard: DestinationStream = { write: () => undefined };

async function start(kind: ServerKind, env: Record<string, string>): Promise<Running> {
  if (kind === "echo") {
    const { startEchoBot } = await import("./echo-bot");
    const echo = await startEchoBot(0, "127.0.0.1");
    return { url: echo.url, store: "none", close: () => echo.close() };
  }
  if (kind === "stateful-echo") {
    const [{ startEchoBot }, { openStateStore }] = await Promise.all([import("./echo-bot"), import("../src/state")]);
    const store = await openStateStore(env.STATE_URL ?? "memory://");
    const echo = await startEchoBot(0, "127.0.0.1", { storage: store.storage });
    return { url: echo.url, store: store.kind, close: async () => (await echo.close(), await store.close()) };
  }
  const [{ startService }, { parseConfig }] = await Promise.all([import("../src/index"), import("../src/config")]);
  const service = await startService(parseConfig(env), { logDestination: discard });
  return { url: service.url, store: service.store.kind, metricsUrl: service.metricsUrl, close: () => service.close() };
}

/** V8's sampling profiler in this process, started and stopped on request. */
class Profiler {
  private session?: Session;

  async start(): Promise<void> {
    if (this.session) return;
    // Finer than V8's default 1 ms when asked, so that a few-millisecond stretch of work shows in the profile.
    const raw = process.env.BENCH_CPU_PROF_INTERVAL_US?.trim();
    const interval = raw ? Number(raw) : undefined;
    if (interval !== undefined && (!Number.isInteger(interval) || interval < 1)) {
      throw new Error(`BENCH_CPU_PROF_INTERVAL_US must be a whole number of microseconds (got "${raw}")`);
    }
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    if (interval !== undefined) await this.session.post("Profiler.setSamplingInterval", { interval });
    await this.session.post("Profiler.start");
  }

  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) throw new Error("the profiler was not started");
    this.session = undefined;
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    await fs.promises.writeFile(file, JSON.stringify(profile));
  }
}

function send(message: FromChild): void {
  process.send?.(message);
}

function main(): void {
  if (!process.send) {
    process.stderr.write("bench/server-process.ts is started by bench/turn.ts, not directly.\n");
    process.exit(2);
  }
  let running: Promise<Running> | undefined;
  let stopping: Promise<void> | undefined;
  const profiler = new Profiler();

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const server = await running?.catch(() => undefined);
      await server?.close();
    })());

  process.on("message", (message: ToChild) => {
    switch (message.type) {
      case "start":
        running = start(message.kind, message.env);
        running.then(
          (server) => send({ type: "ready", url: server.url, store: server.store, metricsUrl: server.metricsUrl }),
          (err: unknown) => send({ type: "failed", message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
        );
        break;
      case "cpu": {
        const usage = process.cpuUsage();
        send({ type: "cpu", micros: usage.user + usage.system });
        break;
      }
      case "profile":
        (message.action === "start" ? profiler.start() : profiler.stop(message.file)).then(
          () => send({ type: "profiled" }),
          (err: unknown) => send({ type: "profiled", error: err instanceof Error ? err.message : String(err) }),
        );
        break;
      case "stop":
        void stop().finally(() => {
          send({ type: "stopped" });
          process.disconnect();
        });
        break;
    }
  });
  // Orphaned (the parent was killed): close and exit, so no server is left listening.
  process.on("disconnect", () => void stop().finally(() => process.exit(0)));
}

main();
