/**
 * Who may call the order API: bearer JWTs verified by the real verifier (jose) with keys made in
 * the test, served from memory or from a loopback JWKS server (through a loopback CONNECT proxy, as
 * the pods reach it), and owner authorisation on every order route.
 */
import { expect } from "chai";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { errors, exportJWK, SignJWT } from "jose";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import {
  AuthError,
  bearerToken,
  callerOf,
  challenge,
  remoteKeys,
  tokenScopes,
  tokenVerifier,
  verificationError,
} from "../../functions/aws/orders/auth";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { FakeIntake } from "./support/fakeIntake";
import { FakeOrderStore } from "./support/fakeOrderStore";
import { JwksServer, signingKey, TEST_AUTH, TestIssuer, withToken } from "./support/testIssuer";

const b64 = (value: object | string) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

describe("order API authentication (bearer JWTs, real verifier)", () => {
  let issuer: TestIssuer;
  let store: FakeOrderStore;
  let intake: FakeIntake;
  let app: FastifyInstance;
  const body = { amount: "10.00", currency: "EUR", orderDate: "2026-11-02" };

  before(async () => {
    issuer = await TestIssuer.create();
  });
  beforeEach(async () => {
    store = new FakeOrderStore();
    intake = new FakeIntake();
    store.add({ orderId: "O-ALICE", customerId: "ALICE", orderDate: "2026-11-01" });
    store.add({ orderId: "O-BOB", customerId: "BOB", orderDate: "2026-11-01" });
    app = buildApp({
      store,
      intake,
      lifecycle: Object.assign(new Lifecycle(), { started: true }),
      auth: issuer.auth(),
      metrics: serviceMetrics(() => store.stats(), { processMetrics: false }),
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const get = (url: string, token?: string) => app.inject(token === undefined ? { url } : withToken({ url }, token));
  const post = (payload: object, token: string, key = "key-00000001") =>
    app.inject(withToken({ method: "POST", url: "/orders", payload, headers: { "idempotency-key": key } }, token));

  describe("401 with a WWW-Authenticate challenge for every token this API must not trust", () => {
    const refused: Array<[string, () => Promise<string | undefined>, string]> = [
      ["no Authorization header", async () => undefined, "an Authorization: Bearer token is required"],
      ["an expired token (beyond the 60 s skew)", () => issuer.token({ expiresIn: -61 }), "the token expired"],
      ["a token not valid yet (beyond the skew)", () => issuer.token({ notBefore: 120 }), "the token is not valid yet"],
      [
        "another issuer",
        () => issuer.token({ issuer: "https://evil.example/" }),
        "the token's iss claim is not what this API accepts",
      ],
      [
        "another audience",
        () => issuer.token({ audience: "billing-api" }),
        "the token's aud claim is not what this API accepts",
      ],
      [
        "alg none (unsigned)",
        async () =>
          `${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience, sub: "x", scope: "orders:read", exp: 4e9 })}.`,
        "the token's alg is not one this API accepts (asymmetric signatures only)",
      ],
      [
        "HS256 signed with the issuer's public key as the secret (key confusion)",
        async () => {
          const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
          const pem = publicKey.export({ type: "spki", format: "pem" });
          const signing = `${b64({ alg: "HS256", kid: "key-1" })}.${b64({ iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience, sub: "x", scope: "orders:read", exp: 4e9 })}`;
          return `${signing}.${createHmac("sha256", pem).update(signing).digest("base64url")}`;
        },
        "the token's alg is not one this API accepts (asymmetric signatures only)",
      ],
      [
        "a kid the issuer never published",
        async () => issuer.token({ key: await signingKey("rogue") }),
        "no signing key of the issuer has the token's kid",
      ],
      [
        "a published kid with another key's signature",
        async () => issuer.token({ key: { ...(await signingKey("x")), kid: "key-1" } }),
        "the token's signature does not verify",
      ],
      [
        "a token without sub (no client identity)",
        () => issuer.token({ claims: { scope: "orders:read" } }),
        "the token has no sub claim (the client identity)",
      ],
      ["not a JWT", async () => "abc.def", "the token is not a signed JWT this API can read"],
      [
        "the client reserved for keys sent before authentication",
        () => issuer.token({ claims: { sub: "-", scope: "orders:read" } }),
        "the token's sub claim is not a client identity this API can hold",
      ],
      [
        "a client longer than the 255 bytes a key's client column holds",
        () => issuer.token({ claims: { sub: "é".repeat(128), scope: "orders:read" } }),
        "the token's sub claim is not a client identity this API can hold",
      ],
    ];
    for (const [what, make, message] of refused) {
      it(`refuses ${what}`, async () => {
        const token = await make();
        const res = await get("/orders/O-ALICE", token);
        expect(res.statusCode, res.body).to.equal(401);
        expect(res.json()).to.deep.include({ error: token === undefined ? "missing_token" : "invalid_token", message });
        expect(res.headers["www-authenticate"]).to.equal(
          token === undefined
            ? 'Bearer realm="orders"'
            : `Bearer realm="orders", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
        );
        expect(store.calls, "the store is never asked for an unauthenticated caller").to.equal(0);
      });
    }

    it("accepts a token expired within the 60 s skew, and refuses a Basic header", async () => {
      const lateButFine = await issuer.token({
        expiresIn: -30,
        claims: { sub: "c", customer_id: "ALICE", scope: "orders:read" },
      });
      expect((await get("/orders/O-ALICE", lateButFine)).statusCode).to.equal(200);
      const basic = await app.inject({ url: "/orders/O-ALICE", headers: { authorization: "Basic dXNlcjpwYXNz" } });
      expect([basic.statusCode, basic.json().message]).to.deep.equal([
        401,
        "the Authorization header is not a Bearer token",
      ]);
    });

    it("authenticates before reading the body: an anonymous POST publishes nothing and is not validated", async () => {
      const res = await app.inject({ method: "POST", url: "/orders", payload: { nonsense: true } });
      expect(res.statusCode).to.equal(401);
      expect(intake.published).to.deep.equal([]);
    });
  });

  describe("403 naming the missing scope; owner authorisation", () => {
    it("needs orders:read to read and orders:write to create", async () => {
      const reader = await issuer.customer("ALICE", ["orders:read"]);
      const denied = await post(body, reader);
      expect(denied.statusCode).to.equal(403);
      expect(denied.json()).to.deep.include({
        error: "insufficient_scope",
        message: "this request needs the orders:write scope",
        scope: "orders:write",
      });
      expect(denied.headers["www-authenticate"]).to.equal(
        'Bearer realm="orders", error="insufficient_scope", scope="orders:write"',
      );
      const writer = await issuer.customer("ALICE", ["orders:write"]);
      expect((await get("/orders/O-ALICE", writer)).json()).to.deep.include({ scope: "orders:read" });
      expect((await post(body, writer)).statusCode).to.equal(202);
      expect(intake.published.map((e) => e.customerId)).to.deep.equal(["ALICE"]);
    });

    it("lets Bob read neither Alice's order (404, as if none) nor her list (403), nor order for her (403)", async () => {
      const bob = await issuer.customer("BOB");
      const one = await get("/orders/O-ALICE", bob);
      expect([one.statusCode, one.json().message]).to.deep.equal([404, "order O-ALICE does not exist"]);
      expect((await get("/orders/O-BOB", bob)).statusCode).to.equal(200);
      const list = await get("/orders?customerId=ALICE", bob);
      expect(list.statusCode).to.equal(403);
      expect(list.json()).to.deep.include({ error: "forbidden", field: "query.customerId" });
      const own = await get("/orders", bob);
      expect(own.json().orders.map((o: { orderId: string }) => o.orderId)).to.deep.equal(["O-BOB"]);
      const forAlice = await post({ ...body, customerId: "ALICE" }, bob);
      expect(forAlice.statusCode).to.equal(403);
      expect(forAlice.json().message).to.equal("body.customerId ALICE is not the caller's customer");
      expect(intake.published).to.deep.equal([]);
      // Without customerId the order is Bob's own.
      expect((await post(body, bob)).json().customerId).to.equal("BOB");
    });

    it("lets an admin act for any customer it names, and requires it to name one", async () => {
      const admin = await issuer.admin();
      expect((await get("/orders/O-ALICE", admin)).statusCode).to.equal(200);
      expect((await get("/orders?customerId=ALICE", admin)).json().orders).to.have.length(1);
      const unnamed = await get("/orders", admin);
      expect([unnamed.statusCode, unnamed.json().field]).to.deep.equal([400, "query.customerId"]);
      expect((await post({ ...body, customerId: "BOB" }, admin)).statusCode).to.equal(202);
    });

    it("refuses a customer token without the customer claim (403) and a malformed one (401)", async () => {
      const noCustomer = await issuer.token({ claims: { sub: "svc", scope: "orders:read" } });
      const res = await get("/orders", noCustomer);
      expect([res.statusCode, res.json().message]).to.deep.equal([
        403,
        "the token names no customer (claim customer_id); only orders:admin may act without one",
      ]);
      const malformed = await issuer.token({ claims: { sub: "svc", customer_id: "A/B", scope: "orders:read" } });
      expect((await get("/orders", malformed)).json().message).to.equal(
        "the token's customer_id claim is not a customer id",
      );
    });

    it("leaves the probes unauthenticated (the kubelet and the load balancer carry no tokens)", async () => {
      for (const url of ["/healthz", "/readyz"]) expect((await get(url)).statusCode, url).to.equal(200);
    });
  });
});

describe("token helpers (pure)", () => {
  it("reads Bearer tokens, scopes from scope or scp, and maps every jose failure to 401 or 503", () => {
    expect(bearerToken("Bearer abc.def.ghi")).to.equal("abc.def.ghi");
    expect(bearerToken("bearer  abc")).to.equal("abc");
    expect(() => bearerToken(undefined))
      .to.throw(AuthError)
      .with.property("code", "missing_token");
    expect(() => bearerToken("Bearer a b"))
      .to.throw(AuthError)
      .with.property("code", "invalid_token");
    expect([...tokenScopes({ scope: "a  b" })]).to.deep.equal(["a", "b"]);
    expect([...tokenScopes({ scp: ["a", 3, "c"] })]).to.deep.equal(["a", "c"]);
    expect([...tokenScopes({ scp: "x y" })]).to.deep.equal(["x", "y"]);
    expect(verificationError(new TypeError("fetch failed")).status).to.equal(503);
    expect(challenge(new AuthError(401, "invalid_token", 'say "hi"\n'))).to.equal(
      `Bearer realm="orders", error="invalid_token", error_description="say 'hi''"`,
    );
    expect(challenge(new AuthError(503, "keys_unavailable", "x"))).to.equal(undefined);
  });
});

/** A forward proxy on loopback that tunnels CONNECT, as the corporate egress proxy does; counts what it tunnels. */
async function connectProxy(): Promise<{ url: string; tunnels: string[]; close: () => Promise<void> }> {
  const tunnels: string[] = [];
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client, head) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the issuer's keys over HTTP (loopback JWKS server)", () => {
  let issuer: TestIssuer;
  let jwks: JwksServer;
  let uri: string;
  beforeEach(async () => {
    issuer = await TestIssuer.create();
    jwks = new JwksServer(issuer.jwks());
    uri = await jwks.start();
  });
  afterEach(() => jwks.stop());
  const claims = { sub: "client-1", customer_id: "C-1", scope: "orders:read" };
  const settings = () => ({ ...TEST_AUTH, jwksUri: uri });

  it("fetches once and caches; an unknown kid refetches (a rotated key verifies at once)", async () => {
    const verify = tokenVerifier(
      settings(),
      remoteKeys(settings(), { cache: { timeoutMs: 2000, cooldownMs: 0, maxAgeMs: 600_000, maxStaleMs: 600_000 } }),
    );
    for (let i = 0; i < 3; i++) expect((await verify(await issuer.token({ claims }))).client).to.equal("client-1");
    expect(jwks.fetches).to.equal(1);
    const rotated = await signingKey("key-2");
    jwks.keys = { keys: [...issuer.jwks().keys, rotated.publicJwk] };
    expect((await verify(await issuer.token({ claims, key: rotated }))).customerId).to.equal("C-1");
    expect(jwks.fetches).to.equal(2);
  });

  it("answers 503 (Retry-After) when the JWKS cannot be fetched and the kid is not cached; a cached kid keeps working", async () => {
    const logged: string[] = [];
    const keys = remoteKeys(settings(), {
      cache: { timeoutMs: 2000, cooldownMs: 0, maxAgeMs: 1, maxStaleMs: 600_000 },
      log: (event) => logged.push(event),
    });
    const verify = tokenVerifier(settings(), keys);
    await verify(await issuer.token({ claims }));
    jwks.down = true;
    await new Promise((r) => setTimeout(r, 5)); // the cached set is past maxAgeMs: jose refetches, and fails
    expect((await verify(await issuer.token({ claims }))).client, "served from the stale set").to.equal("client-1");
    expect(logged).to.deep.equal(["jwks.stale"]);
    const unknown = await verify(await issuer.token({ claims, key: await signingKey("key-3") })).catch(
      (e: unknown) => e,
    );
    expect(unknown).to.be.instanceOf(AuthError).and.include({ status: 503, code: "keys_unavailable" });

    // Through the app: 503 with Retry-After, nothing of the cause.
    const store = new FakeOrderStore();
    const app = buildApp({
      store,
      intake: new FakeIntake(),
      lifecycle: Object.assign(new Lifecycle(), { started: true }),
      auth: { verify, settings: TEST_AUTH },
      metrics: serviceMetrics(() => store.stats(), { processMetrics: false }),
    });
    const res = await app.inject(
      withToken("/orders/O-1", await issuer.token({ claims, key: await signingKey("key-4") })),
    );
    expect([res.statusCode, res.headers["retry-after"], res.json().error]).to.deep.equal([
      503,
      "5",
      "keys_unavailable",
    ]);
    expect(res.headers["www-authenticate"]).to.equal(undefined);
    await app.close();
  });

  it("stops trusting a stale set after maxStaleMs", async () => {
    let clock = 1_000_000;
    const keys = remoteKeys(settings(), {
      cache: { timeoutMs: 2000, cooldownMs: 0, maxAgeMs: 1, maxStaleMs: 60_000 },
      now: () => clock,
    });
    const verify = tokenVerifier(settings(), keys);
    await verify(await issuer.token({ claims }));
    jwks.down = true;
    clock += 60_001;
    await new Promise((r) => setTimeout(r, 5));
    const err = await verify(await issuer.token({ claims })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AuthError).and.include({ status: 503 });
  });

  it("fetches the JWKS through the egress proxy when one is configured (CONNECT tunnel)", async () => {
    const proxy = await connectProxy();
    try {
      const through = { ...settings(), jwksProxy: proxy.url };
      const verify = tokenVerifier(through, remoteKeys(through));
      expect((await verify(await issuer.token({ claims }))).client).to.equal("client-1");
      expect(proxy.tunnels).to.deep.equal([new URL(uri).host]);
      expect(jwks.fetches).to.equal(1);
    } finally {
      await proxy.close();
    }
  });

  it("accepts RS256 keys as well as ES256 (the issuer chooses)", async () => {
    const rsa = await signingKey("rsa-1", "RS256");
    jwks.keys = { keys: [rsa.publicJwk] };
    const verify = tokenVerifier(settings(), remoteKeys(settings()));
    expect((await verify(await issuer.token({ claims, key: rsa }))).scopes.has("orders:read")).to.equal(true);
    expect(await exportJWK(rsa.privateKey)).to.have.property("d"); // a real key pair, made here
  });
});

describe("token checks at their edges (from the mutation run's survivors)", () => {
  it("names its error, takes an empty header as no token, and anchors the Bearer form", () => {
    expect(new AuthError(401, "invalid_token", "x").name).to.equal("AuthError");
    expect(() => bearerToken(""))
      .to.throw(AuthError)
      .with.property("code", "missing_token");
    expect(() => bearerToken("xBearer abc"))
      .to.throw(AuthError)
      .with.property("code", "invalid_token");
    expect(() => bearerToken("Bearer abc def")).to.throw("the Authorization header is not a Bearer token");
  });

  it("holds a client of 255 bytes and refuses one of 256, and an empty one", async () => {
    const settings = TEST_AUTH;
    expect(callerOf({ sub: "a".repeat(255) }, settings).client).to.have.length(255);
    expect(() => callerOf({ sub: "a".repeat(256) }, settings)).to.throw(
      "the token's sub claim is not a client identity this API can hold",
    );
    expect(() => callerOf({ sub: "" }, settings)).to.throw("the token has no sub claim (the client identity)");
    expect(callerOf({ sub: "c", scp: "a b" }, settings).scopes).to.deep.equal(new Set(["a", "b"]));
    expect(callerOf({ sub: "c" }, settings).scopes).to.deep.equal(new Set());
  });

  it("says which key problem it met, and keeps the cause of a 503", () => {
    expect(verificationError(new errors.JWKSMultipleMatchingKeys()).message).to.equal(
      "the token's kid matches several keys",
    );
    const cause = new TypeError("fetch failed");
    const unavailable = verificationError(cause);
    expect(unavailable).to.include({
      status: 503,
      code: "keys_unavailable",
      message: "the issuer's signing keys cannot be fetched now",
    });
    expect(unavailable.cause).to.equal(cause);
  });

  it("requires an expiry: a token without exp is refused", async () => {
    const issuer = await TestIssuer.create();
    const key = issuer.keys[0];
    const token = await new SignJWT({ sub: "c", scope: "orders:read" })
      .setProtectedHeader({ alg: "ES256", kid: key.kid })
      .setIssuer(TEST_AUTH.issuer)
      .setAudience(TEST_AUTH.audience)
      .sign(key.privateKey);
    const err = await issuer
      .auth()
      .verify(token)
      .catch((e: unknown) => e);
    expect(err)
      .to.be.instanceOf(AuthError)
      .and.include({ message: "the token's exp claim is not what this API accepts" });
  });

  it("serves a stale set up to exactly maxStaleMs, logging its age and the kid", async () => {
    const issuer = await TestIssuer.create();
    const jwks = new JwksServer(issuer.jwks());
    const uri = await jwks.start();
    try {
      let clock = 1_000_000;
      const logged: Array<[string, Record<string, unknown>]> = [];
      const settings = { ...TEST_AUTH, jwksUri: uri };
      const verify = tokenVerifier(
        settings,
        remoteKeys(settings, {
          cache: { timeoutMs: 2000, cooldownMs: 0, maxAgeMs: 1, maxStaleMs: 60_000 },
          now: () => clock,
          log: (event, fields) => logged.push([event, fields]),
        }),
      );
      const token = await issuer.token({ claims: { sub: "c", scope: "orders:read" } });
      await verify(token);
      jwks.down = true;
      clock += 60_000;
      await new Promise((r) => setTimeout(r, 5));
      expect((await verify(token)).client).to.equal("c");
      expect(logged).to.deep.equal([["jwks.stale", { ageSeconds: 60, kid: "key-1" }]]);
    } finally {
      await jwks.stop();
    }
  });
});
