import assert from "node:assert/strict";
import { describePlayground } from "./harness";

const WELCOME_TITLE = "NHSmail helpdesk";
const ASK_EMAIL = "Let's get you back into your account. What's your @nhs.net email address?";
const NOT_NHSMAIL = /I can only reset @nhs\.net accounts/;
const METHOD_CARD = "Verify it's you";

describePlayground("Playground: welcome and the start of a reset", (e2e) => {
  it("shows the welcome card when the chat opens, and again after a reload", async () => {
    const { chat } = e2e;
    const card = await chat.waitForBotText(WELCOME_TITLE);
    for (const action of ["Reset my password", "I'm a new user", "Talk to the helpdesk"]) {
      assert.equal(await card.getByRole("button", { name: action, exact: true }).count(), 1, `button "${action}"`);
    }
    await e2e.docsScreenshot("welcome-card");
    // Every page load sends installationUpdate + conversationUpdate: count welcomes instead of assuming one.
    assert.ok((await chat.cardCount(WELCOME_TITLE)) >= 1);

    await chat.reload();
    await chat.waitForBotText(WELCOME_TITLE);
    assert.ok((await chat.cardCount(WELCOME_TITLE)) >= 1, "the welcome card shows again after a reload");
  });

  it('asks for the @nhs.net address when "Reset my password" is pressed', async () => {
    const { chat } = e2e;
    await chat.waitForBotText(WELCOME_TITLE);
    const startedAt = Date.now();
    const mark = await chat.clickCardAction("Reset my password", { card: chat.lastCard(WELCOME_TITLE) });
    const question = await chat.waitForBotText(ASK_EMAIL, { after: mark });
    e2e.recordTiming("card action round trip", Date.now() - startedAt);
    // Markdown bold is rendered as <strong>, without the asterisks.
    assert.equal(await question.locator("strong", { hasText: "@nhs.net" }).count(), 1);
    assert.doesNotMatch(await question.innerText(), /\*\*/);
    await e2e.docsScreenshot("email-question");
  });

  it("refuses a non-nhs.net address kindly, then accepts an @nhs.net one", async () => {
    const { chat } = e2e;
    await chat.waitForBotText(WELCOME_TITLE);
    await chat.waitForBotText(ASK_EMAIL, { after: await chat.clickCardAction("Reset my password", { card: chat.lastCard(WELCOME_TITLE) }) });

    let startedAt = Date.now();
    const refusal = await chat.waitForBotText(NOT_NHSMAIL, { after: await chat.sendText("jane.smith@gmail.com") });
    e2e.recordTiming("text round trip", Date.now() - startedAt);
    assert.match(await refusal.innerText(), /Please type your NHSmail address/);

    startedAt = Date.now();
    const answer = await chat.waitForBotText(METHOD_CARD, { after: await chat.sendText("jane.smith@nhs.net") });
    e2e.recordTiming("text round trip", Date.now() - startedAt);
    assert.match(await answer.innerText(), /Send a text to my mobile phone/);
    assert.equal(await chat.botMessageCount(NOT_NHSMAIL), 1, "the refusal is said once");
  });
});
