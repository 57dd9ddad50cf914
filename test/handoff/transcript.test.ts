import assert from "node:assert/strict";
import { KeyvSqlite } from "@keyv/sqlite";
import { TranscriptRecorder } from "../../src/handoff";
import { openStateStore } from "../../src/state";
import type { StateStore } from "../../src/state";
import { TempDir } from "../support/temp-dir";

const DAY_MS = 24 * 60 * 60 * 1000;
const CHAT = "a:chat-jane";
/** Tuesday 23 November 2027, 10am. */
const START = Date.parse("2027-11-23T10:00:00Z");

describe("TranscriptRecorder", function () {
  let dir: TempDir;
  let file: string;
  let store: StateStore;
  let raw: KeyvSqlite;
  let clock: number;
  let transcripts: TranscriptRecorder;

  /** The row as stored in the SQLite file: keyv's JSON envelope with the value and its expiry. */
  const storedRow = async (): Promise<string | undefined> => {
    const rows = (await raw.query("SELECT value FROM keyv_transcripts WHERE key = ?", CHAT)) as Array<{ value: string }>;
    return rows[0]?.value;
  };

  beforeEach(async () => {
    dir = new TempDir();
    file = dir.file("state.sqlite");
    store = await openStateStore(`sqlite://${file}`);
    raw = new KeyvSqlite({ uri: `sqlite://${file}`, table: "keyv_transcripts" });
    clock = START;
    transcripts = new TranscriptRecorder(store, { now: () => new Date(clock++) });
  });
  afterEach(async () => {
    await raw.close();
    await store.close();
    dir.remove();
  });

  it("keeps the latest 20 lines of each conversation, oldest first", async function () {
    for (let n = 1; n <= 25; n++) await transcripts.record(CHAT, { from: n % 2 === 0 ? "bot" : "user", text: `line ${n}` });
    await transcripts.record("a:chat-amir", { from: "user", text: "hello" });
    const lines = await transcripts.read(CHAT);
    assert.deepEqual(
      lines.map((line) => line.text),
      Array.from({ length: 20 }, (_, i) => `line ${i + 6}`),
    );
    assert.deepEqual(lines[0], { from: "bot", text: "line 6", at: new Date(START + 5).toISOString() });
    assert.deepEqual(await transcripts.read("a:chat-amir"), [{ from: "user", text: "hello", at: new Date(START + 25).toISOString() }]);
    assert.deepEqual(await transcripts.read("a:nobody"), []);
  });

  it("keeps every line recorded at once", async function () {
    await Promise.all(Array.from({ length: 10 }, async (_, n) => transcripts.record(CHAT, { from: "user", text: `line ${n}`, at: new Date(START).toISOString() })));
    assert.deepEqual(
      (await transcripts.read(CHAT)).map((line) => line.text).sort(),
      Array.from({ length: 10 }, (_, n) => `line ${n}`),
    );
  });

  it("stores only redacted text: no password, code, secret or phone number reaches the file", async function () {
    const typed = [
      "my password is Harbour-Lantern-58",
      "P@ssw0rd!",
      "the code is 482913",
      "482913",
      "my secret is Otter Kettle",
      "my mobile is 07700 900118",
      "it's jane.smith@nhs.net",
    ];
    for (const text of typed) await transcripts.record(CHAT, { from: "user", text });
    assert.deepEqual(
      (await transcripts.read(CHAT)).map((line) => line.text),
      ["my password is [removed]", "[removed]", "the code is [removed]", "[number removed]", "my secret is [removed]", "my mobile is *****18", "it's j***.s***@nhs.net"],
    );
    const row = (await storedRow()) ?? "";
    for (const secret of ["Harbour", "Lantern", "P@ssw0rd", "482913", "Otter", "Kettle", "900118", "jane.smith"]) {
      assert.ok(!row.includes(secret), `${secret} is in the stored row`);
    }
    assert.ok(row.includes("*****18"));
  });

  it("expires a transcript a day after its latest line", async function () {
    const before = Date.now();
    await transcripts.record(CHAT, { from: "user", text: "I'm locked out" });
    const after = Date.now();
    const { expires } = JSON.parse((await storedRow()) ?? "{}") as { expires?: number };
    assert.ok(expires !== undefined && expires >= before + DAY_MS && expires <= after + DAY_MS, String(expires));
    // A day later: the entry's expiry has passed.
    await raw.query("UPDATE keyv_transcripts SET value = json_set(value, '$.expires', ?) WHERE key = ?", Date.now() - 1, CHAT);
    assert.deepEqual(await transcripts.read(CHAT), []);
  });

  it("forgets a conversation on clear", async function () {
    await transcripts.record(CHAT, { from: "user", text: "hello" });
    await transcripts.clear(CHAT);
    assert.deepEqual(await transcripts.read(CHAT), []);
    assert.equal(await storedRow(), undefined);
  });
});
