import { randomUUID } from "node:crypto";
import type { Account, MfaEnrolment, ProfileDetails } from "../account";
import { PASSWORD_LIFETIME_DAYS } from "../account";
import { progressChanges } from "../progress-changes";
import type { Directory, NewPassword, PasswordChange, SignInProof } from "../directory";
import { DirectoryUnavailableError, PasswordRefusedError } from "../errors";
import { PASSWORD_HISTORY_LIMIT, dropUndefined } from "../fixture";
import type { SecretBox } from "../secret-box";
import { normaliseUkMobile } from "../../verification/phone";
import type { Logger } from "../../logger";
import { GraphCallError } from "./graph-accounts";
import type { GraphAccounts, GraphPhoneMethod, GraphUser } from "./graph-accounts";
import { isPasswordPolicyRefusal, isPermissionFailure } from "./graph-errors";
import type { EntraRecord, EntraRecords } from "./entra-records";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Options for {@link GraphDirectory}. */
export interface GraphDirectoryOptions {
  accounts: GraphAccounts;
  records: EntraRecords;
  /** Seals and opens authenticator secrets enrolled through the bot. */
  box: SecretBox;
  /** Sign the person out of every session after a password change (`REVOKE_SESSIONS_AFTER_RESET`). */
  revokeSessions: boolean;
  logger: Logger;
}

/**
 * Accounts in Microsoft Entra ID, through Microsoft Graph: the person's name, organisation, job, department,
 * creation date and password-change date come from the user, the registered mobile from their phone
 * authentication methods, and a new password goes to Entra (`PATCH /users/{id}`), followed by signing out every
 * session when so configured. What Graph cannot give is kept in the bot's own store by object id (see
 * {@link EntraRecord}). A person proves an account is theirs at first login by being signed in to Teams as it.
 *
 * An unknown address costs the same calls as a known one (a phone-method read of an id that exists nowhere, and a
 * record read), so response times do not tell which addresses exist.
 */
export class GraphDirectory implements Directory {
  readonly signInProof: SignInProof = "teams-identity";
  /** An object id no account has: what an unknown address's lookups read, so they cost what a real one does. */
  private readonly decoyId = randomUUID();

  constructor(private readonly options: GraphDirectoryOptions) {}

  async findByEmail(email: string): Promise<Account | undefined> {
    const address = email.trim().toLowerCase();
    const user = await this.options.accounts.findUser(address);
    const id = user?.id ?? this.decoyId;
    const [phones, record] = await Promise.all([this.options.accounts.phoneMethods(id), this.options.records.read(id)]);
    return user ? accountOf(address, user, phones, record) : undefined;
  }

  async findByUserId(objectId: string): Promise<Account | undefined> {
    const user = await this.options.accounts.getUser(objectId);
    const address = (user?.mail ?? user?.userPrincipalName)?.toLowerCase();
    if (!user || !address) return undefined;
    const [phones, record] = await Promise.all([this.options.accounts.phoneMethods(user.id), this.options.records.read(user.id)]);
    return accountOf(address, user, phones, record);
  }

  /**
   * Sends the new password to Entra. A refusal by the tenant's password rules throws `PasswordRefusedError`; a
   * missing permission, throttling or an error answer throws `DirectoryUnavailableError` with nothing changed. When
   * no answer came (a timeout) or Graph failed (5xx), the change may still have gone through, so the user is read
   * back: a new password-change time means it did; otherwise nothing changed ("unreachable"), and when even that
   * cannot be read the outcome is "uncertain". The change is never sent twice on its own.
   */
  async setPassword(email: string, { password, hash }: NewPassword, now: Date): Promise<PasswordChange> {
    const address = email.trim().toLowerCase();
    const user = await this.options.accounts.findUser(address);
    if (!user) throw new Error("No such account in Entra ID.");
    try {
      await this.options.accounts.setPassword(user.id, password);
    } catch (error) {
      if (!(error instanceof GraphCallError)) throw error;
      await this.afterFailedChange(user, error);
    }
    const record = await this.options.records.change(user.id, (current) => ({
      passwordHash: hash,
      passwordChangedAt: now.toISOString(),
      previousPasswordHashes: [...(current.passwordHash ? [current.passwordHash] : []), ...(current.previousPasswordHashes ?? [])].slice(0, PASSWORD_HISTORY_LIMIT),
    }));
    const signedOutEverywhere = this.options.revokeSessions && (await this.revoke(user.id));
    const phones = await this.options.accounts.phoneMethods(user.id).catch(() => []);
    return { account: accountOf(address, { ...user, lastPasswordChangeDateTime: now.toISOString() }, phones, record), signedOutEverywhere };
  }

  async acceptAup(email: string, version: string, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.aupAccepted(version, at));
  }

  async updateProfile(email: string, profile: ProfileDetails, accountSecretHash: string, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.profileUpdated(profile, accountSecretHash, at));
  }

  async enrolMfa(email: string, enrolment: MfaEnrolment, at: Date): Promise<Account> {
    return this.change(email, () => progressChanges.mfaEnrolled(enrolment, at));
  }

  totpSecretOf(account: Account): string | undefined {
    return account.totpSecretEncrypted === undefined ? undefined : this.options.box.decrypt(account.totpSecretEncrypted, account.email);
  }

  sealTotpSecret(email: string, secretBase32: string): string {
    return this.options.box.encrypt(secretBase32, email.trim().toLowerCase());
  }

  /** Changes the bot's own record of an account and returns the account as it now reads. */
  private async change(email: string, patch: (record: EntraRecord) => EntraRecord): Promise<Account> {
    const address = email.trim().toLowerCase();
    const user = await this.options.accounts.findUser(address);
    if (!user) throw new Error("No such account in Entra ID.");
    const [record, phones] = await Promise.all([this.options.records.change(user.id, patch), this.options.accounts.phoneMethods(user.id)]);
    return accountOf(address, user, phones, record);
  }

  /** What a failed password change means; returns only when the change went through after all. */
  private async afterFailedChange(user: GraphUser, error: GraphCallError): Promise<void> {
    const { failure } = error;
    if (isPasswordPolicyRefusal(failure)) throw new PasswordRefusedError();
    if (isPermissionFailure(failure)) throw new DirectoryUnavailableError("permission", failure.code, failure.status);
    if (failure.status === 429) throw new DirectoryUnavailableError("throttled", failure.code, failure.status);
    if (failure.status >= 400 && failure.status < 500) {
      this.options.logger.error({ status: failure.status, graphCode: failure.code }, "Microsoft Graph refused a password change for a reason other than the password rules");
      throw new DirectoryUnavailableError("unreachable", failure.code, failure.status);
    }
    const after = await this.options.accounts.getUser(user.id).catch(() => undefined);
    const applied = after ? after.lastPasswordChangeDateTime !== user.lastPasswordChangeDateTime : undefined;
    this.options.logger.warn({ status: failure.status, graphCode: failure.code, applied: applied ?? "unknown" }, "no clear answer to a password change: read the account back");
    if (applied === undefined) throw new DirectoryUnavailableError("uncertain", failure.code, failure.status);
    if (!applied) throw new DirectoryUnavailableError("unreachable", failure.code, failure.status);
  }

  /** Signs every session out; false (and a warning) when Graph would not, so the card does not promise it. */
  private async revoke(id: string): Promise<boolean> {
    try {
      await this.options.accounts.revokeSessions(id);
      return true;
    } catch (error) {
      const failure = error instanceof GraphCallError ? error.failure : undefined;
      this.options.logger.warn({ status: failure?.status, graphCode: failure?.code }, "the password changed but the sessions could not be signed out");
      return false;
    }
  }
}

/** True when the record's password hash is the account's current password (set through the bot, not changed since). */
function currentHashOf(record: EntraRecord, user: GraphUser): boolean {
  if (!record.passwordHash || !record.passwordChangedAt) return false;
  const changed = user.lastPasswordChangeDateTime ? Date.parse(user.lastPasswordChangeDateTime) : 0;
  // Entra's time of the change is a moment after the bot's: a minute's leeway.
  return changed <= Date.parse(record.passwordChangedAt) + 60_000;
}

/** The account as the rest of the bot knows it: Graph's user and phones, with the bot's own record. */
function accountOf(email: string, user: GraphUser, phones: GraphPhoneMethod[], record: EntraRecord): Account {
  const entraMobile = phones.filter((phone) => phone.phoneType === "mobile").map((phone) => normaliseUkMobile(phone.phoneNumber)).find(Boolean);
  const changedAt = user.lastPasswordChangeDateTime ?? user.createdDateTime ?? new Date(0).toISOString();
  const current = currentHashOf(record, user);
  const profiled = record.profileUpdatedAt !== undefined;
  return dropUndefined({
    email,
    id: user.id,
    displayName: (profiled ? record.displayName : undefined) ?? user.displayName ?? undefined,
    firstName: user.givenName ?? undefined,
    lastName: user.surname ?? undefined,
    organisation: (profiled ? record.organisation : undefined) ?? user.companyName ?? undefined,
    jobTitle: (profiled ? record.jobTitle : undefined) ?? user.jobTitle ?? undefined,
    department: (profiled ? record.department : undefined) ?? user.department ?? undefined,
    workPhone: record.workPhone,
    createdAt: user.createdDateTime ?? changedAt,
    mobile: entraMobile ?? record.mobile,
    totpSecretEncrypted: record.totpSecretEncrypted,
    // A password changed outside the bot is not known here: its hash joins the history and the current one is unknown.
    passwordHash: current ? (record.passwordHash ?? "") : "",
    previousPasswordHashes: [...(!current && record.passwordHash ? [record.passwordHash] : []), ...(record.previousPasswordHashes ?? [])],
    passwordChangedAt: new Date(changedAt).toISOString(),
    passwordExpiresAt: new Date(Date.parse(changedAt) + PASSWORD_LIFETIME_DAYS * DAY_MS).toISOString(),
    // Entra makes a person change a temporary password when they first sign in, before they can reach Teams.
    temporaryPassword: false,
    aupAcceptedAt: record.aupAcceptedAt,
    aupVersion: record.aupVersion,
    profileUpdatedAt: record.profileUpdatedAt,
    accountSecretHash: record.accountSecretHash,
    mfaMethod: record.mfaMethod,
    mfaEnrolledAt: record.mfaEnrolledAt,
  });
}
