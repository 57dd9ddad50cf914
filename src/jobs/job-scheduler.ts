import type { Logger } from "../logger";
import type { StateStore } from "../state";

/** A job kept in the store until it has run. */
export interface ScheduledJob<Payload = unknown> {
  id: string;
  kind: string;
  dueAt: string;
  payload: Payload;
  attempts: number;
}

/** What the scheduler needs. */
export interface JobSchedulerOptions {
  clock: () => Date;
  logger: Logger;
}

/**
 * Durable scheduled jobs kept in the state store: they survive restarts and each runs once even with several
 * instances polling. (Being written.)
 */
export class JobScheduler {
  constructor(
    private readonly store: StateStore,
    private readonly options: JobSchedulerOptions,
  ) {}

  /** Registers the handler of a kind of job. */
  handle<Payload>(kind: string, handler: (payload: Payload, job: ScheduledJob<Payload>) => Promise<void>): void {
    void kind;
    void handler;
    throw new Error("not written yet");
  }

  /** Schedules (or reschedules) the job with this id to run at `dueAt`. */
  schedule<Payload>(kind: string, id: string, dueAt: Date, payload: Payload): Promise<void> {
    void [kind, id, dueAt, payload, this.store, this.options];
    return Promise.reject(new Error("not written yet"));
  }

  /** Runs every job due by the clock, each at most once across instances. */
  runDue(): Promise<{ ran: number; failed: number }> {
    return Promise.reject(new Error("not written yet"));
  }

  /** Polls every `pollMs` milliseconds until {@link JobScheduler.stop}. */
  start(pollMs: number): void {
    void pollMs;
  }

  /** Stops polling and waits for a run in progress. */
  stop(): Promise<void> {
    return Promise.resolve();
  }
}
