import type Keyv from "keyv";
import type { StateStore } from "../state";
import type { ItemStorage, StoredItem } from "../state/item-cas";
import { updateItem } from "../state/item-cas";

/** The list of linked addresses (one item, changed with compare-and-set), for reminders where the directory cannot list. */
const LINKED_KEY = "links/#linked";

interface LinkedItem extends StoredItem {
  emails: string[];
}

/**
 * Which NHSmail address a Teams user is, and back: set when a notify call names the user's Entra object id, or when
 * the person proves the account in chat (address + password). First-login progress, reminders and the sync
 * follow-up find the person through it. Kept in the state store (namespaces `user_email`, `email_user`).
 */
export class UserLinks {
  private readonly byUser: Keyv<string>;
  private readonly byEmail: Keyv<string>;
  private readonly storage: ItemStorage;

  constructor(store: StateStore) {
    this.byUser = store.keyv<string>("user_email");
    this.byEmail = store.keyv<string>("email_user");
    this.storage = store.storage;
  }

  /** Links a Teams user (Entra object id, or the channel's user id) to a lower-case address, replacing older links. */
  async link(user: string, email: string): Promise<void> {
    const previous = await this.byEmail.get(email);
    if (previous && previous !== user) await this.byUser.delete(previous);
    await this.byUser.set(user, email);
    await this.byEmail.set(email, user);
    if (!previous) await updateItem<LinkedItem>(this.storage, LINKED_KEY, (current) => ({ emails: [...new Set([...(current?.emails ?? []), email])] }));
  }

  /** Every address ever linked to a Teams user, in the order they were first linked. */
  async linkedEmails(): Promise<string[]> {
    const item = (await this.storage.read([LINKED_KEY]))[LINKED_KEY] as LinkedItem | undefined;
    return item?.emails ?? [];
  }

  /** The address linked to a Teams user, if any. */
  async emailOf(user: string): Promise<string | undefined> {
    return (await this.byUser.get(user)) ?? undefined;
  }

  /** The Teams user linked to an address, if any. */
  async userOf(email: string): Promise<string | undefined> {
    return (await this.byEmail.get(email)) ?? undefined;
  }
}
