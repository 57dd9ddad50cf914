import assert from "node:assert/strict";
import { TurnState } from "@microsoft/teams-ai";
import { TestAdapter, TurnContext } from "botbuilder";
import type { Activity } from "botbuilder";
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import { openStateStore } from "../src/state";
import { bindTurnState, ConversationTurnState, DialogStateAccessor, hasActiveDialog } from "../src/turn-state";
import type { HelpdeskConversationState, HelpdeskTurnState } from "../src/turn-state";

const activity = (text: string): Partial<Activity> => ({
  type: "message",
  text,
  channelId: "msteams",
  from: { id: "user-1", name: "Sam" },
  recipient: { id: "bot", name: "bot" },
  conversation: { id: "conversation-1", isGroup: false, conversationType: "personal", name: "" },
});

describe("DialogStateAccessor over the teams-ai turn state", () => {
  it("keeps a waterfall's place in the conversation scope, saved and loaded with the turn state", async () => {
    const store = await openStateStore("memory://");
    const dialogs = new DialogSet(new DialogStateAccessor());
    dialogs.add(new TextPrompt("name"));
    dialogs.add(
      new WaterfallDialog("ask", [
        (step) => step.prompt("name", "Your name?"),
        async (step) => {
          await step.context.sendActivity(`Thanks ${String(step.result)}`);
          return step.endDialog();
        },
      ]),
    );
    const adapter = new TestAdapter();
    const states: HelpdeskTurnState[] = [];
    const turn = async (text: string): Promise<string[]> => {
      const sent: string[] = [];
      const context = new TurnContext(adapter, activity(text));
      context.onSendActivities(async (_ctx, activities) => {
        sent.push(...activities.map((a) => a.text ?? ""));
        return Promise.resolve(activities.map(() => ({ id: "x" })));
      });
      const state = new TurnState<HelpdeskConversationState>();
      await state.load(context, store.storage);
      bindTurnState(context, state);
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog("ask");
      await state.save(context, store.storage);
      states.push(state);
      return sent;
    };

    assert.deepEqual(await turn("hi"), ["Your name?"]);
    assert.ok(hasActiveDialog(states[0]));
    const saved = await store.storage.read(["msteams/bot/conversations/conversation-1"]);
    assert.equal((saved["msteams/bot/conversations/conversation-1"] as HelpdeskConversationState).dialogState?.dialogStack[0].id, "ask");
    assert.deepEqual(await turn("Sam"), ["Thanks Sam"]);
    assert.ok(!hasActiveDialog(states[1]));
    await store.close();
  });

  it("refuses to run without a bound turn state rather than losing the dialog", async () => {
    const context = new TurnContext(new TestAdapter(), activity("hi"));
    await assert.rejects(async () => new DialogStateAccessor().get(context), /No turn state is bound/);
  });
});

describe("ConversationTurnState", () => {
  it("reads and writes only the conversation's item: nothing per user is ever loaded or stored", async () => {
    const store = await openStateStore("memory://");
    const reads: string[][] = [];
    const writes: string[][] = [];
    const storage = {
      read: (keys: string[]) => (reads.push(keys), store.storage.read(keys)),
      write: (changes: Record<string, unknown>) => (writes.push(Object.keys(changes)), store.storage.write(changes)),
      delete: (keys: string[]) => store.storage.delete(keys),
    };
    await store.storage.write({ "msteams/bot/users/user-1": { planted: true } });
    const context = new TurnContext(new TestAdapter(), activity("hello"));
    const state = new ConversationTurnState();
    await state.load(context, storage);
    assert.deepEqual(state.user, {}, "a stored user item is not read");
    state.user.note = "kept only for this turn";
    state.conversation.journeyOwner = "someone";
    await state.save(context, storage);
    assert.deepEqual(reads, [["msteams/bot/conversations/conversation-1"]]);
    assert.deepEqual(writes, [["msteams/bot/conversations/conversation-1"]]);
    assert.throws(() => (state.user = {}), /nothing per user/);
    await store.close();
  });
});
