import type Keyv from "keyv";
import type { StateStore } from "../state";

/**
 * Which NHSmail address a Teams user is, and back: set when a notify call names the user's Entra object id, or when
 * the person proves the account in chat (address + password). First-login progress, reminders and the sync
 * follow-up find the person through it. Kept in the state store (namespaces `user_email`, `email_user`).
 */
export class UserLinks {
  private readonly byUser: Keyv<string>;
  private readonly byEmail: Keyv<string>;

  constructor(store: StateStore) {
    this.byUser = store.keyv<string>("user_email");
    this.byEmail = store.keyv<string>("email_user");
  }

  /** Links a Teams user (Entra object id, or the channel's user id) to a lower-case address, replacing older links. */
  async link(user: string, email: string): Promise<void> {
    const previous = await this.byEmail.get(email);
    if (previous && previous !== user) await this.byUser.delete(previous);
    await this.byUser.set(user, email);
    await this.byEmail.set(email, user);
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
