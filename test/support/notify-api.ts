import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { parseNotifyApiKey } from "../../src/messaging/notify-sender";

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

/** A template, with content such as `((body))`. */
interface Template {
  id: string;
  type: "sms" | "email";
  content: string;
  subject?: string;
}

/** What to do with the next request instead of handling it. */
type Override = { kind: "fail"; status: number; errorName: string; message: string; headers: Record<string, string> } | { kind: "hang" };

/** Notify's answer to a problem: `{"status_code":…,"errors":[{"error":…,"message":…}]}`. */
class NotifyProblem extends Error {
  constructor(
    readonly status: number,
    readonly errors: Array<{ error: string; message: string }>,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

const problem = (status: number, error: string, message: string): NotifyProblem => new NotifyProblem(status, [{ error, message }]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far a token's `iat` may be from the server's clock, in seconds, as Notify allows. */
const CLOCK_BOUND_SECONDS = 30;
const GENERAL_TOKEN_ERROR =
  "Invalid token: make sure your API token matches the example at https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header";
/** The longest text message Notify sends. */
const SMS_CHARACTER_LIMIT = 918;
const FIELDS = {
  sms: { to: "phone_number", allowed: ["phone_number", "template_id", "personalisation", "reference", "scheduled_for", "sms_sender_id"] },
  email: {
    to: "email_address",
    allowed: ["email_address", "template_id", "personalisation", "reference", "scheduled_for", "email_reply_to_id", "one_click_unsubscribe_url"],
  },
} as const;

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
      this.authenticate(req.headers.authorization);
      const accepted = this.accept(type, parseBody(raw));
      answer(201, accepted);
    } catch (error) {
      const answered = error instanceof NotifyProblem ? error : problem(500, "Exception", "Internal server error");
      record.error = answered.errors[0]?.error;
      answer(answered.status, { status_code: answered.status, errors: answered.errors }, override?.kind === "fail" ? override.headers : {});
    }
  }

  /** Notify's checks of the `Authorization` header, in Notify's order and with its messages. */
  private authenticate(header: string | undefined): void {
    if (!header) throw problem(401, "AuthError", "Unauthorized: authentication token must be provided");
    if (header.slice(0, 7).toLowerCase() !== "bearer ") throw problem(401, "AuthError", "Unauthorized: authentication bearer scheme must be used");
    const token = header.slice(7);
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.payload === "string") {
      throw problem(403, "AuthError", "Invalid token: signature, api token is not valid");
    }
    const { header: jose, payload } = decoded;
    if (jose.alg !== "HS256") throw problem(403, "AuthError", "Invalid token: algorithm used is not HS256");
    if (jose.typ !== "JWT" || Object.keys(jose).length !== 2) throw problem(403, "AuthError", GENERAL_TOKEN_ERROR);
    if (typeof payload.iss !== "string") throw problem(403, "AuthError", "Invalid token: iss field not provided");
    if (!UUID.test(payload.iss)) throw problem(403, "AuthError", "Invalid token: service id is not the right data type");
    if (payload.iss !== this.serviceId) throw problem(403, "AuthError", "Invalid token: service not found");
    const signedByKey = this.secrets.some((secret) => {
      try {
        jwt.verify(token, secret, { algorithms: ["HS256"], clockTolerance: CLOCK_BOUND_SECONDS });
        return true;
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError || error instanceof jwt.NotBeforeError) {
          throw problem(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds");
        }
        return false;
      }
    });
    if (!signedByKey) throw problem(403, "AuthError", "Invalid token: API key not found");
    if (typeof payload.iat !== "number") throw problem(403, "AuthError", GENERAL_TOKEN_ERROR);
    if (Math.abs(Date.now() / 1000 - payload.iat) > CLOCK_BOUND_SECONDS) {
      throw problem(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds");
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

function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw problem(400, "BadRequestError", "Invalid JSON supplied in POST data");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw problem(400, "ValidationError", `${JSON.stringify(body)} is not of type object`);
  }
  return body as Record<string, unknown>;
}

/** Notify's JSON schema checks for a text or an email, with its messages (which can echo what was sent). */
function validationErrors(type: "sms" | "email", body: Record<string, unknown>): string[] {
  const fields = FIELDS[type];
  const errors: string[] = [];
  const unexpected = Object.keys(body).filter((key) => !(fields.allowed as readonly string[]).includes(key));
  if (unexpected.length > 0) errors.push(`Additional properties are not allowed (${unexpected.map((k) => `'${k}'`).join(", ")} were unexpected)`);
  for (const required of [fields.to, "template_id"]) if (!(required in body)) errors.push(`${required} is a required property`);

  if ("template_id" in body && (typeof body.template_id !== "string" || !UUID.test(body.template_id))) errors.push("template_id is not a valid UUID");
  if ("reference" in body && body.reference !== null && typeof body.reference !== "string") {
    errors.push(`reference ${JSON.stringify(body.reference)} is not of type string, null`);
  }
  if ("personalisation" in body && (typeof body.personalisation !== "object" || body.personalisation === null || Array.isArray(body.personalisation))) {
    errors.push(`personalisation ${JSON.stringify(body.personalisation)} is not of type object`);
  }
  const to = body[fields.to];
  if (to !== undefined) {
    if (typeof to !== "string") errors.push(`${fields.to} ${JSON.stringify(to)} is not of type string`);
    else {
      const problemWithAddress = type === "sms" ? phoneNumberProblem(to) : emailAddressProblem(to);
      if (problemWithAddress) errors.push(`${fields.to} ${problemWithAddress}`);
    }
  }
  return errors;
}

/** Notify's check of a UK mobile number (the service is not allowed international numbers). */
function phoneNumberProblem(number: string): string | undefined {
  const stripped = number.replace(/[\s().-]/g, "").replace(/^\+/, "");
  if (!/^\d+$/.test(stripped)) return "Must not contain letters or symbols";
  const national = stripped.startsWith("0044") ? stripped.slice(4) : stripped.startsWith("44") ? stripped.slice(2) : stripped.replace(/^0/, "");
  if (!national.startsWith("7")) return "Not a UK mobile number";
  if (national.length > 10) return "Too many digits";
  if (national.length < 10) return "Not enough digits";
  return undefined;
}

function emailAddressProblem(address: string): string | undefined {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(address) ? undefined : "Not a valid email address";
}

/** A placeholder's name as Notify compares them: case, spaces, hyphens and underscores do not matter. */
function key(name: string): string {
  return name.replace(/[\s_-]/g, "").toLowerCase();
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\(\(([^()]+)\)\)/g)].map((m) => m[1].trim());
}

function personalised(personalisation: Record<string, unknown>, name: string): unknown {
  const found = Object.entries(personalisation).find(([k]) => key(k) === key(name));
  return found?.[1] ?? undefined;
}

function fill(text: string, personalisation: Record<string, unknown>): string {
  return text.replace(/\(\(([^()]+)\)\)/g, (_, name: string) => String(personalised(personalisation, name.trim())));
}
