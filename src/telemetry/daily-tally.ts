import type { Logger } from "../logger";
import type { StateStore } from "../state";
import { updateItem } from "../state/item-cas";
import type { StoredItem } from "../state/item-cas";
import type { CounterName, HistogramName } from "./catalogue";
import type { TallySink } from "./telemetry";
import { hourStart } from "./uk-clock";

const HOUR = 3600_000;

/** The histograms whose values are kept (for the summary's median and 90th percentile): only the handoff wait. */
const SAMPLED: ReadonlySet<HistogramName> = new Set<HistogramName>(["helpdesk_handoff_wait"]);
/**
 * The counters kept: the ones the morning summary reads (it can read no other: see {@link TalliedCounter}). The others
 * (turns, store operations, messages…) are for the dashboards only, so keeping them here would cost every turn work
 * and the store space for nothing.
 */
const TALLIED_COUNTERS = [
  "helpdesk_resets_completed",
  "helpdesk_resets_ended",
  "helpdesk_verifications",
  "helpdesk_handoffs_requested",
  "helpdesk_handoffs_taken",
  "helpdesk_handoffs_timed_out",
  "helpdesk_first_logins_completed",
] as const satisfies readonly CounterName[];
/** A counter the tally keeps, and so the only kind the summary can total. */
export type TalliedCounter = (typeof TALLIED_COUNTERS)[number];
const TALLIED: ReadonlySet<CounterName> = new Set<CounterName>(TALLIED_COUNTERS);

/** One counter's total for one set of labels in an hour (or a range of hours). */
export interface TallyCount {
  metric: CounterName;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** One hour of counts, from every instance: its start (UTC, ISO 8601), its counts and its kept samples. */
export interface TallyBucket {
  hour: string;
  counts: TallyCount[];
  samples: Partial<Record<HistogramName, number[]>>;
}

/** Options for {@link DailyTally}. */
export interface DailyTallyOptions {
  clock?: () => Date;
  /** Told when a timed flush fails (the counts are kept and tried again at the next flush). */
  logger?: Logger;
  /** How often counts are written to the store, in milliseconds. Default 5 seconds; 0 for no timer (tests). */
  flushEveryMs?: number;
  /** How long an hour is kept, in hours. Default 8 days. */
  keepHours?: number;
  /** Samples kept per histogram per hour; later ones in a full hour are not kept. Default 2,000. */
  maxSamplesPerHour?: number;
}

/** An hour as stored: counts by series key (`metric|label=value,…`) and samples by histogram. */
interface HourItem extends StoredItem {
  counts: Record<string, number>;
  samples: Record<string, number[]>;
}

/** The hours the store holds, so old ones can be deleted without listing keys. */
interface IndexItem extends StoredItem {
  hours: string[];
}

/** What this instance counted in one hour and has not yet written. */
interface HourDelta {
  counts: Map<string, number>;
  samples: Map<string, number[]>;
}

const ITEM_PREFIX = "tally/";
const INDEX_KEY = "tally/#hours";

/**
 * The daily tally: the summary's counts and kept samples from `Telemetry` (a {@link TallySink}), in the state store in hourly buckets (by UTC
 * hour), so the morning summary adds up every instance's counts and survives restarts.
 *
 * Counts gather in memory and are merged into each hour's storage item by eTag compare-and-set, so flushes from
 * several instances at once all land. A timer (which does not keep the process alive) flushes every few seconds,
 * and {@link DailyTally.close} flushes what is left. Hours older than `keepHours` are deleted as flushes go by.
 */
export class DailyTally implements TallySink {
  /** Unwritten counts by hour (the hour's ISO start). */
  private pending = new Map<string, HourDelta>();
  /** Hours this instance knows the index holds, so an idle flush writes nothing. */
  private readonly indexed = new Set<string>();
  /** The hour old hours were last looked for (once an hour is enough). */
  private sweptAt = "";
  private readonly clock: () => Date;
  private readonly keepHours: number;
  private readonly maxSamples: number;
  private readonly timer?: NodeJS.Timeout;
  /** Flushes and reads run one at a time, so a read never counts a flush's counts twice or misses them. */
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: StateStore,
    private readonly options: DailyTallyOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.keepHours = options.keepHours ?? 8 * 24;
    this.maxSamples = options.maxSamplesPerHour ?? 2000;
    const every = options.flushEveryMs ?? 5000;
    if (every > 0) this.timer = setInterval(() => void this.timedFlush(), every).unref();
  }

  /** Adds to a counter for the current hour. */
  add(metric: CounterName, labels: Readonly<Record<string, string>>, by: number): void {
    if (!TALLIED.has(metric) || !Number.isFinite(by) || by === 0) return;
    const counts = this.hourNow().counts;
    const key = seriesKey(metric, labels);
    counts.set(key, (counts.get(key) ?? 0) + by);
  }

  /** Keeps a histogram's value for the current hour, for the histograms the summary reads (the others are ignored). */
  sample(metric: HistogramName, value: number): void {
    if (!SAMPLED.has(metric) || !Number.isFinite(value)) return;
    const samples = this.hourNow().samples;
    const kept = samples.get(metric);
    if (!kept) samples.set(metric, [value]);
    else if (kept.length < this.maxSamples) kept.push(value);
  }

  /**
   * Writes what this instance has counted into the store, merged with what every instance wrote before. Counts an
   * hour could not be written for are kept for the next flush.
   *
   * @throws the store's error (after the other hours were tried)
   */
  flush(): Promise<void> {
    return this.exclusive(() => this.writePending());
  }

  /**
   * The hours from the one holding `from` up to `to` (not included) that have any counts: every instance's written
   * counts, plus this instance's not yet written. Hours past keeping are not read.
   */
  read(from: Date, to: Date): Promise<TallyBucket[]> {
    return this.exclusive(async () => {
      const hours: string[] = [];
      const kept = hourStart(this.clock().getTime() - this.keepHours * HOUR).getTime();
      for (let at = Math.max(hourStart(from).getTime(), kept); at < to.getTime(); at += HOUR) hours.push(new Date(at).toISOString());
      const stored = hours.length === 0 ? {} : await this.store.storage.read(hours.map((hour) => ITEM_PREFIX + hour));
      const buckets: TallyBucket[] = [];
      for (const hour of hours) {
        const item = merge(stored[ITEM_PREFIX + hour] as HourItem | undefined, this.pending.get(hour), Infinity);
        if (Object.keys(item.counts).length > 0 || Object.keys(item.samples).length > 0) buckets.push(toBucket(hour, item));
      }
      return buckets;
    });
  }

  /** Stops the timer and writes what is left. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.closed) return;
    this.closed = true;
    // Shutting down goes on whatever happens here: counts that cannot be written now are lost, and said so.
    await this.flush().catch((error: unknown) => this.options.logger?.warn({ err: { message: (error as Error).message } }, "the last hourly counts could not be written"));
  }

  private hourNow(): HourDelta {
    const hour = hourStart(this.clock()).toISOString();
    let found = this.pending.get(hour);
    if (!found) this.pending.set(hour, (found = { counts: new Map(), samples: new Map() }));
    return found;
  }

  private async timedFlush(): Promise<void> {
    try {
      await this.flush();
    } catch (err) {
      this.options.logger?.warn({ err: { message: (err as Error).message } }, "daily tally not written: will try again");
    }
  }

  private async writePending(): Promise<void> {
    const now = this.clock().getTime();
    const oldest = hourStart(now - this.keepHours * HOUR).toISOString();
    const thisHour = hourStart(now).toISOString();
    const taken = this.pending;
    this.pending = new Map();
    // An hour past keeping (counted long ago, while the store was away) would only be deleted again.
    const hours = [...taken.keys()].filter((hour) => hour >= oldest);
    let failure: Error | undefined;
    try {
      // The index first: an hour is listed before it is written, so none can be left behind undeleted.
      if (hours.some((hour) => !this.indexed.has(hour)) || this.sweptAt !== thisHour) {
        await this.indexAndExpire(hours, oldest);
        this.sweptAt = thisHour;
      }
    } catch (err) {
      for (const hour of hours) this.putBack(hour, taken.get(hour) as HourDelta);
      throw err;
    }
    for (const hour of hours) {
      const delta = taken.get(hour) as HourDelta;
      try {
        await updateItem<HourItem>(this.store.storage, ITEM_PREFIX + hour, (current) => merge(current, delta, this.maxSamples));
      } catch (err) {
        failure ??= err instanceof Error ? err : new Error(String(err));
        this.putBack(hour, delta);
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Lists the hours about to be written in the index, and deletes the hours past keeping. */
  private async indexAndExpire(written: string[], oldest: string): Promise<void> {
    let expired: string[] = [];
    await updateItem<IndexItem>(this.store.storage, INDEX_KEY, (current) => {
      const hours = new Set([...(current?.hours ?? []), ...written]);
      expired = [...hours].filter((hour) => hour < oldest);
      return { hours: [...hours].filter((hour) => hour >= oldest).sort() };
    });
    for (const hour of written) this.indexed.add(hour);
    for (const hour of this.indexed) if (hour < oldest) this.indexed.delete(hour);
    if (expired.length > 0) await this.store.storage.delete(expired.map((hour) => ITEM_PREFIX + hour));
  }

  /** Returns an hour's unwritten counts to the pending ones (after a failed write). */
  private putBack(hour: string, delta: HourDelta): void {
    const target = this.pending.get(hour) ?? { counts: new Map<string, number>(), samples: new Map<string, number[]>() };
    for (const [key, value] of delta.counts) target.counts.set(key, (target.counts.get(key) ?? 0) + value);
    for (const [metric, values] of delta.samples) target.samples.set(metric, [...values, ...(target.samples.get(metric) ?? [])].slice(0, this.maxSamples));
    this.pending.set(hour, target);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

/** An hour's stored item with this instance's counts added (samples capped at `maxSamples`). */
function merge(current: HourItem | undefined, delta: HourDelta | undefined, maxSamples: number): HourItem {
  const counts = { ...(current?.counts ?? {}) };
  const samples: Record<string, number[]> = { ...(current?.samples ?? {}) };
  for (const [key, value] of delta?.counts ?? []) counts[key] = (counts[key] ?? 0) + value;
  for (const [metric, values] of delta?.samples ?? []) samples[metric] = [...(samples[metric] ?? []), ...values].slice(0, maxSamples);
  return { counts, samples };
}

/** The key of a counter with its labels: `metric|label=value,…`, labels in name order. */
function seriesKey(metric: CounterName, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((label) => `${label}=${labels[label]}`);
  return `${metric}|${parts.join(",")}`;
}

function toBucket(hour: string, item: HourItem): TallyBucket {
  const counts: TallyCount[] = Object.entries(item.counts).map(([key, value]) => {
    const [metric, rest = ""] = key.split("|");
    const labels: Record<string, string> = {};
    for (const pair of rest.split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      labels[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return { metric: metric as CounterName, labels, value };
  });
  return { hour, counts, samples: item.samples };
}
