import { KeyedQueue } from "../state/keyed-queue";
import type { ItemStorage, StoredItem } from "../state/item-cas";
import { updateItem } from "../state/item-cas";
import type { AuditEvent, AuditLog } from "./audit-log";
import { sanitiseEvent } from "./sanitise";

/** Where events are also written as they happen: a pino logger fits. */
export interface AuditLogger {
  info(obj: object, msg: string): void;
}

/** Options for {@link StoreAuditLog}. */
export interface StoreAuditLogOptions {
  /** Each event is logged as `{ audit: event }`. */
  logger: AuditLogger;
  /** Events kept in the list of every event. Default 1000. */
  globalLimit?: number;
  /** Events kept per account. Default 200. */
  accountLimit?: number;
  /** The clock, for events recorded without `at`. Default: the system clock. */
  now?: () => Date;
}

interface EventsItem extends StoredItem {
  events: AuditEvent[];
}

const GLOBAL_KEY = "audit/all";
const accountKey = (email: string): string => `audit/account/${email}`;

/**
 * The audit log, kept in the bot's state store: a bounded list of every event and one per account, newest first.
 *
 * Lists are stored through botbuilder Storage (keys `audit/all`, `audit/account/<email>`) and appended with
 * eTag compare-and-set, so events recorded at the same moment by several bot instances are all kept; within one
 * process, appends to a list are queued so they never conflict with each other. Every event is first cleaned (see
 * {@link sanitiseEvent}: runs of digits in `detail` are masked, `detail` is capped at 100 characters) and logged.
 */
export class StoreAuditLog implements AuditLog {
  private readonly logger: AuditLogger;
  private readonly globalLimit: number;
  private readonly accountLimit: number;
  private readonly now: () => Date;
  private readonly queue = new KeyedQueue();

  /**
   * @param storage - the state store's `storage`
   * @param options - see {@link StoreAuditLogOptions}
   */
  constructor(
    private readonly storage: ItemStorage,
    options: StoreAuditLogOptions,
  ) {
    this.logger = options.logger;
    this.globalLimit = options.globalLimit ?? 1000;
    this.accountLimit = options.accountLimit ?? 200;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Logs the event, then adds it to the front of the global list and of its account's list.
   *
   * @throws when the store cannot be written (the event has been logged by then)
   */
  async record(event: AuditEvent): Promise<void> {
    const clean = sanitiseEvent(event, this.now());
    this.logger.info({ audit: clean }, "audit");
    const appends = [this.prepend(GLOBAL_KEY, clean, this.globalLimit)];
    if (clean.email) appends.push(this.prepend(accountKey(clean.email), clean, this.accountLimit));
    await Promise.all(appends);
  }

  /** Events, newest first, for every account or for one; at most `limit` of them (default: all kept). */
  async list(options: { email?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    const email = options.email?.trim().toLowerCase();
    const key = email ? accountKey(email) : GLOBAL_KEY;
    const item = (await this.storage.read([key]))[key] as EventsItem | undefined;
    const events = item?.events ?? [];
    const limit = options.limit;
    return limit === undefined ? events : events.slice(0, Math.max(0, Math.floor(limit)));
  }

  private async prepend(key: string, event: AuditEvent, limit: number): Promise<void> {
    await this.queue.run(key, async () =>
      updateItem<EventsItem>(this.storage, key, (current) => ({ events: [event, ...(current?.events ?? [])].slice(0, limit) })),
    );
  }
}
