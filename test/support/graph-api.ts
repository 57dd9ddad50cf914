/**
 * The Microsoft identity platform and Graph v1.0 stand-in tests import: the {@link GraphStandIn} class (its state,
 * knobs and request handling) and, re-exported, the constants and types of its parts in `./graph/`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { FaultQueues, faultReply } from "./graph/faults";
import type { GraphFault, GraphHang } from "./graph/faults";
import { IdentityPlatform } from "./graph/identity-platform";
import type { TokenRequestRecord } from "./graph/identity-platform";
import { DEFAULT_PASSWORD_POLICY } from "./graph/password-policy";
import type { StandInPasswordPolicy } from "./graph/password-policy";
import { DEFAULT_APP_ROLES } from "./graph/permissions";
import { sendReply } from "./graph/replies";
import type { Reply } from "./graph/replies";
import { headerValue, readBody, recordOf } from "./graph/requests";
import type { GraphRequestRecord, GraphRouteKind, RequestContext } from "./graph/requests";
import { routeRequest } from "./graph/routes";
import type { RouteState } from "./graph/routes";
import { UserDirectory } from "./graph/users";
import type { StandInUser, StandInUserInput } from "./graph/users";
import { testTls } from "./test-tls";

export { GRAPH_RESOURCE, GRAPH_SCOPE } from "./graph/identity-platform";
export type { TokenRequestRecord } from "./graph/identity-platform";
export { DEFAULT_PASSWORD_POLICY } from "./graph/password-policy";
export type { StandInPasswordPolicy } from "./graph/password-policy";
export { DEFAULT_APP_ROLES } from "./graph/permissions";
export { PHONE_METHOD_IDS } from "./graph/users";
export type { StandInPhone, StandInUser, StandInUserInput } from "./graph/users";
export type { GraphFault, GraphHang } from "./graph/faults";
export type { GraphRequestRecord, GraphRouteKind } from "./graph/requests";

/** Settings for a {@link GraphStandIn}; everything has a default. */
export interface GraphStandInOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** The app's application permissions (default {@link DEFAULT_APP_ROLES}). */
  roles?: readonly string[];
  /** Whether the app holds the User Administrator directory role (default true). */
  directoryRole?: boolean;
  /** Access token lifetime in seconds (default 3599, as Entra). */
  tokenLifetimeSeconds?: number;
  passwordPolicy?: Partial<StandInPasswordPolicy>;
}

/**
 * A local stand-in for the Microsoft identity platform's token endpoint and the Microsoft Graph v1.0 routes the
 * directory adapter uses, over HTTPS with the test run's certificate (MSAL refuses an authority that is not HTTPS),
 * so a test drives the real `@azure/identity` and `@microsoft/microsoft-graph-client` against documented wire
 * formats: the OpenID configuration and client-credentials token endpoint (RS256 access tokens carrying the app's
 * roles), user look-up by OData `$filter`, user read, phone authentication methods, password change under a tenant
 * password policy and sign-in session revocation, each checking the bearer token and the permissions Graph needs.
 * Fault knobs ({@link GraphStandIn.fail}, {@link GraphStandIn.hang}, roles) model the service's failures.
 */
export class GraphStandIn {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request received, in order. */
  readonly requests: GraphRequestRecord[] = [];
  /** Every token request received, in order. */
  readonly tokenRequests: TokenRequestRecord[] = [];
  /** The decoded `$filter` of every user look-up received, in order. */
  readonly filters: string[] = [];
  /** Requests received per kind (including failed and unanswered ones). */
  readonly calls: Record<GraphRouteKind, number> = { metadata: 0, token: 0, findUser: 0, getUser: 0, phoneMethods: 0, setPassword: 0, revoke: 0 };
  /** Access tokens issued. */
  tokensIssued = 0;
  /** The password rules password changes must meet. */
  passwordPolicy: StandInPasswordPolicy;
  /** Whether the app holds the User Administrator directory role, which a password change needs. */
  directoryRole: boolean;

  private readonly identity: IdentityPlatform;
  private readonly directory = new UserDirectory();
  private readonly faults = new FaultQueues();
  private server?: https.Server;
  private port = 0;

  constructor(options: GraphStandInOptions = {}) {
    this.tenantId = options.tenantId ?? randomUUID();
    this.clientId = options.clientId ?? randomUUID();
    this.clientSecret = options.clientSecret ?? `${randomBytes(3).toString("hex")}~${randomBytes(30).toString("base64url")}`;
    this.directoryRole = options.directoryRole ?? true;
    this.passwordPolicy = { ...DEFAULT_PASSWORD_POLICY, ...options.passwordPolicy };
    this.identity = new IdentityPlatform({
      tenantId: this.tenantId,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      roles: options.roles ?? DEFAULT_APP_ROLES,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      authorityHost: () => this.authorityHost,
      tokenRequests: this.tokenRequests,
      onTokenIssued: () => {
        this.tokensIssued++;
      },
    });
  }

  /** `https://localhost:PORT`, where both the identity platform and Graph answer. */
  get origin(): string {
    return `https://localhost:${this.port}`;
  }

  /**
   * The `authorityHost` to give `ClientSecretCredential` (with `disableInstanceDiscovery: true`): the origin. MSAL
   * accepts the OpenID configuration only when its issuer has the authority's scheme, host and port, so use this
   * value as it is (not 127.0.0.1 in its place).
   */
  get authorityHost(): string {
    return this.origin;
  }

  /** The host name to list in the Graph client's `customHosts` (the client compares host names without the port). */
  get graphHost(): string {
    return "localhost";
  }

  /**
   * Graph's service root, `https://localhost:PORT/v1.0`. The Graph client appends its `defaultVersion` ("v1.0") to
   * its `baseUrl`: give it `baseUrl: origin`, or `baseUrl: graphBaseUrl` with `defaultVersion: ""`.
   */
  get graphBaseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  /** The issuer of the OpenID configuration (`{authorityHost}/{tenant}/v2.0`). */
  get issuer(): string {
    return this.identity.issuer;
  }

  /** The issuer of the Graph access tokens, as Entra writes it for v1 tokens. */
  get accessTokenIssuer(): string {
    return this.identity.accessTokenIssuer;
  }

  async start(): Promise<this> {
    const { cert, key } = testTls();
    this.server = https.createServer({ cert, key }, (req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and closes every connection, including those of requests left unanswered. */
  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds a user to the directory and returns its id. */
  addUser(input: StandInUserInput): string {
    return this.directory.add(input);
  }

  /** A copy of the user with this id or userPrincipalName, as the directory now holds it. */
  user(idOrUpn: string): StandInUser | undefined {
    return this.directory.copy(idOrUpn);
  }

  /** The password last set for the user through the PATCH route, if any. */
  passwordOf(id: string): string | undefined {
    return this.directory.passwordOf(id);
  }

  /** The `forceChangePasswordNextSignIn` last set with the user's password, if any. */
  forceChangeOf(id: string): boolean | undefined {
    return this.directory.forceChangeOf(id);
  }

  /** How many times the user's sign-in sessions were revoked. */
  revocationsOf(id: string): number {
    return this.directory.revocationsOf(id);
  }

  /** Answers the next `times` requests of `kind` with this error instead. */
  fail(kind: GraphRouteKind, fault: GraphFault): void {
    this.faults.fail(kind, fault);
  }

  /** Accepts the next `times` requests of `kind` and never answers them (optionally after doing the work). */
  hang(kind: GraphRouteKind, options: GraphHang = {}): void {
    this.faults.hang(kind, options);
  }

  /** Ends every fault and hang still queued for `kind`. */
  recover(kind: GraphRouteKind): void {
    this.faults.clear(kind);
  }

  /** Withdraws an application permission; it takes effect at once, also for tokens already issued. */
  revokeRole(role: string): void {
    this.identity.revokeRole(role);
  }

  /** Grants an application permission; tokens issued from now on carry it. */
  grantRole(role: string): void {
    this.identity.grantRole(role);
  }

  /** Gives the app the User Administrator directory role, or takes it away. */
  setDirectoryRole(enabled: boolean): void {
    this.directoryRole = enabled;
  }

  /** Changes some of the password rules. */
  setPasswordPolicy(policy: Partial<StandInPasswordPolicy>): void {
    this.passwordPolicy = { ...this.passwordPolicy, ...policy };
  }

  /** The requests of one kind, in order. */
  requestsOf(kind: GraphRouteKind): GraphRequestRecord[] {
    return this.requests.filter((r) => r.kind === kind);
  }

  /** Signs an access token as the token endpoint would; `claims` override the usual ones (e.g. `exp`, `roles`). */
  signAccessToken(claims: Record<string, unknown> = {}): string {
    return this.identity.signAccessToken(claims);
  }

  /** What the routes answer from, as it stands now. */
  private routeState(): RouteState {
    const { tenantId, identity, directory, filters, passwordPolicy, directoryRole } = this;
    return { tenantId, identity, directory, filters, passwordPolicy, directoryRole };
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://localhost");
    const method = req.method ?? "GET";
    const record = recordOf(method, url);
    this.requests.push(record);
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const clientRequestId = headerValue(req.headers["client-request-id"]) ?? randomUUID();
    const route = routeRequest(method, url.pathname, this.routeState());
    let reply: Reply;
    if ("reply" in route) {
      reply = route.reply;
    } else {
      record.kind = route.kind;
      this.calls[route.kind]++;
      const hang = this.faults.takeHang(route.kind);
      if (hang && !hang.afterApplying) return;
      const fault = this.faults.takeFault(route.kind);
      const ctx: RequestContext = { method, params: route.params, query: url.searchParams, body, headers: req.headers, clientRequestId };
      reply = fault ? faultReply(route.kind, fault, clientRequestId) : route.handle(ctx);
      if (hang) return;
    }
    record.status = reply.status;
    sendReply(res, reply, clientRequestId, url.pathname.startsWith("/v1.0/"));
  }
}
