import assert from "node:assert/strict";
import { MessageNotSentError } from "../../src/messaging/message-sender";
import type { MessageChannel, MessageSender } from "../../src/messaging/message-sender";
import { NotifySender } from "../../src/messaging/notify-sender";
import { OutboxSender } from "../../src/messaging/outbox-sender";
import { NotifyApi } from "../support/notify-api";
import { readOutbox } from "../support/outbox";
import { TempDir } from "../support/temp-dir";

/** A message as the provider received it. */
interface Delivered {
  channel: MessageChannel;
  to: string;
  text: string;
  subject?: string;
  reference?: string;
}

/** A sender, and a way to read what its provider received. */
interface Provider {
  sender: MessageSender;
  /** Everything the provider has received so far, oldest first. */
  delivered(): Delivered[];
  stop(): Promise<void>;
}

/** What the provider is expected to do where providers differ. */
interface Expectations {
  channels: MessageChannel[];
  /** Whether the provider keeps the message's reference. */
  keepsReference: boolean;
}

const MOBILE = "+447700900118";
const EMAIL = "jane.smith@nhs.net";
const CHANNELS: MessageChannel[] = ["sms", "voice", "email"];
const recipientFor = (channel: MessageChannel): string => (channel === "email" ? EMAIL : MOBILE);

/** What every {@link MessageSender} promises, run against one provider. */
function messageSenderContract(name: string, start: () => Promise<Provider>, expected: Expectations): void {
  describe(`${name}, as a MessageSender`, function () {
    let provider: Provider;
    beforeEach(async () => (provider = await start()));
    afterEach(() => provider.stop());

    it("delivers a text and an email with their recipient, text and subject unchanged", async function () {
      await provider.sender.send({ channel: "sms", to: MOBILE, text: "Your NHSmail verification code is 123456" });
      await provider.sender.send({
        channel: "email",
        to: EMAIL,
        subject: "Your NHSmail password was changed",
        text: "Hello Jane,\n\nYour NHSmail password was changed at 09:14.",
      });
      const delivered = provider.delivered().map(({ channel, to, text, subject }) => ({ channel, to, text, subject }));
      assert.deepEqual(delivered, [
        { channel: "sms", to: MOBILE, text: "Your NHSmail verification code is 123456", subject: undefined },
        { channel: "email", to: EMAIL, text: "Hello Jane,\n\nYour NHSmail password was changed at 09:14.", subject: "Your NHSmail password was changed" },
      ]);
    });

    it("delivers every one of many messages sent at once, each exactly once", async function () {
      const messages = Array.from({ length: 20 }, (_, n) =>
        n % 3 === 0
          ? { channel: "email" as const, to: EMAIL, subject: `Subject ${n}`, text: `Email number ${n}` }
          : { channel: "sms" as const, to: MOBILE, text: `Text number ${n}` },
      );
      await Promise.all(messages.map((message) => provider.sender.send(message)));
      const delivered = provider.delivered();
      assert.equal(delivered.length, messages.length);
      const seen = delivered.map(({ channel, to, text, subject }) => JSON.stringify({ channel, to, text, subject })).sort();
      const sent = messages.map(({ channel, to, text, ...rest }) => JSON.stringify({ channel, to, text, subject: "subject" in rest ? rest.subject : undefined }));
      assert.deepEqual(seen, sent.sort());
    });

    it(`declares the channels ${expected.channels.join(", ")}, delivers those and refuses the rest without sending`, async function () {
      assert.deepEqual([...provider.sender.channels].sort(), [...expected.channels].sort());
      for (const channel of CHANNELS) {
        const message = { channel, to: recipientFor(channel), text: `A ${channel} message`, subject: channel === "email" ? "Subject" : undefined };
        const before = provider.delivered().length;
        if (provider.sender.channels.has(channel)) {
          await provider.sender.send(message);
          assert.deepEqual(
            provider.delivered().slice(before).map((d) => [d.channel, d.to, d.text]),
            [[channel, message.to, message.text]],
          );
        } else {
          await assert.rejects(provider.sender.send(message), (error: unknown) => {
            assert.ok(error instanceof MessageNotSentError);
            assert.equal(error.reason, "refused");
            assert.ok(!error.message.includes(message.to), "the recipient is not in the error");
            return true;
          });
          assert.equal(provider.delivered().length, before, `nothing is sent for ${channel}`);
        }
      }
    });

    it(expected.keepsReference ? "passes the message's reference to the provider" : "sends a message that carries a reference", async function () {
      const reference = "audit-3f9c2a71-5d0e-4c55-9a3b-1e2f4d6c8b90";
      await provider.sender.send({ channel: "sms", to: MOBILE, text: "Your code is 654321", reference });
      const [delivered] = provider.delivered();
      assert.equal(delivered.text, "Your code is 654321");
      assert.equal(delivered.reference, expected.keepsReference ? reference : undefined);
    });
  });
}

messageSenderContract(
  "OutboxSender",
  () => {
    const dir = new TempDir();
    const file = dir.file("outbox.jsonl");
    const sender = new OutboxSender({ file, print: () => undefined });
    return Promise.resolve({
      sender,
      delivered: () => readOutbox(file).map((line) => ({ ...line, subject: (line as { subject?: string }).subject })),
      stop: () => Promise.resolve(dir.remove()),
    });
  },
  { channels: ["sms", "voice", "email"], keepsReference: false },
);

messageSenderContract(
  "NotifySender",
  async () => {
    const api = await new NotifyApi().start();
    const sender = new NotifySender({
      apiKey: api.apiKey,
      baseUrl: api.url,
      smsTemplateId: api.smsTemplateId,
      emailTemplateId: api.emailTemplateId,
      logger: { warn: () => undefined, error: () => undefined },
    });
    return {
      sender,
      delivered: () => api.sent().map(({ type, to, body, subject, reference }) => ({ channel: type, to, text: body, subject, reference })),
      stop: () => api.stop(),
    };
  },
  { channels: ["sms", "email"], keepsReference: true },
);
