/**
 * Turns at a steady rate (an open loop): each turn starts on its schedule whether or not earlier ones have been
 * answered, so a stalled bot shows up as slow turns rather than as fewer turns sent. For watching how other
 * people's turns fare while something else loads the bot.
 */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { addRound, timedTurn } from "./load";
import type { RoundResult, Target } from "./load";

/** How one paced round is bounded. */
export interface PacedOptions {
  /** Turns started per second, evenly spaced. */
  rate: number;
  /** No new turn starts after this many seconds… */
  seconds: number;
  /** …or once this is aborted, whichever comes first. */
  signal?: AbortSignal;
  /** A turn with no complete answer after this long is counted as an error. */
  timeoutMs: number;
  /** Distinguishes this round's activity ids from every other round's. */
  round: string;
}

/** What a paced round measured. */
export interface PacedResult extends RoundResult {
  /** Simulated users needed: a turn goes to a user with no turn in flight (one conversation each). */
  users: number;
  /** The latest a turn was sent after its scheduled time (this process was busy), in milliseconds. */
  maxLagMs: number;
}


/**
 * An idle keep-alive connection is closed here after this long: well before the bot's server closes it (Node's
 * `keepAliveTimeout`, 5 s), so a turn is never written into a connection the server is closing at that moment
 * (`ECONNRESET`). An open loop leaves connections idle after a burst; a closed loop never does.
 */
export const IDLE_SOCKET_MS = 2000;

/**
 * Sends `rate` turns a second to the target, from keep-alive connections of their own, until the time is up or the
 * signal is aborted, then waits for the answers. Latency is measured as in `runRound`, from just before each request
 * is written to the end of its answer. Each turn goes to a user with no turn in flight, so one conversation never
 * has two turns at once; users are reused, as the 20 users of `bench:turn` are.
 */
export async function runPaced(target: Target, options: PacedOptions): Promise<PacedResult> {
  const endpoint = new URL("/api/messages", target.url);
  if (endpoint.hostname !== "127.0.0.1") throw new Error(`Refusing to load ${endpoint.hostname}: only 127.0.0.1`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: IDLE_SOCKET_MS });
  const result: PacedResult = { ok: 0, errors: 0, errorSamples: [], elapsedNs: 0n, latenciesMs: [], users: 0, maxLagMs: 0 };
  const intervalNs = BigInt(Math.round(1e9 / options.rate));
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.seconds * 1e9));
  const freeUsers: number[] = [];
  const inFlight = new Set<Promise<void>>();

  const turn = async (user: number, sequence: number): Promise<void> => {
    await timedTurn({ endpoint, agent, target, round: options.round, timeoutMs: options.timeoutMs }, user, sequence, result);
  };

  for (let sequence = 1; ; sequence += 1) {
    const due = started + BigInt(sequence - 1) * intervalNs;
    if (due >= deadline || options.signal?.aborted) break;
    const waitMs = Number(due - process.hrtime.bigint()) / 1e6;
    if (waitMs > 0) await sleep(waitMs);
    if (options.signal?.aborted) break;
    result.maxLagMs = Math.max(result.maxLagMs, Number(process.hrtime.bigint() - due) / 1e6);
    const user = freeUsers.pop() ?? result.users++;
    const sending: Promise<void> = turn(user, sequence).finally(() => {
      freeUsers.push(user);
      inFlight.delete(sending);
    });
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  result.elapsedNs = process.hrtime.bigint() - started;
  agent.destroy();
  return result;
}

/** Paced rounds taken together, as one round of their summed time. */
export function poolPaced(rounds: readonly PacedResult[]): PacedResult {
  const pooled: PacedResult = { ok: 0, errors: 0, errorSamples: [], elapsedNs: 0n, latenciesMs: [], users: 0, maxLagMs: 0 };
  for (const round of rounds) {
    addRound(pooled, round);
    pooled.users = Math.max(pooled.users, round.users);
    pooled.maxLagMs = Math.max(pooled.maxLagMs, round.maxLagMs);
  }
  return pooled;
}
