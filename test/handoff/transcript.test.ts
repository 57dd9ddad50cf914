import assert from "node:assert/strict";
import { appendTranscript, TRANSCRIPT_LIMIT } from "../../src/handoff";

const AT = "2026-11-22T10:00:00.000Z";

describe("the chat transcript kept for a helpdesk request", () => {
  it("keeps the latest lines, oldest first", () => {
    let transcript = appendTranscript(undefined, []);
    for (let n = 1; n <= 25; n++) transcript = appendTranscript(transcript, [{ from: n % 2 === 0 ? "bot" : "user", text: `line ${n}`, at: AT }]);
    assert.equal(transcript.length, TRANSCRIPT_LIMIT);
    assert.equal(transcript[0].text, "line 6");
    assert.equal(transcript.at(-1)?.text, "line 25");
  });

  it("adds a turn's lines together, each redacted before it is kept", () => {
    const typed = ["my password is Harbour-Lantern-58", "the code was 482913", "call me on 07700 900118"];
    const transcript = appendTranscript([], typed.map((text) => ({ from: "user" as const, text, at: AT })));
    const kept = JSON.stringify(transcript);
    for (const secret of ["Harbour-Lantern-58", "482913", "900118"]) assert.ok(!kept.includes(secret), `${secret} was kept`);
    assert.deepEqual(
      transcript.map((line) => line.text),
      ["my password is [removed]", "the code was [removed]", "call me on *****18"],
    );
  });

  it("stamps a line without a time with the clock", () => {
    const [line] = appendTranscript([], [{ from: "bot", text: "hello" }], () => new Date(AT));
    assert.equal(line.at, AT);
  });
});
