import type { Attachment } from "botbuilder";
import { checklistCard } from "../../cards/render";
import type { ChecklistTaskLine } from "../../cards/render";
import type { Account } from "../directory/account";
import { checklistOf, isDone } from "./checklist";
import type { Checklist, FirstLoginTask, TaskStatus } from "./checklist";
import { ukTime } from "../uk-time";

/** What each task is called on the checklist, what it involves, and its button. */
const TASK_TEXT: Record<FirstLoginTask, { title: string; detail: string; waiting: string; action: string }> = {
  password: {
    title: "Change your temporary password",
    detail: "Your local administrator gave you a temporary password: replace it with one only you know.",
    waiting: "",
    action: "Change it now",
  },
  aup: {
    title: "Accept the Acceptable Use Policy",
    detail: "How to use NHSmail properly and keep the information you share safe.",
    waiting: "After you change your temporary password.",
    action: "Read and accept",
  },
  profile: {
    title: "Update your profile and set your account secret",
    detail: "Your job details, and a secret word the helpdesk will ask for to check it's you.",
    waiting: "After you accept the Acceptable Use Policy.",
    action: "Update my profile",
  },
  mfa: {
    title: "Enrol for multi-factor authentication (MFA)",
    detail: "An authenticator app or text messages, to keep your account safe.",
    waiting: "After you accept the Acceptable Use Policy.",
    action: "Set up MFA",
  },
};

// Only the task to do next is coloured (Accent: legible in Teams' light and dark themes alike).
const STATUS: Record<TaskStatus, { status: string; highlight: boolean }> = {
  done: { status: "Done", highlight: false },
  ready: { status: "To do", highlight: true },
  waiting: { status: "Waiting", highlight: false },
};

/** What the checklist says about MFA: once enrolled, how the codes come (no more "required"); before, whether it's required and why. */
function mfaNoteFor(account: Account, checklist: Checklist): string {
  if (!isDone(account, "mfa")) return checklist.mfa.reason;
  return account.mfaMethod === "sms"
    ? "You're set up for MFA: when NHSmail asks for a code, use the one texted to your mobile."
    : "You're set up for MFA: when NHSmail asks for a code, use the one your authenticator app shows.";
}

/**
 * The line under a finished checklist, true at the time it is drawn: while the account is still synchronising, when
 * email sending works; after that, that the account is ready to use.
 */
function completeNoteFor(syncReadyAt: Date | undefined, now: Date): string {
  return syncReadyAt && syncReadyAt.getTime() > now.getTime()
    ? `All four tasks are done. Thank you — email sending works from about ${ukTime(syncReadyAt)}, once your account has synchronised.`
    : "All four tasks are done. Thank you — your NHSmail account is ready to use.";
}

/**
 * The first-login checklist card for an account: each task with its state, a button for each task that is ready,
 * whether MFA is required, and when email sending should work. A finished checklist says only what is true now.
 */
export function checklistCardFor(account: Account, options: { syncMinutes: number; now: Date }): Attachment {
  const checklist = checklistOf(account, options.syncMinutes);
  const tasks = checklist.tasks.map(({ task, status }, index): ChecklistTaskLine => {
    const text = TASK_TEXT[task];
    const detail = status === "waiting" ? text.waiting : text.detail;
    return { task, number: index + 1, title: text.title, detail, action: status === "ready" ? text.action : "", ...STATUS[status] };
  });
  const ready = checklist.syncReadyAt;
  // A finished checklist says when email works in its closing line instead.
  const syncNote = !ready || checklist.complete
    ? ""
    : ready.getTime() > options.now.getTime()
      ? `Email sending works once your account has synchronised: allow up to ${Math.round(options.syncMinutes / 60 * 10) / 10} hours, until about ${ukTime(ready)}.`
      : "Your account has synchronised: you can send email.";
  const name = account.firstName ?? account.displayName?.split(/\s+/)[0];
  return checklistCard({
    greeting: checklist.complete
      ? `${name ? `${name}, you` : "You"}'ve completed your first login.`
      : `${name ? `Welcome to NHSmail, ${name}.` : "Welcome to NHSmail."} There are four tasks to complete before you can use your account. I'll guide you through each one here.`,
    tasks,
    mfaNote: mfaNoteFor(account, checklist),
    syncNote,
    complete: checklist.complete,
    completeNote: checklist.complete ? completeNoteFor(ready, options.now) : "",
  });
}
