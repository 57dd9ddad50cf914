import { CallerIdConstants } from "botbuilder";
import { AuthenticationConstants } from "botframework-connector";
import type { Config } from "../config";
import type { BotServer } from "../server";
import { ChannelTokenGate } from "./channel-token";

/**
 * The SDK's settings for where the channel's signing keys are published, when `BOT_OPENID_METADATA_URL` moves them
 * (a sovereign cloud, or the local stand-in in tests); the public cloud's other constants stay as they are.
 */
export function channelKeySettings(metadataUrl: string | undefined): Record<string, string | boolean> {
  if (!metadataUrl) return {};
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** The channel-token check for `/api/messages`, when an app id is configured; none for local use without one. */
export function tokenChecker(config: Config): ConstructorParameters<typeof BotServer>[0]["checkToken"] {
  if (!config.BOT_ID) return undefined;
  const gate = new ChannelTokenGate({
    appId: config.BOT_ID,
    metadataUrl: config.BOT_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    issuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  });
  return (authorization, channelId, serviceUrl) => gate.check(authorization, channelId, serviceUrl);
}

