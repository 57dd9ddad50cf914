import assert from "node:assert/strict";
import { readInboundActivity } from "../../src/http/inbound-activity";

const base = (): Record<string, unknown> => ({
  type: "message",
  id: "a-1",
  channelId: "msteams",
  serviceUrl: "https://smba.trafficmanager.net/uk/",
  from: { id: "u-1", name: "Jane" },
  recipient: { id: "bot" },
  conversation: { id: "c-1", conversationType: "personal" },
  text: "hello",
  timestamp: "2026-12-01T09:00:00.000Z",
});

describe("reading an inbound activity", () => {
  it("gives the SDK the activity as it expects it: times as Dates, other fields as sent", () => {
    const read = readInboundActivity({ ...base(), channelData: { tenant: { id: "t" } }, value: { verb: "x" }, extra: [1] });
    assert.ok(read.ok);
    assert.ok(read.activity.timestamp instanceof Date);
    assert.equal(read.activity.timestamp.toISOString(), "2026-12-01T09:00:00.000Z");
    assert.deepEqual(read.activity.channelData, { tenant: { id: "t" } });
    assert.deepEqual(read.activity.value, { verb: "x" });
    assert.deepEqual((read.activity as unknown as { extra: unknown }).extra, [1], "a field the schema does not name passes through");
  });

  it("reads a null a channel sends for one of its fields as undefined, and leaves absent fields absent", () => {
    const read = readInboundActivity({ ...base(), replyToId: null, locale: null, timestamp: null, from: { id: "u-1", name: null }, conversation: { id: "c-1", tenantId: null }, value: null });
    assert.ok(read.ok);
    for (const field of ["replyToId", "locale", "timestamp"] as const) {
      assert.ok(field in read.activity, `${field} kept as a key`);
      assert.equal(read.activity[field], undefined, field);
    }
    assert.equal(read.activity.from.name, undefined);
    assert.equal(read.activity.conversation.tenantId, undefined);
    assert.equal(read.activity.value, null, "value is the channel's own: passed on as it came");
    assert.ok(!("expiration" in read.activity), "a field not sent is not added");
    assert.ok(!("aadObjectId" in read.activity.from));
  });

  it("refuses a wrong field by naming it, never its value", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base(), serviceUrl: "file:///etc/passwd" }, "serviceUrl"],
      [{ ...base(), serviceUrl: "not a url" }, "serviceUrl"],
      [{ ...base(), timestamp: "yesterday-ish" }, "timestamp"],
      [{ ...base(), from: { name: "no id" } }, "from.id"],
      [{ ...base(), channelData: "text" }, "channelData"],
      [{ ...base(), text: "\uD800 alone" }, "text"],
      [{ ...base(), membersAdded: [{ id: 5 }] }, "membersAdded.id"],
    ];
    for (const [body, field] of cases) assert.deepEqual(readInboundActivity(body), { ok: false, field }, field);
  });
});
