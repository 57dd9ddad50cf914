import type { Attachment } from "botbuilder";
import { handoffRequestCard } from "../../cards/render";
import type { HandoffRequestCardData } from "../../cards/render";
import { ukTime } from "../uk-time";
import type { HandoffRecord, HandoffTrigger } from "./ports";
import { maskEmail, redact } from "./redact";
import { authorOf } from "./transcript";
import { kindWords, replyHint } from "./wording";

/** Transcript lines a request card holds: the latest ones (the whole transcript stays in the store). */
export const CARD_TRANSCRIPT_LINES = 20;
/** Of those, the latest shown at once; the rest are behind "Show the whole chat", so the card stays short. */
export const CARD_LATEST_LINES = 4;

/** Why a person asked, in the agents' words. */
const WHY: Record<HandoffTrigger, string> = {
  asked: "Asked to talk to a person",
  "locked-out": "Locked out after too many attempts",
  "repeated-failures": "Several failed attempts",
  "no-method": "No registered way to prove who they are",
  "first-login": "Needs help with their first login",
  "service-problem": "A text, email or account change failed on our side",
};

/** How each outcome an agent can record reads. */
export const OUTCOMES = {
  resolved: "Resolved",
  reset: "Sent back to the self-service reset",
  unlocked: "Account unlocked",
  referred: "Referred to the service desk",
  unverified: "Couldn't confirm who they are",
  other: "Other",
} as const;

/** An outcome an agent can record. */
export type OutcomeChoice = keyof typeof OUTCOMES;

/** The person's name as agents see it. */
export function personName(record: HandoffRecord): string {
  return record.user.name?.trim() || "The person";
}

/** The agent's name as agents see it. */
export function agentName(record: HandoffRecord): string {
  return record.agent?.name?.trim() || "another agent";
}

/** The request's state in words. */
function statusOf(record: HandoffRecord): string {
  if (record.status === "waiting") return `Waiting since ${ukTime(record.createdAt)}`;
  if (record.status === "active") return `Taken by ${agentName(record)}${record.takenAt ? ` at ${ukTime(record.takenAt)}` : ""}`;
  const when = record.closedAt ? ` at ${ukTime(record.closedAt)}` : "";
  const how =
    record.closedBy === "timeout" ? "nobody took it in time" : record.closedBy === "agent" ? `ended by ${agentName(record)}` : `${personName(record)} left`;
  return `Closed${when}: ${how}${record.outcome ? `. Outcome: ${record.outcome}` : ""}`;
}

/** The identity check's state in words; empty when none was asked for. */
function identityOf(record: HandoffRecord): string {
  const check = record.challenge;
  if (!check) return "";
  const kind = kindWords(check.kind);
  if (!check.result) return `Asked for the ${kind} at ${ukTime(check.askedAt)}: waiting for the answer`;
  return `${kind[0].toUpperCase()}${kind.slice(1)}: ${check.result === "verified" ? "verified" : "not verified"}`;
}

/** The request card's data: masked address, redacted transcript (again, whoever wrote it), state and actions. */
export function requestCardData(record: HandoffRecord): HandoffRequestCardData {
  const who = personName(record);
  const lines = record.transcript
    .slice(-CARD_TRANSCRIPT_LINES)
    .map((line) => ({ from: line.from === "user" ? who : "Bot", text: redact(line.text, { author: authorOf(line) }) }));
  const split = Math.max(0, lines.length - CARD_LATEST_LINES);
  return {
    handoffId: record.id,
    who,
    email: record.email ? maskEmail(record.email) : "not given",
    why: WHY[record.trigger],
    via: record.via === "web" ? "The web chat page (not signed in to Teams)" : "Teams",
    step: record.failedStep ? redact(record.failedStep) : "",
    latest: lines.slice(split),
    earlier: lines.slice(0, split),
    replyHint: replyHint(who, record.status),
    since: ukTime(record.createdAt),
    status: statusOf(record),
    waiting: record.status === "waiting",
    active: record.status === "active",
    identity: identityOf(record),
    verified: record.status === "active" && record.challenge?.result === "verified",
  };
}

/** The request card of a handoff, as it stands. */
export function requestCard(record: HandoffRecord): Attachment {
  return handoffRequestCard(requestCardData(record));
}
