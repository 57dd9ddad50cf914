import assert from "node:assert/strict";
import { appendTranscript, redact, TRANSCRIPT_LIMIT } from "../../src/handoff";
import { PRESSED_A_BUTTON, PRESSED_WORDS, pressedLine } from "../../src/handoff/transcript";
import { DIALOG_VERBS, GLOBAL_VERBS, Verb } from "../../cards/verbs";

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

describe("card presses in the transcript", () => {
  it("are recorded in the words of the button", () => {
    assert.equal(pressedLine(Verb.ChooseMethod, { verb: Verb.ChooseMethod, method: "sms" }), "(pressed: Send a text to my mobile phone)");
    assert.equal(pressedLine(Verb.ChooseMethod, { verb: Verb.ChooseMethod, method: "app" }), "(pressed: Enter a code from my authenticator app)");
    assert.equal(pressedLine(Verb.StartReset, { verb: Verb.StartReset }), "(pressed: Reset my password)");
    assert.equal(pressedLine(Verb.StartFirstLogin, { verb: Verb.StartFirstLogin, task: "aup" }), "(pressed: Read and accept (the Acceptable Use Policy))");
    assert.equal(pressedLine(Verb.StartFirstLogin, { verb: Verb.StartFirstLogin }), "(pressed: I'm a new user)");
    assert.equal(pressedLine(Verb.HandoffSomethingElse, { verb: Verb.HandoffSomethingElse }), "(pressed: Yes, something else (not sending email))");
  });

  it("say only '(pressed a button)' for a verb without words, and never what was typed into the card", () => {
    assert.equal(pressedLine("reset.somethingOld", { verb: "reset.somethingOld" }), PRESSED_A_BUTTON);
    assert.equal(pressedLine(Verb.TakeHandoff, { verb: Verb.TakeHandoff, handoffId: "h1" }), PRESSED_A_BUTTON);
    assert.equal(pressedLine(Verb.ChooseMethod, { verb: Verb.ChooseMethod, method: "Harbour-Lantern-58" }), "(pressed: One of the ways to prove who I am)");
    const typed = pressedLine(Verb.SubmitNewPassword, { verb: Verb.SubmitNewPassword, newPassword: "Harbour-Lantern-58", code: "482913" });
    assert.equal(typed, "(pressed: Finish (a new password))");
    assert.equal(pressedLine(Verb.ChooseMethod, { verb: Verb.ChooseMethod, method: "toString" }), "(pressed: One of the ways to prove who I am)");
  });

  it("has words for every button a person can press, and every one survives redaction whole", () => {
    const personVerbs = [...GLOBAL_VERBS, ...DIALOG_VERBS];
    const missing = personVerbs.filter((verb) => pressedLine(verb, { verb }) === PRESSED_A_BUTTON);
    assert.deepEqual(missing, [], "add words for these verbs to PRESSED_WORDS in src/handoff/transcript.ts");
    const lines = Object.entries(PRESSED_WORDS).flatMap(([verb, words]) =>
      typeof words === "string" || words === undefined ? [pressedLine(verb, {})] : [...Object.keys(words.choices).map((choice) => pressedLine(verb, { [words.field]: choice })), pressedLine(verb, {})],
    );
    const kept = appendTranscript([], lines.map((text) => ({ from: "user" as const, text, at: AT })));
    assert.deepEqual(kept.map((line) => line.text), lines.slice(-TRANSCRIPT_LIMIT));
    for (const line of lines) assert.equal(redact(line), line);
  });
});
