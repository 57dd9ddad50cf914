import { GraphError } from "@microsoft/microsoft-graph-client";

/** What a failed Microsoft Graph call came to, read from the client's error. Never holds a request body. */
export interface GraphFailure {
  /** The HTTP status; 0 when no answer came (a timeout, a refused connection). */
  status: number;
  /** Graph's error code (e.g. `Authorization_RequestDenied`, `Request_BadRequest`), or the client error's name. */
  code: string;
  /** Graph's error message (it names no password; it may name the account, so it is not logged as is). */
  message: string;
  /** Seconds from `Retry-After`, when Graph sent it. */
  retryAfterSeconds?: number;
}

/** The code of a failure to get the app's own token from Entra ID because Entra refused the credential. */
export const CREDENTIAL_REFUSED = "CredentialRefused";
const CREDENTIAL_REFUSALS = new Set(["AuthenticationRequiredError", "AuthenticationError", "CredentialUnavailableError"]);

/** Reads any error from the Graph client (or from `fetch` underneath) as a {@link GraphFailure}. */
export function graphFailureOf(error: unknown): GraphFailure {
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : 0;
    const retryAfter = error.headers?.get("Retry-After");
    const seconds = retryAfter === null || retryAfter === undefined ? undefined : Number(retryAfter);
    return {
      status,
      code: error.code ?? (status === 0 ? "NoResponse" : `Http${status}`),
      message: error.message,
      retryAfterSeconds: seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined,
    };
  }
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  // The identity library's refusals (a wrong secret, an unknown app or tenant): the bot's own credential was refused.
  if (CREDENTIAL_REFUSALS.has(name)) return { status: 401, code: CREDENTIAL_REFUSED, message };
  return { status: 0, code: name, message };
}

/** True for a refusal by the tenant's password rules (Graph answers a 400 that speaks of the password). */
export function isPasswordPolicyRefusal(failure: GraphFailure): boolean {
  return failure.status === 400 && /password/i.test(failure.message) && /complex|policy|requirement|comply|history|banned/i.test(failure.message);
}

/** True when Graph asked the bot to wait (throttling, or the service briefly unavailable). */
export function isThrottled(failure: GraphFailure): boolean {
  return failure.status === 429 || failure.status === 503 || failure.status === 504;
}

/** True when the bot lacks a permission or role, or its token was refused. */
export function isPermissionFailure(failure: GraphFailure): boolean {
  return failure.status === 401 || failure.status === 403;
}
