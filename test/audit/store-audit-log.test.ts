import assert from "node:assert/strict";
import type { AuditEvent } from "../../src/audit/audit-log";
import { StoreAuditLog } from "../../src/audit/store-audit-log";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";

describe("StoreAuditLog", function () {
  let dir: TempDir;
  let store: StateStore;
  let logged: Array<{ obj: object; msg: string }>;
  let clock: number;
  const logger = { info: (obj: object, msg: string) => void logged.push({ obj, msg }) };
  const open = (s: StateStore, limits: { globalLimit?: number; accountLimit?: number } = {}): StoreAuditLog =>
    new StoreAuditLog(s.storage, { logger, now: () => new Date(clock++ * 1000), ...limits });

  beforeEach(async () => {
    dir = new TempDir();
    store = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    logged = [];
    clock = Date.parse("2026-03-01T12:00:00Z") / 1000;
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it("lists events newest first, for everyone and per account, each with its time", async function () {
    const audit = open(store);
    await audit.record({ type: "reset.started", outcome: "info", email: "jane.smith@nhs.net", actor: "a1" });
    await audit.record({ type: "reset.started", outcome: "info", email: "amir.patel@nhs.net", actor: "a2" });
    await audit.record({ type: "reset.identity", outcome: "passed", email: "Jane.Smith@nhs.net", detail: "sms" });
    await audit.record({ type: "handoff.requested", outcome: "info" });
    const all = await audit.list();
    assert.deepEqual(all.map((e) => e.type), ["handoff.requested", "reset.identity", "reset.started", "reset.started"]);
    assert.deepEqual(all.map((e) => e.at), ["2026-03-01T12:00:03.000Z", "2026-03-01T12:00:02.000Z", "2026-03-01T12:00:01.000Z", "2026-03-01T12:00:00.000Z"]);
    const jane = await audit.list({ email: "JANE.SMITH@nhs.net" });
    assert.deepEqual(jane, [
      { type: "reset.identity", outcome: "passed", email: "jane.smith@nhs.net", detail: "sms", at: "2026-03-01T12:00:02.000Z" },
      { type: "reset.started", outcome: "info", email: "jane.smith@nhs.net", actor: "a1", at: "2026-03-01T12:00:00.000Z" },
    ]);
    assert.deepEqual((await audit.list({ limit: 1 })).map((e) => e.type), ["handoff.requested"]);
    assert.deepEqual(await audit.list({ email: "nobody@nhs.net" }), []);
  });

  it("logs each event as { audit: event }", async function () {
    await open(store).record({ type: "reset.completed", outcome: "passed", email: "jane.smith@nhs.net", at: "2026-02-01T10:00:00Z" });
    assert.deepEqual(logged, [
      { obj: { audit: { type: "reset.completed", outcome: "passed", email: "jane.smith@nhs.net", at: "2026-02-01T10:00:00.000Z" } }, msg: "audit" },
    ]);
  });

  it("caps detail at 100 characters and masks runs of digits (codes, phone numbers)", async function () {
    const audit = open(store);
    await audit.record({ type: "reset.identity", outcome: "failed", detail: "wrong-code 123456 from 07700 900118" });
    await audit.record({ type: "x", outcome: "info", detail: "y".repeat(250) });
    const [long, masked] = await audit.list();
    assert.equal(masked.detail, "wrong-code #### from ####");
    assert.equal(long.detail?.length, 100);
    assert.ok(!JSON.stringify(logged).includes("123456") && !JSON.stringify(logged).includes("900118"));
  });

  it("keeps only the newest events within the limits", async function () {
    const audit = open(store, { globalLimit: 5, accountLimit: 3 });
    for (let n = 0; n < 8; n++) await audit.record({ type: `step.${n}`, outcome: "info", email: "jane.smith@nhs.net" });
    assert.deepEqual((await audit.list()).map((e) => e.type), ["step.7", "step.6", "step.5", "step.4", "step.3"]);
    assert.deepEqual((await audit.list({ email: "jane.smith@nhs.net" })).map((e) => e.type), ["step.7", "step.6", "step.5"]);
  });

  it("keeps each event in a small item of its own, however long the list", async function () {
    const audit = open(store, { globalLimit: 50, accountLimit: 10 });
    for (let n = 0; n < 120; n++) await audit.record({ type: `step.${n}`, outcome: "info", email: "jane.smith@nhs.net", detail: "sms" });
    assert.deepEqual((await audit.list({ limit: 3 })).map((e) => e.type), ["step.119", "step.118", "step.117"]);
    assert.equal((await audit.list()).length, 50);
    assert.equal((await audit.list({ email: "jane.smith@nhs.net" })).length, 10);
    const keys = [...Array.from({ length: 50 }, (_, n) => `audit/all/${n}`), "audit/all/seq", "audit/all"];
    const items = await store.storage.read(keys);
    const sizes = Object.values(items).map((item) => JSON.stringify(item).length);
    assert.equal(sizes.length, 51, "50 slots and the counter, and no list item");
    assert.ok(Math.max(...sizes) < 300, `largest item ${Math.max(...sizes)} bytes`);
  });

  it("skips an event whose write did not complete, and lists the rest", async function () {
    const audit = open(store);
    await audit.record({ type: "first", outcome: "info" });
    // A number taken from the counter whose slot was never written (the process stopped in between).
    await store.storage.write({ "audit/all/seq": { next: 2, eTag: "*" } });
    await audit.record({ type: "third", outcome: "info" });
    assert.deepEqual((await audit.list()).map((e) => e.type), ["third", "first"]);
  });

  it("still lists the events an earlier version kept as one item, after the newer ones and within the limit", async function () {
    const old = (n: number): AuditEvent => ({ type: `old.${n}`, outcome: "info", email: "jane.smith@nhs.net", at: "2026-01-01T00:00:00.000Z" });
    await store.storage.write({
      "audit/all": { events: [old(2), old(1), old(0)], eTag: "*" },
      "audit/account/jane.smith@nhs.net": { events: [old(2), old(1), old(0)], eTag: "*" },
    });
    const audit = open(store, { globalLimit: 4, accountLimit: 3 });
    await audit.record({ type: "new.0", outcome: "info", email: "jane.smith@nhs.net" });
    await audit.record({ type: "new.1", outcome: "info", email: "jane.smith@nhs.net" });
    assert.deepEqual((await audit.list()).map((e) => e.type), ["new.1", "new.0", "old.2", "old.1"]);
    assert.deepEqual((await audit.list({ email: "jane.smith@nhs.net" })).map((e) => e.type), ["new.1", "new.0", "old.2"]);
    assert.deepEqual((await audit.list({ limit: 1 })).map((e) => e.type), ["new.1"]);
  });

  it("loses no event when several instances record at the same moment", async function () {
    const other = await openStateStore(`sqlite://${dir.file("state.sqlite")}`);
    try {
      const one = open(store);
      const two = open(other);
      const events: AuditEvent[] = Array.from({ length: 20 }, (_, n) => ({ type: `e.${n}`, outcome: "info", email: "jane.smith@nhs.net" }));
      await Promise.all(events.map(async (event, n) => (n % 2 === 0 ? one : two).record(event)));
      const kept = await one.list();
      assert.equal(kept.length, 20);
      assert.equal(new Set(kept.map((e) => e.type)).size, 20);
      assert.equal((await two.list({ email: "jane.smith@nhs.net" })).length, 20);
    } finally {
      await other.close();
    }
  });
});
