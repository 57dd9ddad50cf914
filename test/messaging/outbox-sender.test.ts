import assert from "node:assert/strict";
import fs from "node:fs";
import { OutboxSender } from "../../src/messaging/outbox-sender";
import { TempDir } from "../support/temp-dir";

describe("OutboxSender", function () {
  let dir: TempDir;
  let printed: string[];
  const at = new Date("2026-03-01T12:00:00.000Z");
  beforeEach(() => {
    dir = new TempDir();
    printed = [];
  });
  afterEach(() => dir.remove());

  const sender = (file: string): OutboxSender => new OutboxSender({ file, print: (line) => printed.push(line), now: () => at });

  it("appends one JSON line per message, exactly as DESIGN.md describes, creating the folder", async function () {
    const file = dir.file("var/nested/outbox.jsonl");
    const outbox = sender(file);
    await outbox.send({ channel: "sms", to: "+447700900118", text: "Your NHSmail verification code is 123456" });
    await outbox.send({ channel: "voice", to: "+447700900118", text: "Your code is 1 2 3 4 5 6" });
    const lines = fs.readFileSync(file, "utf8").split("\n");
    assert.equal(lines.pop(), "", "every line ends with a line break");
    assert.deepEqual(lines, [
      '{"channel":"sms","to":"+447700900118","text":"Your NHSmail verification code is 123456","at":"2026-03-01T12:00:00.000Z"}',
      '{"channel":"voice","to":"+447700900118","text":"Your code is 1 2 3 4 5 6","at":"2026-03-01T12:00:00.000Z"}',
    ]);
    assert.deepEqual(printed, [
      "[outbox] sms to +447700900118: Your NHSmail verification code is 123456",
      "[outbox] voice to +447700900118: Your code is 1 2 3 4 5 6",
    ]);
  });

  it("adds the subject of an email, and prints a multi-line text on one line", async function () {
    const file = dir.file("outbox.jsonl");
    await sender(file).send({ channel: "email", to: "jane.smith@nhs.net", subject: "Password changed", text: "Hello Jane,\n\nYour password was changed." });
    const [line] = fs.readFileSync(file, "utf8").trim().split("\n");
    assert.deepEqual(JSON.parse(line), {
      channel: "email",
      to: "jane.smith@nhs.net",
      text: "Hello Jane,\n\nYour password was changed.",
      at: "2026-03-01T12:00:00.000Z",
      subject: "Password changed",
    });
    assert.deepEqual(printed, ["[outbox] email to jane.smith@nhs.net (subject: Password changed): Hello Jane, Your password was changed."]);
  });

  it("keeps every line whole when many messages are sent at once, and appends to an existing file", async function () {
    const file = dir.file("outbox.jsonl");
    fs.writeFileSync(file, '{"channel":"sms","to":"+447700900001","text":"earlier","at":"2026-01-01T00:00:00.000Z"}\n');
    const outbox = new OutboxSender({ file, print: () => undefined });
    await Promise.all(
      Array.from({ length: 50 }, async (_, n) => outbox.send({ channel: "sms", to: "+447700900118", text: `message ${n} ${"x".repeat(500)}` })),
    );
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    assert.equal(lines.length, 51);
    const texts = lines.map((l) => (JSON.parse(l) as { text: string; at: string }).text);
    assert.equal(texts[0], "earlier");
    assert.equal(new Set(texts.slice(1).map((t) => t.split(" ")[1])).size, 50);
  });

  it("prints to the console by default", async function () {
    const original = console.log;
    const seen: unknown[] = [];
    console.log = (...args: unknown[]) => void seen.push(...args);
    try {
      await new OutboxSender({ file: dir.file("o.jsonl") }).send({ channel: "sms", to: "+447700900118", text: "hi" });
    } finally {
      console.log = original;
    }
    assert.deepEqual(seen, ["[outbox] sms to +447700900118: hi"]);
  });
});
