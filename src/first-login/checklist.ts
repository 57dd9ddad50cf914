import type { Account } from "../directory/account";
import { mfaRequirement } from "./mfa-rule";
import type { MfaRequirement } from "./mfa-rule";

/** The four first-login tasks, in the order the NHSmail guide sets. */
export const FIRST_LOGIN_TASKS = ["password", "aup", "profile", "mfa"] as const;

/** A first-login task. */
export type FirstLoginTask = (typeof FIRST_LOGIN_TASKS)[number];

/** Where a task stands: done, ready to do, or waiting for an earlier task. */
export type TaskStatus = "done" | "ready" | "waiting";

/** One line of the checklist. */
export interface TaskState {
  task: FirstLoginTask;
  status: TaskStatus;
}

/** The whole checklist of an account. */
export interface Checklist {
  tasks: TaskState[];
  /** The first task that is ready, if any. */
  next?: FirstLoginTask;
  complete: boolean;
  mfa: MfaRequirement;
  /** When email sending should work (AUP acceptance + the sync window), if the AUP has been accepted. */
  syncReadyAt?: Date;
}

/** True when a task is done for the account. */
export function isDone(account: Account, task: FirstLoginTask): boolean {
  switch (task) {
    case "password":
      return !account.temporaryPassword;
    case "aup":
      return Boolean(account.aupAcceptedAt);
    case "profile":
      return Boolean(account.profileUpdatedAt && account.accountSecretHash);
    case "mfa":
      return Boolean(account.mfaEnrolledAt);
  }
}

/**
 * The checklist of an account. Order rules: the temporary password is changed first; the Acceptable Use Policy
 * comes next; until it is accepted, the profile and MFA tasks wait.
 *
 * @param syncMinutes - how long account synchronisation takes after the AUP is accepted (120 for NHSmail)
 */
export function checklistOf(account: Account, syncMinutes: number): Checklist {
  const passwordDone = isDone(account, "password");
  const aupDone = isDone(account, "aup");
  const tasks = FIRST_LOGIN_TASKS.map((task): TaskState => {
    if (isDone(account, task)) return { task, status: "done" };
    const ready = task === "password" || (task === "aup" ? passwordDone : passwordDone && aupDone);
    return { task, status: ready ? "ready" : "waiting" };
  });
  const accepted = account.aupAcceptedAt ? Date.parse(account.aupAcceptedAt) : undefined;
  return {
    tasks,
    next: tasks.find((t) => t.status === "ready")?.task,
    complete: tasks.every((t) => t.status === "done"),
    mfa: mfaRequirement(account),
    syncReadyAt: accepted === undefined ? undefined : new Date(accepted + syncMinutes * 60_000),
  };
}

/** Whole minutes until the account's synchronisation window ends (rounded up), or undefined when outside it. */
export function syncMinutesLeft(account: Account, syncMinutes: number, now: Date): { minutesLeft: number; readyAt: Date } | undefined {
  const readyAt = checklistOf(account, syncMinutes).syncReadyAt;
  if (!readyAt || readyAt.getTime() <= now.getTime()) return undefined;
  return { minutesLeft: Math.ceil((readyAt.getTime() - now.getTime()) / 60_000), readyAt };
}
