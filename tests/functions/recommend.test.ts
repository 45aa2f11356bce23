/**
 * The OCI recommendation functions' logic: user events parsed with reasons; Connector Hub batches
 * of interactions stored with one committed executeMany on the recording model (idempotent on the
 * event id); the API — the user from the gateway's header, the query checked field by field, the
 * deadline with the cached popular fallback, 503 without one, the catalogue's PUT, never a stack
 * trace — and the same API behind the real FDK's HTTP-over-unix-socket contract in a child process.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import oracledb from "oracledb";
import {
  type ApiDeps,
  type ApiRequest,
  handleApi,
  parseCatalogItems,
  type PopularCache,
} from "../../functions/oci/recommend/api";
import { predictUrl, RECOMMEND_API, RECOMMEND_ENV } from "../../functions/oci/recommend/contract";
import { parseUserEvent } from "../../functions/oci/recommend/event";
import { handleInteractions } from "../../functions/oci/recommend/interactions";
import { ociPredict } from "../../functions/oci/recommend/predict";
import { parseScorerResponse, reorder, scoreWith } from "../../functions/oci/recommend/scorer";
import { recommendSettings } from "../../functions/oci/recommend/settings";
import { parseServedList, RECOMMEND_SQL, recommendStore, type ServedList } from "../../functions/oci/recommend/store";
import { userEventMessages, userEvents } from "../../functions/oci/producer/userEvents";
import { verifyOciSignature } from "./support/ociSignature";
import { oracleError } from "./support/fakeStagingDb";
import { FakeRecommendDb } from "./support/fakeRecommendDb";
import { startFdk } from "./support/fdkHarness";
import { createTopicWithNonEvent, readAsConnectorHub, startMockCluster } from "./support/kafkaMock";

const REC = "6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b";
const event = (eventId: string, kind: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  userId: "u-1",
  itemId: "sku-1",
  kind,
  occurredAt: "2026-11-30T10:00:00Z",
  ...extra,
});
const message = (offset: number, value: unknown) => ({
  stream: "user-events",
  partition: "0",
  offset,
  key: Buffer.from("u-1").toString("base64"),
  value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64"),
});

describe("recommendation user events (pure)", () => {
  it("takes the five kinds, rec_click and rec_ignore with the served recommendation's id and the others without", () => {
    for (const kind of ["view", "click", "purchase"])
      expect(parseUserEvent(JSON.stringify(event("e", kind))).ok, kind).to.equal(true);
    const click = parseUserEvent(JSON.stringify(event("e", "rec_click", { recId: REC })));
    expect(click).to.deep.equal({ ok: true, event: { ...event("e", "rec_click"), recId: REC } });
    expect(parseUserEvent(JSON.stringify(event("e", "rec_ignore")))).to.deep.equal({
      ok: false,
      reason: "invalid recId (a rec_click or rec_ignore names the served recommendation's UUID)",
    });
    expect(parseUserEvent(JSON.stringify(event("e", "view", { recId: REC })))).to.deep.equal({
      ok: false,
      reason: "invalid recId (only rec_click and rec_ignore carry one, not view)",
    });
  });

  it("names every wrong field, and takes identity-provider subjects as user ids", () => {
    expect(
      parseUserEvent(
        JSON.stringify({ eventId: "", userId: "u 1", itemId: "sku/1", kind: "like", occurredAt: "yesterday" }),
      ),
    ).to.deep.equal({
      ok: false,
      reason: "invalid eventId, userId, itemId, kind, occurredAt",
    });
    expect(parseUserEvent("{")).to.deep.equal({ ok: false, reason: "value is not JSON" });
    expect(parseUserEvent("[1]")).to.deep.equal({ ok: false, reason: "value is not a JSON object" });
    expect(parseUserEvent(JSON.stringify(event("e", "view", { userId: "auth0|5f1e" }))).ok).to.equal(true);
    expect(parseUserEvent(JSON.stringify(event("e", "view", { userId: "someone@example.com" }))).ok).to.equal(true);
  });
});

describe("recommendation interactions consumer on the recording model", () => {
  it("stores a batch and its refusals in one transaction, records refusals once with their positions, and inserts nothing twice", async () => {
    const db = new FakeRecommendDb();
    const store = recommendStore(db);
    const body = [
      message(0, event("a", "view")),
      message(1, event("b", "rec_click", { recId: REC })),
      message(2, "not json"),
      message(3, event("a", "view")),
    ];
    expect(await handleInteractions(body, store)).to.deep.equal({
      received: 4,
      inserted: 2,
      duplicates: 1,
      refused: 1,
    });
    // Interactions, refusals, one commit.
    expect([db.roundTrips, db.commits]).to.deep.equal([3, 1]);
    expect(db.interactions.get("b")).to.deep.equal({
      eventId: "b",
      userId: "u-1",
      itemId: "sku-1",
      kind: "rec_click",
      recId: REC,
      occurredAt: "2026-11-30T10:00:00.000000000+00:00",
    });
    expect(db.interactions.get("a")?.recId).to.equal(null);
    expect([...db.rejects]).to.deep.equal([["user-events/0/2", "value is not JSON"]]);
    // Redelivered: nothing new; a clean batch is the interactions and the commit.
    expect(await handleInteractions(body, store)).to.deep.equal({
      received: 4,
      inserted: 0,
      duplicates: 3,
      refused: 1,
    });
    expect(await handleInteractions([message(5, event("c", "purchase"))], store)).to.deep.equal({
      received: 1,
      inserted: 1,
      duplicates: 0,
      refused: 0,
    });
    expect(db.roundTrips).to.equal(3 + 3 + 2);
  });

  it("records an interaction the database refuses for its data with the parser's refusals, and rolls back on anything else", async () => {
    const db = new FakeRecommendDb();
    // A foreign key a later migration adds: interactions with unknown items refused.
    db.constraints.push((row) =>
      row.itemId === "gone"
        ? oracleError(2291, "integrity constraint (MC_APP.REC_ITEM_FK) violated - parent key not found")
        : undefined,
    );
    const body = [
      message(0, event("a", "view")),
      message(1, event("b", "view", { itemId: "gone" })),
      message(2, "not json"),
    ];
    expect(await handleInteractions(body, recommendStore(db))).to.deep.equal({
      received: 3,
      inserted: 1,
      duplicates: 0,
      refused: 2,
    });
    expect([...db.rejects].map(([position, reason]) => [position, reason.slice(0, 50)])).to.deep.equal([
      ["user-events/0/2", "value is not JSON"],
      ["user-events/0/1", "the database refused it: ORA-02291 a referenced ro"],
    ]);
    const other = new FakeRecommendDb();
    other.constraints.push(() => oracleError(4068, "existing state of packages has been discarded"));
    const failed = await handleInteractions(body, recommendStore(other)).catch((e: unknown) => e as Error);
    expect((failed as Error).message).to.match(/^ORA-04068/);
    expect([other.interactions.size, other.rejects.size, other.rollbacks]).to.deep.equal([0, 0, 1]);
  });

  it("fails a payload that is not a Connector Hub batch whole (Connector Hub delivers it again)", async () => {
    const db = new FakeRecommendDb();
    const failure = await handleInteractions({ messages: [] }, recommendStore(db)).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(failure).to.equal("the Connector Hub payload is not a JSON array of stream messages");
    expect(db.roundTrips).to.equal(0);
  });

  it("binds the interaction in the store's declared types and calls rec_serve with the OUT list", async () => {
    const db = new FakeRecommendDb();
    db.serveResult = JSON.stringify({
      strategy: "personal",
      items: [{ itemId: "sku-7", score: 0.8, source: "vector" }],
    });
    expect(await recommendStore(db).serve({ recId: REC, userId: "u-1", limit: 5 })).to.deep.equal({
      strategy: "personal",
      items: [{ itemId: "sku-7", score: 0.8, source: "vector" }],
    });
    expect(db.calls[0]).to.deep.equal({
      sql: RECOMMEND_SQL.serve,
      binds: {
        rec_id: REC,
        user_id: "u-1",
        item_limit: 5,
        result: { dir: oracledb.BIND_OUT, type: oracledb.STRING, maxSize: 32767 },
      },
    });
    expect(() => parseServedList('{"strategy":"personal"}')).to.throw(
      'rec_serve returned JSON without "strategy" and "items"',
    );
    expect(() =>
      parseServedList('{"strategy":"personal","items":[{"itemId":"x","score":"1","source":"vector"}]}'),
    ).to.throw("rec_serve returned item 0 without itemId, score and source");
    expect(() => parseServedList(undefined)).to.throw("rec_serve returned no JSON");
  });
});

/** An API over a store the test controls, recording what it was asked and what was logged. */
function apiDeps(over: Partial<ApiDeps["store"]> = {}, cache: PopularCache = { items: [], readAt: 0 }) {
  const asked: unknown[] = [];
  const logged: Array<Record<string, unknown>> = [];
  let clock = 1_000_000;
  const served: ServedList = { strategy: "personal", items: [{ itemId: "sku-2", score: 0.9, source: "blend" }] };
  const deps: ApiDeps = {
    store: {
      serve: async (r) => {
        asked.push(r);
        return served;
      },
      popular: async () => ["sku-9", "sku-8"],
      upsertItems: async (json) => {
        asked.push(JSON.parse(json));
        return 1;
      },
      ...over,
    },
    deadlineMs: 50,
    cache,
    cacheMaxAgeMs: 60_000,
    now: () => clock,
    newRecId: () => REC,
    log: (entry) => logged.push(entry),
  };
  return { deps, asked, logged, advance: (ms: number) => (clock += ms) };
}

const get = (url: string, user: string | null = "u-1"): ApiRequest => ({
  method: "GET",
  url,
  header: (name) => (name === RECOMMEND_API.userHeader ? user : null),
  body: "",
});
const put = (body: string): ApiRequest => ({ method: "PUT", url: "/recs/v1/items", header: () => null, body });

describe("recommendation API (pure, injected database and clock)", () => {
  it("answers the gateway's user with the database's list, ten items unless asked, with no-store", async () => {
    const { deps, asked } = apiDeps();
    const res = await handleApi(get("/recs/v1/recommendations"), deps);
    expect(res).to.deep.equal({
      status: 200,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
      body: {
        recId: REC,
        userId: "u-1",
        strategy: "personal",
        items: [{ itemId: "sku-2", score: 0.9, source: "blend" }],
      },
    });
    await handleApi(get("/recs/v1/recommendations?limit=50"), deps);
    expect(asked).to.deep.equal([
      { recId: REC, userId: "u-1", limit: 10 },
      { recId: REC, userId: "u-1", limit: 50 },
    ]);
  });

  it("answers bad input with 400 naming the field, before any database call", async () => {
    const { deps, asked } = apiDeps();
    const cases: Array<[ApiRequest, string, string]> = [
      [
        get("/r/recommendations", null),
        RECOMMEND_API.userHeader,
        "the X-Rec-User header is missing; API Gateway sets it from the token's subject",
      ],
      [
        get("/r/recommendations", "a b"),
        RECOMMEND_API.userHeader,
        "the token's subject is not a user id (1 to 64 letters, digits, . _ : @ | or -)",
      ],
      [get("/r/recommendations?limit=0"), "limit", "limit must be an integer from 1 to 50"],
      [get("/r/recommendations?limit=51"), "limit", "limit must be an integer from 1 to 50"],
      [get("/r/recommendations?limit=1e1"), "limit", "limit must be an integer from 1 to 50"],
      [get("/r/recommendations?limit=2&limit=3"), "limit", "limit is given more than once"],
      [get("/r/recommendations?user=u-2"), "user", 'unknown query parameter "user"; the only one is limit'],
      // Found by the fuzzer: a nameless parameter was refused naming the empty field.
      [get("/r/recommendations?=1"), "query", "a query parameter has no name; the only one is limit"],
    ];
    for (const [request, field, error] of cases) {
      const res = await handleApi(request, deps);
      expect([res.status, res.body], request.url).to.deep.equal([400, { error, field }]);
    }
    expect(asked).to.deep.equal([]);
  });

  it("falls back to the cached popular list when the database misses the deadline or fails, and says so", async () => {
    const never = () => new Promise<ServedList>(() => undefined);
    const { deps, logged } = apiDeps({ serve: never }, { items: ["sku-9", "sku-8", "sku-7"], readAt: 1 });
    const late = await handleApi(get("/r/recommendations?limit=2"), deps);
    expect([late.status, late.body]).to.deep.equal([
      200,
      {
        recId: REC,
        userId: "u-1",
        strategy: "fallback",
        items: [
          { itemId: "sku-9", score: 0, source: "popular" },
          { itemId: "sku-8", score: 0, source: "popular" },
        ],
      },
    ]);
    expect(logged[0]).to.deep.include({
      event: "recommend.fallback",
      reason: "deadline",
      error: "no answer within 50 ms",
    });
    const down = apiDeps(
      {
        serve: async () =>
          Promise.reject(new Error("ORA-12545: Connect failed because target host or object does not exist")),
      },
      { items: ["sku-9"], readAt: 1 },
    );
    const res = await handleApi(get("/r/recommendations"), down.deps);
    expect([res.status, (res.body as { strategy: string }).strategy]).to.deep.equal([200, "fallback"]);
    expect(JSON.stringify(res.body)).to.not.contain("ORA-");
    expect(down.logged[0]).to.deep.include({ reason: "database" });
  });

  it("answers 503 with Retry-After when the database is late and nothing is cached yet", async () => {
    const { deps } = apiDeps({ serve: () => new Promise<ServedList>(() => undefined) });
    const res = await handleApi(get("/r/recommendations"), deps);
    expect(res).to.deep.equal({
      status: 503,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "Retry-After": "2" },
      body: { error: "recommendations are unavailable; retry shortly" },
    });
  });

  it("reads the popular list again only when it is older than its maximum age", async () => {
    let reads = 0;
    const cache: PopularCache = { items: [], readAt: 0 };
    const { deps, advance } = apiDeps(
      {
        popular: async () => {
          reads++;
          return [`top-${reads}`];
        },
      },
      cache,
    );
    await handleApi(get("/r/recommendations"), deps);
    expect([reads, cache.items]).to.deep.equal([1, ["top-1"]]);
    advance(59_000);
    await handleApi(get("/r/recommendations"), deps);
    expect(reads).to.equal(1);
    advance(2_000);
    await handleApi(get("/r/recommendations"), deps);
    expect([reads, cache.items]).to.deep.equal([2, ["top-2"]]);
  });

  it("changes the catalogue with PUT /items, refusing bad items by index and field", async () => {
    const { deps, asked } = apiDeps();
    const ok = await handleApi(
      put(JSON.stringify([{ itemId: "sku-1", title: "Trail shoe", category: "shoes", active: true }])),
      deps,
    );
    expect([ok.status, ok.body]).to.deep.equal([200, { received: 1, changed: 1 }]);
    expect(asked).to.deep.equal([[{ itemId: "sku-1", title: "Trail shoe", category: "shoes", active: true }]]);
    const refusal = (body: string) => {
      const parsed = parseCatalogItems(body);
      return parsed.ok ? undefined : parsed.response.body;
    };
    expect(refusal("{")).to.deep.equal({ error: "the body is not JSON; send a JSON array of items", field: "body" });
    expect(refusal("[]")).to.deep.equal({ error: "the body must be a JSON array of 1 to 100 items", field: "body" });
    expect(
      refusal(
        JSON.stringify([
          { itemId: "a", title: "A" },
          { itemId: "a", title: "B" },
        ]),
      ),
    ).to.deep.equal({ error: "item a is listed twice", field: "[1].itemId" });
    expect(refusal(JSON.stringify([{ itemId: "a", title: "" }]))).to.deep.equal({
      error: "title must be a non-empty string of at most 400 characters",
      field: "[0].title",
    });
    expect(refusal(JSON.stringify([{ itemId: "a", title: "A", price: 3 }]))).to.deep.equal({
      error: 'unknown field "price"; an item has itemId, title, description, category and active',
      field: "[0].price",
    });
    expect(refusal(JSON.stringify([{ itemId: "a", title: "A", active: "yes" }]))).to.deep.equal({
      error: "active must be true or false",
      field: "[0].active",
    });
    expect(
      refusal(JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ itemId: `i${i}`, title: "t" })))),
    ).to.deep.equal({ error: "the body must be a JSON array of 1 to 100 items", field: "body" });
  });

  it("answers other methods with 405 and Allow, other paths with 404", async () => {
    const { deps } = apiDeps();
    const wrongMethod = await handleApi({ ...get("/r/recommendations"), method: "POST" }, deps);
    expect([wrongMethod.status, wrongMethod.headers.Allow]).to.deep.equal([405, "GET"]);
    expect((await handleApi({ ...put("[]"), method: "GET" }, deps)).status).to.equal(405);
    expect((await handleApi(get("/r/elsewhere"), deps)).body).to.deep.equal({ error: "no route for /r/elsewhere" });
  });
});

describe("recommendation functions' configuration", () => {
  const ocid = "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaatestsecret";
  it("reads role, secret, pool and deadline, naming every wrong value", () => {
    expect(recommendSettings({ [RECOMMEND_ENV.role]: "api", [RECOMMEND_ENV.dbSecretOcid]: ocid })).to.deep.equal({
      role: "api",
      dbSecretOcid: ocid,
      poolSize: 2,
      deadlineMs: 800,
    });
    expect(() =>
      recommendSettings({
        [RECOMMEND_ENV.role]: "both",
        [RECOMMEND_ENV.dbSecretOcid]: "x",
        [RECOMMEND_ENV.deadlineMs]: "20",
      }),
    ).to.throw(
      [
        "the recommendation function's configuration is wrong:",
        '  RECOMMEND_ROLE is "both"; expected one of interactions, api',
        '  RECOMMEND_DEADLINE_MS is "20"; expected milliseconds from 100 to 10000',
        '  RECOMMEND_DB_SECRET_OCID is "x"; expected a Vault secret OCID (ocid1.vaultsecret.oc1.<region>.<id>)',
      ].join("\n"),
    );
  });
});

describe("recommendation API through the FDK (http-stream over a unix socket, HTTP gateway headers, child process)", function () {
  it("answers the gateway's user, refuses bad input with 400, falls back on a late database — status and headers through the gateway context", async () => {
    const fn = startFdk(path.join(__dirname, "support", "recommendFdk.ts"));
    const get = (url: string, user: string) =>
      fn.call({ contentType: "text/plain", gateway: { method: "GET", url, headers: { "X-Rec-User": user } } });
    try {
      const ok = await get("/recs/v1/recommendations?limit=3", "u-1");
      expect([
        ok.status,
        ok.headers["fn-http-status"],
        ok.headers["fn-http-h-cache-control"],
        ok.headers["content-type"],
      ]).to.deep.equal([200, "200", "no-store", "application/json"]);
      expect(JSON.parse(ok.body)).to.deep.equal({
        recId: "00000000-0000-4000-8000-000000000001",
        userId: "u-1",
        strategy: "personal",
        items: [{ itemId: "sku-2", score: 0.91, source: "blend" }],
      });
      const bad = await get("/recs/v1/recommendations?limit=500", "u-1");
      expect([bad.headers["fn-http-status"], JSON.parse(bad.body)]).to.deep.equal([
        "400",
        { error: "limit must be an integer from 1 to 50", field: "limit" },
      ]);
      const late = await get("/recs/v1/recommendations", "slow-user");
      expect([late.headers["fn-http-status"], JSON.parse(late.body).strategy]).to.deep.equal(["200", "fallback"]);
      const badJson = await fn.call({
        contentType: "text/plain",
        body: "{not json",
        gateway: { method: "PUT", url: "/recs/v1/items" },
      });
      expect([badJson.headers["fn-http-status"], JSON.parse(badJson.body)]).to.deep.equal([
        "400",
        { error: "the body is not JSON; send a JSON array of items", field: "body" },
      ]);
    } finally {
      await fn.stop();
    }
  });
});

describe("user events producer CLI (npm run events:put:oci -- --kind user) on a Kafka protocol broker (librdkafka mock cluster)", function () {
  it("makes deterministic, valid events keyed by user, each user within their block of the catalogue", () => {
    const events = userEvents({
      count: 40,
      users: 4,
      items: 20,
      startMs: Date.parse("2026-11-30T10:00:00Z"),
      runId: "run1",
    });
    expect(events.every((e) => parseUserEvent(JSON.stringify(e)).ok)).to.equal(true);
    expect(new Set(events.map((e) => e.kind))).to.deep.equal(new Set(["view", "click", "purchase"]));
    // Users 0 and 2 share block 0 (items 0–9), users 1 and 3 block 1 (items 10–19).
    const itemsOf = (user: string) =>
      new Set(events.filter((e) => e.userId === user).map((e) => Number(e.itemId.slice(5))));
    expect([...itemsOf("user-0"), ...itemsOf("user-2")].every((n) => n < 10)).to.equal(true);
    expect([...itemsOf("user-1"), ...itemsOf("user-3")].every((n) => n >= 10 && n < 20)).to.equal(true);
    expect(userEventMessages(events)[1]).to.deep.equal({ key: "user-1", value: JSON.stringify(events[1]) });
    expect(() => userEvents({ count: 1, users: 0, items: 1, startMs: 0, runId: "x" })).to.throw(
      "users must be a whole number ≥ 1",
    );
  });

  it("puts events the consumer then stores: produced by the CLI, consumed as Connector Hub would hand them over", async () => {
    const mock = await startMockCluster();
    try {
      await createTopicWithNonEvent(mock.bootstrap, "user-events");
      const { stdout } = await promisify(execFile)(process.execPath, [
        "--import",
        "tsx",
        path.join(__dirname, "..", "..", "functions", "oci", "producer", "cli.ts"),
        "--bootstrap",
        mock.bootstrap,
        "--kind",
        "user",
        "--count",
        "30",
        "--users",
        "3",
        "--plaintext",
      ]);
      expect(stdout.trim()).to.equal("put 30 user events of 3 users on user-events");
      const body = await readAsConnectorHub(mock.bootstrap, "user-events", 31);
      const db = new FakeRecommendDb();
      expect(await handleInteractions(body, recommendStore(db))).to.deep.equal({
        received: 31,
        inserted: 30,
        duplicates: 0,
        refused: 1,
      });
      expect([...db.rejects.values()]).to.deep.equal(["invalid eventId, userId, itemId, kind, occurredAt"]);
      expect(
        await promisify(execFile)(process.execPath, [
          "--import",
          "tsx",
          path.join(__dirname, "..", "..", "functions", "oci", "producer", "cli.ts"),
          "--bootstrap",
          mock.bootstrap,
          "--kind",
          "clicks",
        ]).catch((e: { stderr: string }) => e.stderr.trim()),
      ).to.match(/^--kind clicks is neither anomaly nor user; usage: npm run events:put:oci/);
    } finally {
      await mock.stop();
    }
  });
});

describe("the optional Data Science scorer", () => {
  const items = [
    { itemId: "a", score: 0.9, source: "vector" as const },
    { itemId: "b", score: 0.8, source: "blend" as const },
    { itemId: "c", score: 0.7, source: "popular" as const },
  ];

  it("orders the same items by the model's scores (ties keep the SQL order), and checks the answer", async () => {
    expect(reorder(items, [0.1, 0.5, 0.1])).to.deep.equal([
      { itemId: "b", score: 0.5, source: "blend" },
      { itemId: "a", score: 0.1, source: "vector" },
      { itemId: "c", score: 0.1, source: "popular" },
    ]);
    expect(() => parseScorerResponse({ scores: [1, 2] }, 3)).to.throw("the scorer answered 2 scores for 3 items");
    expect(() => parseScorerResponse({ scores: [1, null, 2] }, 3)).to.throw(
      "the scorer answered a score that is not a finite number",
    );
    expect(() => parseScorerResponse({ predictions: [] }, 3)).to.throw('the scorer answered without "scores"');
    const sent: unknown[] = [];
    const outcome = await scoreWith(
      async (request, timeoutMs) => (sent.push([request, timeoutMs]), { scores: [1, 3, 2] }),
      "u-1",
      items,
      300,
    );
    expect(outcome).to.deep.equal({
      scored: true,
      items: [
        { itemId: "b", score: 3, source: "blend" },
        { itemId: "c", score: 2, source: "popular" },
        { itemId: "a", score: 1, source: "vector" },
      ],
    });
    expect(sent).to.deep.equal([[{ userId: "u-1", items }, 300]]);
    expect(await scoreWith(async () => ({ scores: [1] }), "u-1", items, 300)).to.deep.equal({
      scored: false,
      items,
      error: "the scorer answered 1 scores for 3 items",
    });
    expect(predictUrl("ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaaaamd")).to.equal(
      "https://modeldeployment.eu-frankfurt-1.oci.customer-oci.com/ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaaaamd/predict",
    );
    expect(() => predictUrl("ocid1.fnfunc.oc1.eu-frankfurt-1.x")).to.throw("is not a model deployment OCID");
  });

  it("gives the scorer what is left of the deadline, not the whole of it", async () => {
    const served: ServedList = { strategy: "personal", items };
    const base = apiDeps({
      serve: async () => {
        base.advance(30);
        return served;
      },
    });
    const given: number[] = [];
    await handleApi(get("/r/recommendations"), {
      ...base.deps,
      predict: async (_request, timeoutMs) => {
        given.push(timeoutMs);
        return { scores: [0, 0, 1] };
      },
    });
    // The deadline is 50 ms and the database took 30.
    expect(given).to.deep.equal([20]);
  });

  it("serves the scorer's order when it answers, the SQL order when it fails, and says which", async () => {
    const served: ServedList = { strategy: "personal", items };
    const base = apiDeps({ serve: async () => served });
    const scored = await handleApi(get("/r/recommendations"), {
      ...base.deps,
      predict: async () => ({ scores: [0, 0, 1] }),
    });
    expect((scored.body as { scorer: string; items: Array<{ itemId: string }> }).scorer).to.equal("dataScience");
    expect((scored.body as { items: Array<{ itemId: string }> }).items.map((i) => i.itemId)).to.deep.equal([
      "c",
      "a",
      "b",
    ]);
    const failed = await handleApi(get("/r/recommendations"), {
      ...base.deps,
      predict: async () => Promise.reject(new Error("the scorer answered HTTP 503")),
    });
    expect([
      (failed.body as { scorer: string }).scorer,
      (failed.body as { items: Array<{ itemId: string }> }).items.map((i) => i.itemId),
    ]).to.deep.equal(["sql", ["a", "b", "c"]]);
    expect(base.logged.find((l) => l.event === "recommend.scorer_failed")).to.deep.include({
      error: "the scorer answered HTTP 503",
    });
    // Without a scorer configured, the answer does not mention one.
    expect(
      await handleApi(get("/r/recommendations"), base.deps).then((r) => Object.keys(r.body as object)),
    ).to.deep.equal(["recId", "userId", "strategy", "items"]);
  });

  it("signs the predict call with OCI's HTTP signature (RSA-SHA256 over the documented headers) — verified by a loopback server with the public key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const signer = new DefaultRequestSigner(
      new SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "aa:bb", privateKey, null),
    );
    let verified: unknown;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        verified = verifyOciSignature(req, body, publicKey);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ scores: JSON.parse(body).items.map((_: unknown, i: number) => i) }));
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.md/predict`;
      expect(await ociPredict(url, signer)({ userId: "u-1", items }, 5_000)).to.deep.equal({ scores: [0, 1, 2] });
      expect(verified).to.deep.equal({
        keyId: "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb",
        algorithm: "rsa-sha256",
        headers: ["x-date", "(request-target)", "host", "Content-Type", "Content-Length", "x-content-sha256"],
        digestOk: true,
        signatureOk: true,
      });
    } finally {
      server.close();
    }
  });

  it("reads the predict URL from the function's configuration, refusing any other URL", () => {
    const env = {
      RECOMMEND_ROLE: "api",
      RECOMMEND_DB_SECRET_OCID: "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaatestsecret",
    };
    const url = predictUrl("ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaaaamd");
    expect(recommendSettings({ ...env, RECOMMEND_SCORER_URL: url }).scorerUrl).to.equal(url);
    expect(() => recommendSettings({ ...env, RECOMMEND_SCORER_URL: "https://example.com/predict" })).to.throw(
      /RECOMMEND_SCORER_URL is "https:\/\/example.com\/predict"; expected a model deployment's predict URL/,
    );
  });
});
