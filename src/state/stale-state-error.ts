/**
 * Thrown by {@link KeyvStorage.write} when an item's eTag no longer matches the stored one: another turn (or
 * another bot instance) wrote the same key since this one read it.
 *
 * @remarks
 * The message names the key and never the value. It keeps botbuilder's wording ("eTag conflict") because
 * callers such as teams-ai's SSO de-duplication recognise a conflict by that phrase.
 */
export class StaleStateError extends Error {
  /** The storage key whose write was refused. */
  readonly key: string;

  /** @param key - the storage key whose write was refused */
  constructor(key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = "StaleStateError";
    this.key = key;
  }
}
