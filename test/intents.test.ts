import assert from "node:assert/strict";
import { MAX_TEXT_CHARS, matchIntent } from "../src/intents";
import type { Intent } from "../src/intents";

const table: Array<[string, Intent | undefined]> = [
  ["I forgot my password", "reset"],
  ["reset my password", "reset"],
  ["I'm locked out", "reset"],
  ["my password has expired", "reset"],
  ["I can't log in", "reset"],
  ["I'm a new user", "firstLogin"],
  ["first time login help", "firstLogin"],
  ["what do I do with my temporary password", "firstLogin"],
  ["talk to a person", "handoff"],
  ["can I speak to the helpdesk please", "handoff"],
  ["helpdesk", "handoff"],
  ["help", "help"],
  ["Help!", "help"],
  ["cancel", "cancel"],
  ["Stop.", "cancel"],
  ["what's the weather", undefined],
  ["helpdesk@nhs.net", undefined],
  ["please cancel my meeting", undefined],
  ["", undefined],
  ["I can’t sign in", "reset"],
  ["cannot login", "reset"],
  ["my password needs a reset", "reset"],
  ["where do I change my display name", undefined],
  ["password", undefined],
  ["Never   mind!!", "cancel"],
  ["what can you do?", "help"],
  ["first-time sign in", "firstLogin"],
  ["I am new here", "firstLogin"],
  ["could I chat with the service desk", "handoff"],
  ["the help desk", "handoff"],
];

describe("text intents on hostile input", () => {
  it(`reads nothing over ${MAX_TEXT_CHARS} characters, however it starts`, () => {
    assert.equal(matchIntent(`reset my password ${"x".repeat(MAX_TEXT_CHARS)}`), undefined);
  });

  it("answers at the length limit for input that makes backtracking patterns slow", () => {
    const inputs: Array<[string, Intent | undefined]> = [
      ["reset ".repeat(MAX_TEXT_CHARS / 6), undefined],
      [`${"reset ".repeat(MAX_TEXT_CHARS / 6 - 2)}password`, "reset"],
      [`${" ".repeat(MAX_TEXT_CHARS - 6)}cancel`, "cancel"],
      [`cancel${"!".repeat(MAX_TEXT_CHARS - 7)}x`, undefined],
      [`talk to ${"the ".repeat(MAX_TEXT_CHARS / 4 - 3)}`, undefined],
    ];
    for (const [text, intent] of inputs) assert.equal(matchIntent(text), intent, text.slice(0, 30));
  });
});

describe("text intents", () => {
  for (const [text, intent] of table) {
    it(`"${text}" → ${intent ?? "nothing"}`, () => assert.equal(matchIntent(text), intent));
  }
});
