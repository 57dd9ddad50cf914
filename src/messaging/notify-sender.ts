import { setTimeout as delay } from "node:timers/promises";
import axios, { isAxiosError } from "axios";
import type { AxiosError } from "axios";
import { NotifyClient } from "notifications-node-client";
import { MessageNotSentError } from "./message-sender";
import type { MessageChannel, MessageSender, OutboundMessage } from "./message-sender";

/** What {@link NotifySender} logs through: a pino logger fits. */
export interface NotifyLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Options for {@link NotifySender}. */
export interface NotifySenderOptions {
  /** The service's API key, as Notify shows it: `{key_name}-{service_id}-{secret_key}`. */
  apiKey: string;
  /** Default: `https://api.notifications.service.gov.uk`. Plain `http:` is allowed for this machine only. */
  baseUrl?: string;
  /** A text message template whose content is `((body))`. */
  smsTemplateId: string;
  /** An email template whose subject is `((subject))` and whose content is `((body))`. */
  emailTemplateId: string;
  /** How long one request to Notify may take, in milliseconds. Default: 10 000. */
  timeoutMs?: number;
  /** How long to wait before the one retry after a 429 that has no `Retry-After`. Default: 1 000. */
  throttleWaitMs?: number;
  logger: NotifyLogger;
  /** Waits before the retry after a 429. Default: a timer. */
  wait?: (ms: number) => Promise<void>;
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const API_KEY = new RegExp(`^\\S+-(${UUID})-(${UUID})$`);
const TEMPLATE_ID = new RegExp(`^${UUID}$`);
/** The longest wait a `Retry-After` can ask for before the one retry. */
const MAX_RETRY_AFTER_MS = 10_000;
/** Errors raised before a request leaves this machine: nothing reached Notify. */
const NOT_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** How axios reports a request that ran out of time (its own timeout, or the deadline's signal). */
const TIMED_OUT = new Set(["ECONNABORTED", "ETIMEDOUT", "ERR_CANCELED"]);

/**
 * Splits a GOV.UK Notify API key (`{key_name}-{service_id}-{secret_key}`, both ids UUIDs) into the service id (the
 * token's issuer) and the secret that signs the token.
 *
 * @throws Error when the key is not in that format; the message never contains the key.
 */
export function parseNotifyApiKey(key: string): { serviceId: string; secret: string } {
  const match = API_KEY.exec(key.trim());
  if (!match) {
    throw new Error(
      "The GOV.UK Notify API key is not in Notify's format: expected the key name, the service id and the secret key " +
        "joined by hyphens ({key_name}-{service_id}-{secret_key}, both ids UUIDs). Copy the whole key from Notify's API integration page.",
    );
  }
  return { serviceId: match[1], secret: match[2] };
}

/**
 * Sends texts and emails through GOV.UK Notify. Each goes through one template whose content is `((body))` (and,
 * for email, whose subject is `((subject))`), so all the wording stays in the bot. The message's reference (never
 * personal data) is passed to Notify so a message can be traced.
 *
 * @remarks
 * A timeout or a 5xx is never retried: the message may have gone, and a second code is worse than a late one
 * (`uncertain`). A 429 waits (`Retry-After`, at most 10 seconds, else `throttleWaitMs`) and tries once more; a
 * second 429 gives `unavailable`, as does a connection that could not be made. Any other 4xx is `refused`, and is
 * logged once with Notify's own explanation — never with the phone number, the address or the text.
 */
export class NotifySender implements MessageSender {
  /** Notify sends texts and emails; it has no voice calls. */
  readonly channels: ReadonlySet<MessageChannel> = new Set<MessageChannel>(["sms", "email"]);
  private readonly client: NotifyClient;
  private readonly throttleWaitMs: number;
  private readonly wait: (ms: number) => Promise<void>;

  /**
   * @param options - see {@link NotifySenderOptions}
   * @throws Error when the API key, a template id, the base URL or a duration is not usable.
   */
  constructor(private readonly options: NotifySenderOptions) {
    const apiKey = options.apiKey.trim();
    parseNotifyApiKey(apiKey);
    for (const [name, id] of [
      ["smsTemplateId", options.smsTemplateId],
      ["emailTemplateId", options.emailTemplateId],
    ]) {
      if (!TEMPLATE_ID.test(id)) throw new Error(`The GOV.UK Notify ${name} must be a template id (a UUID), not "${id}".`);
    }
    const baseUrl = checkedBaseUrl(options.baseUrl ?? "https://api.notifications.service.gov.uk");
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error("The GOV.UK Notify timeoutMs must be a whole number above 0.");
    this.throttleWaitMs = options.throttleWaitMs ?? 1_000;
    if (!Number.isFinite(this.throttleWaitMs) || this.throttleWaitMs < 0) throw new Error("The GOV.UK Notify throttleWaitMs must be 0 or more.");
    this.wait = options.wait ?? ((ms) => delay(ms));

    this.client = new NotifyClient(baseUrl, apiKey);
    // The client's sendSms and sendEmail take no request options, so the timeout is set on the axios instance it
    // calls, through its supported setClient (notifications-node-client 8.4.0, client/api_client.js: every request
    // is `this.restClient(options)`). axios's own `timeout` covers connecting and then each quiet spell on the socket;
    // the signal added to every request also bounds the whole exchange, so a slow trickle cannot outlast it.
    const http = axios.create({ timeout: timeoutMs });
    http.interceptors.request.use((config) => {
      config.signal ??= AbortSignal.timeout(timeoutMs);
      return config;
    });
    this.client.setClient(http);
  }

  /**
   * Sends a text or an email.
   *
   * @throws {@link MessageNotSentError} when Notify did not take the message (see the class remarks).
   */
  async send(message: OutboundMessage): Promise<void> {
    if (!this.channels.has(message.channel)) throw new MessageNotSentError("refused", `no-${message.channel}`);
    if (message.channel === "email" && message.subject === undefined) throw new MessageNotSentError("refused", "no-subject");
    try {
      await this.post(message);
    } catch (error) {
      const failure = failureOf(error);
      if (failure.throttled) {
        const waitMs = retryAfterMs(failure.retryAfter) ?? this.throttleWaitMs;
        this.options.logger.warn(
          { status: failure.status, error: failure.name, channel: message.channel, reference: message.reference, waitMs },
          "GOV.UK Notify asked us to slow down; trying once more",
        );
        await this.wait(waitMs);
        try {
          await this.post(message);
          return;
        } catch (second) {
          const again = failureOf(second);
          if (again.throttled) throw new MessageNotSentError("unavailable", again.name, again.status);
          throw this.notSent(again, message);
        }
      }
      throw this.notSent(failure, message);
    }
  }

  private async post(message: OutboundMessage): Promise<void> {
    const reference = message.reference;
    if (message.channel === "sms") {
      await this.client.sendSms(this.options.smsTemplateId, message.to, { personalisation: { body: message.text }, reference });
    } else {
      await this.client.sendEmail(this.options.emailTemplateId, message.to, {
        personalisation: { subject: message.subject, body: message.text },
        reference,
      });
    }
  }

  /** The error for a failure other than throttling; a refusal is logged here, once. */
  private notSent(failure: Failure, message: OutboundMessage): MessageNotSentError {
    if (failure.status !== undefined && failure.status >= 400 && failure.status < 500) {
      this.options.logger.error(
        {
          status: failure.status,
          error: failure.name,
          notifyMessage: failure.message === undefined ? undefined : masked(failure.message, message),
          channel: message.channel,
          reference: message.reference,
        },
        "GOV.UK Notify refused a message",
      );
      return new MessageNotSentError("refused", failure.name, failure.status);
    }
    if (failure.status === undefined && failure.code !== undefined && NOT_CONNECTED.has(failure.code)) {
      return new MessageNotSentError("unavailable", failure.code);
    }
    // A 5xx, a timeout, a connection lost after the request went, or anything unforeseen: it may have been sent.
    const timedOut = failure.code !== undefined && TIMED_OUT.has(failure.code);
    return new MessageNotSentError("uncertain", timedOut ? "timeout" : (failure.name ?? failure.code), failure.status);
  }
}

/** What a failed request tells us; nothing here holds the recipient or the text. */
interface Failure {
  status?: number;
  /** Notify's error name, such as `BadRequestError`. */
  name?: string;
  /** Notify's explanation; it can echo what was sent, so it is masked before it is logged. */
  message?: string;
  /** The network error's code, such as `ECONNREFUSED`. */
  code?: string;
  throttled: boolean;
  retryAfter?: string;
}

function failureOf(error: unknown): Failure {
  if (!isAxiosError(error)) return { throttled: false };
  const axiosError = error as AxiosError<unknown>;
  const status = axiosError.response?.status;
  const first = notifyError(axiosError.response?.data);
  const retryAfter: unknown = axiosError.response?.headers["retry-after"];
  return {
    status,
    name: first?.name,
    message: first?.message,
    code: typeof axiosError.code === "string" ? axiosError.code : undefined,
    throttled: status === 429,
    retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
  };
}

/** The first entry of Notify's `{"status_code":…,"errors":[{"error":…,"message":…}]}`, when the body has one. */
function notifyError(body: unknown): { name?: string; message?: string } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first = errors[0] as { error?: unknown; message?: unknown };
  return {
    name: typeof first.error === "string" && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(first.error) ? first.error : undefined,
    message: typeof first.message === "string" ? first.message : undefined,
  };
}

/** A `Retry-After` (seconds or an HTTP date) in milliseconds, at most 10 seconds; undefined when absent or unreadable. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Notify's explanation made safe to log: the recipient and the text are taken out wherever they appear, then any
 * email address and any run of four or more digits (a phone number, a code), and it is cut to 300 characters.
 */
function masked(explanation: string, message: OutboundMessage): string {
  let safe = explanation;
  for (const value of [message.to, message.text, message.subject]) {
    if (value !== undefined && value.length >= 6) safe = safe.split(value).join("[redacted]");
  }
  safe = safe.replace(/[^\s@]+@[^\s@]+/g, "[address]").replace(/\+?\d(?:[\s().-]?\d){3,}/g, "[digits]");
  return safe.length > 300 ? `${safe.slice(0, 300)}…` : safe;
}

/** The API's address without a trailing slash; plain http only for this machine, so the token never crosses a network in the clear. */
function checkedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error("The GOV.UK Notify base URL is not a URL.");
  }
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    throw new Error(`The GOV.UK Notify base URL ${url.origin} must use https (plain http is allowed for this machine only).`);
  }
  return baseUrl.replace(/\/+$/, "");
}
