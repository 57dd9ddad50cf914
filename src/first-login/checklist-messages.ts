import type Keyv from "keyv";
import type { StateStore } from "../state";

/** Where the checklist card of an address was last posted, so it can be updated in place. */
export interface ChecklistMessage {
  activityId: string;
  conversationId: string;
}

/** The checklist card's activity per address (keyv namespace `first_login_card`). */
export class ChecklistMessages {
  private readonly keyv: Keyv<ChecklistMessage>;

  constructor(store: StateStore) {
    this.keyv = store.keyv<ChecklistMessage>("first_login_card");
  }

  async remember(email: string, message: ChecklistMessage): Promise<void> {
    await this.keyv.set(email, message);
  }

  async find(email: string): Promise<ChecklistMessage | undefined> {
    return (await this.keyv.get(email)) ?? undefined;
  }
}
