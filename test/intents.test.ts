import assert from "node:assert/strict";
import { matchIntent } from "../src/intents";
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
];

describe("text intents", () => {
  for (const [text, intent] of table) {
    it(`"${text}" → ${intent ?? "nothing"}`, () => assert.equal(matchIntent(text), intent));
  }
});
