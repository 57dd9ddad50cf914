/**
 * Whole password resets in a closed loop: a fixed number of journeys run at once, each starting the next as soon as
 * it ends, until the time is up.
 */
import type { AccountPool } from "./journey-accounts";
import { STEPS, runJourney } from "./journey-steps";
import { MAX_ERROR_SAMPLES } from "./load";
import type { JourneyContext, Step } from "./journey-steps";

/** How one round of journeys is bounded. */
export interface JourneyRoundOptions {
  /** Journeys under way at once. */
  concurrency: number;
  /** No new journey starts after this many seconds; those under way finish. */
  seconds: number;
}

/** What one round of journeys measured. */
export interface JourneyRound {
  /** Journeys that ended with the password changed. */
  completed: number;
  /** Journeys that did not: the step each failed at. */
  failedAt: Partial<Record<Step | "code wait", number>>;
  /** The first few failures, for the report. */
  errorSamples: string[];
  /** Each step's latency over the completed journeys, in milliseconds. */
  stepMs: Record<Step, number[]>;
  /** From the number step's answer to its code read from the outbox, in milliseconds. */
  codeWaitMs: number[];
  /** Each completed journey from its first request to its last answer, code wait included, in milliseconds. */
  journeyMs: number[];
  /** From the first journey's start to the last one's end, in nanoseconds. */
  elapsedNs: bigint;
}

/** A round with nothing in it yet. */
function emptyRound(): JourneyRound {
  return {
    completed: 0,
    failedAt: {},
    errorSamples: [],
    stepMs: Object.fromEntries(STEPS.map((step) => [step, []])) as unknown as Record<Step, number[]>,
    codeWaitMs: [],
    journeyMs: [],
    elapsedNs: 0n,
  };
}

/** Numbers journeys across rounds and makes each a new password none of its account's recent ones can be. */
export class JourneyCounter {
  private count = 0;

  constructor(private readonly runTag: string) {}

  /** The next journey's number and its new password (the run's tag in it, so no run repeats another's). */
  next(): { journey: number; newPassword: string } {
    this.count += 1;
    return { journey: this.count, newPassword: `Violet-Compass-Thunder-${this.runTag}-${this.count}` };
  }
}

/**
 * Runs `concurrency` journeys at a time, each on an account lent by the pool, until `seconds` have passed and the
 * last journey under way has ended.
 */
export async function runJourneys(context: JourneyContext, pool: AccountPool, counter: JourneyCounter, options: JourneyRoundOptions): Promise<JourneyRound> {
  const round = emptyRound();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.seconds * 1e9));

  const worker = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const account = pool.take();
      const { journey, newPassword } = counter.next();
      const begun = process.hrtime.bigint();
      try {
        const outcome = await runJourney(context, account, journey, newPassword);
        if (outcome.ok) {
          round.completed += 1;
          round.journeyMs.push(Number(process.hrtime.bigint() - begun) / 1e6);
          round.codeWaitMs.push(outcome.codeWaitMs);
          for (const step of STEPS) round.stepMs[step].push(outcome.stepMs[step]);
        } else {
          round.failedAt[outcome.step] = (round.failedAt[outcome.step] ?? 0) + 1;
          if (round.errorSamples.length < MAX_ERROR_SAMPLES) round.errorSamples.push(`${outcome.step}: ${outcome.error}`);
        }
      } finally {
        pool.give(account);
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  round.elapsedNs = process.hrtime.bigint() - started;
  return round;
}

/** How many journeys of the round failed. */
export function failures(round: JourneyRound): number {
  return Object.values(round.failedAt).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** Rounds taken together, as one round of their summed time. */
export function poolJourneyRounds(rounds: readonly JourneyRound[]): JourneyRound {
  const pooled = emptyRound();
  for (const round of rounds) {
    pooled.completed += round.completed;
    for (const [step, n] of Object.entries(round.failedAt) as [Step | "code wait", number][]) pooled.failedAt[step] = (pooled.failedAt[step] ?? 0) + n;
    pooled.errorSamples.push(...round.errorSamples.slice(0, MAX_ERROR_SAMPLES - pooled.errorSamples.length));
    for (const step of STEPS) pooled.stepMs[step].push(...round.stepMs[step]);
    pooled.codeWaitMs.push(...round.codeWaitMs);
    pooled.journeyMs.push(...round.journeyMs);
    pooled.elapsedNs += round.elapsedNs;
  }
  return pooled;
}
