import { StaleStateError } from "./stale-state-error";
import type { StateStore } from "./state-store";

/**
 * The state store's storage (botbuilder Storage with eTag compare-and-set), named through the state module so that
 * services do not depend on botbuilder.
 */
export type ItemStorage = StateStore["storage"];

/** A stored item: any JSON object; `eTag` is the storage's. */
export interface StoredItem {
  eTag?: string;
}

/** How many times a compare-and-set is tried before giving up. */
export const CAS_ATTEMPTS = 8;

/** True for the conflict error botbuilder storages throw (the state store's `StaleStateError` among them). */
function isConflict(error: unknown): boolean {
  // The message test also recognises botbuilder's own storages, which throw a plain Error.
  return error instanceof StaleStateError || (error instanceof Error && /eTag conflict/i.test(error.message));
}

/** The eTag written with an item that did not exist; stored eTags are UUIDs, so it never matches one. */
const CREATE_ETAG = "new";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Read–change–write of one storage item with eTag compare-and-set: the item is written with the eTag it was read
 * with, and on a conflict (someone wrote in between) it is read and changed again, a few times with a short random
 * pause. So concurrent changes are all applied, never lost.
 *
 * @param change - given the current item (without its eTag) or undefined, returns the new item; may throw to abort
 * @returns the item as written
 * @throws the first non-conflict error, or an Error when every attempt conflicted
 */
export async function updateItem<Item extends StoredItem>(
  storage: ItemStorage,
  key: string,
  change: (current: Item | undefined) => Item,
  attempts = CAS_ATTEMPTS,
): Promise<Item> {
  for (let attempt = 1; ; attempt++) {
    const current = (await storage.read([key]))[key] as Item | undefined;
    const { eTag, ...rest } = current ?? {};
    const next = change(current === undefined ? undefined : (rest as Item));
    // An item that did not exist is created with a dummy eTag: the storage writes a missing key whatever the eTag.
    const item = { ...next, eTag: typeof eTag === "string" && eTag !== "" ? eTag : CREATE_ETAG };
    try {
      await storage.write({ [key]: item });
      return next;
    } catch (error) {
      if (!isConflict(error) || attempt >= attempts) {
        throw attempt >= attempts && isConflict(error)
          ? new Error(`Storage: gave up writing "${key}" after ${attempts} conflicting attempts.`, { cause: error })
          : error;
      }
      await pause(Math.floor(Math.random() * 10 * attempt));
    }
  }
}

/**
 * Writes an item only when nothing is stored under `key` yet. It relies on the storage's documented rule that a
 * missing key is written whatever eTag the item carries, while a present one must match.
 *
 * @returns true when written; false when the key was already taken
 */
export async function createItem(storage: ItemStorage, key: string, item: object): Promise<boolean> {
  try {
    await storage.write({ [key]: { ...item, eTag: CREATE_ETAG } });
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}
