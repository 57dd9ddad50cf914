import type { Account, MfaEnrolment, ProfileDetails } from "./account";
import { PASSWORD_LIFETIME_DAYS } from "./account";
import { progressChanges } from "./progress-changes";
import type { Directory, NewPassword, PasswordChange, SignInProof } from "./directory";
import type { FixtureEntry } from "./fixture";
import { PASSWORD_HISTORY_LIMIT, accountFromEntry, dropUndefined, parseFixture, readFixtureFile } from "./fixture";
import type { SecretBox } from "./secret-box";
import type { ItemStorage, StoredItem } from "../state/item-cas";
import { createItem, updateItem } from "../state/item-cas";
import type { Logger } from "../logger";

/** Storage keys: `directory/<email>` per account, plus one index (storage cannot list keys on every backend). */
const KEY_PREFIX = "directory/";
const INDEX_KEY = "directory/#index";
const DAY_MS = 24 * 60 * 60 * 1000;

interface AccountItem extends StoredItem {
  account: Account;
}

interface IndexItem extends StoredItem {
  emails: string[];
}

/** What importing a fixture needs besides the directory's own {@link SecretBox}. */
export interface ImportOptions {
  /** Hashes passwords (a `PasswordHasher`). */
  hasher: { hash(secret: string): Promise<string> };
  /** Import time: the default `createdAt` and `passwordChangedAt`. Default: now. */
  now?: Date;
}

/** The outcome of an import: which emails were added and which were already present (and left alone). */
export interface ImportResult {
  imported: string[];
  skipped: string[];
}

/** What {@link EmbeddedDirectory.startSeeding} needs besides {@link ImportOptions}: where to say how the import went. */
export interface SeedingOptions extends ImportOptions {
  /** Gets one line: the number of accounts imported, or that the import failed (never an address or a secret). */
  logger: Pick<Logger, "info" | "error">;
}

const keyOf = (email: string): string => KEY_PREFIX + email.trim().toLowerCase();

/** Any address in a text replaced, so that a logged error message names no account. */
const withoutAddresses = (text: string): string => text.replace(/[^\s"'`<>()[\]/]+@[^\s"'`<>()[\]/]+/g, "[address]");

/** Logs the outcome of a background import: how many accounts were added (nothing when none were). */
function logImported(result: ImportResult, logger: SeedingOptions["logger"]): void {
  if (result.imported.length > 0) logger.info({ accounts: result.imported.length }, "imported development accounts");
}

/** Logs a failed background import: the error's kind and message, with any address taken out. */
function logImportFailed(error: unknown, logger: SeedingOptions["logger"]): void {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  logger.error({ err: { name, message: withoutAddresses(message) } }, "could not import the development accounts: the directory works with those already stored");
}

/**
 * The development directory, kept in the bot's state store so that a fresh `STATE_URL` means a fresh directory.
 *
 * Accounts are stored through botbuilder Storage (keys `directory/<email>`) rather than a plain keyv
 * namespace, because Storage offers eTag compare-and-set: {@link EmbeddedDirectory.setPassword} reads, changes and
 * writes with the eTag it read, and retries on a conflict, so two concurrent changes are both applied even across
 * bot instances. An index item lists the emails for {@link EmbeddedDirectory.list}; it may briefly name an email
 * whose account is gone (it is updated before a write and after a removal), and `list` skips those.
 *
 * The bot imports its fixture in the background ({@link EmbeddedDirectory.startSeeding}) so that it listens at once:
 * every method that reads or writes accounts first waits for that import (the "ready gate",
 * {@link EmbeddedDirectory.whenSeeded}), so the first turn that needs an account sees the imported ones.
 */
export class EmbeddedDirectory implements Directory {
  /** People prove an account is theirs with its password: this directory keeps the hashes. */
  readonly signInProof: SignInProof = "password";

  /** Settles when no background import is under way; it never rejects (a failed import is logged instead). */
  private seeding: Promise<void> = Promise.resolve();

  /**
   * @param storage - the state store's `storage`
   * @param box - opens the accounts' TOTP secrets (and seals them on import)
   */
  constructor(
    private readonly storage: ItemStorage,
    private readonly box: SecretBox,
  ) {}

  /** The account for an address (trimmed and lower-cased here too), or undefined. */
  async findByEmail(email: string): Promise<Account | undefined> {
    await this.whenSeeded();
    return this.read(email);
  }

  /** The stored account for an address, without waiting for the background import (the import itself uses it). */
  private async read(email: string): Promise<Account | undefined> {
    const key = keyOf(email);
    const item = (await this.storage.read([key]))[key] as AccountItem | undefined;
    return item?.account;
  }

  /** The embedded directory does not know Entra object ids. */
  findByUserId(): Promise<Account | undefined> {
    return Promise.resolve(undefined);
  }

  /**
   * Sets a new password (only its hash is kept): the old hash goes to the front of the history (at most 10 kept),
   * the password changes now and expires in 365 days, and the temporary flag is cleared. Safe against concurrent
   * calls. There are no sessions here to sign out.
   *
   * @throws Error when there is no such account, or when the write keeps conflicting
   */
  async setPassword(email: string, { hash: passwordHash }: NewPassword, now: Date): Promise<PasswordChange> {
    await this.whenSeeded();
    const key = keyOf(email);
    const item = await updateItem<AccountItem>(this.storage, key, (current) => {
      if (!current) throw new Error(`No account ${email.trim().toLowerCase()} in the directory.`);
      const account = current.account;
      return {
        account: {
          ...account,
          passwordHash,
          previousPasswordHashes: [account.passwordHash, ...account.previousPasswordHashes].slice(0, PASSWORD_HISTORY_LIMIT),
          passwordChangedAt: now.toISOString(),
          passwordExpiresAt: new Date(now.getTime() + PASSWORD_LIFETIME_DAYS * DAY_MS).toISOString(),
          temporaryPassword: false,
        },
      };
    });
    return { account: item.account, signedOutEverywhere: false };
  }

  /** Records acceptance of the Acceptable Use Policy. @throws Error when there is no such account */
  async acceptAup(email: string, version: string, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.aupAccepted(version, at));
  }

  /** Saves profile details and the account secret's hash. @throws Error when there is no such account */
  async updateProfile(email: string, profile: ProfileDetails, accountSecretHash: string, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.profileUpdated(profile, accountSecretHash, at));
  }

  /** Records an MFA enrolment; an app enrolment replaces the TOTP secret, an SMS one the mobile. */
  async enrolMfa(email: string, enrolment: MfaEnrolment, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.mfaEnrolled(enrolment, at));
  }

  /** Read–change–write of one account with eTag compare-and-set. */
  private async change(email: string, patch: (account: Account) => Partial<Account>): Promise<Account> {
    await this.whenSeeded();
    const item = await updateItem<AccountItem>(this.storage, keyOf(email), (current) => {
      if (!current) throw new Error(`No account ${email.trim().toLowerCase()} in the directory.`);
      return { account: dropUndefined({ ...current.account, ...patch(current.account) }) };
    });
    return item.account;
  }

  /**
   * The decrypted TOTP secret (base32) of an account, or undefined when it has none.
   *
   * @throws Error when the stored secret cannot be opened with this directory's key
   */
  totpSecretOf(account: Account): string | undefined {
    return account.totpSecretEncrypted === undefined ? undefined : this.box.decrypt(account.totpSecretEncrypted, account.email);
  }

  /** Seals a TOTP secret (base32) for an account, for {@link Account.totpSecretEncrypted}. */
  sealTotpSecret(email: string, secretBase32: string): string {
    return this.box.encrypt(secretBase32, email.trim().toLowerCase());
  }

  /** Adds or replaces an account (its email is trimmed and lower-cased). */
  async upsert(account: Account): Promise<void> {
    await this.whenSeeded();
    const email = account.email.trim().toLowerCase();
    await this.addToIndex(email);
    const item: AccountItem = { account: { ...account, email }, eTag: "*" };
    await this.storage.write({ [keyOf(email)]: item });
  }

  /** Removes an account; true when there was one. */
  async remove(email: string): Promise<boolean> {
    await this.whenSeeded();
    const key = keyOf(email);
    const existed = (await this.storage.read([key]))[key] !== undefined;
    await this.storage.delete([key]);
    const address = key.slice(KEY_PREFIX.length);
    await this.updateIndex((emails) => emails.filter((known) => known !== address));
    return existed;
  }

  /** Every account, ordered by email. */
  async list(): Promise<Account[]> {
    await this.whenSeeded();
    const index = (await this.storage.read([INDEX_KEY]))[INDEX_KEY] as IndexItem | undefined;
    const keys = [...(index?.emails ?? [])].sort().map(keyOf);
    if (keys.length === 0) return [];
    const items = await this.storage.read(keys);
    return keys.flatMap((key) => {
      const item = items[key] as AccountItem | undefined;
      return item ? [item.account] : [];
    });
  }

  /**
   * Imports fixture entries (see `env/accounts.dev.json`): validates all of them first (nothing is written when
   * one is bad), then adds each account that is not already present, with passwords hashed and TOTP secrets sealed.
   * Accounts already present are left alone, so a password reset in the bot survives a restart; remove an account
   * (or use a fresh `STATE_URL`) to import it again.
   *
   * @throws `FixtureError` naming each bad entry and field (never a value)
   */
  async importFixture(entries: unknown, options: ImportOptions, source?: string): Promise<ImportResult> {
    const parsed = parseFixture(entries, source);
    await this.whenSeeded();
    return this.importEntries(parsed, options);
  }

  /**
   * Imports the fixture file named by `ACCOUNTS_FILE`, as {@link EmbeddedDirectory.importFixture} does.
   *
   * @throws `FixtureError` when the file is missing, not JSON, or has a bad entry
   */
  async seedFromFile(file: string, options: ImportOptions): Promise<ImportResult> {
    const entries = readFixtureFile(file);
    await this.whenSeeded();
    return this.importEntries(entries, options);
  }

  /**
   * Validates the fixture file now, then imports it in the background, as {@link EmbeddedDirectory.seedFromFile}
   * does: the bot starts without waiting for the password hashing. Until the import is done, every method that reads
   * or writes accounts waits for it. When it is done, `options.logger` gets the number imported; when it fails (a
   * store error), one error line, and the directory goes on with the accounts already stored.
   *
   * @throws `FixtureError`, before anything is started, when the file is missing, not JSON, or has a bad entry
   */
  startSeeding(file: string, options: SeedingOptions): void {
    const entries = readFixtureFile(file);
    this.seeding = this.seeding
      .then(() => this.importEntries(entries, options))
      .then(
        (result) => logImported(result, options.logger),
        (error: unknown) => logImportFailed(error, options.logger),
      );
  }

  /** Resolves when no background import is under way (at once when none was started); never rejects. */
  whenSeeded(): Promise<void> {
    return this.seeding;
  }

  private async importEntries(entries: FixtureEntry[], options: ImportOptions): Promise<ImportResult> {
    const result: ImportResult = { imported: [], skipped: [] };
    const now = options.now ?? new Date();
    for (const entry of entries) {
      if (await this.read(entry.email)) {
        result.skipped.push(entry.email);
        continue;
      }
      const account = await accountFromEntry(entry, { hasher: options.hasher, box: this.box, now });
      await this.addToIndex(account.email);
      // Created only if still absent: another instance importing at the same time cannot overwrite a reset.
      const created = await createItem(this.storage, keyOf(account.email), { account });
      (created ? result.imported : result.skipped).push(entry.email);
    }
    return result;
  }

  private async addToIndex(email: string): Promise<void> {
    await this.updateIndex((emails) => (emails.includes(email) ? emails : [...emails, email]));
  }

  private async updateIndex(change: (emails: string[]) => string[]): Promise<void> {
    await updateItem<IndexItem>(this.storage, INDEX_KEY, (current) => ({ emails: change(current?.emails ?? []) }));
  }
}
