/** A text or email the stand-in accepted. */
export interface NotifyNotification {
  type: "sms" | "email";
  /** The phone number or email address, as sent. */
  to: string;
  templateId: string;
  personalisation: Record<string, unknown>;
  reference?: string;
  /** The template's content with the personalisation filled in. */
  body: string;
  /** The email template's subject with the personalisation filled in. */
  subject?: string;
  receivedAt: Date;
}

/** One request the stand-in received, whatever became of it. */
export interface NotifyRequest {
  method: string;
  path: string;
  /** What it answered; undefined while a request is held unanswered. */
  status?: number;
  /** Notify's error name, when it answered with one. */
  error?: string;
  receivedAt: Date;
}
