/**
 * Accounts: the model, the Directory port, and the embedded development directory with its fixture import.
 *
 * @packageDocumentation
 */
export { methodsOf, PASSWORD_LIFETIME_DAYS } from "./account";
export type { Account, RegisteredMethods } from "./account";
export type { Directory } from "./directory";
export { NHSMAIL_DOMAIN, readNhsmailAddress } from "./email";
export type { EmailReading } from "./email";
export { EmbeddedDirectory } from "./embedded-directory";
export type { ImportOptions, ImportResult } from "./embedded-directory";
export { accountFromEntry, FixtureError, parseFixture, PASSWORD_HISTORY_LIMIT, readFixtureFile } from "./fixture";
export type { AccountBuildOptions, FixtureEntry } from "./fixture";
export { loadOrCreateDevKey, resolveSecretsKey, SecretBox } from "./secret-box";
