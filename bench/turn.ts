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
 * - `BENCH_CPU_PROF` — a directory: V8's CPU profiler runs in both server processes during the counted rounds and
 *   writes `echo.cpuprofile` and `bot.cpuprofile` there (summarise with `npx tsx bench/profile-summary.ts <file>`;
 *   open in Chrome DevTools or speedscope for a flame graph)
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runRound } from "./load";
import { startDiscardCollector, telemetryCostLine } from "./telemetry-cost";
import type { ReplyActivity, RoundOptions, RoundResult, Target } from "./load";
import type { FromChild, ServerKind, ToChild } from "./server-process";

/** The goal for the bot: at most this many echo turns' worth of work per bot turn. */
const GOAL_RATIO = 1.3;
/** The bot's reply to text it does not recognise (src/app.ts NOT_UNDERSTOOD), above the help card. */
const NOT_UNDERSTOOD_PREFIX = "Sorry, I didn't understand that";
const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const UNKNOWN_TEXT = "what is the weather";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

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

/** A server under test running in a child process. */
interface ServerProcess {
  kind: ServerKind;
  child: ChildProcess;
  url: string;
  store: string;
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

async function startServer(kind: ServerKind, env: Record<string, string>, execArgv: string[]): Promise<ServerProcess> {
  const child = fork(path.join(__dirname, "server-process.ts"), [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const order = (message: ToChild): void => void child.send(message);
  const ready = nextMessage(child, "ready", START_TIMEOUT_MS);
  order({ type: "start", kind, env });
  try {
    const { url, store } = await ready;
    return {
      kind,
      child,
      url,
      store,
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

/** Everything measured for one server over the counted rounds. */
interface Tally {
  ok: number;
  errors: number;
  errorSamples: string[];
  elapsedNs: bigint;
  cpuMicros: number;
  latenciesMs: number[];
  /** Turns per second of each round, to show the spread. */
  perRound: number[];
}

const emptyTally = (): Tally => ({ ok: 0, errors: 0, errorSamples: [], elapsedNs: 0n, cpuMicros: 0, latenciesMs: [], perRound: [] });

function add(tally: Tally, round: RoundResult, cpuMicros: number): void {
  tally.ok += round.ok;
  tally.errors += round.errors;
  for (const sample of round.errorSamples) if (tally.errorSamples.length < 3) tally.errorSamples.push(sample);
  tally.elapsedNs += round.elapsedNs;
  tally.cpuMicros += cpuMicros;
  for (const latency of round.latenciesMs) tally.latenciesMs.push(latency);
  tally.perRound.push(turnsPerSecond(round.ok, round.elapsedNs));
}

function turnsPerSecond(turns: number, elapsedNs: bigint): number {
  return elapsedNs > 0n ? turns / (Number(elapsedNs) / 1e9) : 0;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const mean = (values: readonly number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const thousands = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-GB") : "n/a");

/** The measured figures of one server, as printed. */
interface Figures {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  meanMs: number;
  cpuMsPerTurn: number;
}

function figures(tally: Tally): Figures {
  const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
  return {
    turnsPerSecond: turnsPerSecond(tally.ok, tally.elapsedNs),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    meanMs: mean(sorted),
    cpuMsPerTurn: tally.ok ? tally.cpuMicros / 1000 / tally.ok : Number.NaN,
  };
}

function printTable(echo: Tally, bot: Tally): void {
  const rows: [string, Tally][] = [
    ["echo", echo],
    ["bot", bot],
  ];
  const header = ["", "turns/s", "p50 ms", "p99 ms", "mean ms", "server CPU ms/turn", "turns", "errors", "turns/s per round"];
  const lines = rows.map(([name, tally]) => {
    const f = figures(tally);
    return [
      name,
      thousands(f.turnsPerSecond),
      fixed(f.p50, 1),
      fixed(f.p99, 1),
      fixed(f.meanMs, 1),
      fixed(f.cpuMsPerTurn, 3),
      thousands(tally.ok),
      String(tally.errors),
      tally.perRound.map((v) => thousands(v)).join(" "),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));

  for (const [name, tally] of rows) {
    for (const sample of tally.errorSamples) console.log(`  ${name} error: ${sample}`);
  }

  const e = figures(echo);
  const b = figures(bot);
  const costRatio = e.turnsPerSecond / b.turnsPerSecond;
  console.log("");
  console.log(`cost ratio (echo turns/s ÷ bot turns/s):        ${fixed(costRatio, 2)}   <- the ratio`);
  console.log(`mean time per turn (bot mean ms ÷ echo mean ms): ${fixed(b.meanMs / e.meanMs, 2)}`);
  console.log(`server CPU per turn (bot ÷ echo):                ${fixed(b.cpuMsPerTurn / e.cpuMsPerTurn, 2)}`);
  // Each bot round runs right after an echo round; the spread of their ratios shows how noisy the machine was.
  const pairs = bot.perRound.map((rate, i) => echo.perRound[i] / rate).filter(Number.isFinite);
  const sortedPairs = [...pairs].sort((x, y) => x - y);
  const middle = sortedPairs.length / 2;
  const median = sortedPairs.length === 0 ? Number.NaN
    : sortedPairs.length % 2 === 1 ? sortedPairs[Math.floor(middle)] : (sortedPairs[middle - 1] + sortedPairs[middle]) / 2;
  console.log(`cost ratio per round pair:                       ${pairs.map((r) => fixed(r, 2)).join(" ")} (median ${fixed(median, 2)})`);
  const met = Number.isFinite(costRatio) && costRatio <= GOAL_RATIO;
  console.log(`goal: cost ratio ≤ ${GOAL_RATIO} — ${met ? "met" : "NOT met"}`);
  if (echo.errors + bot.errors > 0) console.log(`note: ${echo.errors + bot.errors} turns failed; figures count answered turns only`);
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
  const planned = (settings.warmupSeconds + settings.rounds * settings.roundSeconds) * (settings.telemetry ? 3 : 2);
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
    // restify 11 reads process.binding("http_parser") (DEP0111); the warning says nothing about the run.
    const quiet = process.allowedNodeEnvironmentFlags.has("--disable-warning") ? ["--disable-warning=DEP0111"] : [];
    const serverExecArgv = [...process.execArgv, ...quiet];
    const collector = settings.telemetry ? await startDiscardCollector() : undefined;
    if (collector) closers.push(() => collector.close());
    const telemetryEnv = collector && { ...botEnv, STATE_URL: settings.stateUrl ?? `sqlite://${path.join(tempDir, "state-telemetry.sqlite")}`, METRICS_PORT: "0", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    const [echoServer, botServer, telemetryServer] = await Promise.all([
      startServer("echo", {}, serverExecArgv).then((s) => (servers.push(s), s)),
      startServer("bot", botEnv, serverExecArgv).then((s) => (servers.push(s), s)),
      telemetryEnv ? startServer("bot", telemetryEnv, serverExecArgv).then((s) => (servers.push(s), s)) : undefined,
    ]);

    const echoTarget: Target = {
      name: "echo",
      url: echoServer.url,
      text: UNKNOWN_TEXT,
      isExpectedReply: (activities) => activities.some((a) => a.text === UNKNOWN_TEXT),
    };
    const botTarget: Target = {
      name: "bot",
      url: botServer.url,
      text: UNKNOWN_TEXT,
      isExpectedReply: (activities) => activities.some(isHelpCardReply),
    };
    const telemetryTarget: Target | undefined = telemetryServer && { ...botTarget, name: "bot+", url: telemetryServer.url };

    console.log("bench:turn — one help-card turn of the bot against a bare echo bot on the same stack");
    console.log(
      `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown"}), ` +
        `${os.platform()} ${os.arch()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start`,
    );
    console.log(`bot state backend: ${describeStore(settings, botServer.store)}; bot log level: ${settings.logLevel}`);
    console.log(
      "layout: echo bot and bot each in their own Node process (only one is loaded at a time); the load generator",
    );
    console.log("        is this process, on the same cores, as in the measured echo-bot floor");
    console.log(
      `load: ${settings.connections} keep-alive connections to 127.0.0.1 (one user and conversation each), closed loop, ` +
        `expectReplies; text "${UNKNOWN_TEXT}"`,
    );
    console.log(
      `rounds: warm-up ${settings.warmupSeconds} s each (not counted), then ${settings.rounds} × (echo, bot), ` +
        `each ${settings.roundSeconds} s or ${thousands(settings.roundTurns)} turns, whichever first`,
    );
    if (settings.cpuProfDir) console.log(`profiling: both server processes, counted rounds only, into ${settings.cpuProfDir}`);
    console.log("");

    const base = { connections: settings.connections, maxTurns: settings.roundTurns, timeoutMs: settings.timeoutMs };
    if (settings.warmupSeconds > 0) {
      await measure(echoServer, echoTarget, { ...base, seconds: settings.warmupSeconds, round: "warm-up" });
      await measure(botServer, botTarget, { ...base, seconds: settings.warmupSeconds, round: "warm-up" });
      if (telemetryServer && telemetryTarget) await measure(telemetryServer, telemetryTarget, { ...base, seconds: settings.warmupSeconds, round: "warm-up" });
    }
    const profiled = settings.cpuProfDir ? [echoServer, botServer] : [];
    await Promise.all(profiled.map((server) => server.profile("start")));
    const echo = emptyTally();
    const bot = emptyTally();
    const botWithTelemetry = emptyTally();
    for (let round = 1; round <= settings.rounds; round += 1) {
      const name = `round ${round}`;
      await measure(echoServer, echoTarget, { ...base, seconds: settings.roundSeconds, round: name }, echo);
      await measure(botServer, botTarget, { ...base, seconds: settings.roundSeconds, round: name }, bot);
      if (telemetryServer && telemetryTarget) await measure(telemetryServer, telemetryTarget, { ...base, seconds: settings.roundSeconds, round: name }, botWithTelemetry);
    }
    if (settings.cpuProfDir) {
      const dir = settings.cpuProfDir;
      fs.mkdirSync(dir, { recursive: true });
      await Promise.all(profiled.map((server) => server.profile("stop", path.join(dir, `${server.kind}.cpuprofile`))));
    }

    console.log("");
    if (telemetryServer) console.log("bot+ is the bot with metrics and tracing on (not in the table's ratios)");
    printTable(echo, bot);
    if (collector) console.log(telemetryCostLine(figures(bot), figures(botWithTelemetry), collector.exports()));
    console.log("");
    console.log("floor measured before on this stack (anchors): echo ~1,300 turns/s, p50 9 ms, p99 87 ms");
    if (settings.cpuProfDir) {
      console.log("");
      for (const [name, tally] of [["echo", echo], ["bot", bot]] as const) {
        const full = path.join(settings.cpuProfDir, `${name}.cpuprofile`);
        const relative = path.relative(process.cwd(), full);
        const file = relative.startsWith("..") ? full : relative;
        console.log(`profile: npx tsx bench/profile-summary.ts ${file} --turns ${tally.ok}`);
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

/** The bot's answer to unknown text: the "didn't understand" line with the help Adaptive Card attached. */
function isHelpCardReply(activity: ReplyActivity): boolean {
  return (
    typeof activity.text === "string" &&
    activity.text.startsWith(NOT_UNDERSTOOD_PREFIX) &&
    Array.isArray(activity.attachments) &&
    activity.attachments.some((a: unknown) => (a as { contentType?: unknown } | null)?.contentType === ADAPTIVE_CARD)
  );
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
