import type { Account } from "../account";
import type { ItemStorage, StoredItem } from "../../state/item-cas";
import { updateItem } from "../../state/item-cas";

/**
 * What the bot keeps about an Entra account that Microsoft Graph cannot give it, keyed by the Entra object id:
 * password history as scrypt hashes (for the previous-passwords rule), an authenticator secret enrolled through the
 * bot (sealed; Graph never returns one), first-login progress (the Acceptable Use Policy, profile details, the
 * account secret's hash, the MFA enrolment) and a mobile proved through the bot when Entra has none.
 */
export type EntraRecord = Partial<
  Pick<
    Account,
    | "passwordHash"
    | "passwordChangedAt"
    | "previousPasswordHashes"
    | "totpSecretEncrypted"
    | "aupAcceptedAt"
    | "aupVersion"
    | "displayName"
    | "jobTitle"
    | "department"
    | "organisation"
    | "workPhone"
    | "profileUpdatedAt"
    | "accountSecretHash"
    | "mfaMethod"
    | "mfaEnrolledAt"
    | "mobile"
  >
>;

interface RecordItem extends StoredItem {
  record: EntraRecord;
}

const PREFIX = "entra/";

/** The bot's own records of Entra accounts, in the state store (eTag compare-and-set, so concurrent changes all land). */
export class EntraRecords {
  constructor(private readonly storage: ItemStorage) {}

  /** The record of an object id (empty when the bot has kept nothing yet). */
  async read(objectId: string): Promise<EntraRecord> {
    const key = PREFIX + objectId;
    const item = (await this.storage.read([key]))[key] as RecordItem | undefined;
    return item?.record ?? {};
  }

  /** Read–change–write of one record; returns the record as written. */
  async change(objectId: string, patch: (record: EntraRecord) => EntraRecord): Promise<EntraRecord> {
    const item = await updateItem<RecordItem>(this.storage, PREFIX + objectId, (current) => ({ record: dropUndefined({ ...current?.record, ...patch(current?.record ?? {}) }) }));
    return item.record;
  }
}

function dropUndefined(record: EntraRecord): EntraRecord {
  const kept: EntraRecord = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
  return kept;
}
