import assert from "node:assert/strict";
import { Conversations, DEFAULT_LIMITS } from "../../src/webchat/direct-line/conversations";
import type { ActivitySet, DirectLineLimits } from "../../src/webchat/direct-line/conversations";
import { DirectLineTokens, TOKEN_SECONDS, newGrant } from "../../src/webchat/direct-line/tokens";

describe("local Direct Line: tokens", () => {
  let now = Date.parse("2026-03-02T09:00:00Z");
  const tokens = new DirectLineTokens(() => new Date(now));

  it("binds a token to its conversation and user, for 30 minutes", () => {
    const grant = newGrant();
    assert.match(grant.userId, /^dl_[0-9a-f]{32}$/);
    const { token, expiresIn } = tokens.issue(grant);
    assert.equal(expiresIn, 30 * 60);
    assert.deepEqual(tokens.verify(token), { ok: true, grant });
    assert.deepEqual(tokens.verifyAuthorization(`Bearer ${token}`), { ok: true, grant });
    now += (TOKEN_SECONDS - 1) * 1000;
    assert.equal(tokens.verify(token).ok, true);
    now += 2000;
    assert.deepEqual(tokens.verify(token), { ok: false, status: 403, reason: "expired" });
  });

  it("refuses another process's tokens, a stream token as a bearer token, and junk", () => {
    const grant = newGrant();
    const other = new DirectLineTokens(() => new Date(now));
    assert.deepEqual(tokens.verify(other.issue(grant).token), { ok: false, status: 401, reason: "invalid" });
    assert.equal(tokens.verify(tokens.issue(grant, "stream").token).ok, false);
    assert.equal(tokens.verify(tokens.issue(grant).token, "stream").ok, false);
    assert.equal(tokens.verify(tokens.issue(grant, "stream").token, "stream").ok, true);
    for (const header of [undefined, "", "Bearer", "Basic abc", `Bearer ${"a".repeat(5000)}`, "Bearer a.b.c"]) {
      assert.equal(tokens.verifyAuthorization(header).ok, false, String(header).slice(0, 20));
    }
  });
});

describe("local Direct Line: conversations in memory", () => {
  const limits: DirectLineLimits = { ...DEFAULT_LIMITS, activitiesPerConversation: 3, conversations: 2, bytesPerConversation: 2000, totalBytes: 3000 };
  const added: Array<{ conversationId: string; set: ActivitySet }> = [];
  const ended: string[] = [];
  const events = { added: (conversationId: string, set: ActivitySet) => added.push({ conversationId, set }), ended: (id: string) => ended.push(id) };

  it("numbers activities as Direct Line does and answers from a watermark", () => {
    const conversations = new Conversations(limits, events);
    const grant = newGrant();
    assert.equal(conversations.start(grant).created, true);
    assert.equal(conversations.start(grant).created, false);
    const first = conversations.add(grant.conversationId, { type: "message", text: "one" });
    const second = conversations.add(grant.conversationId, { type: "message", text: "two" });
    assert.equal(first?.id, `${grant.conversationId}|0000000`);
    assert.equal(second?.id, `${grant.conversationId}|0000001`);
    const conversation = conversations.get(grant.conversationId);
    assert.ok(conversation);
    assert.deepEqual(conversation.after(undefined).watermark, "1");
    assert.deepEqual(conversation.after(0).activities.map((a) => a.text), ["two"]);
    assert.deepEqual(conversation.after(1), { activities: [], watermark: "1" });
    assert.deepEqual(added.at(-1), { conversationId: grant.conversationId, set: { activities: [second], watermark: "1" } });
    assert.equal(conversations.add("no-such-conversation", { type: "message" }), undefined);

    const typing = conversations.add(grant.conversationId, { type: "typing" });
    assert.deepEqual(added.at(-1)?.set, { activities: [typing] }, "streamed, with no watermark");
    assert.deepEqual(conversation.after(1).activities, [], "never kept");
  });

  it("keeps the last activities of a conversation, and moves a replaced one to the end under its id", () => {
    const conversations = new Conversations(limits, events);
    const grant = newGrant();
    const { conversation } = conversations.start(grant);
    for (const text of ["a", "b", "c", "d"]) conversations.add(grant.conversationId, { type: "message", text });
    assert.deepEqual(conversation.after(undefined).activities.map((a) => a.text), ["b", "c", "d"]);
    const b = conversation.after(undefined).activities[0];
    assert.ok(b);
    const replaced = conversations.replace(grant.conversationId, b.id, { type: "message", text: "B" });
    assert.equal(replaced?.id, b.id);
    assert.deepEqual(conversation.after(undefined).activities.map((a) => a.text), ["c", "d", "B"]);
    assert.deepEqual(conversation.after(3).activities.map((a) => a.text), ["B"], "a client past the old place gets it again");
    assert.equal(conversations.replace(grant.conversationId, `${grant.conversationId}|0000000`, { type: "message" }), undefined, "evicted: not kept");
    conversations.add(grant.conversationId, { type: "message", text: "x".repeat(1500) });
    assert.ok(conversation.bytes <= limits.bytesPerConversation);
  });

  it("drops the conversation idle longest when there are too many or they hold too much", () => {
    const conversations = new Conversations(limits, events);
    const [a, b, c] = [newGrant(), newGrant(), newGrant()];
    conversations.start(a);
    conversations.start(b);
    conversations.start(a); // a is used again: b is now the one idle longest
    conversations.start(c);
    assert.equal(conversations.size, 2);
    assert.equal(conversations.get(b.conversationId), undefined);
    assert.ok(ended.includes(b.conversationId));
    conversations.add(a.conversationId, { type: "message", text: "x".repeat(1800) });
    conversations.add(c.conversationId, { type: "message", text: "x".repeat(1800) });
    assert.equal(conversations.get(a.conversationId), undefined, "over the total: the idle one goes");
    assert.ok(conversations.get(c.conversationId));
  });
});
