import { randomUUID } from "node:crypto";
import type { Storage, StoreItem, StoreItems } from "botbuilder";
import type Keyv from "keyv";
import { StaleStateError } from "./stale-state-error";
import { encodeEntry } from "./stored-entry";

/**
 * The one step keyv cannot do: write an entry only if the stored item still carries the expected eTag. Each
 * backend implements it atomically with its own client (a Lua script, a single SQL statement, a synchronous Map
 * update), so two bot instances racing on one key cannot both win.
 */
export interface ConditionalWriter {
  /**
   * Stores `entry` (already encoded with {@link encodeEntry}) under `key` when nothing is stored there or the
   * stored item's eTag equals `expectedETag`.
   *
   * @returns true when written; false when the stored eTag differs
   */
  writeIfMatch(key: string, entry: string, expectedETag: string): Promise<boolean>;
}

/**
 * botbuilder {@link Storage} over a keyv namespace, with eTag optimistic concurrency as botbuilder's
 * MemoryStorage documents it:
 * - an item with no eTag, or eTag `"*"`, is written unconditionally;
 * - an item whose eTag differs from the stored one is refused with {@link StaleStateError};
 * - a key with nothing stored is written whatever eTag the item carries;
 * - every successful write stores a new eTag (the caller's object is not modified).
 *
 * Reads, deletes and unconditional writes go through keyv; only the compare-and-set goes to the backend's
 * {@link ConditionalWriter}. Values are stored as JSON.
 */
export class KeyvStorage implements Storage {
  /**
   * @param keyv - a keyv using the JSON layout of `keyvOptions` in stored-entry.ts (the writer relies on it)
   * @param writer - the backend's atomic compare-and-set for the same keys
   */
  constructor(
    private readonly keyv: Keyv<unknown>,
    private readonly writer: ConditionalWriter,
  ) {}

  /** Reads the items stored under `keys`; keys with nothing stored are absent from the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError("Keys are required when reading.");
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const values = await this.keyv.getMany(keys);
    keys.forEach((key, index) => {
      const value = values[index];
      if (value !== undefined && value !== null) items[key] = value;
    });
    return items;
  }

  /**
   * Writes every item in `changes`, each with a fresh eTag. Keys are written independently (as in every
   * botbuilder storage); if any is refused, the others are still attempted and the first failure is thrown.
   *
   * @throws {@link StaleStateError} when an item's eTag no longer matches the stored one
   */
  async write(changes: StoreItems): Promise<void> {
    if (typeof changes !== "object" || changes === null) {
      throw new ReferenceError("Changes are required when writing.");
    }
    const results = await Promise.allSettled(
      Object.entries(changes).map(async ([key, item]) => this.writeOne(key, item)),
    );
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  /** Removes the items stored under `keys`; missing keys are ignored. eTags are not checked, as in botbuilder. */
  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError("Keys are required when deleting.");
    if (keys.length === 0) return;
    await this.keyv.delete(keys);
  }

  private async writeOne(key: string, item: unknown): Promise<void> {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new TypeError(`Storage: the item for "${key}" must be an object.`);
    }
    const expected = (item as StoreItem).eTag;
    const next: StoreItem = { ...item, eTag: randomUUID() };
    if (typeof expected !== "string" || expected === "" || expected === "*") {
      await this.keyv.set(key, next);
      return;
    }
    if (!(await this.writer.writeIfMatch(key, encodeEntry(next), expected))) {
      throw new StaleStateError(key);
    }
  }
}
