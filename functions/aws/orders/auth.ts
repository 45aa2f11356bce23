/**
 * Who is calling: bearer JWTs from the company's OIDC issuer, verified with jose against the
 * issuer's JWKS (asymmetric algorithms only, 60 s clock skew), and the scopes they grant. A token
 * problem is a 401 with `WWW-Authenticate` (RFC 6750), a missing scope a 403 naming it, and keys
 * that cannot be fetched for a token whose `kid` is not cached a 503: the caller may be entitled,
 * the service cannot tell yet.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { fetch as undiciFetch, ProxyAgent } from "undici";
import { isClientId } from "./event";
import { LEGACY_CLIENT, ORDER_ID } from "./orders";

/** Signature algorithms a token may use: public-key ones only (an HS256 token signed with the public key is refused). */
export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

/** How far the issuer's clock and ours may disagree on exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The JWKS cache: fetched at most this long ago counts as fresh; an unknown `kid` refetches, but
 * not more often than the cooldown; while the issuer cannot be reached, keys fetched within
 * maxStaleMs keep verifying the tokens they signed.
 */
export const JWKS_CACHE = {
  timeoutMs: 5_000,
  cooldownMs: 30_000,
  maxAgeMs: 600_000,
  maxStaleMs: 6 * 3_600_000,
} as const;

/** What the service trusts and how it reads a token (the ConfigMap supplies these). */
export interface AuthSettings {
  /** The `iss` every token must carry. */
  readonly issuer: string;
  /** The `aud` every token must carry (one of, when it is a list). */
  readonly audience: string;
  /** Where the issuer's signing keys are published. */
  readonly jwksUri: string;
  /** An HTTP(S) proxy the JWKS is fetched through (the pods have no route to the internet), if any. */
  readonly jwksProxy?: string;
  /** The scope names that let a caller read, create, and act for any customer. */
  readonly scopes: { readonly read: string; readonly write: string; readonly admin: string };
  /** The claim naming the customer a caller is (their orders are the ones they may see). */
  readonly customerClaim: string;
  /** The claim naming the client: Idempotency-Keys are scoped to it. */
  readonly clientClaim: string;
}

/** An authenticated caller. */
export interface Caller {
  /** The client identity (clientClaim): the namespace of its Idempotency-Keys. */
  readonly client: string;
  /** The customer the caller is (customerClaim), if the token names one. */
  readonly customerId?: string;
  readonly scopes: ReadonlySet<string>;
  /** Holds the admin scope: may act for any customer. */
  readonly admin: boolean;
}

export type AuthErrorCode = "missing_token" | "invalid_token" | "insufficient_scope" | "keys_unavailable";

/** Why a request is not let through, as the HTTP layer answers it. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: AuthErrorCode,
    message: string,
    /** The scope the request lacks (403). */
    readonly scope?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AuthError";
  }
}

/** The `WWW-Authenticate` challenge for a 401 or 403 (RFC 6750 §3): no error code when no token was sent. */
export function challenge(err: AuthError): string | undefined {
  const realm = 'Bearer realm="orders"';
  if (err.code === "missing_token") return realm;
  if (err.code === "invalid_token")
    return `${realm}, error="invalid_token", error_description="${quoted(err.message)}"`;
  if (err.code === "insufficient_scope")
    return `${realm}, error="insufficient_scope", scope="${quoted(err.scope ?? "")}"`;
  return undefined;
}

/** RFC 6750's error_description is limited to %x20-21 / %x23-5B / %x5D-7E: no quote, no backslash. */
function quoted(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "'");
}

/** The token from an `Authorization: Bearer …` header; an AuthError when there is none or it is not one. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header === "")
    throw new AuthError(401, "missing_token", "an Authorization: Bearer token is required");
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  if (!match) throw new AuthError(401, "invalid_token", "the Authorization header is not a Bearer token");
  return match[1];
}

/** Scopes a token grants: the space-separated `scope` claim (RFC 9068) or the `scp` list some issuers use. */
export function tokenScopes(payload: JWTPayload): Set<string> {
  const words = (claim: unknown): unknown[] => (typeof claim === "string" ? claim.split(" ") : []);
  const listed = Array.isArray(payload.scp) ? (payload.scp as unknown[]) : words(payload.scp);
  return new Set([...words(payload.scope), ...listed].filter((s): s is string => typeof s === "string" && s !== ""));
}

/** The caller a verified token describes, or a 401 naming the claim that is missing or malformed. */
export function callerOf(payload: JWTPayload, settings: AuthSettings): Caller {
  const client = payload[settings.clientClaim];
  if (typeof client !== "string" || client.length === 0)
    throw new AuthError(401, "invalid_token", `the token has no ${settings.clientClaim} claim (the client identity)`);
  // Keys are stored per client (VARCHAR2(255 BYTE)); LEGACY_CLIENT holds the keys sent before authentication.
  if (!isClientId(client) || Buffer.byteLength(client) > 255 || client === LEGACY_CLIENT)
    throw new AuthError(
      401,
      "invalid_token",
      `the token's ${settings.clientClaim} claim is not a client identity this API can hold`,
    );
  const customer = payload[settings.customerClaim];
  if (customer !== undefined && (typeof customer !== "string" || !ORDER_ID.test(customer)))
    throw new AuthError(401, "invalid_token", `the token's ${settings.customerClaim} claim is not a customer id`);
  const scopes = tokenScopes(payload);
  return { client, customerId: customer, scopes, admin: scopes.has(settings.scopes.admin) };
}

/** A jose error as the HTTP layer answers it: the token's fault (401) or the keys' (503). */
export function verificationError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  const invalid = (message: string) => new AuthError(401, "invalid_token", message, undefined, { cause: err });
  if (err instanceof errors.JWTExpired) return invalid("the token expired");
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return invalid("the token is not valid yet");
    return invalid(`the token's ${err.claim} claim is not what this API accepts`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return invalid("the token's alg is not one this API accepts (asymmetric signatures only)");
  if (err instanceof errors.JWKSNoMatchingKey) return invalid("no signing key of the issuer has the token's kid");
  if (err instanceof errors.JWKSMultipleMatchingKeys) return invalid("the token's kid matches several keys");
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid("the token's signature does not verify");
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JWKInvalid
  )
    return invalid("the token is not a signed JWT this API can read");
  // A timeout, an unreachable issuer, a JWKS that is not one: the token may be good.
  return new AuthError(503, "keys_unavailable", "the issuer's signing keys cannot be fetched now", undefined, {
    cause: err,
  });
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/** Verifies a token's signature (keys from getKey), issuer, audience, times and algorithm; then reads the caller. */
export function tokenVerifier(settings: AuthSettings, getKey: JWTVerifyGetKey): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: [...ASYMMETRIC_ALGORITHMS],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp"],
      });
      return callerOf(payload, settings);
    } catch (err) {
      throw verificationError(err);
    }
  };
}

/** A fetch that goes through an HTTP(S) proxy (CONNECT for https targets). */
export function proxiedFetch(proxyUrl: string): FetchImplementation {
  const dispatcher = new ProxyAgent(proxyUrl);
  // undici's Response is the same class Node's fetch returns; its types are declared apart.
  return (url, options) =>
    undiciFetch(url, {
      method: options.method,
      redirect: options.redirect,
      signal: options.signal,
      headers: Object.fromEntries(options.headers.entries()),
      dispatcher,
    }) as unknown as Promise<Response>;
}

export interface RemoteKeysOptions {
  /** The fetch the JWKS is read with (through the proxy when one is configured). */
  readonly fetch?: FetchImplementation;
  /** Called when keys are served from a stale set because the issuer cannot be reached. */
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
  readonly now?: () => number;
  /** JWKS_CACHE unless a test shortens it. */
  readonly cache?: { readonly [K in keyof typeof JWKS_CACHE]: number };
}

/**
 * The issuer's keys, cached (JWKS_CACHE). jose refetches on an unknown `kid` and when the set is
 * older than maxAgeMs; when that refetch fails, a set fetched within maxStaleMs still answers for
 * the kids it holds (an issuer outage does not log everyone out), and a `kid` it lacks is a 503.
 */
export function remoteKeys(settings: AuthSettings, options: RemoteKeysOptions = {}): JWTVerifyGetKey {
  const now = options.now ?? Date.now;
  const cache = options.cache ?? JWKS_CACHE;
  const base: FetchImplementation =
    options.fetch ?? (settings.jwksProxy ? proxiedFetch(settings.jwksProxy) : (url, init) => fetch(url, init));
  let fetchedAt: number | undefined;
  const recorded: FetchImplementation = async (url, init) => {
    const response = await base(url, init);
    if (response.status === 200) fetchedAt = now();
    return response;
  };
  const remote = createRemoteJWKSet(new URL(settings.jwksUri), {
    timeoutDuration: cache.timeoutMs,
    cooldownDuration: cache.cooldownMs,
    cacheMaxAge: cache.maxAgeMs,
    [customFetch]: recorded,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      const answer = verificationError(err);
      const cached = remote.jwks();
      if (answer.status !== 503 || !cached || fetchedAt === undefined || now() - fetchedAt > cache.maxStaleMs)
        throw err;
      try {
        const key = await createLocalJWKSet(cached)(header, token);
        options.log?.("jwks.stale", { ageSeconds: Math.round((now() - fetchedAt) / 1000), kid: header?.kid });
        return key;
      } catch {
        throw err; // the kid is not cached either: the keys are unavailable, not the token wrong
      }
    }
  };
}
