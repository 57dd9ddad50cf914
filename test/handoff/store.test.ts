import assert from "node:assert/strict";
import { StoreHandoffs } from "../../src/handoff";
import type { HandoffParty, HandoffRecord, HandoffStore } from "../../src/handoff";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";

const MINUTE = 60_000;
/** Tuesday 23 November 2027, 10am. */
const START = Date.parse("2027-11-23T10:00:00Z");
const at = (minutes: number): Date => new Date(START + minutes * MINUTE);

const person = (n: number): HandoffParty => ({ id: `29:person-${n}`, name: `Person ${n}` });
const agent = (n: number): HandoffParty => ({ id: `29:agent-${n}`, name: `Agent ${n}` });

/** A request from person n, made at `minutes` past the start. */
async function ask(handoffs: HandoffStore, n: number, minutes = 0): Promise<HandoffRecord> {
  return handoffs.create({
    user: person(n),
    userConversationId: `a:chat-${n}`,
    email: `person${n}@nhs.net`,
    trigger: "asked",
    transcript: [{ from: "user", text: "I'm locked out", at: at(minutes).toISOString() }],
    at: at(minutes),
  });
}

const backends: Array<{ name: string; url: (dir: TempDir) => string }> = [
  { name: "memory", url: () => "memory://" },
  { name: "sqlite", url: (dir) => `sqlite://${dir.file("state.sqlite")}` },
];

for (const backend of backends) {
  describe(`StoreHandoffs over ${backend.name}`, function () {
    let dir: TempDir;
    let store: StateStore;
    let handoffs: StoreHandoffs;

    beforeEach(async () => {
      dir = new TempDir();
      store = await openStateStore(backend.url(dir));
      handoffs = new StoreHandoffs(store, { averageMinutes: 5 });
    });
    afterEach(async () => {
      await store.close();
      dir.remove();
    });

    it("creates a waiting request and finds it by id, by person and by thread", async function () {
      const made = await ask(handoffs, 1);
      assert.equal(made.status, "waiting");
      assert.equal(made.createdAt, at(0).toISOString());
      assert.equal(made.email, "person1@nhs.net");
      assert.deepEqual(await handoffs.get(made.id), made);
      assert.deepEqual(await handoffs.openForUser("29:person-1"), made);
      assert.equal(await handoffs.openForUser("29:person-2"), undefined);
      assert.equal(await handoffs.get("no-such-id"), undefined);

      assert.equal(await handoffs.byThread("19:desk@thread.tacv2;messageid=1"), undefined);
      const posted = await handoffs.update(made.id, (r) => ({ ...r, requestActivityId: "1", threadId: "19:desk@thread.tacv2;messageid=1" }));
      assert.equal(posted?.threadId, "19:desk@thread.tacv2;messageid=1");
      assert.equal((await handoffs.byThread("19:desk@thread.tacv2;messageid=1"))?.id, made.id);
      assert.equal(await handoffs.byThread("19:desk@thread.tacv2;messageid=2"), undefined);
    });

    it("gives a person one open request: asking again, even at once, returns the same one", async function () {
      const first = await ask(handoffs, 1);
      assert.equal((await ask(handoffs, 1, 3)).id, first.id);
      await handoffs.close(first.id, "user", at(4));
      const [a, b, c] = await Promise.all([ask(handoffs, 1, 5), ask(handoffs, 1, 5), ask(handoffs, 1, 5)]);
      assert.notEqual(a.id, first.id);
      assert.deepEqual([b.id, c.id], [a.id, a.id]);
      assert.equal(await handoffs.position(a.id), 1);
      // The queue holds the open request once: a second person is second.
      assert.equal(await handoffs.position((await ask(handoffs, 2, 6)).id), 2);
    });

    it("keeps queue positions as requests come, are taken and are withdrawn", async function () {
      const [one, two, three] = [await ask(handoffs, 1, 0), await ask(handoffs, 2, 1), await ask(handoffs, 3, 2)];
      assert.deepEqual(await Promise.all([one, two, three].map(async (r) => handoffs.position(r.id))), [1, 2, 3]);
      assert.equal((await handoffs.take(one.id, agent(1), at(3))).ok, true);
      assert.deepEqual(await Promise.all([one, two, three].map(async (r) => handoffs.position(r.id))), [undefined, 1, 2]);
      await handoffs.close(two.id, "user", at(4));
      assert.deepEqual(await Promise.all([one, two, three].map(async (r) => handoffs.position(r.id))), [undefined, undefined, 1]);
      const four = await ask(handoffs, 4, 5);
      assert.equal(await handoffs.position(four.id), 2);
      await handoffs.close(three.id, "timeout", at(20));
      assert.equal(await handoffs.position(four.id), 1);
      assert.equal(await handoffs.position("no-such-id"), undefined);
    });

    it("lets one agent take a request; a second Take is refused with who has it", async function () {
      const made = await ask(handoffs, 1);
      const taken = await handoffs.take(made.id, agent(1), at(2));
      assert.ok(taken.ok);
      assert.equal(taken.record.status, "active");
      assert.deepEqual(taken.record.agent, agent(1));
      assert.equal(taken.record.takenAt, at(2).toISOString());
      const again = await handoffs.take(made.id, agent(2), at(3));
      assert.deepEqual(again, { ok: false, record: taken.record, reason: "taken" });
      assert.deepEqual(await handoffs.take("no-such-id", agent(2), at(3)), { ok: false, reason: "missing" });
      // Still the person's open request while active.
      assert.equal((await handoffs.openForUser("29:person-1"))?.status, "active");
    });

    it("refuses to take a closed request", async function () {
      const made = await ask(handoffs, 1);
      await handoffs.close(made.id, "timeout", at(15));
      const result = await handoffs.take(made.id, agent(1), at(16));
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason === "closed" && result.record?.status === "closed");
      assert.equal((await handoffs.get(made.id))?.agent, undefined);
    });

    it("closes once: closing again returns the closed request unchanged", async function () {
      const made = await ask(handoffs, 1);
      await handoffs.take(made.id, agent(1), at(1));
      const closed = await handoffs.close(made.id, "agent", at(9));
      assert.equal(closed?.status, "closed");
      assert.equal(closed?.closedBy, "agent");
      assert.equal(closed?.closedAt, at(9).toISOString());
      assert.deepEqual(await handoffs.close(made.id, "user", at(12)), closed);
      assert.deepEqual(await handoffs.get(made.id), closed);
      assert.equal(await handoffs.openForUser("29:person-1"), undefined);
      assert.equal(await handoffs.close("no-such-id", "user", at(12)), undefined);
    });

    it("applies every concurrent update and never stores a clear secret in the transcript", async function () {
      const made = await ask(handoffs, 1);
      const lines = ["hello", "my password is Harbour-Lantern-58", "code 123456", "still there?"];
      await Promise.all(
        lines.map(async (text) => handoffs.update(made.id, (r) => ({ ...r, transcript: [...r.transcript, { from: "user", text, at: at(1).toISOString() }] }))),
      );
      const texts = (await handoffs.get(made.id))?.transcript.map((line) => line.text) ?? [];
      assert.equal(texts.length, 5);
      assert.ok(texts.includes("my password is [removed]") && texts.includes("code [number removed]"));
      const raw = JSON.stringify(await store.storage.read([`handoff/${made.id}`]));
      assert.ok(!raw.includes("Harbour") && !raw.includes("123456"), raw);
      assert.equal(await handoffs.update("no-such-id", (r) => r), undefined);
    });

    it("estimates the wait from recent waits, else from the configured average", async function () {
      assert.deepEqual([await handoffs.estimateMinutes(1), await handoffs.estimateMinutes(3)], [5, 15]);
      // Waits of 2 and 5 minutes: 3.5 on average.
      const one = await ask(handoffs, 1, 0);
      const two = await ask(handoffs, 2, 0);
      await handoffs.take(one.id, agent(1), at(2));
      await handoffs.take(two.id, agent(2), at(5));
      assert.deepEqual([await handoffs.estimateMinutes(1), await handoffs.estimateMinutes(2), await handoffs.estimateMinutes(3)], [4, 7, 11]);
      // Quick takes still promise at least a minute.
      const quickStore = await openStateStore("memory://");
      const quick = new StoreHandoffs(quickStore, { averageMinutes: 5 });
      const fast = await ask(quick, 3, 0);
      await quick.take(fast.id, agent(1), new Date(START + 1000));
      assert.equal(await quick.estimateMinutes(1), 1);
      await quickStore.close();
    });

    it("bases the estimate on the last 20 waits only", async function () {
      for (let n = 0; n < 25; n++) {
        const made = await ask(handoffs, n, 0);
        // Five old waits of an hour, then twenty of 2 minutes.
        await handoffs.take(made.id, agent(1), at(n < 5 ? 60 : 2));
      }
      assert.equal(await handoffs.estimateMinutes(1), 2);
    });
  });
}

describe("StoreHandoffs shared by two instances over one SQLite file", function () {
  let dir: TempDir;
  let stores: StateStore[];

  beforeEach(async () => {
    dir = new TempDir();
    const url = `sqlite://${dir.file("state.sqlite")}`;
    stores = [await openStateStore(url), await openStateStore(url)];
  });
  afterEach(async () => {
    await Promise.all(stores.map(async (s) => s.close()));
    dir.remove();
  });

  it("lets exactly one of ten agents pressing Take at once win", async function () {
    const [a, b] = stores.map((s) => new StoreHandoffs(s, { averageMinutes: 5 }));
    const made = await ask(a, 1);
    const results = await Promise.all(Array.from({ length: 10 }, async (_, n) => (n % 2 === 0 ? a : b).take(made.id, agent(n), at(1))));
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    const winner = winners[0].record.agent;
    for (const loser of results.filter((r) => !r.ok)) {
      assert.ok(!loser.ok && loser.reason === "taken");
      assert.deepEqual(loser.record?.agent, winner);
    }
    assert.deepEqual((await b.get(made.id))?.agent, winner);
    assert.equal(await a.position(made.id), undefined);
  });

  it("sees the other instance's requests and queue", async function () {
    const [a, b] = stores.map((s) => new StoreHandoffs(s, { averageMinutes: 5 }));
    const one = await ask(a, 1);
    const two = await ask(b, 2, 1);
    assert.equal((await ask(b, 1, 2)).id, one.id);
    assert.deepEqual([await b.position(one.id), await a.position(two.id)], [1, 2]);
  });

  it("keeps requests, the queue, threads and waits when the store is reopened", async function () {
    const url = `sqlite://${dir.file("state.sqlite")}`;
    const before = new StoreHandoffs(stores[0], { averageMinutes: 5 });
    const taken = await ask(before, 1, 0);
    await before.take(taken.id, agent(1), at(8));
    await before.update(taken.id, (r) => ({ ...r, threadId: "19:desk@thread.tacv2;messageid=7" }));
    const waiting = await ask(before, 2, 1);
    await Promise.all(stores.splice(0).map(async (s) => s.close()));

    stores.push(await openStateStore(url));
    const after = new StoreHandoffs(stores[0], { averageMinutes: 5 });
    assert.equal((await after.openForUser("29:person-1"))?.status, "active");
    assert.equal((await after.byThread("19:desk@thread.tacv2;messageid=7"))?.id, taken.id);
    assert.equal(await after.position(waiting.id), 1);
    assert.equal(await after.estimateMinutes(1), 8);
    assert.equal((await after.take(waiting.id, agent(2), at(9))).ok, true);
  });
});
