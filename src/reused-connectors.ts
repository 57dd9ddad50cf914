import { AuthenticationConstants, BotFrameworkAuthentication, ConnectorFactory } from "botframework-connector";
import type { AuthenticateRequestResult, BotFrameworkClient, ClaimsIdentity, ConnectorClient, UserTokenClient } from "botframework-connector";
import type { Activity } from "botframework-schema";
import { RecentMemory } from "./state/recent-memory";

/** How long a client is reused; a fresh one is made after. */
const KEEP_MS = 60 * 60 * 1000;
/** Clients kept: one per bot identity, channel service address and audience (a handful in practice). */
const MAX_CLIENTS = 100;

/**
 * The SDK's authentication with its outbound clients reused. Left to itself, the SDK builds a new Bot Connector
 * client and a new user-token client, each with its own HTTP pipeline, for every turn and proactive message: about a
 * tenth of a millisecond of CPU per turn that changes nothing, since a client holds only the bot's credentials
 * (which fetch and refresh their own tokens) and the address it talks to. Here each client is made once per bot
 * identity, service address and audience, and kept for an hour (at most {@link MAX_CLIENTS}, the oldest forgotten
 * first, so addresses sent by unauthenticated local requests cannot grow it). Everything else is the SDK's.
 */
export class ReusedConnectors extends BotFrameworkAuthentication {
  private readonly connectors = new RecentMemory<Promise<ConnectorClient>>(KEEP_MS, MAX_CLIENTS);
  private readonly tokenClients = new RecentMemory<Promise<UserTokenClient>>(KEEP_MS, MAX_CLIENTS);

  constructor(private readonly sdk: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.sdk.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.sdk.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusedConnectorFactory(this.sdk.createConnectorFactory(claimsIdentity), botIdOf(claimsIdentity), this.connectors);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return remembered(this.tokenClients, botIdOf(claimsIdentity), () => this.sdk.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.sdk.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.sdk.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.sdk.authenticateChannelRequest(authHeader);
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const factory = result.connectorFactory;
    return factory ? { ...result, connectorFactory: new ReusedConnectorFactory(factory, botIdOf(result.claimsIdentity), this.connectors) } : result;
  }
}

/** A connector factory that hands out the client it made before for the same bot, address and audience. */
class ReusedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly sdk: ConnectorFactory,
    private readonly botId: string,
    private readonly connectors: RecentMemory<Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return remembered(this.connectors, JSON.stringify([this.botId, serviceUrl, audience ?? null]), () => this.sdk.create(serviceUrl, audience));
  }
}

/** The bot's own app id as the SDK reads it from a request's claims (audience, else app id); "" when there is none. */
function botIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? "";
}

/** The remembered promise for `key`, or a new one from `make`; a failed one is forgotten, so the next call tries again. */
function remembered<T>(memory: RecentMemory<Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = memory.get(key);
  if (known) return known;
  const made = make();
  memory.set(key, made);
  made.catch(() => {
    if (memory.get(key) === made) memory.forget(key);
  });
  return made;
}
