import { ActivityTypes, TurnContext } from "botbuilder";
import { handoffChallengeCard, helpCard, submittedCard } from "../../cards/render";
import { AGENT_VERBS, Verb } from "../../cards/verbs";
import { maskedHint } from "../verification/phone";
import { channelOf } from "./agents-channel";
import type { HandoffDeskDependencies, TeamsHandoffDesk } from "./desk";
import type { HandoffParty, HandoffRecord } from "./ports";
import { redact } from "./redact";
import { codeSubject, timeoutJobId } from "./subjects";
import { OUTCOMES, agentName, personName } from "./request-card";
import type { OutcomeChoice } from "./request-card";
import * as say from "./wording";
import { isBotAdded, isEditOrDelete, isOverheard, mentionsBot, senderOf, submitOf } from "./agent-activity";
import type { AgentSubmit } from "./agent-activity";

/** The longest outcome note kept. */
const NOTE_LIMIT = 280;
/** The agent ends the conversation by typing this in the thread. */
const END = /^\s*end\s*[.!]?\s*$/i;

/**
 * The agents' side of the desk: Take, replies in a request's thread, End, the identity checks, and the actions that
 * need a verified person. Every button checks, with Teams, that its sender is a member of the agents' channel and
 * that it was pressed there; card data never decides who may act.
 */
export class AgentDesk {
  constructor(
    private readonly desk: TeamsHandoffDesk,
    private readonly deps: HandoffDeskDependencies,
  ) {}

  /**
   * True for the activities this side handles: anything in the agents' channel, any agent button, and any message in
   * another channel that does not @mention the bot. Teams delivers those only because of the app's permission to read
   * the team's channel messages (resource-specific consent), which covers every channel of the team; nobody spoke to
   * the bot in them, so they are taken here and dropped rather than answered by the router's group-chat reply.
   */
  isFor(context: TurnContext): boolean {
    return this.deps.channel.isChannelActivity(context.activity) || AGENT_VERBS.has(submitOf(context)?.verb ?? "") || isOverheard(context);
  }

  /** Handles one activity from the agents' channel (or an agent button pressed anywhere, or a message overheard). */
  async onActivity(context: TurnContext): Promise<void> {
    const inChannel = await this.deps.channel.capture(context);
    if (inChannel && isBotAdded(context)) {
      await context.sendActivity(say.CHANNEL_READY);
      return;
    }
    if (inChannel && isEditOrDelete(context)) return this.onThreadEdit(context);
    if (context.activity.type !== (ActivityTypes.Message as string)) return;
    const submit = submitOf(context);
    if (submit && AGENT_VERBS.has(submit.verb)) return this.onButton(context, submit);
    if (!inChannel) {
      // Overheard in another channel of the team (see isFor): not for the bot, so no answer.
      if (submit === undefined && !isOverheard(context)) await context.sendActivity(say.NOT_HERE);
      return;
    }
    if (submit === undefined) await this.onThreadMessage(context);
  }

  private async onButton(context: TurnContext, submit: AgentSubmit): Promise<void> {
    const agent = await this.deps.channel.member(context);
    if (!agent) {
      await this.desk.audit({ type: submit.verb, outcome: "blocked", detail: "not an agent" }, undefined, senderOf(context));
      await context.sendActivity(say.AGENTS_ONLY);
      return;
    }
    const record = submit.handoffId ? await this.deps.handoffs.get(submit.handoffId) : undefined;
    if (!record) {
      await context.sendActivity(say.NO_SUCH_REQUEST);
      return;
    }
    if (submit.verb === Verb.TakeHandoff) return this.take(context, record, agent);
    const refusal = ownerRefusal(record, agent, submit.verb === Verb.RecordOutcome);
    if (refusal) {
      await this.desk.audit({ type: submit.verb, outcome: "failed", detail: record.status }, record, agent);
      await context.sendActivity(refusal);
      return;
    }
    switch (submit.verb) {
      case Verb.EndHandoff:
        return this.end(context, record, agent);
      case Verb.ChallengeSecret:
        return this.challengeSecret(context, record, agent);
      case Verb.ChallengeSms:
        return this.challengeSms(context, record, agent);
      case Verb.SendResetLink:
        return this.sendResetLink(context, record, agent);
      case Verb.UnlockAccount:
        return this.unlock(context, record, agent);
      default:
        return this.recordOutcome(context, record, agent, submit);
    }
  }

  private async take(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    const result = await this.deps.handoffs.take(record.id, agent, this.deps.services.clock());
    if (!result.ok) {
      await this.desk.audit({ type: Verb.TakeHandoff, outcome: "failed", detail: result.reason }, result.record ?? record, agent);
      const reply = result.reason === "taken" ? say.alreadyTaken(result.record?.agent?.name) : result.reason === "closed" ? say.ALREADY_ENDED : say.NO_SUCH_REQUEST;
      await context.sendActivity(reply);
      return;
    }
    const taken = result.record;
    const telemetry = this.deps.services.telemetry;
    telemetry?.count("helpdesk_handoffs_taken");
    if (taken.takenAt) telemetry?.observe("helpdesk_handoff_wait", Math.max(0, Date.parse(taken.takenAt) - Date.parse(taken.createdAt)) / 1000);
    await this.deps.jobs.cancel(timeoutJobId(taken.id));
    await this.desk.refresh(taken);
    await this.desk.note(taken, say.takenNote(agentName(taken), personName(taken)));
    const told = await this.desk.tellPerson(taken, { text: say.agentJoined(agent.name) });
    if (told.status !== "sent") await context.sendActivity(say.notDelivered(personName(taken), told.status));
    await this.desk.audit({ type: Verb.TakeHandoff, outcome: "passed" }, taken, agent);
  }

  /**
   * A message in the channel: in a request's thread from the agent who took it, it goes to the person. Any other
   * message in a request's thread is answered with why it was not passed on, mentioned or not, so an agent never
   * talks to no one. Elsewhere in the channel (its top, threads that are not requests), where agents talk among
   * themselves once the bot can read every message, the bot speaks up only when it is @mentioned.
   */
  private async onThreadMessage(context: TurnContext): Promise<void> {
    const threadId = context.activity.conversation.id;
    // Teams includes the bot's @mention (required for the bot to see a channel message); it is not part of what was said.
    const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? "").trim();
    const answerIfMentioned = async (reply: string): Promise<void> => {
      if (mentionsBot(context)) await context.sendActivity(reply);
    };
    if (channelOf(threadId) === threadId) return answerIfMentioned(say.CHANNEL_HELP);
    const record = await this.deps.handoffs.byThread(threadId);
    if (!record) return answerIfMentioned(say.NOT_A_REQUEST_THREAD);
    const person = personName(record);
    const agent = record.status === "active" && record.agent?.id === senderOf(context).id ? record.agent : undefined;
    if (!agent) {
      await context.sendActivity(notRelayed(record, person));
      return;
    }
    if (!text) {
      await context.sendActivity(say.TEXT_ONLY);
      return;
    }
    if (END.test(text)) return this.end(context, record, agent);
    const relayed = await this.desk.tellPerson(record, { text: say.fromHelpdesk(agent.name, text) });
    if (relayed.status !== "sent") await context.sendActivity(say.notDelivered(person, relayed.status));
  }

  /**
   * An agent edited or deleted a reply in the thread of the conversation they are having: the person keeps what was
   * passed on, so the agent is told. Anyone else's edits are of messages that were never passed on (and said so).
   */
  private async onThreadEdit(context: TurnContext): Promise<void> {
    const threadId = context.activity.conversation.id;
    if (channelOf(threadId) === threadId) return;
    const record = await this.deps.handoffs.byThread(threadId);
    if (record?.status !== "active" || record.agent?.id !== senderOf(context).id) return;
    const person = personName(record);
    const event = (context.activity.channelData as { eventType?: unknown } | undefined)?.eventType;
    if (context.activity.type === (ActivityTypes.MessageDelete as string)) await context.sendActivity(say.deleteNotRelayed(person));
    else if (event === undefined || event === "editMessage") await context.sendActivity(say.editNotRelayed(person));
  }

  private async end(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    const closed = await this.deps.handoffs.close(record.id, "agent", this.deps.services.clock());
    if (!closed) {
      await context.sendActivity(say.NO_SUCH_REQUEST);
      return;
    }
    const told = await this.desk.tellPerson(closed, { text: say.agentEnded(agent.name) });
    if (told.status !== "sent") await context.sendActivity(say.endNotDelivered(personName(closed)));
    await this.desk.refresh(closed);
    await this.desk.note(closed, say.agentClosed(agent.name ?? agentName(closed), personName(closed)));
    await this.desk.offerOutcome(closed);
    await this.desk.audit({ type: Verb.EndHandoff, outcome: "passed" }, closed, agent);
  }

  private async challengeSecret(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    const account = record.email ? await this.deps.services.directory.findByEmail(record.email) : undefined;
    const refusal = !record.email ? say.NO_ACCOUNT : !account?.accountSecretHash ? say.NO_SECRET : undefined;
    if (refusal) return this.refuse(context, record, agent, Verb.ChallengeSecret, refusal);
    await this.challenge(context, record, agent, {
      kind: "secret",
      verb: Verb.ChallengeSecret,
      prompt: say.SECRET_PROMPT,
      toPerson: say.secretRequested(agent.name),
      inThread: (person) => say.secretAsked(person),
    });
  }

  private async challengeSms(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    const { directory, throttles, codes, sender } = this.deps.services;
    const account = record.email ? await directory.findByEmail(record.email) : undefined;
    const mobile = account?.mobile;
    if (!record.email || !mobile) return this.refuse(context, record, agent, Verb.ChallengeSms, record.email ? say.NO_MOBILE : say.NO_ACCOUNT);
    if (!(await throttles.consume("codeSent", record.email)).allowed) return this.refuse(context, record, agent, Verb.ChallengeSms, say.TOO_MANY_CODES);
    const code = await codes.issue(codeSubject(record.id));
    await sender.send({ channel: "sms", to: mobile, text: say.helpdeskCodeText(code), reference: `handoff-${record.id}` });
    const hint = maskedHint(mobile);
    await this.challenge(context, record, agent, {
      kind: "sms",
      verb: Verb.ChallengeSms,
      prompt: say.codePrompt(hint),
      toPerson: say.codeRequested(agent.name, hint),
      inThread: (person) => say.codeSent(person, hint),
    });
  }

  private async sendResetLink(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    if (record.challenge?.result !== "verified") return this.refuse(context, record, agent, Verb.SendResetLink, say.VERIFY_FIRST);
    const told = await this.desk.tellPerson(record, { attachments: [helpCard({ title: say.resetLinkTitle(agent.name) })] });
    if (told.status !== "sent") return this.refuse(context, record, agent, Verb.SendResetLink, say.notDelivered(personName(record)));
    await this.desk.note(record, say.resetLinkSent(personName(record)));
    await this.desk.audit({ type: Verb.SendResetLink, outcome: "passed" }, record, agent);
  }

  private async unlock(context: TurnContext, record: HandoffRecord, agent: HandoffParty): Promise<void> {
    if (record.challenge?.result !== "verified" || !record.email) {
      return this.refuse(context, record, agent, Verb.UnlockAccount, record.email ? say.VERIFY_FIRST : say.NO_ACCOUNT);
    }
    await this.deps.services.throttles.reset(record.email);
    const told = await this.desk.tellPerson(record, { text: say.unlockedForPerson(agent.name) });
    await this.desk.note(record, say.UNLOCKED);
    // The block is lifted either way; the agent is told if the person could not be.
    if (told.status !== "sent") await context.sendActivity(say.notDelivered(personName(record), told.status));
    await this.desk.audit({ type: Verb.UnlockAccount, outcome: "passed" }, record, agent);
  }

  private async recordOutcome(context: TurnContext, record: HandoffRecord, agent: HandoffParty, submit: AgentSubmit): Promise<void> {
    const choice = Object.keys(OUTCOMES).find((key): key is OutcomeChoice => key === submit.outcome);
    if (!choice) {
      await context.sendActivity(say.CHOOSE_OUTCOME);
      return;
    }
    const note = redact((submit.note ?? "").slice(0, NOTE_LIMIT)).trim();
    const outcome = note ? `${OUTCOMES[choice]}. ${note}` : OUTCOMES[choice];
    const updated = (await this.deps.handoffs.update(record.id, (r) => ({ ...r, outcome }))) ?? record;
    const id = context.activity.replyToId;
    if (id) {
      // The form becomes a plain record of what was saved, so it is not saved twice.
      await context.updateActivity({ id, type: "message", attachments: [submittedCard({ title: "Outcome recorded", note: outcome })] }).catch(() => undefined);
    }
    await this.desk.note(updated, say.outcomeRecorded(agent.name ?? agentName(updated), outcome));
    await this.desk.refresh(updated);
    await this.desk.audit({ type: Verb.RecordOutcome, outcome: "passed", detail: choice }, updated, agent);
  }

  /** Starts an identity check on the record (a new check replaces the last one and its result). */
  /**
   * Asks the person for an identity check's answer in a masked box, records the check, and says so in the thread.
   * Which message holds the box is remembered, so that a channel that does not say which card was pressed (the web
   * chat) still has that card cleared once answered. Refused when the person cannot be reached.
   */
  private async challenge(
    context: TurnContext,
    record: HandoffRecord,
    agent: HandoffParty,
    check: { kind: "secret" | "sms"; verb: string; prompt: string; toPerson: string; inThread: (person: string) => string },
  ): Promise<void> {
    const askedAt = this.deps.services.clock().toISOString();
    const asked = (await this.deps.handoffs.update(record.id, (r) => ({ ...r, challenge: { kind: check.kind, askedAt } }))) ?? record;
    const told = await this.desk.tellPerson(asked, { text: check.toPerson, attachments: [handoffChallengeCard({ prompt: check.prompt, error: "" })] });
    if (told.status !== "sent") return this.refuse(context, asked, agent, check.verb, say.notDelivered(personName(asked)));
    const cardActivityId = told.activityId;
    if (cardActivityId) await this.deps.handoffs.update(asked.id, (r) => (r.challenge ? { ...r, challenge: { ...r.challenge, cardActivityId } } : r));
    await this.desk.note(asked, check.inThread(personName(asked)));
    await this.desk.refresh(asked);
    await this.desk.audit({ type: check.verb, outcome: "passed" }, asked, agent);
  }

  private async refuse(context: TurnContext, record: HandoffRecord, agent: HandoffParty, verb: string, reply: string): Promise<void> {
    await this.desk.audit({ type: verb, outcome: "failed", detail: "refused" }, record, agent);
    await context.sendActivity(reply);
  }
}

/** Why this agent may not act on the request now; undefined when they may (the agent who took it, while active). */
function ownerRefusal(record: HandoffRecord, agent: HandoffParty | undefined, closedIsFine: boolean): string | undefined {
  if (record.status === "waiting") return say.TAKE_FIRST;
  if (record.status === "closed" && (!closedIsFine || !record.agent)) return say.ALREADY_ENDED;
  if (record.agent?.id !== agent?.id) return say.notYours(record.agent?.name);
  return undefined;
}

/** Why a reply in a request's thread is not passed on to the person: not taken yet, ended, or another agent's. */
function notRelayed(record: HandoffRecord, person: string): string {
  if (record.status === "closed") return say.notRelayedEnded(person);
  if (record.status === "waiting" || !record.agent) return say.notRelayedWaiting(person);
  return say.notRelayedNotYours(person, record.agent.name);
}
