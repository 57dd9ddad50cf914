import { parseArgs } from "node:util";
import { parseConfig } from "../../src/config";
import { readNhsmailAddress } from "../../src/directory";
import type { NotifyStatus } from "../../src/proactive";
import type { AccountsContext } from "./context";
import { CommandError, UsageError } from "./context";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTIFY_PATH = "/api/notify/first-login";
/** How long to wait for the bot's answer. */
const NOTIFY_TIMEOUT_MS = 10_000;

/** Who to send the first-login guidance to, and where the bot is. */
export interface NotifyTarget {
  /** Lower-case @nhs.net address. */
  email: string;
  /** The person's Entra object id (a GUID), when known: lets the bot reach them in Teams. */
  aadObjectId?: string;
  /** The bot's base URL as given with `--bot-url`; undefined means `http://127.0.0.1:$PORT`. */
  botUrl?: string;
}

/** What a notify call came to. Never holds the shared secret. */
export type NotifyOutcome =
  | { kind: "answered"; status: NotifyStatus }
  | { kind: "no-secret" }
  | { kind: "refused"; httpStatus: number; retryAfter?: string; problems?: string[] }
  | { kind: "unreachable"; reason: string };

/** The outcome with the URL called, for messages. */
export interface NotifyReport {
  url: string;
  outcome: NotifyOutcome;
}

/**
 * Reads `--bot-url`: an http(s) URL without credentials (they would be printed in messages); trailing slashes go.
 *
 * @returns the base URL, or a problem naming the option
 */
export function readBotUrl(value: string): { ok: true; url: string } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, problem: "--bot-url must be a URL such as http://127.0.0.1:3978" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, problem: "--bot-url must start with http:// or https://" };
  if (url.username || url.password) return { ok: false, problem: "--bot-url must not hold a user name or password" };
  if (url.search || url.hash) return { ok: false, problem: "--bot-url must be the bot's address only, without ? or #" };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/** A usage message naming every bad option: the one problem, or a list of them. */
export function describeProblems(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

/** Reads `--aad-object-id`: a GUID, lower-cased. */
export function readAadObjectId(value: string): string | undefined {
  const trimmed = value.trim();
  return GUID.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/**
 * Calls the bot's `POST /api/notify/first-login` the way any caller does: `Authorization: Bearer <NOTIFY_SECRET>`
 * from the configuration (`env/.env.<name>[.user]`, then the environment), body `{ email, aadObjectId }`.
 * Never throws for the bot being away or refusing; the outcome says what happened.
 */
export async function sendFirstLoginNotice(ctx: AccountsContext, target: NotifyTarget): Promise<NotifyReport> {
  const config = parseConfig(ctx.env);
  const url = `${target.botUrl ?? `http://127.0.0.1:${config.PORT}`}${NOTIFY_PATH}`;
  if (!config.NOTIFY_SECRET) return { url, outcome: { kind: "no-secret" } };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${config.NOTIFY_SECRET}` },
      body: JSON.stringify({ email: target.email, aadObjectId: target.aadObjectId }),
      // A redirect could carry the secret to another address: refuse it.
      redirect: "error",
      signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
    });
  } catch (err) {
    return { url, outcome: { kind: "unreachable", reason: describeFetchFailure(err) } };
  }
  const body = await readJson(response);
  if (response.status === 200 && isNotifyStatus(body.status)) return { url, outcome: { kind: "answered", status: body.status } };
  const problems = Array.isArray(body.problems) ? body.problems.filter((p): p is string => typeof p === "string") : undefined;
  return { url, outcome: { kind: "refused", httpStatus: response.status, retryAfter: response.headers.get("retry-after") ?? undefined, problems } };
}

/** True when the guidance went out or waits in the bot for the person. */
export function noticeAccepted(outcome: NotifyOutcome): boolean {
  return outcome.kind === "answered" && (outcome.status === "delivered" || outcome.status === "queued");
}

/** One line for the administrator: "First-login guidance: …". */
export function describeNotice(report: NotifyReport, email: string): string {
  const { outcome, url } = report;
  const prefix = "First-login guidance:";
  switch (outcome.kind) {
    case "answered":
      if (outcome.status === "delivered") return `${prefix} delivered to them in Teams.`;
      if (outcome.status === "queued") return `${prefix} queued until they open the bot.`;
      return `${prefix} not sent (unknown-user): the bot holds no account ${email}. Check that it uses the same STATE_URL as this command.`;
    case "no-secret":
      return `${prefix} not sent: NOTIFY_SECRET is not set here. Put the bot's NOTIFY_SECRET in env/.env.<name>.user or the environment.`;
    case "unreachable":
      return `${prefix} not sent: could not reach the bot at ${url} (${outcome.reason}).`;
    case "refused":
      return `${prefix} not sent: ${describeRefusal(outcome)}`;
  }
}

/** The command that sends the guidance later, for a notice that was not accepted. */
export function notifyCommandLine(target: NotifyTarget): string {
  const parts = ["npm run accounts -- notify --email", target.email];
  if (target.aadObjectId) parts.push("--aad-object-id", target.aadObjectId);
  if (target.botUrl) parts.push("--bot-url", target.botUrl);
  return parts.join(" ");
}

/**
 * `notify --email x@nhs.net [--aad-object-id GUID] [--bot-url http://127.0.0.1:3978]`: asks the bot to send the
 * first-login guidance. Exit 0 when it was delivered or queued, 1 otherwise.
 */
export async function notifyCommand(ctx: AccountsContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: "string" }, "aad-object-id": { type: "string" }, "bot-url": { type: "string" } },
  });
  const problems: string[] = [];
  const reading = readNhsmailAddress(values.email ?? "");
  if (!reading.ok) problems.push(values.email === undefined ? "--email is required (an @nhs.net address)" : "--email must be an @nhs.net address");
  const aadObjectId = values["aad-object-id"] === undefined ? undefined : readAadObjectId(values["aad-object-id"]);
  if (values["aad-object-id"] !== undefined && !aadObjectId) problems.push("--aad-object-id must be a GUID (the person's Entra object id)");
  const botUrl = values["bot-url"] === undefined ? undefined : readBotUrl(values["bot-url"]);
  if (botUrl && !botUrl.ok) problems.push(botUrl.problem);
  if (!reading.ok || problems.length > 0) throw new UsageError(describeProblems(problems));

  const target: NotifyTarget = { email: reading.email, aadObjectId, botUrl: botUrl?.ok ? botUrl.url : undefined };
  const report = await sendFirstLoginNotice(ctx, target);
  if (!noticeAccepted(report.outcome)) throw new CommandError(describeNotice(report, target.email));
  ctx.out(describeNotice(report, target.email));
  return 0;
}

function describeRefusal(outcome: Extract<NotifyOutcome, { kind: "refused" }>): string {
  switch (outcome.httpStatus) {
    case 401:
      return "the bot refused NOTIFY_SECRET: it is not the one the bot was started with.";
    case 404:
      return "the bot does not offer the notify API at that address. Is NOTIFY_SECRET set where the bot runs, and is --bot-url right?";
    case 429:
      return `the bot has had too many notify calls; try again in ${outcome.retryAfter ? `${outcome.retryAfter} seconds` : "a minute"}.`;
    case 400:
      return `the bot refused the request${outcome.problems?.length ? ` (${outcome.problems.join("; ")})` : ""}.`;
    case 200:
      return "the bot's answer was not understood. Is --bot-url the bot's address?";
    default:
      return `the bot answered HTTP ${outcome.httpStatus}.`;
  }
}

function isNotifyStatus(value: unknown): value is NotifyStatus {
  return value === "delivered" || value === "queued" || value === "unknown-user";
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Why fetch failed, in a few words: the cause's code (ECONNREFUSED…) or message; the request is never part of it. */
function describeFetchFailure(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${NOTIFY_TIMEOUT_MS / 1000} seconds`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (!(cause instanceof Error)) return "no connection";
  const code = (cause as NodeJS.ErrnoException).code;
  if (typeof code === "string") return code;
  return /redirect/i.test(cause.message) ? "it answered with a redirect" : cause.message;
}
