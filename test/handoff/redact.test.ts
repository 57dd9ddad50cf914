import assert from "node:assert/strict";
import { MAX_REDACTED_LENGTH, maskEmail, redact } from "../../src/handoff";

/** (what a person typed → what an agent may see). */
const CASES: Array<[string, string]> = [
  // UK phone numbers in any form keep only their last two digits.
  ["+44 7700 900118", "*****18"],
  ["07700900118", "*****18"],
  ["(0)7700-900-118", "*****18"],
  ["+44 (0)7700 900118", "*****18"],
  ["+447700900118", "*****18"],
  ["0044 7700 900118", "*****18"],
  ["(07700) 900118", "*****18"],
  ["7700 900118", "*****18"],
  ["020 7946 0321", "*****21"],
  ["call me on 07700 900118 please", "call me on *****18 please"],
  ["my mobile is 07700-900-118.", "my mobile is *****18."],
  // Markdown bold next to an address's domain is not an address.
  ["What's your **@nhs.net** email address?", "What's your **@nhs.net** email address?"],
  // Codes and other numbers.
  ["123456", "[number removed]"],
  ["I got 654321 but it failed", "I got [number removed] but it failed"],
  ["it said 123 456", "it said [number removed]"],
  ["the code is 123456", "the code is [removed]"],
  ["Code: 123456", "Code: [removed]"],
  ["pin is 1234", "pin is [removed]"],
  ["my staff number 1234567 is on my badge", "my staff number [number removed] is on my badge"],
  // Passwords and keys.
  ["Harbour-Lantern-58", "[removed]"],
  ["I tried Harbour-Lantern-58 twice", "I tried [removed] twice"],
  ["P@ssw0rd!", "[removed]"],
  ["Summer1!", "[removed]"],
  ["Microsoft365", "[removed]"],
  ["JBSWY3DPEHPK3PXP", "[removed]"],
  ["key JBSW Y3DP EHPK 3PXP from the app", "key [removed] from the app"],
  ["GEZDGNBVGY3TQOJQGEZDGNBV", "[removed]"],
  ["jbsw y3dp ehpk 3pxp", "[removed]"],
  // Whatever follows "password is", "secret is", "code is"… to the end of the line.
  ["my password is summer", "my password is [removed]"],
  ["My password's Summer", "My password's [removed]"],
  ["password: hunter two", "password: [removed]"],
  ["my password for NHSmail was bluebell\nthanks", "my password for NHSmail was [removed]\nthanks"],
  ["the secret is blue harbour", "the secret is [removed]"],
  ["My account secret is Otter Kettle", "My account secret is [removed]"],
  ["my passphrase is correct horse battery staple", "my passphrase is [removed]"],
  // Ordinary words after "password is" do not hide what follows them when that is not ordinary.
  ["my password is set to Harbour-Lantern-58", "my password is [removed]"],
  ["the secret is set in stone", "the secret is [removed]"],
  ["my password is saved as bluebell", "my password is [removed]"],
  ["password: correct", "password: correct"],
  // Email addresses are kept, masked.
  ["jane.smith@nhs.net", "j***.s***@nhs.net"],
  ["it's amir_patel2@nhs.net, thanks", "it's a***_p***@nhs.net, thanks"],
  ["my email is Jane.Smith@NHS.net", "my email is J***.S***@NHS.net"],
];

/** Everyday helpdesk sentences come out exactly as typed. */
const ORDINARY = [
  "I can't log in to my account since yesterday.",
  "Hello, can someone help me please?",
  "I'm locked out of NHSmail and it says my account is disabled.",
  "My password is not working",
  "my password is wrong",
  "The code you sent is wrong, it's expired",
  "Your code is on its way",
  "I didn't get the text message on my phone",
  "I tried the self-service reset three times!!",
  "See you at 10:30am, thanks",
  "Is there anyone there?",
  "I've changed phones and don't have the authenticator app any more",
  "What's my password?",
  "Dr O'Neill's account, ward 12",
  "this week from home with that same form",
  // What a password or secret's state is: the words are not the secret.
  "your account secret is set.",
  "Your account secret is set",
  "My password is changed now",
  "my password was saved",
  "the code is correct",
  "the code was wrong",
  "A password is needed",
  "a new password is required",
  "my password is updated and verified",
  "(typed a message while a box for a password or secret was open: not kept)",
];

/** (what the bot itself said → what an agent sees): its own sentences stay whole, but numbers and secrets still go. */
const BOT_CASES: Array<[string, string]> = [
  ["Thanks: your account secret is set.", "Thanks: your account secret is set."],
  ["Press **Accept** on the card, or type **cancel** to stop.", "Press **Accept** on the card, or type **cancel** to stop."],
  ["That code has expired: codes last 5 minutes. Press **Send a new code** (or type **try again**).", "That code has expired: codes last 5 minutes. Press **Send a new code** (or type **try again**)."],
  ["Sorry, I can't find your account just now. Please try again later, or type **talk to a person**.", "Sorry, I can't find your account just now. Please try again later, or type **talk to a person**."],
  ["The code is the 6 digits your authenticator app shows, like 123456.", "The code is the 6 digits your authenticator app shows, like [number removed]."],
  ["I've texted a code to 07700 900118.", "I've texted a code to *****18."],
  ["**Harbour-Lantern-58**", "[removed]"],
  ["Your key is JBSW Y3DP EHPK 3PXP", "Your key is [removed]"],
  ["Is this you? jane.smith@nhs.net", "Is this you? j***.s***@nhs.net"],
];

describe("redact", function () {
  for (const [input, expected] of CASES) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, function () {
      assert.equal(redact(input), expected);
    });
  }

  it("leaves everyday sentences unchanged", function () {
    for (const sentence of ORDINARY) assert.equal(redact(sentence), sentence);
  });

  for (const [input, expected] of BOT_CASES) {
    it(`the bot's own ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, function () {
      assert.equal(redact(input, { author: "bot" }), expected);
      assert.equal(redact(expected, { author: "bot" }), expected, "and again changes nothing");
    });
  }

  it("reads markdown emphasis as formatting only in the bot's own sentences: a person's text is judged as typed", function () {
    assert.equal(redact("press **Accept**", { author: "bot" }), "press **Accept**");
    assert.equal(redact("my password is Summer", { author: "bot" }), "my password is Summer", "the bot never says a password: its phrases are its wording");
    assert.equal(redact("my password is Summer"), "my password is [removed]");
  });

  it("changes nothing when run again", function () {
    for (const [input] of CASES) assert.equal(redact(redact(input)), redact(input), input);
    const long = `${"help me ".repeat(60)}P@ssw0rd!`;
    assert.equal(redact(redact(long)), redact(long));
  });

  it("cuts long text to 300 characters, ending with …", function () {
    const out = redact("please ".repeat(100));
    assert.equal(out.length, MAX_REDACTED_LENGTH);
    assert.ok(out.endsWith("…"));
  });

  it("does not let a secret through by cutting it short or hiding it with invisible characters", function () {
    const cut = redact(`${"a".repeat(296)} Harbour-Lantern-58`);
    assert.ok(!cut.includes("Harb"), cut);
    assert.equal(redact("P@ss\u200Bw0rd!"), "[removed]");
    assert.equal(redact("07700\u202E900118"), "*****18");
  });

  it("takes time in proportion to the text, even for hostile input", function () {
    const hostile = ["a@".repeat(5000), `${"a.".repeat(5000)}@`, "1 ".repeat(5000), "password is ".repeat(1000)];
    const started = process.hrtime.bigint();
    for (const text of hostile) redact(text);
    assert.ok(process.hrtime.bigint() - started < 2_000_000_000n);
  });
});

describe("maskEmail", function () {
  it("keeps the first character of each piece of the local part and the domain", function () {
    assert.equal(maskEmail("jane.smith@nhs.net"), "j***.s***@nhs.net");
    assert.equal(maskEmail("amir@nhs.net"), "a***@nhs.net");
    assert.equal(maskEmail("mary-jane.o-brien+help@nhs.net"), "m***-j***.o***-b***+h***@nhs.net");
    assert.equal(maskEmail("j***.s***@nhs.net"), "j***.s***@nhs.net");
  });
});
