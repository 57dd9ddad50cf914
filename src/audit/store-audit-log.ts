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

/** A list's counter: the number the next event gets. */
interface CounterItem extends StoredItem {
  next: number;
}

/** One slot of a list: the event numbered `seq`. */
interface SlotItem extends StoredItem {
  seq: number;
  event: AuditEvent;
}

/** A whole list in one item, as earlier versions kept it: still read, never written. */
interface LegacyItem extends StoredItem {
  events: AuditEvent[];
}

/** One list: where its items live and how many events it keeps. */
interface List {
  /** The key earlier versions kept the whole list under; the counter and the slots are under it. */
  key: string;
  limit: number;
}

const counterKey = (list: List): string => `${list.key}/seq`;
const slotKey = (list: List, seq: number): string => `${list.key}/${seq % list.limit}`;

/**
 * The audit log, kept in the bot's state store: a bounded list of every event and one per account, newest first.
 *
 * Each list is a ring of `limit` slots, one event each (keys `audit/all/<n>`, `audit/account/<email>/<n>`), and a
 * counter (`…/seq`) that numbers the events: recording one takes the next number from the counter and writes that
 * number's slot, so an event costs the same small writes however long the list is. Both are written with eTag
 * compare-and-set, so events recorded at the same moment by several bot instances all get numbers of their own and
 * a slot never goes back to an older event; within one process, a list's counter is taken in turn so its own
 * writes never conflict. Listing reads the counter and then the slots of the newest numbers, skipping any slot that
 * holds another number (an event whose write did not complete). Events kept by earlier versions as one item
 * (`audit/all`, `audit/account/<email>`) are listed after the newer ones, within the limit. Every event is first
 * cleaned (see {@link sanitiseEvent}: runs of digits in `detail` are masked, `detail` is capped at 100 characters)
 * and logged.
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
   * Logs the event, then adds it to the global list and to its account's list.
   *
   * @throws when the store cannot be written (the event has been logged by then)
   */
  async record(event: AuditEvent): Promise<void> {
    const clean = sanitiseEvent(event, this.now());
    this.logger.info({ audit: clean }, "audit");
    const appends = [this.append(this.listOf(undefined), clean)];
    if (clean.email) appends.push(this.append(this.listOf(clean.email), clean));
    await Promise.all(appends);
  }

  /** Events, newest first, for every account or for one; at most `limit` of them (default: all kept). */
  async list(options: { email?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    const list = this.listOf(options.email?.trim().toLowerCase() || undefined);
    const wanted = Math.max(0, Math.floor(Math.min(options.limit ?? list.limit, list.limit)));
    if (wanted === 0) return [];
    const counter = (await this.storage.read([counterKey(list)]))[counterKey(list)] as CounterItem | undefined;
    const next = counter?.next ?? 0;
    const seqs = Array.from({ length: Math.min(wanted, next) }, (_, i) => next - 1 - i);
    const slots = seqs.length > 0 ? await this.storage.read(seqs.map((seq) => slotKey(list, seq))) : {};
    const events = seqs.flatMap((seq) => {
      const slot = slots[slotKey(list, seq)] as SlotItem | undefined;
      return slot?.seq === seq ? [slot.event] : [];
    });
    if (events.length >= wanted) return events;
    const legacy = (await this.storage.read([list.key]))[list.key] as LegacyItem | undefined;
    return [...events, ...(legacy?.events ?? []).slice(0, wanted - events.length)];
  }

  private listOf(email: string | undefined): List {
    return email === undefined
      ? { key: "audit/all", limit: this.globalLimit }
      : // A slot's last segment is digits and an email's is not, so no list's keys can be another's.
        { key: `audit/account/${email}`, limit: this.accountLimit };
  }

  private async append(list: List, event: AuditEvent): Promise<void> {
    const counter = await this.queue.run(list.key, () => updateItem<CounterItem>(this.storage, counterKey(list), (current) => ({ next: (current?.next ?? 0) + 1 })));
    const seq = counter.next - 1;
    await updateItem<SlotItem>(this.storage, slotKey(list, seq), (current) => (current && current.seq > seq ? current : { seq, event }));
  }
}
