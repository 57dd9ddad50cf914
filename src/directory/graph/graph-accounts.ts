import { inSpan } from "../../telemetry/spans";
import type { Client } from "@microsoft/microsoft-graph-client";
import { DirectoryUnavailableError } from "../errors";
import { graphFailureOf, isPermissionFailure, isThrottled } from "./graph-errors";
import type { GraphFailure } from "./graph-errors";
import { odataString } from "./odata";

/** The user properties the bot reads (and nothing else: `$select` asks only for these). */
export interface GraphUser {
  id: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  companyName?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  createdDateTime?: string | null;
  lastPasswordChangeDateTime?: string | null;
}

/** One of a user's registered phone authentication methods. */
export interface GraphPhoneMethod {
  id: string;
  phoneNumber: string;
  /** "mobile", "alternateMobile" or "office". */
  phoneType: string;
}

const USER_FIELDS = "id,userPrincipalName,mail,displayName,givenName,surname,companyName,jobTitle,department,createdDateTime,lastPasswordChangeDateTime";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Graph call that failed, with what Graph said (for the directory to decide what it means). */
export class GraphCallError extends Error {
  constructor(
    readonly action: GraphAction,
    readonly failure: GraphFailure,
  ) {
    super(`Microsoft Graph: ${action} failed (${failure.status || "no answer"} ${failure.code}).`);
    this.name = "GraphCallError";
  }
}

/** The calls the bot makes, named for the log and for what permission each needs. */
export type GraphAction = "find the account" | "read the account" | "read the registered phones" | "set the password" | "sign out every session";

/** Each call's name in a trace. */
const SPAN_OF: Record<GraphAction, string> = {
  "find the account": "graph.findUser",
  "read the account": "graph.getUser",
  "read the registered phones": "graph.phoneMethods",
  "set the password": "graph.setPassword",
  "sign out every session": "graph.revokeSessions",
};

/** What each call needs, said once in the log when Graph refuses the bot. */
export const PERMISSION_NEEDED: Record<GraphAction, string> = {
  "find the account": "the application permission User.Read.All (admin consent)",
  "read the account": "the application permission User.Read.All (admin consent)",
  "read the registered phones": "the application permission UserAuthenticationMethod.Read.All (admin consent)",
  "set the password": "the application permission User-PasswordProfile.ReadWrite.All (admin consent) and the User Administrator directory role for the app",
  "sign out every session": "the application permission User.RevokeSessions.All (admin consent)",
};

/** Options for {@link GraphAccounts}. */
export interface GraphAccountsOptions {
  /** Told when Graph first refuses the bot an action (401/403), to say what to grant; once per action. */
  onPermissionRefused: (action: GraphAction, failure: GraphFailure) => void;
  /** How many times a read is tried when Graph asks the bot to wait (429/503/504). Default 3. */
  readTries?: number;
  /** The longest `Retry-After` the bot waits for within a turn, in seconds; longer means "busy". Default 5. */
  maxWaitSeconds?: number;
  /** The wait before another try when Graph gave no `Retry-After`, in milliseconds (doubled each time). Default 500. */
  backoffMs?: number;
  /** Waits (injectable for tests). Default: a timer. */
  wait?: (ms: number) => Promise<void>;
}

const timerWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Microsoft Graph v1.0 calls the directory makes, over the real Graph client: find a user by address (OData
 * filter on userPrincipalName or mail, the address escaped as one literal), read a user, read their phone methods,
 * set a password and sign out every session. Reads are tried again when Graph asks the bot to wait, honouring
 * `Retry-After`, a bounded number of times; writes are tried once (the directory decides what a failure means).
 */
export class GraphAccounts {
  private readonly readTries: number;
  private readonly maxWaitSeconds: number;
  private readonly backoffMs: number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly refused = new Set<GraphAction>();

  constructor(
    private readonly client: Client,
    private readonly options: GraphAccountsOptions,
  ) {
    this.readTries = options.readTries ?? 3;
    this.maxWaitSeconds = options.maxWaitSeconds ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.wait = options.wait ?? timerWait;
  }

  /** The user whose sign-in name or mail is `email` (compared case-insensitively), or undefined. */
  async findUser(email: string): Promise<GraphUser | undefined> {
    const literal = odataString(email);
    // The Graph client puts query options into the URL as they are: the filter is percent-encoded here, so an
    // address's &, #, + or % reaches Graph as part of the literal.
    const filter = encodeURIComponent(`userPrincipalName eq ${literal} or mail eq ${literal}`);
    const page = await this.read("find the account", () => this.client.api("/users").filter(filter).select(USER_FIELDS).get() as Promise<{ value?: GraphUser[] }>);
    const wanted = email.toLowerCase();
    return (page.value ?? []).find((user) => user.userPrincipalName?.toLowerCase() === wanted || user.mail?.toLowerCase() === wanted);
  }

  /** The user with this object id, or undefined (also for anything that is not an object id). */
  async getUser(id: string): Promise<GraphUser | undefined> {
    if (!GUID.test(id)) return undefined;
    try {
      return await this.read("read the account", () => this.client.api(`/users/${id}`).select(USER_FIELDS).get() as Promise<GraphUser>);
    } catch (error) {
      if (error instanceof GraphCallError && error.failure.status === 404) return undefined;
      throw error;
    }
  }

  /** The phone methods registered to a user (an empty list for an unknown id). */
  async phoneMethods(id: string): Promise<GraphPhoneMethod[]> {
    if (!GUID.test(id)) return [];
    try {
      const page = await this.read("read the registered phones", () => this.client.api(`/users/${id}/authentication/phoneMethods`).get() as Promise<{ value?: GraphPhoneMethod[] }>);
      return page.value ?? [];
    } catch (error) {
      if (error instanceof GraphCallError && error.failure.status === 404) return [];
      throw error;
    }
  }

  /** `PATCH /users/{id}` with the new password, not to be changed at next sign-in. Tried once. */
  async setPassword(id: string, password: string): Promise<void> {
    await this.write("set the password", () => this.client.api(`/users/${id}`).patch({ passwordProfile: { password, forceChangePasswordNextSignIn: false } }) as Promise<unknown>);
  }

  /** `POST /users/{id}/revokeSignInSessions`: every refresh token and session cookie stops working. Tried once. */
  async revokeSessions(id: string): Promise<void> {
    await this.write("sign out every session", () => this.client.api(`/users/${id}/revokeSignInSessions`).post({}) as Promise<unknown>);
  }

  private permissionRefused(action: GraphAction, failure: GraphFailure): void {
    if (this.refused.has(action)) return;
    this.refused.add(action);
    this.options.onPermissionRefused(action, failure);
  }

  private async write(action: GraphAction, call: () => Promise<unknown>): Promise<void> {
    try {
      await inSpan(SPAN_OF[action], {}, call);
    } catch (error) {
      const failure = graphFailureOf(error);
      if (isPermissionFailure(failure)) this.permissionRefused(action, failure);
      throw new GraphCallError(action, failure);
    }
  }

  /**
   * A read, tried again while Graph asks the bot to wait and the wait is short; then a `DirectoryUnavailableError`
   * ("throttled", "permission" or "unreachable"), except a 404, which comes back as a {@link GraphCallError}.
   */
  private async read<T>(action: GraphAction, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inSpan(SPAN_OF[action], {}, call);
      } catch (error) {
        const failure = graphFailureOf(error);
        if (failure.status === 404) throw new GraphCallError(action, failure);
        if (isPermissionFailure(failure)) {
          this.permissionRefused(action, failure);
          throw new DirectoryUnavailableError("permission", failure.code, failure.status);
        }
        if (!isThrottled(failure)) throw new DirectoryUnavailableError("unreachable", failure.code, failure.status);
        const seconds = failure.retryAfterSeconds;
        if (attempt >= this.readTries || (seconds !== undefined && seconds > this.maxWaitSeconds)) {
          throw new DirectoryUnavailableError("throttled", failure.code, failure.status);
        }
        await this.wait(seconds !== undefined ? seconds * 1000 : this.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
