import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { StoreItem } from "botbuilder";
import { StaleStateError } from "../../src/state";
import type { StateStore } from "../../src/state";
import { describeClaimContract } from "./claim-contract";

/** What a backend can show beyond the common contract. */
export interface ContractCapabilities {
  /** Two opens reach the same data (SQLite file, Redis): enables the two-instance race and reopen tests. */
  readonly shared: boolean;
}

/** A botbuilder-style key: long, with the separators and characters real ids carry. */
export function conversationKey(): string {
  const id = `a:1b2c${randomUUID()}`.repeat(12);
  return `msteams/28:bot-id/conversations/${id};messageid=1|é雪🙂 '"%_*?[]\\/${randomUUID()}`;
}

/** The eTag a store holds for `key`, failing the test when there is none. */
export async function eTagOf(store: StateStore, key: string): Promise<string> {
  const items = await store.storage.read([key]);
  const eTag = (items[key] as StoreItem | undefined)?.eTag;
  assert.ok(typeof eTag === "string" && eTag.length > 0, "stored item has an eTag");
  return eTag;
}

/**
 * The contract every state backend meets, as one suite (the way keyv's own test-suite runs one set of tests
 * over every adapter). `open` must return a new store each call; stores are closed by the suite.
 */
export function describeStorageContract(
  name: string,
  open: () => Promise<StateStore>,
  capabilities: ContractCapabilities,
): void {
  describe(`${name} storage contract`, function () {
    let store: StateStore;
    const opened: StateStore[] = [];
    const openTracked = async (): Promise<StateStore> => {
      const next = await open();
      opened.push(next);
      return next;
    };

    beforeEach(async function () {
      store = await openTracked();
    });
    afterEach(async function () {
      await Promise.all(opened.splice(0).map(async (each) => each.close()));
    });

    it("reads nothing for keys never written", async function () {
      assert.deepEqual(await store.storage.read([conversationKey(), conversationKey()]), {});
      assert.deepEqual(await store.storage.read([]), {});
    });

    it("round-trips items, long keys included, without changing the caller's object", async function () {
      const [a, b] = [conversationKey(), conversationKey()];
      const item = { dialogState: { stack: [{ id: "reset", state: { step: 2 } }] }, note: ":colon", n: 1.5 };
      await store.storage.write({ [a]: item, [b]: { plain: true } });
      const items = await store.storage.read([a, b, conversationKey()]);
      assert.deepEqual(Object.keys(items).sort(), [a, b].sort());
      const { eTag, ...rest } = items[a] as StoreItem;
      assert.deepEqual(rest, item);
      assert.equal(typeof eTag, "string");
      assert.equal("eTag" in item, false);
    });

    it("deletes items, ignoring keys that are not there", async function () {
      const [a, b] = [conversationKey(), conversationKey()];
      await store.storage.write({ [a]: { v: 1 }, [b]: { v: 2 } });
      await store.storage.delete([a, conversationKey()]);
      assert.deepEqual(Object.keys(await store.storage.read([a, b])), [b]);
    });

    it("stores a new eTag on every write", async function () {
      const key = conversationKey();
      const seen = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const eTag = i === 0 ? undefined : await eTagOf(store, key);
        await store.storage.write({ [key]: { i, eTag } });
        seen.add(await eTagOf(store, key));
      }
      assert.equal(seen.size, 5);
    });

    it("refuses a stale write with StaleStateError naming the key, not the value", async function () {
      const key = conversationKey();
      await store.storage.write({ [key]: { v: 1 } });
      const stale = await eTagOf(store, key);
      await store.storage.write({ [key]: { v: 2, eTag: stale } });
      await assert.rejects(store.storage.write({ [key]: { secret: "s3cr3t-marker", eTag: stale } }), (error) => {
        assert.ok(error instanceof StaleStateError);
        assert.equal(error.key, key);
        assert.ok(error.message.includes(key) && error.message.includes("eTag conflict"));
        assert.ok(!error.message.includes("s3cr3t-marker"));
        return true;
      });
      assert.equal(((await store.storage.read([key]))[key] as StoreItem).v, 2);
    });

    it('overwrites unconditionally with eTag "*" or no eTag', async function () {
      const key = conversationKey();
      await store.storage.write({ [key]: { v: 1 } });
      await store.storage.write({ [key]: { v: 2, eTag: "*" } });
      await store.storage.write({ [key]: { v: 3 } });
      assert.equal(((await store.storage.read([key]))[key] as StoreItem).v, 3);
    });

    it("writes an item with an eTag when nothing is stored (as MemoryStorage does)", async function () {
      const key = conversationKey();
      await store.storage.write({ [key]: { v: 1, eTag: "from-elsewhere" } });
      assert.notEqual(await eTagOf(store, key), "from-elsewhere");
    });

    it("still writes the other keys when one key is stale, then throws", async function () {
      const [stale, fresh] = [conversationKey(), conversationKey()];
      await store.storage.write({ [stale]: { v: 1 } });
      const old = await eTagOf(store, stale);
      await store.storage.write({ [stale]: { v: 2 } });
      await assert.rejects(store.storage.write({ [stale]: { v: 3, eTag: old }, [fresh]: { v: 1 } }), StaleStateError);
      assert.equal(((await store.storage.read([fresh]))[fresh] as StoreItem).v, 1);
    });

    it(`lets exactly one of two racing writers with the same eTag win, 50 times${capabilities.shared ? " (two instances)" : ""}`, async function () {
      const other = capabilities.shared ? await openTracked() : store;
      const key = conversationKey();
      await store.storage.write({ [key]: { winner: "none" } });
      for (let round = 0; round < 50; round += 1) {
        const eTag = await eTagOf(store, key);
        const results = await Promise.allSettled([
          store.storage.write({ [key]: { winner: `a${round}`, eTag } }),
          other.storage.write({ [key]: { winner: `b${round}`, eTag } }),
        ]);
        const won = results.flatMap((result, index) => (result.status === "fulfilled" ? [index] : []));
        assert.equal(won.length, 1, `round ${round}: exactly one writer wins`);
        const lost = results[1 - (won[0] ?? 0)];
        assert.ok(lost?.status === "rejected" && lost.reason instanceof StaleStateError);
        const stored = (await other.storage.read([key]))[key] as StoreItem;
        assert.equal(stored.winner, `${won[0] === 0 ? "a" : "b"}${round}`);
      }
    });

    it("isolates keyv namespaces from each other and from bot state", async function () {
      const key = conversationKey();
      const alpha = store.keyv<{ n: number }>("alpha");
      assert.equal(store.keyv("alpha"), alpha);
      await alpha.set(key, { n: 1 });
      await store.keyv("beta").set(key, "beta's");
      await store.storage.write({ [key]: { v: "state" } });
      assert.deepEqual(await alpha.get(key), { n: 1 });
      await store.keyv("beta").clear();
      assert.equal(await store.keyv("beta").get(key), undefined);
      assert.deepEqual(await alpha.get(key), { n: 1 });
      assert.equal(((await store.storage.read([key]))[key] as StoreItem).v, "state");
    });

    it("refuses namespace names that are invalid or reserved", function () {
      for (const bad of ["Alpha", "1st", "a-b", "", "botstate", "x".repeat(41)]) {
        assert.throws(() => store.keyv(bad), Error, bad);
      }
    });

    it("answers ping", async function () {
      await store.ping();
    });

    it("closes idempotently and refuses keyv() afterwards", async function () {
      await store.close();
      await store.close();
      assert.throws(() => store.keyv("alpha"), /closed/);
    });

    if (capabilities.shared) {
      it("keeps state and eTags across close and reopen", async function () {
        const key = conversationKey();
        await store.storage.write({ [key]: { v: "kept" } });
        await store.keyv("jobs").set(key, [1, 2, 3]);
        const eTag = await eTagOf(store, key);
        await store.close();
        const reopened = await openTracked();
        assert.equal(await eTagOf(reopened, key), eTag);
        assert.equal(((await reopened.storage.read([key]))[key] as StoreItem).v, "kept");
        assert.deepEqual(await reopened.keyv("jobs").get(key), [1, 2, 3]);
      });
    }

    describeClaimContract(name, () => store, async () => (capabilities.shared ? openTracked() : store));
  });
}
