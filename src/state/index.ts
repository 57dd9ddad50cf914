/**
 * The bot's single state store: botbuilder Storage with eTag compare-and-set, and keyv namespaces for other
 * services, on memory, SQLite or Redis.
 *
 * @packageDocumentation
 */
export { openStateStore } from "./open-state-store";
export type { NativeAccess, StateStore, StateStoreKind, StateStoreOptions } from "./state-store";
export { KeyvStorage } from "./keyv-storage";
export type { ConditionalWriter } from "./keyv-storage";
export { StaleStateError } from "./stale-state-error";
export { parseStateUrl } from "./state-url";
export type { StateLocation } from "./state-url";
export { CAS_ATTEMPTS, createItem, updateItem } from "./item-cas";
export type { ItemStorage, StoredItem } from "./item-cas";
