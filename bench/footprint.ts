/**
 * `npm run bench:footprint` — how long the bot takes to start and how much memory it holds idle, against a "framework
 * floor": a process that loads only the fixed stack (restify, botbuilder, botbuilder-dialogs, @microsoft/teams-ai),
 * builds a minimal teams-ai Application and listens (`bench/footprint-floor.cjs`).
 *
 * In one run, alternating, N times each:
 *   (a) the floor;
 *   (b) the bot, from the build (`node dist/src/index.js`, as `npm start` runs it; built first if dist is missing or
 *       older than the sources), on a fresh SQLite state file, default settings otherwise;
 *   (c) the bot on a state file holding 100,000 stored conversations in its own format (see `footprint-seed.ts`).
 * For each start: the time from spawn to the first 200 from `GET /healthz`, and VmRSS once the process has gone quiet
 * (no more than 20 ms of CPU in a second: its start-up work, such as importing the development accounts, done) and
 * idled a little longer than the hashing pool keeps an idle worker, so that every start is read at rest.
 * The round's three processes then idle on together and RSS is read again once settled (`BENCH_FOOTPRINT_SETTLE_MS`
 * after the first reading): a few seconds after going quiet, V8's young generation still holds up to 32 MB of spare
 * room in some starts and not in others (floor and bot alike), which made the first reading two-valued; settled, it
 * is not. The goals are judged on the settled figures; the first readings are printed beside them.
 * Prints a table with medians, min–max, the round-by-round difference and whether each goal is met. Asserts nothing.
 *
 * `npm run bench:footprint -- --why`: one start of the bot with `bench/require-timing.cjs` and
 * `bench/step-timing.cjs` preloaded: the slowest and heaviest modules loaded before it listens, and its start steps.
 *
 * Settings (environment): `BENCH_FOOTPRINT_RUNS` (5) starts of each; `BENCH_FOOTPRINT_CONVERSATIONS` (100000);
 * `BENCH_FOOTPRINT_IDLE_MS` (the hashing pool's idle time + 1 s, 6000) idle time after going quiet before RSS is read;
 * `BENCH_FOOTPRINT_SETTLE_MS` (45000) from that first reading to the settled one.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { liveChildren, measureStart, startServer, stopServer } from "./footprint-process";
import type { MeasuredStart, ServerSpec, StartFigures } from "./footprint-process";
import { setTimeout as sleep } from "node:timers/promises";
import { formatTable } from "./footprint-report";
import { seedStateFile } from "./footprint-seed";
import { WORKER_IDLE_MS } from "../src/policy/hashing-pool";

const ROOT = path.resolve(__dirname, "..");
const NODE_FLAGS = ["--disable-warning=DEP0111"];
/** A fixed test key (32 bytes, base64): the bot then neither warns nor writes var/secrets.key. */
const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");
/** Goals: start within the floor + 300 ms, idle within the floor + 25 MB, 100k conversations within 10 MB of none. */
const GOAL_START_MS = 300;
const GOAL_IDLE_MB = 25;
const GOAL_STORED_MB = 10;
/**
 * How long after its first reading a process is read again, settled: V8's memory reducer gives back the young
 * generation's spare room (32 → 1 MB) some 10–30 s after a process goes idle (measured: every floor and bot process
 * had by 40 s; at 6 s some had and some had not, for both).
 */
const DEFAULT_SETTLE_MS = 45_000;

function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number`);
  return value;
}

/** Only what a child needs from this environment: no STATE_URL, NODE_OPTIONS or the like leaks into a measurement. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG"]) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

function floorSpec(): ServerSpec {
  return { args: [...NODE_FLAGS, path.join(ROOT, "bench", "footprint-floor.cjs")], cwd: ROOT, env: { ...baseEnv(), PORT: "0", HOST: "127.0.0.1" } };
}

function botSpec(stateFile: string, outbox: string, preload: string[] = []): ServerSpec {
  const env = { ...baseEnv(), ENV_NAME: "none", PORT: "0", HOST: "127.0.0.1", SECRETS_KEY: TEST_SECRETS_KEY, STATE_URL: `sqlite://${stateFile}`, OUTBOX_FILE: outbox };
  const requires = preload.flatMap((file) => ["--require", path.join(ROOT, "bench", file)]);
  return { args: [...NODE_FLAGS, ...requires, path.join(ROOT, "dist", "src", "index.js")], cwd: ROOT, env };
}

/** The newest modification time of the files under the given paths. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (file: string): void => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** Builds (`npm run build`) when dist/src/index.js is missing or older than a source file. */
function ensureBuilt(): void {
  const entry = path.join(ROOT, "dist", "src", "index.js");
  const built = fs.statSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = newestMtime(["src", "dialogs", "cards", "package.json"].map((p) => path.join(ROOT, p)));
  if (built >= sources) return;
  console.log(built === 0 ? "dist is missing: building…" : "dist is older than the sources: building…");
  const result = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("the build failed");
}

function loadLine(): string {
  return os.loadavg().map((n) => n.toFixed(2)).join(", ");
}

/** Set on Ctrl-C: the rounds stop and nothing more is printed. */
let interrupted = false;

/** Removes the temporary folder and stops every child (once), also on Ctrl-C. */
function cleanUpOnExit(temp: string): () => Promise<void> {
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      await Promise.all([...liveChildren()].map((child) => stopServer(child, 3000)));
      fs.rmSync(temp, { recursive: true, force: true });
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: stopping the servers and removing ${temp}`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  return cleanUp;
}

/** `--why`: one start with the module and step timers preloaded; prints both reports. */
async function explain(temp: string): Promise<void> {
  const requireReport = path.join(temp, "require-timing.txt");
  const stepReport = path.join(temp, "step-timing.txt");
  const spec = botSpec(path.join(temp, "why.sqlite"), path.join(temp, "outbox.jsonl"), ["require-timing.cjs", "step-timing.cjs"]);
  spec.env = { ...spec.env, REQUIRE_TIMING_FILE: requireReport, STEP_TIMING_FILE: stepReport };
  const server = await startServer(spec);
  await stopServer(server.child);
  console.log(`healthy after ${server.healthyMs.toFixed(0)} ms (with the timers' own overhead)\n`);
  console.log(fs.readFileSync(stepReport, "utf8"));
  console.log(fs.readFileSync(requireReport, "utf8"));
}

async function main(): Promise<void> {
  const runs = numberSetting("BENCH_FOOTPRINT_RUNS", 5);
  const conversations = numberSetting("BENCH_FOOTPRINT_CONVERSATIONS", 100_000);
  const idleMs = numberSetting("BENCH_FOOTPRINT_IDLE_MS", WORKER_IDLE_MS + 1000);
  const settleMs = numberSetting("BENCH_FOOTPRINT_SETTLE_MS", DEFAULT_SETTLE_MS);
  console.log(`bench:footprint — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), load average ${loadLine()}`);
  ensureBuilt();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "footprint-"));
  const cleanUp = cleanUpOnExit(temp);
  try {
    if (process.argv.includes("--why")) {
      await explain(temp);
      return;
    }
    const seededFile = path.join(temp, "stored", "state.sqlite");
    fs.mkdirSync(path.dirname(seededFile));
    const seedStarted = performance.now();
    const seeded = await seedStateFile(botSpec(seededFile, path.join(temp, "outbox.jsonl")), seededFile, conversations);
    const rows = Object.entries(seeded.rowsPerConversation).map(([table, n]) => `${table} ${n}`).join(", ");
    console.log(
      `store with ${seeded.conversations.toLocaleString("en-GB")} conversations: ${(seeded.bytes / 1048576).toFixed(0)} MB, ` +
        `rows per conversation: ${rows} (learnt from real turns, seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s)`,
    );
    const figures = { floor: [] as StartFigures[], bot: [] as StartFigures[], stored: [] as StartFigures[] };
    const kinds = ["floor", "bot", "stored"] as const;
    const started = new Map<(typeof kinds)[number], MeasuredStart>();
    for (let round = 0; round < runs; round++) {
      // The order turns each round, so that no kind always follows the same one.
      for (let k = 0; k < kinds.length; k++) {
        if (interrupted) return;
        const kind = kinds[(round + k) % kinds.length];
        const fresh = path.join(temp, `round-${round}`, "state.sqlite");
        fs.mkdirSync(path.dirname(fresh), { recursive: true });
        const spec = kind === "floor" ? floorSpec() : botSpec(kind === "bot" ? fresh : seededFile, path.join(temp, "outbox.jsonl"));
        started.set(kind, await measureStart(spec, idleMs));
      }
      // The round's three idle together until each has had settleMs since its first reading, then are read again.
      const latest = Math.max(...[...started.values()].map((s) => s.readAt));
      await sleep(Math.max(0, latest + settleMs - performance.now()));
      for (const [kind, start] of started) figures[kind].push({ ...start.figures, settledMb: start.rssNow() });
      await Promise.all([...started.values()].map((s) => s.stop()));
      started.clear();
      if (interrupted) return;
      const last = (kind: (typeof kinds)[number]): string => {
        const f = figures[kind][round];
        return `${kind} ${f.healthyMs.toFixed(0)} ms ${f.rssMb.toFixed(1)} → ${f.settledMb.toFixed(1)} MB`;
      };
      console.log(`round ${round + 1}/${runs}: ${kinds.map(last).join("; ")} (load ${loadLine()})`);
    }
    const healthy = (list: StartFigures[]): number[] => list.map((f) => f.healthyMs);
    const rss = (list: StartFigures[]): number[] => list.map((f) => f.rssMb);
    const settled = (list: StartFigures[]): number[] => list.map((f) => f.settledMb);
    const stored = `${(conversations / 1000).toFixed(0)}k conversations`;
    console.log(`\n${runs} starts of each, alternating; differences are the median of round-by-round differences.\n`);
    console.log(
      formatTable([
        { what: "spawn to healthy", unit: "ms", baseLabel: "floor", base: healthy(figures.floor), bot: healthy(figures.bot), allowance: GOAL_START_MS, goal: `≤ floor + ${GOAL_START_MS} ms` },
        { what: "idle RSS, settled", unit: "MB", baseLabel: "floor", base: settled(figures.floor), bot: settled(figures.bot), allowance: GOAL_IDLE_MB, goal: `≤ floor + ${GOAL_IDLE_MB} MB` },
        { what: `idle RSS, settled, ${stored}`, unit: "MB", baseLabel: "bot, empty store", base: settled(figures.bot), bot: settled(figures.stored), allowance: GOAL_STORED_MB, goal: `≤ empty + ${GOAL_STORED_MB} MB` },
        { what: "idle RSS, first reading", unit: "MB", baseLabel: "floor", base: rss(figures.floor), bot: rss(figures.bot), goal: "(information)" },
        { what: `idle RSS, first reading, ${stored}`, unit: "MB", baseLabel: "bot, empty store", base: rss(figures.bot), bot: rss(figures.stored), goal: "(information)" },
        { what: `spawn to healthy, ${stored}`, unit: "ms", baseLabel: "bot, empty store", base: healthy(figures.bot), bot: healthy(figures.stored), goal: "(information)" },
      ]),
    );
    console.log(`\nload average at the end: ${loadLine()}`);
  } finally {
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  if (interrupted) return;
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
