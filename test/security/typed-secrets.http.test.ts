import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { Verb } from "../../cards/verbs";
import { WITHHELD } from "../../src/app";
import { FakeConnector } from "../proactive/fake-connector";
import type { ReceivedActivity } from "../proactive/fake-connector";
import { KNOWN_EMAIL, KNOWN_TEMPORARY_PASSWORD, TeamsUser, startNotifyBot } from "../proactive/support";
import type { NotifyBot } from "../proactive/support";
import { AgentsTeam, CardView, holdsNumber, stateFileText } from "../handoff/support";
import { latestCode } from "../support/outbox";
import { TempDir } from "../support/temp-dir";

const JANE = "jane.smith@nhs.net";
const JANE_MOBILE = "+447700900118";
/** Secrets redaction by pattern cannot catch: a passphrase, one word of letters, and digits alone. */
const SECRETS = ["tangerine bicycle orbit lamp quill", "Wolverhamptonian", "58203941"];
const NEW_PASSWORD = "Kestrel-Harvest-Ridge-42";

/**
 * Anything typed as a chat message while a card asks for a secret in a masked box may be that secret: it is never
 * stored, relayed, logged or echoed, at any such step, and the person is told once where to type it.
 */
describe("secrets typed into the chat while a masked box is open", function () {
  this.timeout(60_000);
  let dir: TempDir;
  let connector: FakeConnector;
  let team: AgentsTeam;
  let bot: NotifyBot;

  beforeEach(async () => {
    dir = new TempDir();
    connector = new FakeConnector();
    team = new AgentsTeam(await connector.start(), connector);
    team.agent("Alex Jones");
    bot = await startNotifyBot({ AGENTS_CHANNEL_ID: team.channelId, LOG_LEVEL: "trace", OUTBOX_FILE: dir.file("outbox.jsonl"), STATE_URL: `sqlite://${dir.file("state.sqlite")}` });
    assert.equal(await bot.post(team.install()), 200);
  });
  afterEach(async () => {
    await bot.service.close();
    await connector.stop();
    dir.remove();
  });

  const post = async (user: TeamsUser, activity: Partial<Activity>): Promise<ReceivedActivity[]> => {
    const before = connector.received.length;
    assert.equal(await bot.post(activity), 200);
    await bot.service.drainMessages();
    return connector.received.slice(before).filter((r) => r.conversationId === user.conversationId);
  };
  const lastCardId = (user: TeamsUser): string | undefined =>
    connector.received.filter((r) => r.conversationId === user.conversationId && !r.update && (r.activity.attachments ?? []).length > 0).at(-1)?.id;

  /** Types each secret as a chat message and checks the answer: the warning once, nothing echoed. */
  const typeSecrets = async (user: TeamsUser, warning: RegExp): Promise<void> => {
    for (const secret of SECRETS) {
      const replies = await post(user, user.message(secret));
      const said = JSON.stringify(replies.map((r) => r.activity));
      assert.equal(said.match(new RegExp(warning.source, "g"))?.length, 1, `told once where to type it: ${said.slice(0, 400)}`);
      assert.ok(!said.includes(secret), "the secret is not echoed");
    }
  };

  /** Nothing of any secret anywhere: the agents' channel, the log, the stored state (transcripts included). */
  const assertNowhere = (): void => {
    const places: Array<[string, string]> = [["agents' channel", team.everything()], ["log", bot.log.text], ["stored state", stateFileText(dir.file("state.sqlite"))]];
    for (const [where, text] of places) {
      for (const secret of SECRETS) {
        const found = /^\d+$/.test(secret) ? holdsNumber(text, secret) : text.includes(secret);
        assert.ok(!found, `"${secret}" reached the ${where}`);
      }
    }
  };

  it("at the reset's new-password card: warned once, then nothing reaches the helpdesk's request card, logs or state", async () => {
    const jane = new TeamsUser(team.serviceUrl);
    await post(jane, jane.install());
    await post(jane, jane.message("reset my password"));
    await post(jane, jane.message(JANE));
    await post(jane, jane.submit({ verb: Verb.ChooseMethod, method: "sms" }));
    await post(jane, jane.message("07700 900118"));
    await post(jane, jane.message(latestCode(dir.file("outbox.jsonl"), JANE_MOBILE)));
    await typeSecrets(jane, /Please don't type a password in the chat/);

    await post(jane, jane.message("talk to a person"));
    const request = team.requests().at(-1);
    assert.ok(request, "the request reached the agents' channel");
    const transcript = new CardView(request.activity).texts.join("\n") + JSON.stringify(request.activity);
    assert.ok(transcript.includes(WITHHELD.slice(0, 40)), "the transcript says a message was not kept");
    assertNowhere();
  });

  it("at first-login sign-in, the temporary-password change and the profile's account secret", async () => {
    const sam = new TeamsUser(team.serviceUrl);
    await post(sam, sam.install());
    await post(sam, sam.message("I'm a new user"));
    await typeSecrets(sam, /Please don.t type your password in the chat/);
    await post(sam, sam.submit({ verb: Verb.SubmitSignIn, email: KNOWN_EMAIL, password: KNOWN_TEMPORARY_PASSWORD }, lastCardId(sam)));
    await post(sam, sam.submit({ verb: Verb.StartFirstLogin, task: "password" }));
    await typeSecrets(sam, /Please don't type a password in the chat/);
    await post(sam, sam.submit({ verb: Verb.SubmitPasswordChange, oldPassword: KNOWN_TEMPORARY_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, lastCardId(sam)));
    const profile = await post(sam, sam.submit({ verb: Verb.AcceptAup }, lastCardId(sam)));
    assert.match(JSON.stringify(profile), /account secret/i, "the profile card with the account secret is open");
    await typeSecrets(sam, /Please fill in the boxes on the card/);
    assertNowhere();
  });
});
