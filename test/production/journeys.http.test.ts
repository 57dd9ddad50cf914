import assert from "node:assert/strict";
import { Verb } from "../../cards/verbs";
import { currentTotp } from "../../src/verification/totp";
import { SIGN_IN_TO_TEAMS } from "../../dialogs/first-login-dialog";
import { ProductionRig, lastCard, readable } from "./rig";

const AMARA = { email: "amara.okonkwo@nhs.net", firstName: "Amara", lastName: "Okonkwo", mobile: "+44 7700 900461" };
const NEW_PASSWORD = "Heron-Copper-Violin-26";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The journeys with DIRECTORY=graph MESSAGING=notify over the real server: the password goes to Entra ID through
 * PATCH /users/{id} (the real identity and Graph clients, against the HTTPS stand-in), texts and emails go through
 * GOV.UK Notify (the real notifications client, against the Notify stand-in that checks its tokens).
 */
describe("production services: Entra ID and GOV.UK Notify, over HTTP", function () {
  this.timeout(60_000);
  let rig: ProductionRig;
  beforeEach(async () => (rig = await new ProductionRig().start()));
  afterEach(() => rig.stop());

  it("resets by text: the code comes as a Notify text, the password changes through PATCH /users/{id}, every session is signed out", async () => {
    const { user, id } = rig.person(AMARA);
    await rig.post(user.message("reset my password"));
    const methods = readable(await rig.post(user.message(AMARA.email)));
    assert.match(methods, /Send a text to my mobile phone/);
    assert.match(methods, /authenticator app/);
    assert.doesNotMatch(methods, /Call my mobile phone/, "Notify makes no calls, so no call is offered");
    assert.match(readable(await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "sms" }))), /\*\*\*\*\*61/);
    assert.match(readable(await rig.post(user.message("07700 900461"))), /on its way/);
    const [text] = rig.notify.sent();
    assert.equal(text?.type, "sms");
    assert.equal(text?.to, "+447700900461");
    assert.equal(text?.templateId, rig.notify.smsTemplateId);
    assert.match(text?.reference ?? "", UUID, "the send carries a reference with no personal data");
    assert.match(readable(await rig.post(user.message(rig.codeTextedTo("+447700900461")))), /Choose a new password/);

    const done = readable(await rig.post(user.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })));
    assert.match(done, /Your password has been changed/);
    assert.match(done, /signed out everywhere/);
    assert.equal(rig.graph.passwordOf(id), NEW_PASSWORD, "Entra has the new password");
    assert.equal(rig.graph.forceChangeOf(id), false);
    assert.equal(rig.graph.revocationsOf(id), 1);
    const notices = rig.notify.sent().filter((n) => /password was just changed/.test(n.body));
    assert.deepEqual(notices.map((n) => `${n.type} ${n.to}`).sort(), [`email ${AMARA.email}`, "sms +447700900461"]);
    assert.equal(notices.find((n) => n.type === "email")?.subject, "Your NHSmail password was changed");
    for (const where of [rig.bot.log.text, JSON.stringify(rig.notify.sent().map((n) => n.reference))]) assert.ok(!where.includes(NEW_PASSWORD));
  });

  it("first login in Teams proves the person by their Teams sign-in; the authenticator enrolled there then resets the password", async () => {
    const { user, id } = rig.person({ ...AMARA, createdDateTime: "2026-11-30T09:00:00Z" });
    await rig.post(user.install());
    assert.equal((await rig.bot.notify({ email: AMARA.email, aadObjectId: user.aadObjectId })).body.status, "delivered");
    const started = await rig.post(user.message("I'm a new user"));
    assert.doesNotMatch(readable(started), /Sign in/, "no password is asked for: Teams has signed the person in");
    assert.match(readable(started), /Change your temporary password\n.*\nDone/, "Entra made the person change it as they signed in");
    const aup = lastCard(started);
    assert.match(readable([aup]), /Acceptable Use Policy/);
    const profile = lastCard(await rig.post(user.submit({ verb: Verb.AcceptAup }, aup.id)));
    const choose = lastCard(
      await rig.post(
        user.submit({ verb: Verb.SubmitProfile, displayName: "Amara Okonkwo", jobTitle: "Sister", department: "Ward 14", organisation: "Leeds Teaching Hospitals NHS Trust", workPhone: "", accountSecret: "Kingfisher", confirmSecret: "Kingfisher" }, profile.id),
      ),
    );
    const appCard = lastCard(await rig.post(user.submit({ verb: Verb.ChooseMfaMethod, method: "app" }, choose.id)));
    const key = /\b([A-Z2-7]{4}(?: [A-Z2-7]{4}){7})\b/.exec(readable([appCard]))?.[1]?.replace(/ /g, "");
    assert.ok(key);
    assert.match(readable(await rig.post(user.submit({ verb: Verb.SubmitCode, code: currentTotp(key) }, appCard.id))), /all four first-login tasks are done/i);

    await rig.post(user.message("cancel"));
    await rig.post(user.message("reset my password"));
    await rig.post(user.message(AMARA.email));
    await rig.post(user.submit({ verb: Verb.ChooseMethod, method: "app" }));
    assert.match(readable(await rig.post(user.message(currentTotp(key, new Date(Date.now() + 30_000))))), /Choose a new password/);
    assert.match(readable(await rig.post(user.submit({ verb: Verb.SubmitNewPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }))), /has been changed/);
    assert.equal(rig.graph.passwordOf(id), NEW_PASSWORD);
    assert.ok(!rig.bot.log.text.includes(key), "the authenticator secret is not logged");
  });

  it("the helpdesk's identity check texts its code through Notify to the mobile registered in Entra", async () => {
    const team = await rig.withAgentsChannel();
    const alex = team.agent("Alex Jones");
    const { user } = rig.person(AMARA);
    await rig.post(user.install());
    await rig.bot.notify({ email: AMARA.email, aadObjectId: user.aadObjectId });
    await rig.post(user.message("talk to a person"));
    const request = team.requests().at(-1);
    assert.ok(request);
    const press = async (verb: string): Promise<void> => assert.equal(await rig.bot.post(alex.press(request, team.card(request).button(verb))), 200);
    await press(Verb.TakeHandoff);
    await press(Verb.ChallengeSms);
    await rig.bot.service.drainMessages();
    const text = rig.notify.sent().at(-1);
    assert.equal(text?.to, "+447700900461");
    assert.match(text?.reference ?? "", /^handoff-/);
    const challenge = rig.connector.received.filter((r) => r.conversationId === user.conversationId && (r.activity.attachments ?? []).length > 0).at(-1);
    assert.equal(await rig.bot.post(user.submit({ verb: Verb.AnswerChallenge, answer: rig.codeTextedTo("+447700900461") }, challenge?.id)), 200);
    assert.equal(team.threadTexts(request).at(-1), "Identity check (text code): verified");
  });

  it("first login where no Entra sign-in comes with the message (the web chat, say): the person is sent to sign in to Teams", async () => {
    const { user } = rig.person(AMARA);
    const anonymous = user.activity({ type: "message", text: "I'm a new user", from: { id: "dl_visitor", name: "Visitor" } });
    const replies = readable(await rig.post(anonymous));
    assert.ok(replies.includes(SIGN_IN_TO_TEAMS));
    assert.equal(rig.graph.calls.findUser + rig.graph.calls.getUser, 0, "no account was looked up");
  });
});
