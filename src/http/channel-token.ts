import { createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { JwtPayload } from "jsonwebtoken";
import { z } from "zod";

/** Why a channel's token was refused: a fixed word for the log, never the token or a key. */
export type TokenRefusal =
  | "missing"
  | "malformed"
  | "algorithm"
  | "unknown-key"
  | "signature"
  | "expired"
  | "not-yet-valid"
  | "issuer"
  | "audience"
  | "endorsement"
  | "service-url";

/** The outcome of checking a token: accepted, refused (answer 401), or keys unavailable (answer 503, the channel retries). */
export type TokenCheck = { ok: true } | { ok: false; status: 401; reason: TokenRefusal } | { ok: false; status: 503; reason: "keys-unavailable" };

/** What the check needs: the bot's app id and where the channel publishes its signing keys. */
export interface ChannelTokenOptions {
  appId: string;
  /** The OpenID metadata document of the Bot Framework channel service (public cloud unless set otherwise). */
  metadataUrl: string;
  /** The issuer the channel's tokens carry. */
  issuer: string;
  /** How long fetched keys are trusted (the Bot Framework SDK uses 24 hours). */
  keysTtlMs?: number;
  /** An unknown key id triggers at most one refresh this often, so forged key ids cannot make the bot hammer the key service. */
  refreshGapMs?: number;
  clock?: () => number;
  fetchTimeoutMs?: number;
}

/** The algorithms the Bot Framework signs with. `none` and every HMAC algorithm are refused before any key is read. */
const ALGORITHMS = ["RS256", "RS384", "RS512"] as const;
/** Clock skew accepted on `exp`/`nbf`, as the Bot Framework SDK accepts. */
const CLOCK_TOLERANCE_S = 300;

const metadataSchema = z.object({ jwks_uri: z.string().url() });
const keysSchema = z.object({
  keys: z.array(z.object({ kid: z.string(), kty: z.string(), n: z.string().optional(), e: z.string().optional(), endorsements: z.array(z.string()).optional() }).passthrough()),
});

interface SigningKey {
  key: KeyObject;
  endorsements?: string[];
}

/**
 * Checks the bearer token a Bot Framework channel sends with every activity, before the SDK sees it: the same rules
 * the SDK applies (RS256/384/512 signature by a key published in the channel's OpenID metadata, issuer, audience =
 * the bot's app id, expiry with 5 minutes' skew, the key endorsed for the activity's channel, the `serviceurl` claim),
 * but every refusal is a value, not an exception, so a forged token costs a 401 and one log line, and nothing the
 * attacker sent or the keys themselves reach a log. The SDK still checks the token again afterwards.
 */
export class ChannelTokenGate {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: ChannelTokenOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Checks an `Authorization` header for an activity from `channelId` with `serviceUrl`. */
  async check(header: string | undefined, channelId: string, serviceUrl: string): Promise<TokenCheck> {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? "")?.[1];
    if (!header) return refuse("missing");
    if (!token) return refuse("malformed");
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== "object") return refuse("malformed");
    const { alg, kid } = decoded.header;
    if (!(ALGORITHMS as readonly string[]).includes(alg)) return refuse("algorithm");
    if (typeof kid !== "string" || kid.length > 256) return refuse("unknown-key");
    let signing: SigningKey | undefined;
    try {
      signing = await this.keyFor(kid);
    } catch {
      return { ok: false, status: 503, reason: "keys-unavailable" };
    }
    if (!signing) return refuse("unknown-key");
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, signing.key, {
        algorithms: [...ALGORITHMS],
        issuer: this.options.issuer,
        audience: this.options.appId,
        clockTolerance: CLOCK_TOLERANCE_S,
        clockTimestamp: Math.floor(this.clock() / 1000),
      }) as JwtPayload;
    } catch (err) {
      return refuse(refusalOf(err));
    }
    if (signing.endorsements && signing.endorsements.length > 0 && !signing.endorsements.includes(channelId)) return refuse("endorsement");
    const claimed: unknown = payload.serviceurl;
    if (claimed !== undefined && claimed !== serviceUrl) return refuse("service-url");
    return { ok: true };
  }

  private async keyFor(kid: string): Promise<SigningKey | undefined> {
    const now = this.clock();
    const stale = now - this.fetchedAt > (this.options.keysTtlMs ?? 24 * 3600_000);
    const unknownMayRefresh = !this.keys.has(kid) && now - this.lastAttempt > (this.options.refreshGapMs ?? 5 * 60_000);
    if (stale || unknownMayRefresh) {
      try {
        await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined)));
      } catch (err) {
        // Old keys stay usable when a refresh fails; with none at all the request must be retried later.
        if (this.keys.size === 0) throw err;
      }
    }
    return this.keys.get(kid);
  }

  private async refresh(): Promise<void> {
    this.lastAttempt = this.clock();
    const metadata = metadataSchema.parse(await this.fetchJson(this.options.metadataUrl));
    const { keys } = keysSchema.parse(await this.fetchJson(metadata.jwks_uri));
    const next = new Map<string, SigningKey>();
    for (const key of keys) {
      if (key.kty !== "RSA" || !key.n || !key.e) continue;
      next.set(key.kid, { key: createPublicKey({ key: { kty: "RSA", n: key.n, e: key.e }, format: "jwk" }), endorsements: key.endorsements });
    }
    this.keys = next;
    this.fetchedAt = this.clock();
  }

  private async fetchJson(url: string): Promise<unknown> {
    const response = await fetch(url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 5000) });
    if (!response.ok) throw new Error(`signing keys: HTTP ${response.status}`);
    return response.json();
  }
}

function refuse(reason: TokenRefusal): TokenCheck {
  return { ok: false, status: 401, reason };
}

function refusalOf(err: unknown): TokenRefusal {
  const { name, message } = err as { name?: string; message?: string };
  if (name === "TokenExpiredError") return "expired";
  if (name === "NotBeforeError") return "not-yet-valid";
  if (message?.startsWith("jwt issuer invalid")) return "issuer";
  if (message?.startsWith("jwt audience invalid")) return "audience";
  if (message === "invalid algorithm") return "algorithm";
  if (message === "invalid signature") return "signature";
  return "malformed";
}
