/**
 * The Graph stand-in's Microsoft identity platform: the OpenID configuration, the signing keys (JWKS), the
 * client-credentials token endpoint, and signing and checking the RS256 access tokens it issues for Graph.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import type { KeyPairKeyObjectResult } from "node:crypto";
import jwt from "jsonwebtoken";
import { oauthError, odataError } from "./replies";
import type { Reply } from "./replies";
import { headerValue } from "./requests";
import type { RequestContext } from "./requests";

/** The resource Microsoft Graph tokens are issued for (their `aud`). */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** The scope an app asks for in the client-credentials flow to get Graph's application permissions. */
export const GRAPH_SCOPE = `${GRAPH_RESOURCE}/.default`;
/** Microsoft Graph's own application id, also accepted as a token audience. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** What the token endpoint was asked for (never the secret). */
export interface TokenRequestRecord {
  grantType: string | undefined;
  clientId: string | undefined;
  scope: string | undefined;
}

/** The tenant and app an {@link IdentityPlatform} serves, and where it reports what it did. */
export interface IdentityPlatformSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The app's application permissions to start with. */
  roles: readonly string[];
  /** Access token lifetime in seconds. */
  tokenLifetimeSeconds: number;
  /** The authority host (known once the server listens). */
  authorityHost: () => string;
  /** Where each token request is recorded. */
  tokenRequests: TokenRequestRecord[];
  /** Called for each access token the token endpoint issues. */
  onTokenIssued: () => void;
}

let sharedKeys: KeyPairKeyObjectResult | undefined;

/**
 * The RSA key pair the stand-ins sign access tokens with, made once per test process (making one costs about 0.2 s).
 * Tokens stay bound to one stand-in by their issuer, which names its tenant.
 */
function signingKeys(): KeyPairKeyObjectResult {
  sharedKeys ??= generateKeyPairSync("rsa", { modulusLength: 2048 });
  return sharedKeys;
}

/** One tenant's identity platform, issuing and checking Graph access tokens for one app. */
export class IdentityPlatform {
  private readonly keys = signingKeys();
  private readonly kid = createHash("sha256").update(this.keys.publicKey.export({ format: "der", type: "spki" })).digest("base64url").slice(0, 27);
  private readonly servicePrincipalId = randomUUID();
  private readonly roles: Set<string>;

  constructor(private readonly settings: IdentityPlatformSettings) {
    this.roles = new Set(settings.roles);
  }

  /** The issuer of the OpenID configuration (`{authorityHost}/{tenant}/v2.0`). */
  get issuer(): string {
    return `${this.settings.authorityHost()}/${this.settings.tenantId}/v2.0`;
  }

  /** The issuer of the Graph access tokens, as Entra writes it for v1 tokens. */
  get accessTokenIssuer(): string {
    return `https://sts.windows.net/${this.settings.tenantId}/`;
  }

  /** Withdraws an application permission; it takes effect at once, also for tokens already issued. */
  revokeRole(role: string): void {
    this.roles.delete(role);
  }

  /** Grants an application permission; tokens issued from now on carry it. */
  grantRole(role: string): void {
    this.roles.add(role);
  }

  /** Signs an access token as the token endpoint would; `claims` override the usual ones (e.g. `exp`, `roles`). */
  signAccessToken(claims: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      {
        aud: GRAPH_RESOURCE,
        iss: this.accessTokenIssuer,
        iat: now,
        nbf: now,
        exp: now + this.settings.tokenLifetimeSeconds,
        app_displayname: "NHSmail helpdesk bot (stand-in)",
        appid: this.settings.clientId,
        appidacr: "1",
        idp: this.accessTokenIssuer,
        idtyp: "app",
        oid: this.servicePrincipalId,
        sub: this.servicePrincipalId,
        roles: [...this.roles],
        tid: this.settings.tenantId,
        uti: randomBytes(16).toString("base64url"),
        ver: "1.0",
        ...claims,
      },
      this.keys.privateKey,
      { algorithm: "RS256", keyid: this.kid },
    );
  }

  /** The OpenID configuration document. */
  openIdConfiguration(): Reply {
    const base = `${this.settings.authorityHost()}/${this.settings.tenantId}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        issuer: this.issuer,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${GRAPH_RESOURCE}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "oid", "roles"],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: "EU",
        cloud_instance_name: "microsoftonline.com",
        cloud_graph_host_name: "graph.windows.net",
        msgraph_host: "graph.microsoft.com",
        rbac_url: "https://pas.windows.net",
      },
    };
  }

  /** The key set document: the public key access tokens are signed with. */
  jwks(): Reply {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    return { status: 200, body: { keys: [{ kty: "RSA", use: "sig", kid: this.kid, n: jwk.n, e: jwk.e, issuer: this.issuer }] } };
  }

  /** The client-credentials token endpoint. */
  token(ctx: RequestContext): Reply {
    const form = new URLSearchParams(ctx.body);
    const grantType = form.get("grant_type") ?? undefined;
    const clientId = form.get("client_id") ?? undefined;
    const scope = form.get("scope") ?? undefined;
    this.settings.tokenRequests.push({ grantType, clientId, scope });
    const error = (status: number, code: string, number: number, description: string): Reply => ({
      status,
      body: oauthError(code, number, description, ctx.clientRequestId),
    });
    if (!(headerValue(ctx.headers["content-type"]) ?? "").startsWith("application/x-www-form-urlencoded")) {
      return error(400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
    }
    if (grantType !== "client_credentials") {
      return error(400, "unsupported_grant_type", 70003, `AADSTS70003: The app requested an unsupported grant type '${grantType ?? ""}'.`);
    }
    if (clientId !== this.settings.clientId) {
      return error(
        400,
        "unauthorized_client",
        700016,
        `AADSTS700016: Application with identifier '${clientId ?? ""}' was not found in the directory '${this.settings.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    if (form.get("client_secret") !== this.settings.clientSecret) {
      return error(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + this.settings.clientId + "'.");
    }
    const scopes = (scope ?? "").split(" ").filter((s) => s && !["openid", "profile", "offline_access"].includes(s));
    if (scopes.length !== 1 || ![GRAPH_SCOPE, `${GRAPH_APP_ID}/.default`].includes(scopes[0] ?? "")) {
      return error(
        400,
        "invalid_scope",
        1002012,
        `AADSTS1002012: The provided value for scope ${scope ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    this.settings.onTokenIssued();
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: this.settings.tokenLifetimeSeconds,
        ext_expires_in: this.settings.tokenLifetimeSeconds,
        access_token: this.signAccessToken(),
      },
    };
  }

  /** Checks the bearer token and that the app holds one of `roles`; returns the refusal, if any. */
  authorise(ctx: RequestContext, roles: readonly string[]): Reply | undefined {
    const header = headerValue(ctx.headers.authorization) ?? "";
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    const unauthorised = (message: string): Reply => ({
      status: 401,
      headers: {
        "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
      },
      body: odataError("InvalidAuthenticationToken", message, ctx.clientRequestId),
    });
    if (!token) return unauthorised("Access token is empty.");
    let claims: { roles?: unknown };
    try {
      claims = jwt.verify(token, this.keys.publicKey, {
        algorithms: ["RS256"],
        audience: [GRAPH_RESOURCE, GRAPH_APP_ID],
        issuer: this.accessTokenIssuer,
      }) as { roles?: unknown };
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) return unauthorised("Lifetime validation failed, the token is expired.");
      return unauthorised("Access token validation failure. Invalid audience.");
    }
    const held = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
    if (!roles.some((role) => held.includes(role) && this.roles.has(role))) {
      return { status: 403, body: odataError("Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ctx.clientRequestId) };
    }
    return undefined;
  }
}
