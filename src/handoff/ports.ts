/** Where a handoff stands: waiting for an agent, taken by one, or over. */
export type HandoffStatus = "waiting" | "active" | "closed";

/** A Teams user taking part in a handoff (the person, or the agent). */
export interface HandoffParty {
  /** The channel's user id (29:…). */
  id: string;
  /** The Entra object id, when Teams gives one. */
  aadObjectId?: string;
  name?: string;
}

/** One line of a redacted transcript. */
export interface TranscriptLine {
  from: "user" | "bot";
  /** Already redacted: no password, code, secret or phone digits other than the last two. */
  text: string;
  at: string;
}

/** Why a handoff was asked for. */
export type HandoffTrigger = "asked" | "locked-out" | "repeated-failures" | "no-method" | "first-login" | "service-problem";

/** One request for a person, kept in the store (survives restarts; changed only with compare-and-set). */
export interface HandoffRecord {
  id: string;
  status: HandoffStatus;
  /** The person asking, and their personal chat with the bot. */
  user: HandoffParty;
  userConversationId: string;
  /** The account concerned (lower-case), when known. */
  email?: string;
  trigger: HandoffTrigger;
  /** The step that failed, in words ("the verification code"), when there was one. */
  failedStep?: string;
  /** Where the person is asking from: Teams (absent, for records made before the web chat) or the web chat page. */
  via?: "teams" | "web";
  transcript: TranscriptLine[];
  createdAt: string;
  takenAt?: string;
  agent?: HandoffParty;
  /** The request card in the agents' channel, and the conversation id of its reply thread. */
  requestActivityId?: string;
  threadId?: string;
  closedAt?: string;
  closedBy?: "user" | "agent" | "timeout";
  /** The latest identity check the agent asked for, and its result (never the secret or code). */
  challenge?: { kind: "secret" | "sms"; askedAt: string; result?: "verified" | "not-verified"; cardActivityId?: string };
  /** What the agent recorded at the end. */
  outcome?: string;
}

/**
 * A person's answer, inside their new account's synchronisation window, to "is it about something other than sending
 * email?": asked once per window, then remembered until the window ends.
 */
export type SyncAnswer = "something-else" | "email";

/** What a person's request is made of: who, where, which account, why, and the chat so far. */
export type HandoffRequest = Pick<HandoffRecord, "user" | "userConversationId" | "email" | "trigger" | "failedStep" | "transcript" | "via">;

/** What {@link HandoffStore.take} did. */
export type TakeResult = { ok: true; record: HandoffRecord } | { ok: false; record?: HandoffRecord; reason: "taken" | "closed" | "missing" };

/** Handoff records in the state store. */
export interface HandoffStore {
  /** Creates a waiting handoff (or returns the person's open one) and puts it at the back of the queue. */
  create(input: Omit<HandoffRecord, "id" | "status" | "createdAt"> & { at: Date }): Promise<HandoffRecord>;
  get(id: string): Promise<HandoffRecord | undefined>;
  /** The person's waiting or active handoff, if any. */
  openForUser(userId: string): Promise<HandoffRecord | undefined>;
  /** The handoff whose request thread this channel conversation is, if any. */
  byThread(threadId: string): Promise<HandoffRecord | undefined>;
  /** Waiting → active for exactly one agent, even when several press Take at once (compare-and-set). */
  take(id: string, agent: HandoffParty, at: Date): Promise<TakeResult>;
  /** Closes an open handoff (idempotent: a closed one is returned unchanged). Leaves the queue. */
  close(id: string, by: NonNullable<HandoffRecord["closedBy"]>, at: Date): Promise<HandoffRecord | undefined>;
  /** Any other change, with compare-and-set; the change function may be called more than once. */
  update(id: string, change: (record: HandoffRecord) => HandoffRecord): Promise<HandoffRecord | undefined>;
  /** 1-based place in the queue of a waiting handoff; undefined when it is not waiting. */
  position(id: string): Promise<number | undefined>;
  /** How many handoffs are waiting for an agent now. */
  queueLength(): Promise<number>;
  /** Minutes a new request at this position can expect to wait: from recent waits, else the configured average. */
  estimateMinutes(position: number): Promise<number>;
  /** The person's answer to the synchronisation-window question, if they gave one for a window that ends after `at`. */
  syncAnswer(userId: string, at: Date): Promise<SyncAnswer | undefined>;
  /** Remembers the person's answer until `until`, the end of their synchronisation window. */
  rememberSyncAnswer(userId: string, answer: SyncAnswer, until: Date, at: Date): Promise<void>;
}

/** What opening a request did: queued (with the place in the queue), or no agents' channel to send it to. */
export type OpenResult = { status: "queued"; record: HandoffRecord; position: number; estimateMinutes: number } | { status: "no-agents" };

/** What a person's answer to an identity check came to (the agent sees only this). */
export type ChallengeOutcome = "verified" | "not-verified" | "no-challenge";

/**
 * The helpdesk desk: the one place that moves a handoff between the person's chat and the agents' channel ("bot as
 * proxy": Teams refuses `handoff.initiate`, so the bot relays messages itself).
 */
export interface HandoffDesk {
  /** Stores the request, posts its card in the agents' channel and schedules its timeout. */
  open(request: HandoffRequest): Promise<OpenResult>;
  /** The person's open handoff, if any (for routing their messages). */
  openFor(userId: string): Promise<HandoffRecord | undefined>;
  /** A message from the person: to the agent's thread when taken; added to the request while waiting. */
  fromUser(record: HandoffRecord, text: string): Promise<void>;
  /** The person ends the conversation (or cancels the request). */
  endByUser(record: HandoffRecord): Promise<void>;
  /** The person's answer to the agent's identity check; the agent is told only the outcome. */
  answerChallenge(record: HandoffRecord, answer: string): Promise<ChallengeOutcome>;
  /** The person's answer to the synchronisation-window question, while that window lasts (so it is asked once). */
  syncAnswer(userId: string): Promise<SyncAnswer | undefined>;
  /** Remembers the person's answer for the rest of their synchronisation window, which ends `minutesLeft` from now. */
  rememberSyncAnswer(userId: string, answer: SyncAnswer, minutesLeft: number): Promise<void>;
}
