import { ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, HTTPMessageHandler } from "@microsoft/microsoft-graph-client";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";

/** Where and how the bot reaches Microsoft Graph (from `GRAPH_*` and `AZURE_AUTHORITY_HOST`). */
export interface GraphSettings {
  tenantId: string;
  clientId: string;
  /** The app registration's client secret; without one, the host's managed identity (with `clientId`) is used. */
  clientSecret?: string;
  /** Graph's root with its version, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: string;
  /** Entra's sign-in host, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** How long one Graph request may take before it is abandoned. */
  timeoutMs: number;
}

/** The clouds whose sign-in hosts Entra's instance discovery knows; any other host is used as given. */
const KNOWN_AUTHORITY_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.microsoftonline.de"]);

/** Graph's own hosts in each cloud: the token is asked for that host's resource. */
const GRAPH_HOSTS = new Set(["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"]);

/**
 * The scope of the app's token: the Graph host's own resource (`https://graph.microsoft.us/.default` in the US
 * government cloud); any other host (a proxy in front of Graph) speaks for the public cloud's Graph.
 */
export function graphScope(baseUrl: string): string {
  const url = new URL(baseUrl);
  return GRAPH_HOSTS.has(url.hostname) ? `${url.origin}/.default` : "https://graph.microsoft.com/.default";
}

/** The credential: a client secret when one is set, else the managed identity of the host (Azure). */
export function graphCredential(settings: GraphSettings): TokenCredential {
  const authorityHost = settings.authorityHost.replace(/\/+$/, "");
  const credential = settings.clientSecret
    ? new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, {
        authorityHost,
        // Instance discovery asks the public cloud about the authority: only meaningful for Microsoft's own hosts.
        disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname),
      })
    : new ManagedIdentityCredential({ clientId: settings.clientId });
  return new DeadlineCredential(credential, settings.timeoutMs * 2);
}

/** Raised when the app's token could not be had in time (the identity library ignores an abort signal). */
export class TokenDeadlineError extends Error {
  constructor() {
    super("No token from Entra ID in time.");
    this.name = "TokenDeadlineError";
  }
}

/**
 * A credential whose token requests end within a deadline: a sign-in host that never answers would otherwise hold
 * a person's turn for as long as the identity library keeps retrying.
 */
class DeadlineCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly deadlineMs: number,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TokenDeadlineError()), this.deadlineMs);
    });
    try {
      return await Promise.race([this.inner.getToken(scopes, options), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Gives every request its own deadline (`AbortSignal.timeout`), so a Graph call that never answers ends the turn's
 * wait instead of holding it. Sits just before the HTTP handler in the Graph client's middleware chain.
 */
class TimeoutHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    if (!this.next) throw new Error("TimeoutHandler needs a next middleware.");
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * The Graph client: authentication (the app's token for Graph's `.default` scope), a per-request deadline, then
 * HTTP. The client's own retry handler is left out on purpose: reads are retried by the directory, honouring
 * `Retry-After` a bounded number of times, and a password change is never retried blindly.
 */
export function createGraphClient(settings: GraphSettings, credential: TokenCredential = graphCredential(settings)): Client {
  const url = new URL(settings.baseUrl.replace(/\/+$/, ""));
  const segments = url.pathname.split("/").filter(Boolean);
  const version = segments.pop() ?? "v1.0";
  const root = `${url.origin}${segments.length > 0 ? `/${segments.join("/")}` : ""}`;
  const auth = new AuthenticationHandler(new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope(settings.baseUrl)] }));
  const timeout = new TimeoutHandler(settings.timeoutMs);
  auth.setNext(timeout);
  timeout.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: auth, baseUrl: root, defaultVersion: version, customHosts: new Set([url.hostname]) });
}
