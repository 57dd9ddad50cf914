import type { Attachment } from "botbuilder";
import { checklistCard } from "../../cards/render";
import type { ChecklistTaskLine } from "../../cards/render";
import type { Account } from "../directory/account";
import { checklistOf } from "./checklist";
import type { FirstLoginTask, TaskStatus } from "./checklist";
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

const STATUS: Record<TaskStatus, { status: string; statusColor: string }> = {
  done: { status: "Done", statusColor: "Good" },
  ready: { status: "To do", statusColor: "Accent" },
  waiting: { status: "Waiting", statusColor: "Default" },
};

/**
 * The first-login checklist card for an account: each task with its state, a button for each task that is ready,
 * whether MFA is required, and when email sending should work.
 */
export function checklistCardFor(account: Account, options: { syncMinutes: number; now: Date }): Attachment {
  const checklist = checklistOf(account, options.syncMinutes);
  const tasks = checklist.tasks.map(({ task, status }, index): ChecklistTaskLine => {
    const text = TASK_TEXT[task];
    const detail = status === "waiting" ? text.waiting : text.detail;
    return { task, number: index + 1, title: text.title, detail, action: status === "ready" ? text.action : "", ...STATUS[status] };
  });
  const ready = checklist.syncReadyAt;
  const syncNote = !ready
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
    mfaNote: checklist.mfa.reason,
    syncNote,
    complete: checklist.complete,
  });
}
