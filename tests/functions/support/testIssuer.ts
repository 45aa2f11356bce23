/**
 * An OIDC issuer made in the test: an ES256 key pair generated here, tokens signed with it, and
 * the order API's real verifier (jose) reading its keys from a local JWKS, or from a loopback
 * JWKS server (jwksServer) for the fetch, cache and outage cases.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { InjectOptions } from "fastify";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  SignJWT,
  type CryptoKey,
} from "jose";
import type { AppAuth } from "../../../functions/aws/orders/app";
import { type AuthSettings, tokenVerifier } from "../../../functions/aws/orders/auth";

export const TEST_AUTH: AuthSettings = {
  issuer: "https://login.test.example/",
  audience: "orders-api",
  jwksUri: "https://login.test.example/.well-known/jwks.json",
  scopes: { read: "orders:read", write: "orders:write", admin: "orders:admin" },
  customerClaim: "customer_id",
  clientClaim: "sub",
};

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signingKey(kid: string, alg: "ES256" | "RS256" = "ES256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export interface TokenOptions {
  readonly claims?: JWTPayload;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly notBefore?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly key?: SigningKey;
}

export class TestIssuer {
  constructor(
    readonly keys: SigningKey[],
    readonly settings: AuthSettings = TEST_AUTH,
  ) {}

  static async create(): Promise<TestIssuer> {
    return new TestIssuer([await signingKey("key-1")]);
  }

  jwks(): JSONWebKeySet {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** The API's authentication with this issuer's keys in memory. */
  auth(): AppAuth {
    return { verify: tokenVerifier(this.settings, createLocalJWKSet(this.jwks())), settings: this.settings };
  }

  async token(options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.keys[0];
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ ...options.claims })
      .setProtectedHeader({ alg: key.publicJwk.alg!, kid: key.kid, typ: "at+jwt" })
      .setIssuer(options.issuer ?? this.settings.issuer)
      .setAudience(options.audience ?? this.settings.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** A customer's token: its client is the customer (sub), with the given scopes. */
  customer(customerId: string, scopes: readonly string[] = ["orders:read", "orders:write"]): Promise<string> {
    return this.token({ claims: { sub: `client-${customerId}`, customer_id: customerId, scope: scopes.join(" ") } });
  }

  admin(scopes: readonly string[] = ["orders:admin"]): Promise<string> {
    return this.token({ claims: { sub: "back-office", scope: scopes.join(" ") } });
  }
}

/** Fastify inject options with a bearer token added. */
export function withToken(options: string | InjectOptions, token: string): InjectOptions {
  const opts: InjectOptions = typeof options === "string" ? { url: options } : options;
  return { ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } };
}

/** A JWKS endpoint on loopback: counts its fetches; `down` makes it refuse (503), `keys` is what it serves. */
export class JwksServer {
  fetches = 0;
  down = false;
  private server: Server | undefined;
  constructor(public keys: JSONWebKeySet) {}

  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      this.fetches++;
      if (this.down) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.keys));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
