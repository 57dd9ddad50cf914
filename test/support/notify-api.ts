/**
 * The GOV.UK Notify API stand-in tests import: the {@link NotifyApi} class (its state, knobs and request handling)
 * and, re-exported, the types of what it records. Its checks live in `./notify/`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { parseNotifyApiKey } from "../../src/messaging/notify-sender";
import { authenticate } from "./notify/authorisation";
import { NotifyProblem, problem } from "./notify/problems";
import type { NotifyNotification, NotifyRequest } from "./notify/records";
import { fill, personalised, placeholders, SMS_CHARACTER_LIMIT } from "./notify/templates";
import type { Template } from "./notify/templates";
import { FIELDS, parseBody, validationErrors } from "./notify/validation";

export type { NotifyNotification, NotifyRequest } from "./notify/records";

/** What to do with the next request instead of handling it. */
type Override = { kind: "fail"; status: number; errorName: string; message: string; headers: Record<string, string> } | { kind: "hang" };

/**
 * A local stand-in for the GOV.UK Notify API (api.notifications.service.gov.uk cannot be used from tests), speaking
 * its wire format so that the real notifications-node-client is exercised: `POST /v2/notifications/sms` and
 * `/v2/notifications/email` with `Authorization: Bearer <JWT>` checked as Notify checks it (header
 * `{"typ":"JWT","alg":"HS256"}`, `iss` a known service id, `iat` within 30 seconds, signed with that service's
 * secret key), bodies validated as Notify validates them, and Notify's answers and error bodies.
 *
 * Every request is counted, failed ones included, so a test can tell that nothing was retried.
 */
export class NotifyApi {
  /** An API key in Notify's format for this stand-in's service. */
  readonly apiKey: string;
  readonly serviceId: string;
  /** A text message template whose content is `((body))`. */
  readonly smsTemplateId: string;
  /** An email template with subject `((subject))` and content `((body))`. */
  readonly emailTemplateId: string;
  url = "";

  private readonly secrets: string[] = [];
  private readonly templates = new Map<string, Template>();
  private readonly notifications: NotifyNotification[] = [];
  private readonly received: NotifyRequest[] = [];
  private readonly overrides: Override[] = [];
  private readonly waiters = new Set<() => void>();
  private server?: http.Server;

  constructor() {
    this.apiKey = `helpdesk_test-${randomUUID()}-${randomUUID()}`;
    const { serviceId, secret } = parseNotifyApiKey(this.apiKey);
    this.serviceId = serviceId;
    this.secrets.push(secret);
    this.smsTemplateId = this.addTemplate("sms", "((body))");
    this.emailTemplateId = this.addTemplate("email", "((body))", "((subject))");
  }

  /** Adds a template to the service and returns its id. */
  addTemplate(type: "sms" | "email", content: string, subject?: string): string {
    const id = randomUUID();
    this.templates.set(id, { id, type, content, subject });
    return id;
  }

  /** Every text and email accepted, oldest first. */
  sent(): NotifyNotification[] {
    return [...this.notifications];
  }

  /** Every request received, answered or not, oldest first. */
  get requests(): NotifyRequest[] {
    return this.received.map((r) => ({ ...r }));
  }

  /** Resolves with the accepted notifications once there are at least `count`; rejects after `deadlineMs`. */
  waitForSent(count: number, deadlineMs = 5000): Promise<NotifyNotification[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.notifications.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.sent());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${count} notifications (${this.notifications.length} arrived)`));
      }, deadlineMs);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * Answers the next `times` requests with this failure instead, whatever they carry: such as
   * `(400, "BadRequestError", "Template not found")`, `(403, "AuthError", …)`, `(429, "RateLimitError", …)` with
   * an optional `{ "Retry-After": "2" }`, or `(500, "Exception", "Internal server error")`.
   */
  failNext(status: number, errorName: string, message: string, times = 1, headers: Record<string, string> = {}): void {
    for (let n = 0; n < times; n++) this.overrides.push({ kind: "fail", status, errorName, message, headers });
  }

  /** Takes the next `times` requests and never answers them, so the client times out. They are counted as received. */
  hangNext(times = 1): void {
    for (let n = 0; n < times; n++) this.overrides.push({ kind: "hang" });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const record: NotifyRequest = { method: req.method ?? "", path: req.url ?? "", receivedAt: new Date() };
    this.received.push(record);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };
    const type = record.path === "/v2/notifications/sms" ? "sms" : record.path === "/v2/notifications/email" ? "email" : undefined;
    if (type === undefined) {
      return answer(404, { result: "error", message: "The requested URL was not found on the server." });
    }
    if (record.method !== "POST") return answer(405, { result: "error", message: "The method is not allowed for the requested URL." });

    const override = this.overrides.shift();
    if (override?.kind === "hang") return;
    try {
      if (override?.kind === "fail") throw new NotifyProblem(override.status, [{ error: override.errorName, message: override.message }]);
      authenticate(req.headers.authorization, this.serviceId, this.secrets);
      const accepted = this.accept(type, parseBody(raw));
      answer(201, accepted);
    } catch (error) {
      const answered = error instanceof NotifyProblem ? error : problem(500, "Exception", "Internal server error");
      record.error = answered.errors[0]?.error;
      answer(answered.status, { status_code: answered.status, errors: answered.errors }, override?.kind === "fail" ? override.headers : {});
    }
  }

  /** Validates the body as Notify does, then records the notification and builds Notify's answer. */
  private accept(type: "sms" | "email", body: Record<string, unknown>): object {
    const fields = FIELDS[type];
    const errors = validationErrors(type, body);
    if (errors.length > 0) throw new NotifyProblem(400, errors.map((message) => ({ error: "ValidationError", message })));

    const templateId = body.template_id as string;
    const template = this.templates.get(templateId);
    if (!template) throw problem(400, "BadRequestError", "Template not found");
    if (template.type !== type) throw problem(400, "BadRequestError", `${template.type} template is not suitable for ${type} notification`);
    const personalisation = (body.personalisation ?? {}) as Record<string, unknown>;
    const missing = [...new Set([...placeholders(template.subject ?? ""), ...placeholders(template.content)])].filter(
      (name) => personalised(personalisation, name) === undefined,
    );
    if (missing.length > 0) throw problem(400, "BadRequestError", `Missing personalisation: ${missing.join(", ")}`);
    const content = fill(template.content, personalisation);
    if (type === "sms" && content.length > SMS_CHARACTER_LIMIT) {
      throw problem(
        400,
        "BadRequestError",
        `Text messages cannot be longer than ${SMS_CHARACTER_LIMIT} characters. Your message is ${content.length} characters long.`,
      );
    }

    const reference = typeof body.reference === "string" ? body.reference : undefined;
    const notification: NotifyNotification = {
      type,
      to: body[fields.to] as string,
      templateId,
      personalisation,
      reference,
      body: content,
      receivedAt: new Date(),
    };
    if (template.subject !== undefined) notification.subject = fill(template.subject, personalisation);
    this.notifications.push(notification);
    for (const waiter of [...this.waiters]) waiter();

    const id = randomUUID();
    return {
      id,
      reference: reference ?? null,
      content:
        type === "sms"
          ? { body: content, from_number: "GOVUK" }
          : { body: content, subject: notification.subject, from_email: "nhsmail.helpdesk@notifications.service.gov.uk" },
      uri: `${this.url}/v2/notifications/${id}`,
      template: { id: templateId, version: 1, uri: `${this.url}/services/${this.serviceId}/templates/${templateId}` },
      scheduled_for: null,
    };
  }
}
