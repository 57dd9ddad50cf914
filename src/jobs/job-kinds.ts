/** The kinds of scheduled job, each spelled once. */
export const JobKind = {
  /** The "email should work now" follow-up, at AUP acceptance + the sync window. Payload `{ email }`. */
  SyncFollowUp: "firstLogin.syncReady",
  /** The recurring sweep that sends MFA and password-expiry reminders. */
  ReminderSweep: "reminders.sweep",
  /** A handoff request nobody took in time. Payload `{ handoffId }`. */
  HandoffTimeout: "handoff.timeout",
  /** The morning summary in the agents' channel, once a day at SUMMARY_TIME. Payload `{ until }` (ISO 8601). */
  DailySummary: "summary.daily",
} as const;
