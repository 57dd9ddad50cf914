/** One gate of a journey, passed or failed. Never holds a secret: no password, code, TOTP secret or phone digits. */
export interface AuditEvent {
  /** e.g. "reset.started", "reset.captcha", "reset.identity", "reset.completed", "reset.blocked". */
  type: string;
  outcome: "passed" | "failed" | "blocked" | "info";
  /** The account concerned (lower-case email), when there is one. */
  email?: string;
  /** A pseudonymous id of the Teams user. */
  actor?: string;
  /** Short, non-secret detail, e.g. the method ("sms") or the reason ("wrong-code"). */
  detail?: string;
  /** ISO time; filled in when recorded if absent. */
  at?: string;
}

/** Where audit events go: kept in the store and readable by administrators. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Events, newest first (each with its `at`), optionally for one account. */
  list(options?: { email?: string; limit?: number }): Promise<AuditEvent[]>;
}
