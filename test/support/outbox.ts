import fs from "node:fs";

/** One line of the development outbox. */
export interface OutboxLine {
  channel: "sms" | "voice" | "email";
  to: string;
  text: string;
  at: string;
}

/** Every message in the outbox file, oldest first (none when the file does not exist yet). */
export function readOutbox(file: string): OutboxLine[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as OutboxLine);
}

/** The code in the newest text or call to `to`. */
export function latestCode(file: string, to: string): string {
  const message = readOutbox(file).filter((m) => m.to === to && m.channel !== "email").at(-1);
  const code = message?.text.replace(/(\d) (?=\d)/g, "$1").match(/\b\d{6,8}\b/)?.[0];
  if (!code) throw new Error(`no code was sent to ${to}`);
  return code;
}

/** A running bot whose messages go out in the background. */
export interface SendingBot {
  service: { drainMessages(): Promise<void> };
  outbox: string;
}

/** The outbox once every message under way has been written. */
export async function drainedOutbox(bot: SendingBot): Promise<OutboxLine[]> {
  await bot.service.drainMessages();
  return readOutbox(bot.outbox);
}

/** The code in the newest text or call to `to`, once every message under way has been written. */
export async function codeFor(bot: SendingBot, to: string): Promise<string> {
  await bot.service.drainMessages();
  return latestCode(bot.outbox, to);
}
