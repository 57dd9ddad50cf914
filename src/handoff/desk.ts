import type { Telemetry } from "../telemetry/telemetry";
import type { Activity, TurnContext } from "botbuilder";
import { handoffOutcomeCard, helpdeskContactCard } from "../../cards/render";
import type { AuditEvent, AuditLog } from "../audit/audit-log";
import type { Directory } from "../directory/directory";
import { JobKind } from "../jobs/job-kinds";
import type { JobScheduler } from "../jobs/job-scheduler";
import type { Logger } from "../logger";
import type { MessageSender } from "../messaging/message-sender";
import type { PasswordHasher } from "../policy";
import type { ProactiveOutcome, UserMessenger } from "../proactive/user-messenger";
import type { OneTimeCodes, Throttles } from "../verification/ports";
import { AgentDesk } from "./agent-desk";
import type { AgentsChannel } from "./agents-channel";
import type { ChallengeOutcome, HandoffDesk, HandoffParty, HandoffRecord, HandoffStore, OpenResult, SyncAnswer } from "./ports";
import { redact } from "./redact";
import { codeSubject, timeoutJobId } from "./subjects";
import { personName, requestCard } from "./request-card";
import { NOBODY_FREE, RECORD_OUTCOME, fromPerson, identityResult, personLeft, timedOutNote } from "./wording";

/** The services the desk uses; the reset journey's services fit. */
export interface DeskServices {
  directory: Pick<Directory, "findByEmail">;
  codes: OneTimeCodes;
  sender: MessageSender;
  audit: AuditLog;
  hasher: Pick<PasswordHasher, "verify">;
  throttles: Throttles;
  /** A pseudonymous, stable id for a person's Teams user (audit of the person's own steps). */
  pseudonym(userId: string): string;
  clock: () => Date;
  helpdesk: { phone: string; email: string };
  /** Counts requests, takes, timeouts, waits and the queue, for the metrics. */
  telemetry?: Telemetry;
}

/** What {@link TeamsHandoffDesk} needs. */
export interface HandoffDeskDependencies {
  handoffs: HandoffStore;
  channel: AgentsChannel;
  messenger: Pick<UserMessenger, "send">;
  jobs: Pick<JobScheduler, "schedule" | "cancel">;
  services: DeskServices;
  /** HANDOFF_TIMEOUT_MINUTES: a request nobody takes within this is closed and the person given the helpdesk's details. */
  timeoutMinutes: number;
  logger: Logger;
}

/** The payload of a {@link JobKind.HandoffTimeout} job. */
export interface HandoffTimeoutPayload {
  handoffId: string;
}

/** Handles what happens in the agents' channel (and agent buttons pressed anywhere); give it every such turn. */
export type AgentActivityHandler = (context: TurnContext) => Promise<void>;

/**
 * The helpdesk desk over Teams ("bot as proxy"): requests go to the agents' channel as cards, the person's messages
 * go to the request's thread and the agent's replies come back to the person. This class is the person's side and
 * the shared plumbing; {@link AgentDesk} is the agents' side.
 */
export class TeamsHandoffDesk implements HandoffDesk {
  constructor(private readonly deps: HandoffDeskDependencies) {}

  async open(request: Parameters<HandoffDesk["open"]>[0]): Promise<OpenResult> {
    const { handoffs, channel, jobs, services } = this.deps;
    if (!(await channel.reachable())) return { status: "no-agents" };
    const now = services.clock();
    let record = await handoffs.create({ ...request, at: now });
    if (!record.requestActivityId) {
      const posted = await channel.post({ attachments: [requestCard(record)] }).catch((err: unknown) => {
        this.deps.logger.warn({ err: { message: (err as Error).message } }, "handoff request not posted in the agents' channel");
        return undefined;
      });
      if (!posted) {
        // Nobody can see it, so it must not hold the person in a queue.
        await handoffs.close(record.id, "timeout", now);
        return { status: "no-agents" };
      }
      record = (await handoffs.update(record.id, (r) => ({ ...r, requestActivityId: posted.activityId, threadId: posted.threadId }))) ?? record;
      await jobs.schedule<HandoffTimeoutPayload>(JobKind.HandoffTimeout, timeoutJobId(record.id), new Date(now.getTime() + this.deps.timeoutMinutes * 60_000), {
        handoffId: record.id,
      });
      await this.audit({ type: "handoff.requested", outcome: "info", detail: record.trigger }, record, undefined);
      this.deps.services.telemetry?.count("helpdesk_handoffs_requested", { trigger: record.trigger });
    }
    const position = (await handoffs.position(record.id)) ?? 1;
    return { status: "queued", record, position, estimateMinutes: await handoffs.estimateMinutes(position) };
  }

  openFor(userId: string): Promise<HandoffRecord | undefined> {
    return this.deps.handoffs.openForUser(userId);
  }

  async fromUser(record: HandoffRecord, text: string): Promise<void> {
    const current = await this.deps.handoffs.get(record.id);
    if (!current?.threadId || current.status === "closed") return;
    if (await this.isPendingSecret(current, text)) {
      await this.note(current, `${personName(current)} typed their answer in the chat instead of the box, so I didn't pass it on. Ask again if you need to.`);
      await this.tellPerson(current, { text: "Please type your account secret only in the box on the card, not in the chat. I haven't passed that message on." });
      return;
    }
    const clean = redact(text);
    const waiting = current.status === "waiting";
    if (waiting) {
      const line = { from: "user" as const, text: clean, at: this.deps.services.clock().toISOString() };
      await this.deps.handoffs.update(current.id, (r) => ({ ...r, transcript: [...r.transcript, line] }));
    }
    // The person's own turn: if the thread is unreachable they are told (turn error), rather than talking to no one.
    await this.deps.channel.postInThread(current.threadId, { text: fromPerson(personName(current), clean, waiting) });
  }

  async endByUser(record: HandoffRecord): Promise<void> {
    const current = await this.deps.handoffs.get(record.id);
    if (!current || current.status === "closed") return;
    const closed = await this.deps.handoffs.close(record.id, "user", this.deps.services.clock());
    if (!closed) return;
    await this.deps.jobs.cancel(timeoutJobId(closed.id));
    await this.refresh(closed);
    await this.note(closed, personLeft(personName(closed)));
    if (closed.agent) await this.offerOutcome(closed);
    await this.audit({ type: "handoff.left", outcome: "info", detail: current.status }, closed, undefined);
  }

  async answerChallenge(record: HandoffRecord, answer: string): Promise<ChallengeOutcome> {
    const { handoffs, services } = this.deps;
    const current = await handoffs.get(record.id);
    const check = current?.challenge;
    if (!current || current.status !== "active" || !check || check.result) return "no-challenge";
    const verified = check.kind === "secret" ? await this.secretMatches(current.email, answer) : (await services.codes.verify(codeSubject(current.id), answer)) === "ok";
    const result = verified ? "verified" : "not-verified";
    // One answer per check: a second answer (or a race) finds the result already set and changes nothing.
    let answered = false;
    const updated = await handoffs.update(current.id, (r) => {
      answered = r.challenge?.askedAt === check.askedAt && !r.challenge.result;
      return answered && r.challenge ? { ...r, challenge: { ...r.challenge, result } } : r;
    });
    if (!answered || !updated) return "no-challenge";
    await this.note(updated, identityResult(check.kind, verified));
    await this.refresh(updated);
    await this.audit({ type: "handoff.identity", outcome: verified ? "passed" : "failed", detail: check.kind }, updated, undefined);
    return result;
  }

  syncAnswer(userId: string): Promise<SyncAnswer | undefined> {
    return this.deps.handoffs.syncAnswer(userId, this.deps.services.clock());
  }

  async rememberSyncAnswer(userId: string, answer: SyncAnswer, minutesLeft: number): Promise<void> {
    const now = this.deps.services.clock();
    await this.deps.handoffs.rememberSyncAnswer(userId, answer, new Date(now.getTime() + minutesLeft * 60_000), now);
  }

  /** The timeout job: a request still waiting is closed, and the person is given the helpdesk's contact details. */
  async onTimeout(payload: HandoffTimeoutPayload): Promise<void> {
    const { handoffs, services } = this.deps;
    const at = services.clock().toISOString();
    // Closed only if still waiting, in one compare-and-set: an agent pressing Take at the same moment wins or loses cleanly.
    let expired = false;
    const record = await handoffs.update(payload.handoffId, (r) => {
      expired = r.status === "waiting";
      return expired ? { ...r, status: "closed", closedBy: "timeout", closedAt: at } : r;
    });
    if (!expired || !record) return;
    await handoffs.close(record.id, "timeout", new Date(at)); // leaves the queue and frees the person for a new request
    const { phone, email } = services.helpdesk;
    await this.tellPerson(record, { text: NOBODY_FREE, attachments: [helpdeskContactCard({ reason: "", phone, email })] });
    await this.refresh(record);
    await this.note(record, timedOutNote(this.deps.timeoutMinutes, personName(record)));
    await this.audit({ type: "handoff.timeout", outcome: "info" }, record, undefined);
    this.deps.services.telemetry?.count("helpdesk_handoffs_timed_out");
  }

  // ---- Shared with the agents' side ----

  /** Updates the request card in place from the stored record. Best effort: a stale card is not worth a failed turn. */
  async refresh(record: HandoffRecord): Promise<void> {
    const latest = (await this.deps.handoffs.get(record.id)) ?? record;
    if (!latest.requestActivityId || !latest.threadId) return;
    try {
      await this.deps.channel.update({ activityId: latest.requestActivityId, threadId: latest.threadId }, { attachments: [requestCard(latest)] });
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message } }, "handoff request card not updated");
    }
  }

  /** Posts a note for the agents in the request's thread. Best effort. */
  async note(record: HandoffRecord, text: string): Promise<void> {
    if (!record.threadId) return;
    try {
      await this.deps.channel.postInThread(record.threadId, { text });
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message } }, "note not posted in the request's thread");
    }
  }

  /** Posts the outcome form in the request's thread. */
  async offerOutcome(record: HandoffRecord): Promise<void> {
    if (!record.threadId) return;
    try {
      await this.deps.channel.postInThread(record.threadId, { text: RECORD_OUTCOME, attachments: [handoffOutcomeCard({ handoffId: record.id })] });
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message } }, "outcome form not posted");
    }
  }

  /** Sends the person a message in their chat with the bot. Never throws for a delivery failure. */
  async tellPerson(record: HandoffRecord, activity: Partial<Activity>): Promise<ProactiveOutcome> {
    const outcome = await this.deps.messenger.send(record.user.aadObjectId ?? record.user.id, activity);
    if (outcome.status !== "sent") this.deps.logger.warn({ outcome: outcome.status }, "helpdesk message not delivered to the person");
    return outcome;
  }

  /** Records an audit event about a request: by the agent (their Entra id, or Teams id), else by the person (pseudonym). */
  async audit(event: Pick<AuditEvent, "type" | "outcome" | "detail">, record: HandoffRecord | undefined, agent: HandoffParty | undefined): Promise<void> {
    const { services } = this.deps;
    const actor = agent ? (agent.aadObjectId ?? agent.id) : record ? services.pseudonym(record.user.aadObjectId ?? record.user.id) : undefined;
    await services.audit.record({ ...event, email: record?.email, actor, at: services.clock().toISOString() });
  }

  /** True when the account secret is what the person typed. A missing account or secret never matches. */
  async secretMatches(email: string | undefined, answer: string): Promise<boolean> {
    const account = email ? await this.deps.services.directory.findByEmail(email) : undefined;
    const hash = account?.accountSecretHash;
    return hash !== undefined && (await this.deps.services.hasher.verify(answer.trim(), hash));
  }

  /** True when the agent is waiting for the account secret and the person typed it as a chat message instead. */
  private async isPendingSecret(record: HandoffRecord, text: string): Promise<boolean> {
    const check = record.challenge;
    if (record.status !== "active" || check?.kind !== "secret" || check.result || text.length > 64) return false;
    return this.secretMatches(record.email, text);
  }
}

/** What {@link createHandoffDesk} builds: the person's desk, and the agents' handler for the app. */
export interface HandoffWiring {
  desk: TeamsHandoffDesk;
  /** For every activity in the agents' channel, and every agent button pressed anywhere. */
  onAgentActivity: AgentActivityHandler;
  /** True for the activities {@link HandoffWiring.onAgentActivity} is for. */
  isAgentActivity(context: TurnContext): boolean;
}

/**
 * Builds the desk and the agents' handler, and registers the timeout job's handler with the scheduler.
 *
 * @param deps - as for {@link TeamsHandoffDesk}, with the scheduler's `handle`
 */
export function createHandoffDesk(deps: HandoffDeskDependencies & { jobs: Pick<JobScheduler, "schedule" | "cancel" | "handle"> }): HandoffWiring {
  const desk = new TeamsHandoffDesk(deps);
  const agents = new AgentDesk(desk, deps);
  deps.jobs.handle<HandoffTimeoutPayload>(JobKind.HandoffTimeout, (payload) => desk.onTimeout(payload));
  // Read from the shared store at each collection, so every instance reports the queue as it stands.
  deps.services.telemetry?.watch("helpdesk_handoff_queue_length", () => deps.handoffs.queueLength());
  return {
    desk,
    onAgentActivity: (context) => agents.onActivity(context),
    isAgentActivity: (context) => agents.isFor(context),
  };
}
