import type { Telemetry } from "../telemetry/telemetry";
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";
import type { StateStore } from "../state";
import { updateItem } from "../state/item-cas";
import type { StoredItem } from "../state/item-cas";

/** A job kept in the store until it has run. */
export interface ScheduledJob<Payload = unknown> {
  /** Unique per job: scheduling the same id again replaces the job. */
  id: string;
  kind: string;
  /** When it is due (ISO 8601). */
  dueAt: string;
  /** Plain JSON; never a secret. */
  payload: Payload;
  /** Failed runs so far. */
  attempts: number;
}

/** Runs one kind of job; throwing makes the job run again later, with back-off. */
export type JobHandler<Payload = unknown> = (payload: Payload, job: ScheduledJob<Payload>) => Promise<void>;

/** What the scheduler needs. */
export interface JobSchedulerOptions {
  clock: () => Date;
  logger: Logger;
  /** Counts runs, failures and how late each run started, for the metrics. */
  telemetry?: Telemetry;
  /** Runs of a job (the first and the retries) before it is dropped. Default 5. */
  maxAttempts?: number;
  /** The wait before the first retry, in milliseconds; each later wait doubles. Default one minute. */
  retryBaseMs?: number;
  /**
   * How long a run holds its job, in milliseconds. Another instance runs the job again only if this one neither
   * finished nor failed within it (it crashed). Default 15 minutes.
   */
  leaseMs?: number;
}

/** What {@link JobScheduler.runDue} did: handlers that finished, and handlers that threw. */
export interface RunSummary {
  ran: number;
  failed: number;
}

/** A job as stored: `version` changes at every (re)schedule and retry, so a run can tell its job was replaced. */
interface StoredJob extends ScheduledJob {
  version: string;
}

interface JobsItem extends StoredItem {
  jobs: Record<string, StoredJob>;
}

/** The storage item that holds every pending job. */
const JOBS_KEY = "jobs/#pending";
/** The claim namespace: one claim per run of a job version. */
const RUN_CLAIMS = "jobs";

/**
 * Durable scheduled jobs kept in the state store: they survive restarts, and each runs at most once even when
 * several instances poll the same store.
 *
 * Every pending job lives in one storage item changed only by eTag compare-and-set, so scheduling, finishing and
 * retrying are atomic without a way to list keys (which keyv lacks on some backends). Pending jobs are few — a
 * sync follow-up per person in their first two hours, and the reminder sweep — so one item stays small.
 *
 * A run first claims `id|version` in the store (atomic across instances), checks the job is still that version,
 * runs the handler, then removes the job, or on failure sets it back with a later due time and a new version —
 * unless it was rescheduled meanwhile (a recurring job rescheduling itself), in which case the new one stands.
 */
export class JobScheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Set<Promise<RunSummary>>();
  /** Versions of unknown-kind jobs already reported, so each is logged once rather than at every poll. */
  private readonly reported = new Set<string>();
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private loops = 0;
  /** Set while {@link JobScheduler.stop} waits: a run in progress starts no further job. */
  private halting = false;

  constructor(
    private readonly store: StateStore,
    private readonly options: JobSchedulerOptions,
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 60_000;
    this.leaseMs = Math.max(1, Math.round(options.leaseMs ?? 15 * 60_000));
  }

  /**
   * Registers the handler of a kind of job.
   *
   * @throws Error when the kind already has a handler (a wiring mistake)
   */
  handle<Payload>(kind: string, handler: JobHandler<Payload>): void {
    if (this.handlers.has(kind)) throw new Error(`Jobs of kind "${kind}" already have a handler.`);
    this.handlers.set(kind, handler as JobHandler);
  }

  /**
   * Schedules the job with this id to run at `dueAt`; scheduling an id again replaces its job (kind, time and
   * payload), and a run of the old one in progress will not remove the new one.
   *
   * @throws RangeError for an invalid date
   */
  async schedule<Payload>(kind: string, id: string, dueAt: Date, payload: Payload): Promise<void> {
    const job = newJob(kind, id, dueAt, payload);
    await this.change((jobs) => ({ ...jobs, [id]: job }));
  }

  /**
   * Schedules the job only when no job with this id is pending (e.g. the first run of a recurring job, from
   * every instance at start). Atomic across instances.
   *
   * @returns true when scheduled; false when a job with this id was already pending
   */
  async ensure<Payload>(kind: string, id: string, dueAt: Date, payload: Payload): Promise<boolean> {
    const job = newJob(kind, id, dueAt, payload);
    let added = false;
    await this.change((jobs) => {
      added = !(id in jobs);
      return added ? { ...jobs, [id]: job } : jobs;
    });
    return added;
  }

  /** Removes a pending job; true when there was one. A run already under way is not stopped. */
  async cancel(id: string): Promise<boolean> {
    let removed = false;
    await this.change((jobs) => {
      removed = id in jobs;
      return without(jobs, id);
    });
    return removed;
  }

  /** The pending jobs, soonest first. */
  async list(): Promise<ScheduledJob[]> {
    return Object.values(await this.read()).sort(byDueAt).map(publicJob);
  }

  /**
   * Runs every job due by the clock, soonest first and one at a time, each at most once across instances. Jobs of
   * a kind with no handler here are logged and kept (an instance that knows them may run them).
   */
  async runDue(): Promise<RunSummary> {
    const run = this.runDueJobs();
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  /**
   * Runs due jobs now, then every `pollMs` milliseconds until {@link JobScheduler.stop}. The timer does not keep
   * the process alive, and a poll starts only after the previous one ended. Calling it while polling does nothing.
   */
  start(pollMs: number): void {
    if (this.polling) return;
    this.polling = true;
    // A poll of an earlier start (stopped, then started again while it ran) must not keep its own loop going.
    const loop = ++this.loops;
    const tick = async (): Promise<void> => {
      this.timer = undefined;
      try {
        await this.runDue();
      } catch (err) {
        this.options.logger.warn({ err: { message: (err as Error).message } }, "scheduled jobs not run: will try again");
      }
      if (this.polling && loop === this.loops) this.timer = setTimeout(() => void tick(), pollMs).unref();
    };
    void tick();
  }

  /**
   * Stops polling and waits for a run in progress: the job under way finishes, and the due jobs it had not started
   * yet stay in the store for the next run (of this or another instance).
   */
  async stop(): Promise<void> {
    this.polling = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.halting = true;
    try {
      await Promise.allSettled([...this.running]);
    } finally {
      this.halting = false;
    }
  }

  private async runDueJobs(): Promise<RunSummary> {
    const now = this.options.clock().getTime();
    const due = Object.values(await this.read())
      .filter((job) => Date.parse(job.dueAt) <= now)
      .sort(byDueAt);
    const summary: RunSummary = { ran: 0, failed: 0 };
    for (const job of due) {
      if (this.halting) break;
      const handler = this.handlers.get(job.kind);
      if (!handler) {
        this.reportUnknown(job);
        continue;
      }
      if (!(await this.store.claim(RUN_CLAIMS, `${job.id}|${job.version}`, this.leaseMs))) continue;
      // Between our read and our claim another instance may have run it, or someone replaced it.
      if ((await this.read())[job.id]?.version !== job.version) continue;
      const telemetry = this.options.telemetry;
      telemetry?.observe("helpdesk_job_lateness", Math.max(0, this.options.clock().getTime() - Date.parse(job.dueAt)) / 1000, { kind: job.kind });
      try {
        await handler(job.payload, publicJob(job));
        summary.ran += 1;
        telemetry?.count("helpdesk_jobs_run", { kind: job.kind, outcome: "done" });
        await this.settle(job, undefined);
      } catch (err) {
        summary.failed += 1;
        telemetry?.count("helpdesk_jobs_run", { kind: job.kind, outcome: "failed" });
        await this.settle(job, err);
      }
    }
    return summary;
  }

  /** After a run: removes the job, or sets it back for a retry, or drops it after the last attempt. */
  private async settle(job: StoredJob, error: unknown): Promise<void> {
    const attempts = job.attempts + 1;
    const retry = error !== undefined && attempts < this.maxAttempts;
    const dueAt = new Date(this.options.clock().getTime() + this.retryBaseMs * 2 ** job.attempts);
    let current = false;
    await this.change((jobs) => {
      current = jobs[job.id]?.version === job.version;
      if (!current) return jobs;
      const rest = without(jobs, job.id);
      return retry ? { ...rest, [job.id]: { ...job, attempts, dueAt: dueAt.toISOString(), version: randomUUID() } } : rest;
    });
    if (error === undefined) return;
    // The id names a person (an address), and the payload is theirs: neither goes into the log.
    const fields = { kind: job.kind, attempts, err: { message: error instanceof Error ? error.message : "not an Error" } };
    if (!current) this.options.logger.warn(fields, "scheduled job failed: it was rescheduled meanwhile, so the new schedule stands");
    else if (retry) this.options.logger.warn({ ...fields, retryAt: dueAt.toISOString() }, "scheduled job failed: will retry");
    else this.options.logger.error(fields, "scheduled job failed too often: dropped");
  }

  private reportUnknown(job: StoredJob): void {
    if (this.reported.has(job.version)) return;
    this.reported.add(job.version);
    this.options.logger.warn({ kind: job.kind }, "scheduled job of an unknown kind: kept for an instance that knows it");
  }

  private async read(): Promise<Record<string, StoredJob>> {
    const item = (await this.store.storage.read([JOBS_KEY]))[JOBS_KEY] as JobsItem | undefined;
    return item?.jobs ?? {};
  }

  private async change(edit: (jobs: Record<string, StoredJob>) => Record<string, StoredJob>): Promise<void> {
    await updateItem<JobsItem>(this.store.storage, JOBS_KEY, (current) => ({ jobs: edit(current?.jobs ?? {}) }));
  }
}

function newJob(kind: string, id: string, dueAt: Date, payload: unknown): StoredJob {
  if (Number.isNaN(dueAt.getTime())) throw new RangeError("A job's due time must be a valid date.");
  return { id, kind, dueAt: dueAt.toISOString(), payload, attempts: 0, version: randomUUID() };
}

function without(jobs: Record<string, StoredJob>, id: string): Record<string, StoredJob> {
  const rest = { ...jobs };
  delete rest[id];
  return rest;
}

function publicJob<Payload>({ version: _version, ...job }: StoredJob): ScheduledJob<Payload> {
  return job as ScheduledJob<Payload>;
}

function byDueAt(a: ScheduledJob, b: ScheduledJob): number {
  return a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
}
