/**
 * `npm run bench:journey` — whole self-service password resets by text message, over HTTP against the bot in its own
 * process, and whether the hashing they do (scrypt, in the new-password step) holds up other people's turns.
 *
 * The bot runs as `bench/server-process.ts` starts it (`startService`, CAPTCHA off, the development outbox) with an
 * accounts fixture of its own: every account has its own mobile, and each journey is a new Teams user in a new
 * conversation, so no per-account or per-user limit is reached. After a warm-up the run has three phases:
 * journeys alone; help-card turns of other people alone, at a steady rate; then both at once. The last two alternate
 * for a few rounds and each is pooled over its rounds, so that a slow spell of the machine falls on both alike. It
 * prints each step's p50/p99, resets per second, errors, help-card latency alone and with resets running (pooled,
 * and each round's p99), and the bot's CPU per reset, with the goals beside. Missing a goal does not fail the run.
 *
 * Settings (environment):
 * - `BENCH_JOURNEY_CONCURRENCY` (4) — journeys under way at once
 * - `BENCH_JOURNEY_SECONDS` (20) — each phase; `BENCH_JOURNEY_WARMUP_SECONDS` (3) — the uncounted warm-up
 * - `BENCH_JOURNEY_ROUNDS` (3) — rounds of help-card turns alone and with resets, alternating
 * - `BENCH_JOURNEY_HELP_RATE` (20) — help-card turns per second ("what is the weather", as `bench:turn` sends)
 * - `BENCH_JOURNEY_ACCOUNTS` (200) — accounts in the fixture, mobiles 07700 900000 onwards (at most 1,000)
 * - `BENCH_JOURNEY_HISTORY` (4) — previous passwords per account (the bot checks the newest `PASSWORD_HISTORY`, 4)
 * - `BENCH_SCRYPT_LOG2N` — the bot's `SCRYPT_LOG2N`; unset, its configured default (15)
 * - `BENCH_UV_THREADPOOL_SIZE` — the bot process's libuv pool (file writes such as the outbox); hashing has worker
 *   threads of its own (`src/policy/hashing-pool.ts`). Unset, whatever `UV_THREADPOOL_SIZE` this process has, else Node's 4
 * - `BENCH_STATE_URL` — the bot's store; a fresh SQLite file in a temporary directory by default (also `memory://`,
 *   where the bot hashes the fixture itself at start, or a Redis on 127.0.0.1)
 * - `BENCH_TIMEOUT_MS` (30000) — a turn, or a wait for a code, longer than this fails its journey
 * - `BENCH_LOG_LEVEL` (silent) — the bot's log level; logs are formatted and discarded
 * - `BENCH_CPU_PROF` — a directory: V8's CPU profiler runs in the bot during each round of journeys + help-card and
 *   writes `bot-with-resets-<round>.cpuprofile` there (`BENCH_CPU_PROF_INTERVAL_US` samples more often than V8's
 *   1 ms; summarise with `npx tsx bench/profile-summary.ts <file>`)
 */
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../src/config";
import { AccountPool, benchAccounts, seedStore, timeOneHash, writeFixture } from "./journey-accounts";
import { readSettings } from "./journey-settings";
import { JourneyCounter, poolJourneyRounds, runJourneys, failures } from "./journey-load";
import type { JourneyRound } from "./journey-load";
import type { JourneyContext } from "./journey-steps";
import { printReport } from "./journey-report";
import { procCpuMicros } from "./proc-cpu";
import type { Phase } from "./journey-report";
import { helpCardTarget } from "./help-card";
import { OutboxTail } from "./outbox-tail";
import { IDLE_SOCKET_MS, poolPaced, runPaced } from "./paced-load";
import type { PacedResult } from "./paced-load";
import { serverExecArgv, startServerProcess } from "./server-client";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { IntervalHistogram } from "node:perf_hooks";
import type { ServerProcess } from "./server-client";

/**
 * The bot's CPU so far, in microseconds: from `/proc/<pid>/stat` where there is one (it needs nothing from the bot,
 * however busy), else by asking the bot process (`process.cpuUsage()`). Both count every thread, the libuv pool's too.
 */
async function botCpuMicros(bot: ServerProcess): Promise<number> {
  return procCpuMicros(bot.pid) ?? bot.cpuMicros();
}

/** A measured phase, with this process's event-loop delay over it. */
type Measured = Phase & { loopDelay: IntervalHistogram };

/**
 * Runs `work` and returns what it gave, with the bot's CPU, this process's CPU and event-loop delay, and the wall
 * time meanwhile.
 */
async function measured<T extends Omit<Phase, "cpuMicros" | "loadCpuMicros" | "wallNs">>(bot: ServerProcess, work: () => Promise<T>): Promise<T & Measured> {
  const cpuBefore = await botCpuMicros(bot);
  const loadBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const started = process.hrtime.bigint();
  const result = await work();
  const wallNs = process.hrtime.bigint() - started;
  loopDelay.disable();
  const load = process.cpuUsage(loadBefore);
  return { ...result, cpuMicros: (await botCpuMicros(bot)) - cpuBefore, loadCpuMicros: load.user + load.system, wallNs, loopDelay };
}

function progress(name: string, journeys?: JourneyRound, help?: PacedResult): void {
  const parts = [name.padEnd(22)];
  if (journeys) parts.push(`${journeys.completed} resets, ${failures(journeys)} failed`);
  if (help) parts.push(`${help.ok} help-card turns, ${help.errors} errors`);
  console.log(`  ${parts.join("  ")}`);
  // The first failure of each kind at once, so a run that goes wrong says why before it ends.
  const first = [journeys?.errorSamples[0], help?.errorSamples[0]].filter((sample) => sample !== undefined);
  for (const sample of first) console.log(`    first error: ${sample.slice(0, 200)}`);
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-journey-"));
  // Also on an exit that skips the finally below (standard output closed early, say).
  const removeTempDir = (): void => fs.rmSync(tempDir, { recursive: true, force: true });
  process.once("exit", removeTempDir);
  const children: ChildProcess[] = [];
  let bot: ServerProcess | undefined;
  const abandon = (reason: string, code: number): void => {
    console.error(`bench: ${reason}; stopping`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(code);
  };
  // Generous: the phases three times over, plus the start (memory:// makes the bot hash the whole fixture).
  const limitSeconds = Math.round((settings.warmupSeconds + (1 + 2 * settings.rounds) * settings.seconds) * 3 + 900);
  const watchdog = setTimeout(() => abandon(`still running after ${limitSeconds} s`, 1), limitSeconds * 1000);
  watchdog.unref();
  const onSignal = (signal: NodeJS.Signals): void => abandon(`interrupted (${signal})`, 130);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const outboxFile = path.join(tempDir, "outbox.jsonl");
  const outbox = new OutboxTail(outboxFile);

  try {
    const stateUrl = settings.stateUrl ?? `sqlite://${path.join(tempDir, "state.sqlite")}`;
    const accountsFile = path.join(tempDir, "accounts.json");
    const secretsKey = randomBytes(32).toString("base64");
    const botEnv: Record<string, string> = {
      PORT: "0",
      HOST: "127.0.0.1",
      STATE_URL: stateUrl,
      LOG_LEVEL: settings.logLevel,
      OUTBOX_FILE: outboxFile,
      ACCOUNTS_FILE: accountsFile,
      CAPTCHA: "off",
      SECRETS_KEY: secretsKey,
      ...(settings.scryptLog2N ? { SCRYPT_LOG2N: settings.scryptLog2N } : {}),
    };
    const config = parseConfig(botEnv);
    const log2N = config.SCRYPT_LOG2N;
    const accounts = benchAccounts(settings.accounts);
    writeFixture(accountsFile, accounts, settings.history);
    const oneHashMs = await timeOneHash(log2N);
    const seeded = /^(sqlite|rediss?):/.test(stateUrl) ? await seedStore(stateUrl, accountsFile, secretsKey, log2N) : undefined;

    const threadPool = settings.threadPool ?? process.env.UV_THREADPOOL_SIZE?.trim() ?? "";
    const startedAt = process.hrtime.bigint();
    bot = await startServerProcess("bot", botEnv, {
      execArgv: serverExecArgv(),
      processEnv: settings.threadPool ? { UV_THREADPOOL_SIZE: settings.threadPool } : {},
      // The outbox echoes every message (codes included) on standard output: dropped.
      stdout: "ignore",
      startTimeoutMs: 600_000,
    }, (child) => children.push(child));
    const startSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

    console.log("bench:journey — whole password resets by text message, and other people's help-card turns meanwhile");
    console.log(
      `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown"}), ${os.platform()} ${os.arch()}, ` +
        `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start`,
    );
    console.log(
      `scrypt: N = 2^${log2N}, r = 8, p = 1 (${settings.scryptLog2N ? "BENCH_SCRYPT_LOG2N" : "SCRYPT_LOG2N's configured default"}); ` +
        `one hash alone in this process: ${oneHashMs.toFixed(0)} ms`,
    );
    const cpuSource = procCpuMicros(bot.pid) === undefined ? "process.cpuUsage() in the bot" : `/proc/${bot.pid}/stat`;
    console.log(`bot: pid ${bot.pid}, CPU read from ${cpuSource}; libuv pool ${threadPool ? `${threadPool} threads (UV_THREADPOOL_SIZE)` : "4 threads (Node's default)"}; log level ${settings.logLevel}; CAPTCHA off`);
    console.log(`bot state: ${bot.store} (${settings.stateUrl ? settings.stateUrl.replace(/\/\/[^@/]*@/, "//***@") : "fresh temporary file"})`);
    console.log(
      `accounts: ${accounts.length} (fixture ACCOUNTS_FILE, mobiles 07700 900000–900${String(accounts.length - 1).padStart(3, "0")}), ` +
        `${settings.history} previous passwords each: a reset checks ${1 + Math.min(settings.history, config.PASSWORD_HISTORY)} hashes and makes 1`,
    );
    console.log(
      seeded
        ? `  seeded before the bot started (${seeded.imported} accounts, ${seeded.hashes} distinct hashes shared) in ${(seeded.elapsedMs / 1000).toFixed(1)} s; bot start ${startSeconds.toFixed(1)} s`
        : `  imported by the bot itself at start (${startSeconds.toFixed(1)} s)`,
    );
    console.log(
      `load: ${settings.concurrency} concurrent journeys (a new Teams user and conversation each), expectReplies; ` +
        `help-card turns at ${settings.helpRate}/s from connections of their own`,
    );
    console.log(
      `phases: warm-up ${settings.warmupSeconds} s (both), then ${settings.seconds} s each: journeys alone, ` +
        `then ${settings.rounds} round${settings.rounds === 1 ? "" : "s"} of help-card alone and both, alternating`,
    );
    if (settings.cpuProfDir) {
      fs.mkdirSync(settings.cpuProfDir, { recursive: true });
      console.log(`profiling: the bot, in each round of journeys + help-card, into ${settings.cpuProfDir}`);
    }
    console.log("");

    const context: JourneyContext = {
      endpoint: new URL("/api/messages", bot.url),
      // Idle between phases: closed before the server would close them (see IDLE_SOCKET_MS).
      agent: new http.Agent({ keepAlive: true, maxSockets: settings.concurrency, timeout: IDLE_SOCKET_MS }),
      outbox,
      timeoutMs: settings.timeoutMs,
      runTag: randomBytes(3).toString("hex"),
    };
    const pool = new AccountPool(accounts);
    const counter = new JourneyCounter(context.runTag);
    const help = helpCardTarget("help", bot.url);
    const journeyRound = { concurrency: settings.concurrency, seconds: settings.seconds };
    // The help-card rounds' names carry the run's tag, as their activity ids do: the bot drops an id it has seen in
    // the last 10 minutes as a redelivery, and a shared store (BENCH_STATE_URL) remembers the last run's.
    const paced = { rate: settings.helpRate, seconds: settings.seconds, timeoutMs: settings.timeoutMs };
    const running = bot;

    if (settings.warmupSeconds > 0) {
      const [journeys, turns] = await Promise.all([
        runJourneys(context, pool, counter, { ...journeyRound, seconds: settings.warmupSeconds }),
        runPaced(help, { ...paced, seconds: settings.warmupSeconds, round: `warm-up-${context.runTag}` }),
      ]);
      progress("warm-up", journeys, turns);
    }
    const journeysAlone = await measured(running, async () => ({ journeys: await runJourneys(context, pool, counter, journeyRound) }));
    progress("journeys alone", journeysAlone.journeys);
    const aloneRounds: (Measured & { help: PacedResult })[] = [];
    const bothRounds: (Measured & { journeys: JourneyRound; help: PacedResult })[] = [];
    for (let r = 1; r <= settings.rounds; r++) {
      const of = settings.rounds > 1 ? ` ${r}/${settings.rounds}` : "";
      const helpAlone = await measured(running, async () => ({ help: await runPaced(help, { ...paced, round: `alone-${r}-${context.runTag}` }) }));
      aloneRounds.push(helpAlone);
      progress(`help-card alone${of}`, undefined, helpAlone.help);
      if (settings.cpuProfDir) await running.profile("start");
      const both = await measured(running, async () => {
        // The help-card turns run for as long as the journeys do, to the last one's end.
        const stop = new AbortController();
        const turns = runPaced(help, { ...paced, seconds: settings.seconds * 10, signal: stop.signal, round: `with-resets-${r}-${context.runTag}` });
        const journeys = await runJourneys(context, pool, counter, journeyRound).finally(() => stop.abort());
        return { journeys, help: await turns };
      });
      if (settings.cpuProfDir) await running.profile("stop", path.join(settings.cpuProfDir, `bot-with-resets-${r}.cpuprofile`));
      bothRounds.push(both);
      progress(`journeys + help-card${of}`, both.journeys, both.help);
    }
    context.agent.destroy();

    console.log("");
    printReport({
      journeysAlone,
      helpAlone: { ...poolPhases(aloneRounds), help: poolPaced(aloneRounds.map((round) => round.help)) },
      both: {
        ...poolPhases(bothRounds),
        journeys: poolJourneyRounds(bothRounds.map((round) => round.journeys)),
        help: poolPaced(bothRounds.map((round) => round.help)),
      },
      rounds: { alone: aloneRounds.map((round) => round.help), both: bothRounds.map((round) => round.help) },
    });
    console.log(
      `this process's own event-loop delay (the load generator: a late reply is timed late), worst round's p99 / max ms: ` +
        `help-card alone ${delaySummary(aloneRounds)}; journeys + help-card ${delaySummary(bothRounds)}`,
    );
    console.log("");
    console.log(`accounts: the most journeys on one account was ${pool.mostUses()} (the limit on completed resets is 5 an account an hour)`);
  } finally {
    outbox.close();
    await bot?.stop();
    removeTempDir();
    process.off("exit", removeTempDir);
    clearTimeout(watchdog);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The worst p99 and the largest of this process's event-loop delay over some rounds, in ms. */
function delaySummary(rounds: readonly Measured[]): string {
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  return `${ms(Math.max(...rounds.map((r) => r.loopDelay.percentile(99))))} / ${ms(Math.max(...rounds.map((r) => r.loopDelay.max)))}`;
}

/** Phases' CPU and wall time summed. */
function poolPhases(phases: readonly Phase[]): Phase {
  return {
    cpuMicros: phases.reduce((sum, phase) => sum + phase.cpuMicros, 0),
    loadCpuMicros: phases.reduce((sum, phase) => sum + phase.loadCpuMicros, 0),
    wallNs: phases.reduce((sum, phase) => sum + phase.wallNs, 0n),
  };
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
