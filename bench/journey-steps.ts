/**
 * One self-service password reset by text message, over HTTP with `deliveryMode: "expectReplies"`, as
 * `test/reset.http.test.ts` walks it: "reset my password", the address, the text-message button, the whole mobile
 * number, the texted code (read from the outbox), the new password card. Each step's answer is checked for the
 * words that step should bring, and timed.
 */
import type http from "node:http";
import { Verb } from "../cards/verbs";
import { post } from "./load";
import type { BenchAccount } from "./journey-accounts";
import type { OutboxTail } from "./outbox-tail";

/** The journey's turns, in order. */
export const STEPS = ["start", "address", "method", "number", "code", "new password"] as const;
/** One of the journey's turns. */
export type Step = (typeof STEPS)[number];

/**
 * Words each step's answer must hold (searched in the raw JSON of the reply activities): the question the next step
 * answers, or, after the new password, the bot's confirmation.
 */
const EXPECTED: Record<Step, string> = {
  start: "What's your **@nhs.net** email address?",
  address: "Send a text to my mobile phone",
  method: "type your complete mobile number",
  number: "a text with a 6-digit code is on its way",
  code: "Choose a new password",
  "new password": "Your password has been changed",
};

/** Where and how journeys talk to the bot. */
export interface JourneyContext {
  endpoint: URL;
  /** Keep-alive connections for the journeys alone. */
  agent: http.Agent;
  outbox: OutboxTail;
  /** A turn, or the wait for a code, longer than this fails the journey. */
  timeoutMs: number;
  /** Distinguishes this run's users, conversations and activity ids from any other run's (a shared store). */
  runTag: string;
}

/** A finished journey: every step's latency, or the step that failed and why. */
export type JourneyOutcome =
  | { ok: true; stepMs: Record<Step, number>; /** From the number step's answer to the code read from the outbox. */ codeWaitMs: number }
  | { ok: false; step: Step | "code wait"; error: string };

/** A failure at one step of a journey. */
class StepError extends Error {
  constructor(
    readonly step: Step | "code wait",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resets `account`'s password as a new Teams user in a new personal conversation (the per-user limit counts
 * journeys per user), choosing `newPassword`, which must meet the policy and not be one of the account's recent ones.
 *
 * @param journey - this journey's number in the run, for its user, conversation and activity ids
 */
export async function runJourney(context: JourneyContext, account: BenchAccount, journey: number, newPassword: string): Promise<JourneyOutcome> {
  const user = { id: `journey-user-${context.runTag}-${journey}`, name: `Journey User ${journey}` };
  const conversation = { id: `journey-conversation-${context.runTag}-${journey}`, conversationType: "personal" };
  const stepMs = {} as Record<Step, number>;
  let sequence = 0;

  const turn = async (step: Step, content: { text: string } | { value: Record<string, unknown> }): Promise<void> => {
    sequence += 1;
    const body = JSON.stringify({
      type: "message",
      id: `journey-${context.runTag}-${journey}-${sequence}`,
      channelId: "msteams",
      serviceUrl: "http://127.0.0.1:1/",
      from: user,
      recipient: { id: "bot", name: "bot" },
      conversation,
      deliveryMode: "expectReplies",
      timestamp: new Date().toISOString(),
      locale: "en-GB",
      ...content,
    });
    const sent = process.hrtime.bigint();
    const reply = await post(context.endpoint, context.agent, body, context.timeoutMs).catch((err: unknown) => {
      throw new StepError(step, `request failed: ${(err as Error).message}`);
    });
    stepMs[step] = Number(process.hrtime.bigint() - sent) / 1e6;
    if (reply.status !== 200) throw new StepError(step, `status ${reply.status}: ${reply.body.slice(0, 120)}`);
    if (!reply.body.includes(EXPECTED[step])) throw new StepError(step, `no "${EXPECTED[step]}" in ${reply.body.slice(0, 160)}`);
  };

  try {
    await turn("start", { text: "reset my password" });
    await turn("address", { text: account.email });
    await turn("method", { value: { verb: Verb.ChooseMethod, method: "sms" } });
    // Wait from before the number is sent: the text can be written before the turn's answer arrives.
    const notBefore = Date.now();
    const code = context.outbox.nextCode(account.mobile, notBefore, context.timeoutMs);
    code.catch(() => undefined); // awaited below, unless the number step fails
    await turn("number", { text: account.typedMobile }).catch((err: unknown) => {
      context.outbox.cancel(account.mobile);
      throw err;
    });
    const answered = process.hrtime.bigint();
    const typed = await code.catch((err: unknown) => {
      throw new StepError("code wait", (err as Error).message);
    });
    const codeWaitMs = Number(process.hrtime.bigint() - answered) / 1e6;
    await turn("code", { text: typed });
    await turn("new password", { value: { verb: Verb.SubmitNewPassword, newPassword, confirmPassword: newPassword } });
    return { ok: true, stepMs, codeWaitMs };
  } catch (err) {
    if (err instanceof StepError) return { ok: false, step: err.step, error: err.message };
    throw err;
  }
}
