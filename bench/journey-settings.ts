/**
 * `bench:journey`'s settings, read from the environment (each is described in `bench/journey.ts`).
 */
import path from "node:path";
import { MAX_ACCOUNTS } from "./journey-accounts";

/** The run's settings, read from the environment. */
export interface Settings {
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  helpRate: number;
  accounts: number;
  history: number;
  scryptLog2N?: string;
  threadPool?: string;
  stateUrl?: string;
  timeoutMs: number;
  logLevel: string;
  cpuProfDir?: string;
}

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  const stateUrl = env.BENCH_STATE_URL?.trim() || undefined;
  if (stateUrl && /^rediss?:\/\//.test(stateUrl) && !/^rediss?:\/\/([^@/]*@)?(127\.0\.0\.1|localhost)[:/]/.test(`${stateUrl}/`)) {
    throw new Error("BENCH_STATE_URL may only point at a Redis on 127.0.0.1");
  }
  const settings: Settings = {
    concurrency: Math.floor(number("BENCH_JOURNEY_CONCURRENCY", 4, 1, 200)),
    seconds: number("BENCH_JOURNEY_SECONDS", 20, 1, 600),
    warmupSeconds: number("BENCH_JOURNEY_WARMUP_SECONDS", 3, 0, 600),
    rounds: Math.floor(number("BENCH_JOURNEY_ROUNDS", 3, 1, 20)),
    helpRate: number("BENCH_JOURNEY_HELP_RATE", 20, 1, 2000),
    accounts: Math.floor(number("BENCH_JOURNEY_ACCOUNTS", 200, 1, MAX_ACCOUNTS)),
    history: Math.floor(number("BENCH_JOURNEY_HISTORY", 4, 0, 10)),
    scryptLog2N: env.BENCH_SCRYPT_LOG2N?.trim() || undefined,
    threadPool: env.BENCH_UV_THREADPOOL_SIZE?.trim() ? String(Math.floor(number("BENCH_UV_THREADPOOL_SIZE", 4, 1, 1024))) : undefined,
    stateUrl,
    timeoutMs: Math.floor(number("BENCH_TIMEOUT_MS", 30_000, 100, 300_000)),
    logLevel: env.BENCH_LOG_LEVEL?.trim() || "silent",
    cpuProfDir: env.BENCH_CPU_PROF?.trim() ? path.resolve(env.BENCH_CPU_PROF.trim()) : undefined,
  };
  if (settings.accounts < settings.concurrency) throw new Error("BENCH_JOURNEY_ACCOUNTS must be at least BENCH_JOURNEY_CONCURRENCY");
  return settings;
}
