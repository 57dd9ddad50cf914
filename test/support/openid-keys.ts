import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";
import type { SignOptions } from "jsonwebtoken";

/** The issuer Bot Framework channel tokens carry. */
export const CHANNEL_ISSUER = "https://api.botframework.com";

/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys (login.botframework.com cannot be reached
 * from here): it serves the metadata document and a JWKS in the documented shapes, with an `endorsements` list per
 * key, and signs channel tokens with its private key, so the SDK's own token code and the bot's gate are what a test
 * exercises.
 */
export class OpenIdKeys {
  readonly kid = `test-key-${randomUUID()}`;
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  /** How many times the metadata and key documents were fetched. */
  fetches = 0;
  private server?: http.Server;
  url = "";

  constructor(private readonly endorsements: string[] = ["msteams", "directline", "webchat"]) {}

  /** The metadata URL to give the bot as `BOT_OPENID_METADATA_URL`. */
  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** The public key's modulus (base64url), to check that it never reaches a log. */
  get modulus(): string {
    return (this.keys.publicKey.export({ format: "jwk" }) as { n: string }).n;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.fetches++;
      const json = (body: unknown): void => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url === "/v1/.well-known/openidconfiguration") {
        json({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ["RS256"] });
      } else if (req.url === "/v1/.well-known/keys") {
        const jwk = this.keys.publicKey.export({ format: "jwk" });
        json({ keys: [{ ...jwk, kid: this.kid, use: "sig", endorsements: this.endorsements }] });
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** A channel token as the Bot Framework issues it, for `appId`; `claims` and `options` change it. */
  sign(appId: string, claims: Record<string, unknown> = {}, options: SignOptions = {}, key: KeyObject = this.keys.privateKey): string {
    return jwt.sign({ serviceurl: "http://127.0.0.1:9/", ...claims }, key, {
      algorithm: "RS256",
      keyid: this.kid,
      issuer: CHANNEL_ISSUER,
      audience: appId,
      ...("exp" in claims ? {} : { expiresIn: "1h" }),
      ...options,
    });
  }
}
