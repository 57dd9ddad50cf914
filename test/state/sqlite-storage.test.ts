import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KeyvSqlite } from "@keyv/sqlite";
import { openStateStore } from "../../src/state";
import { conversationKey, describeStorageContract } from "./storage-contract";

const folder = mkdtempSync(path.join(tmpdir(), "state-sqlite-"));
const file = path.join(folder, "nested", "state.sqlite");
after(function () {
  rmSync(folder, { recursive: true, force: true });
});

describeStorageContract("SQLite", async () => openStateStore(`sqlite://${file}`), { shared: true });

describe("SQLite state file", function () {
  it("creates the folder and stores plain JSON of the item and its eTag, nothing more", async function () {
    const store = await openStateStore(`sqlite://${file}`);
    const key = conversationKey();
    try {
      await store.storage.write({ [key]: { step: "verify" } });
      const eTag = (await store.storage.read([key]))[key] as { eTag: string };
      const raw = new KeyvSqlite({ uri: `sqlite://${file}`, table: "keyv_botstate" });
      const rows: unknown = await raw.query("SELECT value FROM keyv_botstate WHERE key = ?", key);
      await raw.close();
      assert.deepEqual(rows, [{ value: JSON.stringify({ value: { step: "verify", eTag: eTag.eTag } }) }]);
    } finally {
      await store.close();
    }
  });

  it("fails to open, clearly, when the file cannot be created", async function () {
    const plainFile = path.join(folder, "plain-file");
    writeFileSync(plainFile, "");
    await assert.rejects(openStateStore(`sqlite://${plainFile}/x.sqlite`), /Cannot open the SQLite state file/);
  });
});
