/**
 * The recommendation functions' edges (written from the mutation run's survivors): every catalogue
 * field at its limit, the routes and methods, the header checks, the fallback and the cache's
 * refresh, a failed catalogue change, the FDK glue's 500, the settings at their bounds, the scorer's
 * checks and the store's statements and binds as the database gets them.
 */
import { expect } from "chai";
import oracledb from "oracledb";
import { type ApiDeps, type ApiRequest, handleApi, parseCatalogItems } from "../../functions/oci/recommend/api";
import { RECOMMEND_API, RECOMMEND_LIMITS } from "../../functions/oci/recommend/contract";
import { parseUserEvent } from "../../functions/oci/recommend/event";
import { answerGateway } from "../../functions/oci/recommend/gateway";
import { parseScorerResponse, scoreWith } from "../../functions/oci/recommend/scorer";
import { recommendSettings } from "../../functions/oci/recommend/settings";
import { INTERACTION_BIND_DEFS, RECOMMEND_SQL, recommendStore } from "../../functions/oci/recommend/store";

const REC = "0f8fad5b-d9cb-469f-a165-70867728950e";

function deps(over: Partial<ApiDeps> = {}, store: Partial<ApiDeps["store"]> = {}) {
  const logged: Array<Record<string, unknown>> = [];
  let clock = 1_000_000;
  const d: ApiDeps = {
    store: {
      serve: async () => ({ strategy: "personal", items: [{ itemId: "sku-1", score: 1, source: "vector" }] }),
      popular: async () => ["sku-9"],
      upsertItems: async () => 2,
      ...store,
    },
    deadlineMs: 100,
    cache: { items: [], readAt: clock },
    cacheMaxAgeMs: 60_000,
    now: () => clock,
    newRecId: () => REC,
    log: (entry) => logged.push(entry),
    ...over,
  };
  return { d, logged, advance: (ms: number) => (clock += ms) };
}
const get = (url: string, user: string | null = "u-1"): ApiRequest => ({
  method: "GET",
  url,
  header: (name) => (name === RECOMMEND_API.userHeader ? user : null),
  body: "",
});
const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" };

describe("recommendation API edges", () => {
  const item = { itemId: "sku-1", title: "A" };
  const refusal = (body: unknown) => {
    const parsed = parseCatalogItems(JSON.stringify(body));
    return parsed.ok ? "accepted" : parsed.response;
  };
  const bad = (field: string, error: string) => ({ status: 400, headers: JSON_HEADERS, body: { error, field } });

  it("takes each catalogue field up to its limit and refuses one past it, naming the item and field", () => {
    expect(
      refusal([{ ...item, title: "t".repeat(400), description: "d".repeat(4000), category: "c".repeat(100) }]),
    ).to.equal("accepted");
    expect(refusal([{ ...item, title: "t".repeat(401) }])).to.deep.equal(
      bad("[0].title", "title must be a non-empty string of at most 400 characters"),
    );
    expect(refusal([{ ...item, title: "   " }])).to.deep.equal(
      bad("[0].title", "title must be a non-empty string of at most 400 characters"),
    );
    for (const description of ["d".repeat(4001), 7])
      expect(refusal([{ ...item, description }])).to.deep.equal(
        bad("[0].description", "description must be a string of at most 4000 characters"),
      );
    for (const category of ["c".repeat(101), false])
      expect(refusal([{ ...item, category }])).to.deep.equal(
        bad("[0].category", "category must be a string of at most 100 characters"),
      );
    expect(refusal([{ ...item, active: "yes" }])).to.deep.equal(bad("[0].active", "active must be true or false"));
    for (const raw of [7, null, [], "x"])
      expect(refusal([item, raw])).to.deep.equal(bad("[1]", "each item must be a JSON object"));
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ itemId: `sku-${i}`, title: "t" }));
    expect(refusal(many(RECOMMEND_LIMITS.maxCatalogItems))).to.equal("accepted");
    expect(refusal(many(RECOMMEND_LIMITS.maxCatalogItems + 1))).to.deep.equal(
      bad("body", `the body must be a JSON array of 1 to ${RECOMMEND_LIMITS.maxCatalogItems} items`),
    );
    expect(refusal([{ ...item, price: 1 }])).to.deep.equal(
      bad("[0].price", 'unknown field "price"; an item has itemId, title, description, category and active'),
    );
  });

  it("routes with trailing slashes, answers 405 with Allow for the wrong method and 404 naming the path", async () => {
    const { d } = deps();
    expect((await handleApi(get("/recs/v1/recommendations//?limit=1"), d)).status).to.equal(200);
    expect(await handleApi({ ...get("/recs/v1/recommendations"), method: "POST" }, d)).to.deep.equal({
      status: 405,
      headers: { ...JSON_HEADERS, Allow: "GET" },
      body: { error: "use GET" },
    });
    expect(await handleApi(get("/recs/v1/items"), d)).to.deep.equal({
      status: 405,
      headers: { ...JSON_HEADERS, Allow: "PUT" },
      body: { error: "use PUT" },
    });
    expect(await handleApi(get("/recs/v1/other?x=1"), d)).to.deep.equal({
      status: 404,
      headers: JSON_HEADERS,
      body: { error: "no route for /recs/v1/other" },
    });
    expect((await handleApi(get("/recs/v1/recommendations?limit=1"), d)).status).to.equal(200);
    expect((await handleApi(get("/recs/v1/recommendations?limit=0"), d)).status).to.equal(400);
  });

  it("names the user header when it is missing or not a user id", async () => {
    const { d } = deps();
    for (const user of [null, ""])
      expect(await handleApi(get("/r/recommendations", user), d)).to.deep.equal(
        bad(
          RECOMMEND_API.userHeader,
          `the ${RECOMMEND_API.userHeader} header is missing; API Gateway sets it from the token's subject`,
        ),
      );
    expect(await handleApi(get("/r/recommendations", "u 1"), d)).to.deep.equal(
      bad(
        RECOMMEND_API.userHeader,
        `the token's subject is not a user id (1 to ${RECOMMEND_LIMITS.maxIdLength} letters, digits, . _ : @ | or -)`,
      ),
    );
  });

  it("answers 503 with Retry-After when the database fails and no fallback list is cached, logging why", async () => {
    const { d, logged } = deps(
      {},
      {
        serve: async () => {
          throw new Error("ORA-03113");
        },
      },
    );
    expect(await handleApi(get("/r/recommendations"), d)).to.deep.equal({
      status: 503,
      headers: { ...JSON_HEADERS, "Retry-After": "2" },
      body: { error: "recommendations are unavailable; retry shortly" },
    });
    expect(logged[0]).to.deep.equal({
      event: "recommend.fallback",
      recId: REC,
      reason: "database",
      error: "ORA-03113",
      ms: 0,
    });
  });

  it("reads the fallback list again when it is stale and half the deadline is left, not otherwise; a failed read is logged", async () => {
    const fresh = deps();
    await handleApi(get("/r/recommendations"), fresh.d);
    expect(fresh.d.cache.items).to.deep.equal([]);
    const stale = deps();
    stale.advance(60_001);
    await handleApi(get("/r/recommendations"), stale.d);
    expect(stale.d.cache).to.deep.equal({ items: ["sku-9"], readAt: 1_060_001 });
    const exactlyMaxAge = deps();
    exactlyMaxAge.advance(60_000);
    await handleApi(get("/r/recommendations"), exactlyMaxAge.d);
    expect(exactlyMaxAge.d.cache.items).to.deep.equal([]);
    // Half the deadline gone in the database: no time for the extra read.
    const slow: ReturnType<typeof deps> = deps(
      {},
      {
        serve: async () => {
          slow.advance(50);
          return { strategy: "personal", items: [] };
        },
      },
    );
    slow.advance(60_001);
    await handleApi(get("/r/recommendations"), slow.d);
    expect(slow.d.cache.items).to.deep.equal([]);
    const failing = deps(
      {},
      {
        popular: async () => {
          throw new Error("ORA-00942");
        },
      },
    );
    failing.advance(60_001);
    expect((await handleApi(get("/r/recommendations"), failing.d)).status).to.equal(200);
    expect(failing.logged.at(-1)).to.deep.equal({ event: "recommend.cache_refresh_failed", error: "ORA-00942" });
  });

  it("answers 503 with Retry-After when the catalogue cannot be changed, and what changed otherwise", async () => {
    const body = JSON.stringify([{ itemId: "sku-1", title: "A" }]);
    const put = { method: "PUT", url: "/recs/v1/items", header: () => null, body };
    const ok = deps();
    expect(await handleApi(put, ok.d)).to.deep.equal({
      status: 200,
      headers: JSON_HEADERS,
      body: { received: 1, changed: 2 },
    });
    expect(ok.logged).to.deep.equal([{ event: "items.upserted", received: 1, changed: 2 }]);
    const down = deps(
      {},
      {
        upsertItems: async () => {
          throw new Error("ORA-01031");
        },
      },
    );
    expect(await handleApi(put, down.d)).to.deep.equal({
      status: 503,
      headers: { ...JSON_HEADERS, "Retry-After": "5" },
      body: { error: "the catalogue could not be changed; retry" },
    });
    expect(down.logged).to.deep.equal([{ event: "items.failed", error: "ORA-01031" }]);
  });

  it("the FDK glue: passes the request through, sets status and headers, and turns anything escaped into a plain 500", async () => {
    const set: Array<[string, string[]]> = [];
    const ctx = (getHeader: (name: string) => string | null) => ({
      httpGateway: {
        method: "GET",
        requestURL: "/recs/v1/recommendations",
        getHeader,
        statusCode: 0,
        setResponseHeader: (name: string, ...values: string[]) => void set.push([name, values]),
      },
    });
    const { d, logged } = deps();
    const good = ctx((name) => (name === RECOMMEND_API.userHeader ? "u-1" : null));
    const body = await answerGateway(undefined, good, d);
    expect(good.httpGateway.statusCode).to.equal(200);
    expect(body).to.deep.include({ recId: REC, userId: "u-1" });
    set.length = 0;
    const broken = ctx(() => {
      throw new Error("header table gone");
    });
    expect(await answerGateway("ignored", broken, d)).to.deep.equal({ error: "internal error" });
    expect(broken.httpGateway.statusCode).to.equal(500);
    expect(set).to.deep.equal([
      ["Content-Type", ["application/json"]],
      ["Cache-Control", ["no-store"]],
    ]);
    expect(logged.at(-1)).to.deep.equal({ event: "api.error", error: "header table gone" });
  });
});

describe("recommendation settings, scorer and store edges", () => {
  const env = {
    RECOMMEND_ROLE: "api",
    RECOMMEND_DB_SECRET_OCID: "ocid1.vaultsecret.oc1.eu-frankfurt-1.amaaaaaa",
  } as Record<string, string | undefined>;
  const url =
    "https://modeldeployment.eu-frankfurt-1.oci.customer-oci.com/ocid1.datasciencemodeldeployment.oc1.eu-frankfurt-1.amaaaa/predict";
  const problem = (over: Record<string, string | undefined>) => {
    try {
      recommendSettings({ ...env, ...over });
      return "accepted";
    } catch (err) {
      return (err as Error).message.split("\n").slice(1).join("\n");
    }
  };

  it("takes deadlines 100 to 10000 ms and a whole predict URL", () => {
    for (const ms of ["100", "10000"]) expect(problem({ RECOMMEND_DEADLINE_MS: ms }), ms).to.equal("accepted");
    for (const ms of ["99", "10001"])
      expect(problem({ RECOMMEND_DEADLINE_MS: ms }), ms).to.equal(
        `  RECOMMEND_DEADLINE_MS is "${ms}"; expected milliseconds from 100 to 10000`,
      );
    expect(problem({ RECOMMEND_SCORER_URL: url })).to.equal("accepted");
    for (const bad of [`x${url}`, `${url}/x`, url.replace("oc1.eu", "ocx.eu")])
      expect(problem({ RECOMMEND_SCORER_URL: bad }), bad).to.match(/^ {2}RECOMMEND_SCORER_URL is /);
  });

  it("checks the scorer's scores and orders by them, ties in the SQL order; one item needs no scorer", async () => {
    expect(() => parseScorerResponse({ scores: [1, "2"] }, 2)).to.throw(
      "the scorer answered a score that is not a finite number",
    );
    expect(() => parseScorerResponse({ scores: [1, Number.NaN] }, 2)).to.throw(
      "the scorer answered a score that is not a finite number",
    );
    const items = ["a", "b", "c"].map((itemId) => ({ itemId, score: 0, source: "vector" as const }));
    const scored = await scoreWith(async () => ({ scores: [0.5, 0.9, 0.5] }), "u-1", items, 100);
    expect(scored.items.map((i) => [i.itemId, i.score])).to.deep.equal([
      ["b", 0.9],
      ["a", 0.5],
      ["c", 0.5],
    ]);
    let asked = 0;
    const two = await scoreWith(async () => (asked++, { scores: [0.1, 0.2] }), "u-1", items.slice(0, 2), 100);
    expect([two.scored, asked]).to.deep.equal([true, 1]);
    expect(await scoreWith(async () => ({ scores: [1] }), "u-1", items.slice(0, 1), 100)).to.deep.equal({
      scored: false,
      items: items.slice(0, 1),
      error: "nothing to order",
    });
  });

  it("writes interactions with typed binds and the instant to nanoseconds; reads what rec_upsert_items changed (0 when it says nothing)", async () => {
    expect(RECOMMEND_SQL.interaction).to.contain(`TO_TIMESTAMP_TZ(:occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`);
    expect(INTERACTION_BIND_DEFS).to.deep.equal({
      event_id: { type: oracledb.STRING, maxSize: 64 },
      user_id: { type: oracledb.STRING, maxSize: 64 },
      item_id: { type: oracledb.STRING, maxSize: 64 },
      kind: { type: oracledb.STRING, maxSize: 16 },
      rec_id: { type: oracledb.STRING, maxSize: 36 },
      occurred_at: { type: oracledb.STRING, maxSize: 35 },
    });
    const calls: unknown[][] = [];
    let outBinds: unknown = { changed: 3 };
    const conn = {
      execute: async (...args: unknown[]) => (calls.push(args), { outBinds }),
    } as unknown as Parameters<typeof recommendStore>[0];
    const store = recommendStore(conn);
    expect(await store.upsertItems("[]")).to.equal(3);
    expect(calls[0]).to.deep.equal([
      RECOMMEND_SQL.upsertItems,
      { items: { type: oracledb.CLOB, val: "[]" }, changed: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER } },
      {},
    ]);
    outBinds = undefined;
    expect(await store.upsertItems("[]")).to.equal(0);
  });

  it("takes ids up to their limit, and a recommendation id only as a whole UUID", () => {
    const event = (over: Record<string, unknown>) =>
      parseUserEvent(
        JSON.stringify({
          eventId: "e-1",
          userId: "u-1",
          itemId: "sku-1",
          kind: "rec_click",
          recId: REC,
          occurredAt: "2026-11-30T10:00:00Z",
          ...over,
        }),
      );
    const id = (n: number) => `i${"x".repeat(n - 1)}`;
    expect(event({ userId: id(RECOMMEND_LIMITS.maxIdLength) }).ok).to.equal(true);
    expect(event({ userId: id(RECOMMEND_LIMITS.maxIdLength + 1) }).ok).to.equal(false);
    expect(event({ itemId: id(RECOMMEND_LIMITS.maxIdLength) }).ok).to.equal(true);
    expect(event({ itemId: id(RECOMMEND_LIMITS.maxIdLength + 1) }).ok).to.equal(false);
    for (const recId of [`x${REC}`, `${REC}0`, REC.toUpperCase()])
      expect(event({ recId }), recId).to.deep.equal({
        ok: false,
        reason: "invalid recId (a rec_click or rec_ignore names the served recommendation's UUID)",
      });
  });
});
