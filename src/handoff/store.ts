import { KeyedQueue } from "../state/keyed-queue";
import { randomUUID } from "node:crypto";
import type { StateStore } from "../state";
import { createItem, updateItem } from "../state/item-cas";
import type { ItemStorage, StoredItem } from "../state/item-cas";
import type { HandoffParty, HandoffRecord, HandoffStore, SyncAnswer, TakeResult, TranscriptLine } from "./ports";
import { redact } from "./redact";
import { authorOf } from "./transcript";

/** Options for {@link StoreHandoffs}. */
export interface StoreHandoffsOptions {
  /** Minutes a request is expected to wait per place in the queue until real waits are known (HANDOFF_AVERAGE_MINUTES). */
  averageMinutes: number;
  /** Recent waits kept for the estimate. Default 20. */
  recentWaits?: number;
}

interface RecordItem extends StoredItem {
  record: HandoffRecord;
}
interface QueueItem extends StoredItem {
  /** Waiting handoffs, oldest first. */
  ids: string[];
}
interface WaitsItem extends StoredItem {
  /** Take-minus-create durations in milliseconds, newest last. */
  ms: number[];
}
interface UserItem extends StoredItem {
  /** The person's latest handoff; it may have closed since (cleared on close, but a crash can leave it). */
  id?: string;
}

const recordKey = (id: string): string => `handoff/${id}`;
const userKey = (userId: string): string => `handoff/#user/${userId}`;
const QUEUE_KEY = "handoff/#queue";
const WAITS_KEY = "handoff/#waits";
/** keyv namespace: thread (channel conversation id of the request's reply chain) → handoff id. */
const THREADS = "handoff_threads";
/** keyv namespace: person (channel user id) → their answer to the synchronisation-window question, until it ends. */
const SYNC_ANSWERS = "handoff_sync_answers";

/** A remembered answer, and when the window it was given for ends. */
interface StoredSyncAnswer {
  answer: SyncAnswer;
  until: string;
}

const MINUTE_MS = 60_000;

/** Thrown inside a compare-and-set change to stop without writing, carrying what the caller needs. */
class Unchanged<Value> extends Error {
  constructor(readonly value: Value) {
    super("unchanged");
  }
}

/** Every transcript line run through {@link redact}, so no clear secret reaches the store whoever wrote it. */
function scrubbed(record: HandoffRecord): HandoffRecord {
  const transcript: TranscriptLine[] = record.transcript.map((line) => ({ ...line, text: redact(line.text, { author: authorOf(line) }) }));
  return { ...record, transcript };
}

const isOpen = (record: HandoffRecord | undefined): record is HandoffRecord => record !== undefined && record.status !== "closed";

/**
 * Handoff records in the bot's state store, so they survive restarts and are shared by every bot instance.
 *
 * Each record is a storage item (`handoff/<id>`) changed only with eTag compare-and-set: of several agents pressing
 * Take at once, on any instance, exactly one write from "waiting" succeeds and the others re-read an active record.
 * Beside the records: a queue item (waiting ids, oldest first), a per-person pointer to their latest handoff (also
 * compare-and-set, so two quick requests from one person make one handoff), recent waits for the estimate, and a
 * keyv pointer from a request's channel thread to its handoff. Transcript lines are redacted again on every write.
 */
export class StoreHandoffs implements HandoffStore {
  private readonly storage: ItemStorage;
  private readonly averageMinutes: number;
  private readonly recentWaits: number;
  private readonly queue = new KeyedQueue();

  /**
   * @param store - the state store (storage items and the `handoff_threads` keyv namespace)
   * @param options - see {@link StoreHandoffsOptions}
   */
  constructor(
    private readonly store: StateStore,
    options: StoreHandoffsOptions,
  ) {
    this.storage = store.storage;
    this.averageMinutes = Math.max(1, options.averageMinutes);
    this.recentWaits = Math.max(1, Math.floor(options.recentWaits ?? 20));
  }

  /** Creates a waiting handoff at the back of the queue, or returns the person's open one (waiting or active). */
  async create(input: Omit<HandoffRecord, "id" | "status" | "createdAt"> & { at: Date }): Promise<HandoffRecord> {
    const existing = await this.openForUser(input.user.id);
    if (existing) return existing;
    const { at, ...fields } = input;
    const record = scrubbed({ ...fields, id: randomUUID(), status: "waiting", createdAt: at.toISOString() });
    // The record first, then the pointer: a pointer never names a record that is not there yet.
    await createItem(this.storage, recordKey(record.id), { record });
    const winner = await this.pointUserAt(record);
    if (winner.id !== record.id) {
      // Another request from the same person got there first: ours is withdrawn, theirs stands.
      await this.storage.delete([recordKey(record.id)]);
      return winner;
    }
    await this.change<QueueItem, void>(QUEUE_KEY, (current) => ({ ids: [...(current?.ids ?? []), record.id] }), () => undefined);
    if (record.threadId) await this.pointThread(record);
    return record;
  }

  /** The handoff with this id, or undefined. */
  async get(id: string): Promise<HandoffRecord | undefined> {
    const key = recordKey(id);
    const item = (await this.storage.read([key]))[key] as RecordItem | undefined;
    return item?.record;
  }

  /** The person's waiting or active handoff, if any. */
  async openForUser(userId: string): Promise<HandoffRecord | undefined> {
    const key = userKey(userId);
    const pointer = (await this.storage.read([key]))[key] as UserItem | undefined;
    if (!pointer?.id) return undefined;
    const record = await this.get(pointer.id);
    return isOpen(record) ? record : undefined;
  }

  /** The handoff whose request thread this channel conversation is, if any. */
  async byThread(threadId: string): Promise<HandoffRecord | undefined> {
    const id = await this.store.keyv<string>(THREADS).get(threadId);
    if (typeof id !== "string") return undefined;
    const record = await this.get(id);
    return record?.threadId === threadId ? record : undefined;
  }

  /** Waiting → active for exactly one agent; the others are told it is taken (or closed, or missing). */
  async take(id: string, agent: HandoffParty, at: Date): Promise<TakeResult> {
    const result = await this.change<RecordItem, TakeResult>(
      recordKey(id),
      (current, keep) => {
        if (!current) return keep({ ok: false, reason: "missing" });
        const record = current.record;
        if (record.status !== "waiting") return keep({ ok: false, record, reason: record.status === "closed" ? "closed" : "taken" });
        return { record: { ...record, status: "active", agent, takenAt: at.toISOString() } };
      },
      (written) => ({ ok: true, record: written.record }),
    );
    if (result.ok) {
      await this.leaveQueue(id);
      await this.noteWait(at.getTime() - Date.parse(result.record.createdAt));
    }
    return result;
  }

  /** Closes an open handoff; a closed one is returned unchanged, a missing one as undefined. Leaves the queue. */
  async close(id: string, by: NonNullable<HandoffRecord["closedBy"]>, at: Date): Promise<HandoffRecord | undefined> {
    const record = await this.change<RecordItem, HandoffRecord | undefined>(
      recordKey(id),
      (current, keep) => {
        if (!current || current.record.status === "closed") return keep(current?.record);
        return { record: { ...current.record, status: "closed", closedAt: at.toISOString(), closedBy: by } };
      },
      (written) => written.record,
    );
    // Tidied even when it was closed already, in case an earlier close stopped half-way.
    if (record) {
      await this.leaveQueue(id);
      await this.releaseUser(record);
    }
    return record;
  }

  /** Any other change, with compare-and-set (`change` may run more than once); the id cannot change. */
  async update(id: string, change: (record: HandoffRecord) => HandoffRecord): Promise<HandoffRecord | undefined> {
    const record = await this.change<RecordItem, HandoffRecord | undefined>(
      recordKey(id),
      (current, keep) => (current ? { record: scrubbed({ ...change(current.record), id }) } : keep(undefined)),
      (written) => written.record,
    );
    if (record?.threadId) await this.pointThread(record);
    return record;
  }

  /** How many handoffs are waiting for an agent now (entries left behind by an interrupted close not counted). */
  async queueLength(): Promise<number> {
    const queue = ((await this.storage.read([QUEUE_KEY]))[QUEUE_KEY] as QueueItem | undefined)?.ids ?? [];
    if (queue.length === 0) return 0;
    const items = await this.storage.read(queue.map(recordKey));
    return queue.filter((each) => (items[recordKey(each)] as RecordItem | undefined)?.record.status === "waiting").length;
  }

  /** 1-based place of a waiting handoff among the handoffs still waiting ahead of it; undefined when not waiting. */
  async position(id: string): Promise<number | undefined> {
    const record = await this.get(id);
    if (record?.status !== "waiting") return undefined;
    const queue = ((await this.storage.read([QUEUE_KEY]))[QUEUE_KEY] as QueueItem | undefined)?.ids ?? [];
    const index = queue.indexOf(id);
    const ahead = index < 0 ? queue : queue.slice(0, index);
    if (ahead.length === 0) return 1;
    // Count only those truly still waiting, so an entry left behind by an interrupted close does not count.
    const items = await this.storage.read(ahead.map(recordKey));
    const waiting = ahead.filter((each) => (items[recordKey(each)] as RecordItem | undefined)?.record.status === "waiting");
    return waiting.length + 1;
  }

  /** position × the average of the recent waits (or the configured average), rounded up, at least 1 minute. */
  async estimateMinutes(position: number): Promise<number> {
    const waits = ((await this.storage.read([WAITS_KEY]))[WAITS_KEY] as WaitsItem | undefined)?.ms ?? [];
    const average = waits.length > 0 ? waits.reduce((sum, each) => sum + each, 0) / waits.length / MINUTE_MS : this.averageMinutes;
    const estimate = Math.ceil(Math.max(1, position) * average);
    return Number.isFinite(estimate) ? Math.max(1, estimate) : this.averageMinutes;
  }

  /** The person's answer to the synchronisation-window question, if the window it was given for ends after `at`. */
  async syncAnswer(userId: string, at: Date): Promise<SyncAnswer | undefined> {
    const kept = await this.store.keyv<StoredSyncAnswer>(SYNC_ANSWERS).get(userId);
    return kept && Date.parse(kept.until) > at.getTime() ? kept.answer : undefined;
  }

  /**
   * Remembers the person's answer until `until`. The entry also expires in the store after the window's length, so
   * answers do not pile up; the `until` check decides, whatever the store's own clock.
   */
  async rememberSyncAnswer(userId: string, answer: SyncAnswer, until: Date, at: Date): Promise<void> {
    const ttl = until.getTime() - at.getTime();
    if (!(ttl > 0)) return;
    await this.store.keyv<StoredSyncAnswer>(SYNC_ANSWERS).set(userId, { answer, until: until.toISOString() }, ttl);
  }

  /**
   * {@link updateItem}, where the change may call `keep(value)` to write nothing: the result is then that value;
   * otherwise it is what `done` makes of the written item. Changes to one key from this process run in turn, so
   * compare-and-set conflicts only arise between instances.
   */
  private async change<Item extends StoredItem, Result>(
    key: string,
    change: (current: Item | undefined, keep: (value: Result) => never) => Item,
    done: (written: Item) => Result,
  ): Promise<Result> {
    const keep = (value: Result): never => {
      throw new Unchanged(value);
    };
    const task = async (): Promise<Result> => {
      try {
        return done(await updateItem<Item>(this.storage, key, (current) => change(current, keep)));
      } catch (error) {
        if (error instanceof Unchanged) return error.value as Result;
        throw error;
      }
    };
    return this.queue.run(key, task);
  }

  /**
   * Points the person at `record` unless it points at another open handoff.
   *
   * @returns the person's open handoff after the change: `record`, or the one that was there
   */
  private async pointUserAt(record: HandoffRecord): Promise<HandoffRecord> {
    // Each round either claims the pointer or finds an open handoff; a pointer to a closed or missing one is taken over.
    for (;;) {
      const other = await this.change<UserItem, string | undefined>(
        userKey(record.user.id),
        (current, keep) => (current?.id && current.id !== record.id ? keep(current.id) : { id: record.id }),
        () => undefined,
      );
      if (other === undefined) return record;
      const found = await this.get(other);
      if (isOpen(found)) return found;
      // Cleared only if it still names that one; either way the next round looks again.
      await this.change<UserItem, void>(userKey(record.user.id), (current, keep) => (current?.id === other ? {} : keep(undefined)), () => undefined);
    }
  }

  /** Clears the person's pointer if it still names this handoff. */
  private async releaseUser(record: HandoffRecord): Promise<void> {
    await this.change<UserItem, void>(userKey(record.user.id), (current, keep) => (current?.id === record.id ? {} : keep(undefined)), () => undefined);
  }

  private async leaveQueue(id: string): Promise<void> {
    await this.change<QueueItem, void>(
      QUEUE_KEY,
      (current, keep) => (current?.ids.includes(id) ? { ids: current.ids.filter((each) => each !== id) } : keep(undefined)),
      () => undefined,
    );
  }

  private async noteWait(ms: number): Promise<void> {
    if (!Number.isFinite(ms)) return;
    const wait = Math.max(0, ms);
    await this.change<WaitsItem, void>(WAITS_KEY, (current) => ({ ms: [...(current?.ms ?? []), wait].slice(-this.recentWaits) }), () => undefined);
  }

  private async pointThread(record: HandoffRecord): Promise<void> {
    if (!record.threadId) return;
    const threads = this.store.keyv<string>(THREADS);
    if ((await threads.get(record.threadId)) !== record.id) await threads.set(record.threadId, record.id);
  }
}
