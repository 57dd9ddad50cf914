import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createClient } from "@keyv/redis";
import { openStateStore } from "../../src/state";
import { conversationKey, describeStorageContract } from "./storage-contract";
import { announceRedisSkip } from "../support/redis-skip";

const redisUrl = process.env.REDIS_URL ?? "";

if (redisUrl === "") {
  before(announceRedisSkip);
} else {
  // Every key this run writes starts with its own prefix; cleanup removes those keys and no others.
  const prefix = `test_${randomBytes(6).toString("hex")}_`;
  const open = async () => openStateStore(redisUrl, { namespacePrefix: prefix });
  const client = createClient({ url: redisUrl });
  const keysMatching = async (pattern: string): Promise<string[]> => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const page = await client.scan(cursor, { MATCH: pattern, COUNT: 500 });
      cursor = page.cursor;
      found.push(...page.keys);
    } while (cursor !== "0");
    return found;
  };

  // Root-level hooks, so the cleanup runs even when --grep selects only some of these tests.
  before(async function () {
    await client.connect();
  });
  after(async function () {
    const ours = await keysMatching(`${prefix}*`);
    if (ours.length > 0) await client.unlink(ours);
    assert.deepEqual(await keysMatching(`${prefix}*`), [], "this run's keys are gone");
    await client.close();
  });

  describeStorageContract("Redis", open, { shared: true });

  describe("Redis keys", function () {
    it("keeps bot state as plain JSON under <prefix>botstate::<key>", async function () {
      const store = await open();
      const key = conversationKey();
      try {
        await store.storage.write({ [key]: { step: "verify" } });
        const { eTag } = (await store.storage.read([key]))[key] as { eTag: string };
        const raw = await client.get(`${prefix}botstate::${key}`);
        assert.equal(raw, JSON.stringify({ value: { step: "verify", eTag } }));
      } finally {
        await store.close();
      }
    });

    it("keeps a claim as a keyv entry under <prefix><namespace>::<key> that Redis expires", async function () {
      const store = await open();
      const key = conversationKey();
      try {
        const before = Date.now();
        assert.equal(await store.claim("activities", key, 60_000), true);
        const text = (await client.get(`${prefix}activities::${key}`)) ?? "null";
        const raw = JSON.parse(text) as { value: unknown; expires: number };
        assert.equal(raw.value, true);
        assert.ok(raw.expires >= before + 60_000 && raw.expires <= Date.now() + 60_000);
        const ttl = await client.pTTL(`${prefix}activities::${key}`);
        assert.ok(ttl > 0 && ttl <= 60_000, `PTTL ${ttl}`);
      } finally {
        await store.close();
      }
    });

    it("opens as many namespaces as the bot uses on one client without a listener-leak warning", async function () {
      const store = await open();
      const warnings: string[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning.name);
      process.on("warning", onWarning);
      try {
        for (let i = 0; i < 20; i++) await store.keyv(`namespace_${i}`).get("nothing");
        // Warnings are emitted on the next tick.
        await new Promise<void>((resolve) => setImmediate(resolve));
        assert.deepEqual(warnings.filter((name) => name === "MaxListenersExceededWarning"), []);
      } finally {
        process.off("warning", onWarning);
        await store.close();
      }
    });

    it("hands native() the store's client with the prefix <prefix><namespace>::", async function () {
      const store = await open();
      try {
        const access = store.native("counters");
        assert.ok(access.kind === "redis");
        assert.equal(access.keyPrefix, `${prefix}counters::`);
        await access.client.set(`${access.keyPrefix}k`, "1");
        assert.equal(await client.get(`${prefix}counters::k`), "1");
      } finally {
        await store.close();
      }
    });
  });
}
