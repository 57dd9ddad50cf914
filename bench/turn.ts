/**
 * `npm run bench:turn` — what one help-card turn of the bot costs, against the floor of a bare echo bot on the same
 * stack (restify 11 + botbuilder CloudAdapter, no authentication, `deliveryMode: "expectReplies"`).
 *
 * Each server runs in its own Node process; this process is the load generator, on the same cores (as it was when
 * the echo-bot floor quoted at the end of the output was measured). Rounds alternate echo, bot, echo, bot… so that drift in
 * the machine (other work, CPU frequency) falls on both alike; a warm-up round of each comes first and is not
 * counted. The result is printed; missing the goal does not fail the run.
 *
 * Settings (environment):
 * - `BENCH_CONNECTIONS` (20) — concurrent keep-alive connections, one simulated user and conversation each
 * - `BENCH_ROUNDS` (6) — counted rounds per server
 * - `BENCH_ROUND_SECONDS` (3) and `BENCH_ROUND_TURNS` (50000) — a round stops at whichever comes first
 * - `BENCH_WARMUP_SECONDS` (4) — the uncounted first round of each server
 * - `BENCH_TIMEOUT_MS` (10000) — a turn not answered by then is an error
 * - `BENCH_STATE_URL` — the bot's store; a fresh SQLite file in a temporary directory by default
 *   (also `memory://`, or e.g. `redis://127.0.0.1:6379/15`, which the bot shares with whatever else uses it)
 * - `BENCH_LOG_LEVEL` (silent) — the bot's log level; logs are formatted and discarded
 * - `BENCH_TELEMETRY` (on) — also run the bot with metrics and tracing on (METRICS_PORT, OTLP traces to a local
 *   collector that drops them) in the same rounds, and print what they cost per turn; `off` leaves that server out
 * - `BENCH_CPU_PROF` — a directory: V8's CPU profiler runs in the echo, stateful echo and bot processes during the
 *   counted rounds and writes `echo.cpuprofile`, `stateful.cpuprofile`, `bot.cpuprofile` (and `bot+.cpuprofile`) there (summarise with `npx tsx bench/profile-summary.ts <file>`;
 *   open in Chrome DevTools or speedscope for a flame graph)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runRound } from "./load";
import { startDiscardCollector, telemetryCostLine } from "./telemetry-cost";
import type { ReplyActivity, RoundOptions, RoundResult, Target } from "./load";
import type { ServerKind } from "./server-process";
import { serverExecArgv, startServer } from "./server-client";
import type { ServerProcess } from "./server-client";
import { add, emptyTally, figures, printRatio, printTable, thousands, turnsPerSecond } from "./turn-figures";
import type { Tally } from "./turn-figures";
import { storeOpsPerTurn } from "./store-ops";
import { UNKNOWN_TEXT, isHelpCardReply } from "./help-card";

/** The run's settings, read from the environment. */
interface Settings {
  connections: number;
  rounds: number;
  roundSeconds: number;
  roundTurns: number;
  warmupSeconds: number;
  timeoutMs: number;
  stateUrl?: string;
  logLevel: string;
  cpuProfDir?: string;
  telemetry: boolean;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
    }
    return value;
  };
  const stateUrl = env.BENCH_STATE_URL?.trim() || undefined;
  if (stateUrl && /^rediss?:\/\//.test(stateUrl) && !/^rediss?:\/\/([^@/]*@)?(127\.0\.0\.1|localhost)[:/]/.test(`${stateUrl}/`)) {
    throw new Error("BENCH_STATE_URL may only point at a Redis on 127.0.0.1");
  }
  return {
    connections: Math.floor(number("BENCH_CONNECTIONS", 20, 1, 1000)),
    rounds: Math.floor(number("BENCH_ROUNDS", 6, 1, 100)),
    roundSeconds: number("BENCH_ROUND_SECONDS", 3, 0.1, 600),
    roundTurns: Math.floor(number("BENCH_ROUND_TURNS", 50_000, 1, 10_000_000)),
    warmupSeconds: number("BENCH_WARMUP_SECONDS", 4, 0, 600),
    timeoutMs: Math.floor(number("BENCH_TIMEOUT_MS", 10_000, 100, 120_000)),
    stateUrl,
    logLevel: env.BENCH_LOG_LEVEL?.trim() || "silent",
    cpuProfDir: env.BENCH_CPU_PROF?.trim() ? path.resolve(env.BENCH_CPU_PROF.trim()) : undefined,
    telemetry: env.BENCH_TELEMETRY?.trim() !== "off",
  };
}

async function measure(server: ServerProcess, target: Target, options: RoundOptions, tally?: Tally): Promise<RoundResult> {
  const cpuBefore = await server.cpuMicros();
  const round = await runRound(target, options);
  const cpuAfter = await server.cpuMicros();
  if (tally) add(tally, round, cpuAfter - cpuBefore);
  const rate = turnsPerSecond(round.ok, round.elapsedNs);
  console.log(
    `  ${options.round.padEnd(9)} ${target.name.padEnd(4)}  ${thousands(rate).padStart(6)} turns/s  ${String(round.ok).padStart(6)} ok  ${round.errors} errors`,
  );
  return round;
}

function describeStore(settings: Settings, store: string): string {
  if (!settings.stateUrl) return `${store} (fresh temporary file)`;
  return `${store} (${settings.stateUrl.replace(/\/\/[^@/]*@/, "//***@")})`;
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-turn-"));
  const servers: ServerProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  // At most twice the planned time plus a minute.
  const planned = (settings.warmupSeconds + settings.rounds * settings.roundSeconds) * (settings.telemetry ? 4 : 3);
  // Interrupted, or hanging anyway (a server that never answers): kill the servers, remove the files, exit.
  const abandon = (reason: string, code: number): void => {
    console.error(`bench: ${reason}; stopping`);
    for (const server of servers) server.child.kill("SIGKILL");
    fs.rmSync(tempDir, { recursive: true, force: true });
    process.exit(code);
  };
  const limitSeconds = Math.round(planned * 2 + 60);
  const watchdog = setTimeout(() => abandon(`still running after ${limitSeconds} s`, 1), limitSeconds * 1000);
  watchdog.unref();
  const onSignal = (signal: NodeJS.Signals): void => abandon(`interrupted (${signal})`, 130);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const botEnv: Record<string, string> = {
      PORT: "0",
      HOST: "127.0.0.1",
      STATE_URL: settings.stateUrl ?? `sqlite://${path.join(tempDir, "state.sqlite")}`,
      LOG_LEVEL: settings.logLevel,
      OUTBOX_FILE: path.join(tempDir, "outbox.jsonl"),
    };
    const execArgv = serverExecArgv();
    const collector = settings.telemetry ? await startDiscardCollector() : undefined;
    if (collector) closers.push(() => collector.close());
    const stateFile = (name: string): string => settings.stateUrl ?? `sqlite://${path.join(tempDir, `${name}.sqlite`)}`;
    // Each server keeps its own state on the same kind of store: the stateful echo loads and saves its conversation
    // state on it every turn, as any stateful bot does.
    const plans: { name: string; kind: ServerKind; env: Record<string, string>; bot: boolean }[] = [
      { name: "echo", kind: "echo", env: {}, bot: false },
      { name: "stateful", kind: "stateful-echo", env: { STATE_URL: stateFile("stateful") }, bot: false },
      { name: "bot", kind: "bot", env: botEnv, bot: true },
      ...(collector ? [{ name: "bot+", kind: "bot" as const, env: { ...botEnv, STATE_URL: stateFile("bot-telemetry"), METRICS_PORT: "0", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, bot: true }] : []),
    ];
    const started = await Promise.all(plans.map((plan) => startServer(plan.kind, plan.env, execArgv).then((s) => (servers.push(s), s))));
    const runs = plans.map((plan, i) => ({
      ...plan,
      server: started[i],
      tally: emptyTally(),
      target: {
        name: plan.name,
        url: started[i].url,
        text: UNKNOWN_TEXT,
        isExpectedReply: plan.bot ? (activities: ReplyActivity[]) => activities.some(isHelpCardReply) : (activities: ReplyActivity[]) => activities.some((a) => a.text === UNKNOWN_TEXT),
      } satisfies Target,
    }));
    const run = (name: string): (typeof runs)[number] => runs.find((r) => r.name === name) ?? runs[0];

    console.log("bench:turn — one help-card turn of the bot against a bare echo bot and a stateful echo bot on the same stack");
    console.log(
      `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown"}), ` +
        `${os.platform()} ${os.arch()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start`,
    );
    console.log(`state backend: ${describeStore(settings, run("bot").server.store)}; bot log level: ${settings.logLevel}`);
    console.log("layout: each server in its own Node process (only one is loaded at a time); the load generator is this process");
    console.log(
      `load: ${settings.connections} keep-alive connections to 127.0.0.1 (one user and conversation each), closed loop, ` +
        `expectReplies; text "${UNKNOWN_TEXT}"`,
    );
    console.log(
      `rounds: warm-up ${settings.warmupSeconds} s each (not counted), then ${settings.rounds} × (${runs.map((r) => r.name).join(", ")}), ` +
        `each ${settings.roundSeconds} s or ${thousands(settings.roundTurns)} turns, whichever first`,
    );
    if (collector) console.log("bot+ is the bot with metrics and tracing on (METRICS_PORT, OTLP traces to a local collector)");
    if (settings.cpuProfDir) console.log(`profiling: every server, counted rounds only, into ${settings.cpuProfDir}`);
    console.log("");

    const base = { connections: settings.connections, maxTurns: settings.roundTurns, timeoutMs: settings.timeoutMs };
    if (settings.warmupSeconds > 0) {
      for (const r of runs) await measure(r.server, r.target, { ...base, seconds: settings.warmupSeconds, round: "warm-up" });
    }
    const profiled = settings.cpuProfDir ? runs : [];
    await Promise.all(profiled.map((r) => r.server.profile("start")));
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const r of runs) await measure(r.server, r.target, { ...base, seconds: settings.roundSeconds, round: `round ${round}` }, r.tally);
    }
    if (settings.cpuProfDir) {
      const dir = settings.cpuProfDir;
      fs.mkdirSync(dir, { recursive: true });
      await Promise.all(profiled.map((r) => r.server.profile("stop", path.join(dir, `${r.name}.cpuprofile`))));
    }

    console.log("");
    printTable(runs.map((r) => [r.name, r.tally] as const));
    console.log("");
    const onSqlite = run("bot").server.store === "sqlite";
    printRatio("echo", run("echo").tally, run("bot").tally, onSqlite ? 1.5 : 1.3);
    printRatio("stateful echo", run("stateful").tally, run("bot").tally, 1.2);
    const withTelemetry = runs.find((r) => r.name === "bot+");
    if (withTelemetry && collector) {
      console.log(telemetryCostLine(figures(run("bot").tally), figures(withTelemetry.tally), collector.exports()));
      const perTurn = withTelemetry.server.metricsUrl ? await storeOpsPerTurn(withTelemetry.server.metricsUrl) : undefined;
      if (perTurn) console.log(`store operations per bot turn (from bot+'s metrics, warm-up included): ${perTurn}`);
    }
    console.log("");
    console.log("floor measured before on this stack (anchors): echo ~1,300 turns/s, p50 9 ms, p99 87 ms");
    if (settings.cpuProfDir) {
      console.log("");
      for (const r of profiled) {
        const full = path.join(settings.cpuProfDir, `${r.name}.cpuprofile`);
        const relative = path.relative(process.cwd(), full);
        console.log(`profile: npx tsx bench/profile-summary.ts ${relative.startsWith("..") ? full : relative} --turns ${r.tally.ok}`);
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const close of closers) await close();
    fs.rmSync(tempDir, { recursive: true, force: true });
    clearTimeout(watchdog);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}


main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
