/** The order API over HTTP (Fastify inject) against a fake of the store interface. */
import type { NewOrder } from "../../functions/aws/orders/orders";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { buildAdminApp } from "../../functions/aws/orders/admin";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import { ORDERS_SERVER_LIMITS, ORDERS_HTTP, ORDERS_LIMITS } from "../../functions/aws/orders/contract";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { parseOrderEvent, serializeOrderEvent } from "../../functions/aws/orders/event";
import { decodeCursor, encodeCursor, ORDER_ID, orderIdForKey, requestHash } from "../../functions/aws/orders/orders";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import { FakeIntake } from "./support/fakeIntake";
import { FakeOrderStore } from "./support/fakeOrderStore";
import { TestIssuer, withToken } from "./support/testIssuer";

const NOW = new Date("2026-11-30T12:00:00.000Z");

let issuer: TestIssuer;
/** C-1's token (orders:read, orders:write): what every request here carries unless a test says otherwise. */
let token: string;
before(async () => {
  issuer = await TestIssuer.create();
  token = await issuer.customer("C-1");
});

describe("order API (HTTP, fake store)", () => {
  let store: FakeOrderStore;
  let intake: FakeIntake;
  let lifecycle: Lifecycle;
  let app: FastifyInstance;
  let admin: FastifyInstance;
  const body = { customerId: "C-1", amount: "125.5", currency: "EUR", orderDate: "2026-11-02" };

  beforeEach(async () => {
    store = new FakeOrderStore();
    const metrics = serviceMetrics(() => store.stats(), { processMetrics: false });
    intake = new FakeIntake();
    lifecycle = new Lifecycle();
    lifecycle.started = true;
    app = buildApp({
      store,
      intake,
      lifecycle,
      auth: issuer.auth(),
      metrics,
      now: () => NOW,
    });
    admin = buildAdminApp({ store, metrics });
    await app.ready();
  });
  afterEach(() => Promise.all([app.close(), admin.close()]));
  const call = (options: Parameters<typeof withToken>[0]) => app.inject(withToken(options, token));
  /** The admin port's app (metrics, database health): no token, not on the traffic port. */
  const adminCall = (url: string) => admin.inject(url);

  const post = (payload: unknown, key: string | null = "key-00000001") =>
    call({
      method: "POST",
      url: "/orders",
      payload: payload as object,
      headers: key === null ? {} : { "idempotency-key": key },
    });

  describe("validation: 400 naming the field", () => {
    const cases: Array<[string, () => ReturnType<typeof post>, string]> = [
      ["a missing amount", () => post({ ...body, amount: undefined }), "body.amount"],
      ["three decimals", () => post({ ...body, amount: "1.005" }), "body.amount"],
      ["a number for amount (money travels as a decimal string)", () => post({ ...body, amount: 125 }), "body.amount"],
      ["a number for customerId (no coercion)", () => post({ ...body, customerId: 5 }), "body.customerId"],
      ["a limit that is not a number", () => call("/orders?customerId=C-1&limit=ten"), "query.limit"],
      ["a lower-case currency", () => post({ ...body, currency: "eur" }), "body.currency"],
      ["an unknown status", () => post({ ...body, status: "lost" }), "body.status"],
      ["an unknown field", () => post({ ...body, discount: "5" }), "body.discount"],
      ["no Idempotency-Key", () => post(body, null), "header.idempotency-key"],
      ["a short Idempotency-Key", () => post(body, "abc"), "header.idempotency-key"],
      ["a date that does not exist", () => post({ ...body, orderDate: "2026-02-31" }), "body.orderDate"],
      [
        "a limit over the hard limit",
        () => call(`/orders?customerId=C-1&limit=${ORDERS_LIMITS.maxPageSize + 1}`),
        "query.limit",
      ],
      ["a limit of 0", () => call("/orders?customerId=C-1&limit=0"), "query.limit"],
      ["from after to", () => call("/orders?customerId=C-1&from=2026-11-05&to=2026-11-01"), "query.from"],
      ["an impossible to", () => call("/orders?customerId=C-1&to=2026-13-01"), "query.to"],
      ["a cursor this API never issued", () => call("/orders?customerId=C-1&cursor=bm90LWEtY3Vyc29y"), "query.cursor"],
      ["an unknown query parameter", () => call("/orders?customerId=C-1&sort=asc"), "query.sort"],
      ["an order id with a slash-like character", () => call("/orders/%20bad"), "path.id"],
    ];
    for (const [what, call, field] of cases) {
      it(`refuses ${what} (${field})`, async () => {
        const res = await call();
        expect(res.statusCode, res.body).to.equal(400);
        const json = res.json();
        expect(json.field).to.equal(field);
        expect(json.message).to.contain(field);
        expect(json.requestId).to.equal(res.headers["x-request-id"]);
        expect(store.calls, "the store is not called for bad input").to.equal(0);
        expect(intake.published, "nothing is published for bad input").to.deep.equal([]);
      });
    }
  });

  /** C-1's token's client (TestIssuer.customer): the namespace its keys are in. */
  const CLIENT = "client-C-1";

  it("accepts an order (202, Location): the key reserved first, then a created event under the id its client and key name", async () => {
    const orderId = orderIdForKey(CLIENT, "key-00000001");
    const first = await post(body);
    expect(first.statusCode).to.equal(202);
    const accepted = {
      orderId,
      customerId: "C-1",
      amount: "125.50",
      currency: "EUR",
      status: "pending",
      orderDate: "2026-11-02",
      updatedAt: "2026-11-30T12:00:00.000Z",
    };
    expect(first.json()).to.deep.equal({ ...accepted, sync: "pending" });
    expect(first.headers.location).to.equal(`/orders/${orderId}`);
    expect(intake.published).to.deep.equal([
      {
        ...accepted,
        kind: "created",
        idempotencyKey: "key-00000001",
        requestHash: requestHash({ ...body, status: "pending" }),
        clientId: CLIENT,
      },
    ]);
    expect(store.keys.get(`${CLIENT}\u0000key-00000001`)).to.deep.include({ state: "published", orderId });
    // What the consumer will read back is a valid event keyed by the order id.
    const parsed = parseOrderEvent(orderId, serializeOrderEvent(intake.published[0]));
    expect(parsed.ok).to.equal(true);
    // Before the sync has written it, a repeat gets the first answer again (202, the same body), publishing nothing.
    const again = await post({ ...body, amount: "125.50" });
    expect(again.statusCode).to.equal(202);
    expect(again.headers["idempotent-replayed"]).to.equal("true");
    expect(again.json()).to.deep.equal(first.json());
    expect(intake.published).to.have.length(1);
  });

  it("answers a repeat with the stored order (200) once the sync has written it, publishing nothing", async () => {
    await post(body);
    store.sync(intake.published);
    const again = await post({ ...body, amount: "125.50" });
    expect(again.statusCode).to.equal(200);
    expect(again.headers["idempotent-replayed"]).to.equal("true");
    expect(again.json()).to.deep.equal({
      orderId: orderIdForKey(CLIENT, "key-00000001"),
      customerId: "C-1",
      amount: "125.50",
      currency: "EUR",
      status: "pending",
      orderDate: "2026-11-02",
      updatedAt: "2026-11-30T12:00:00.000Z",
    });
    expect(intake.published).to.have.length(1);
  });

  it("refuses a key reserved for a different order with 422 at once (no sync needed), publishing nothing", async () => {
    await post(body);
    const res = await post({ ...body, amount: "99.00" });
    expect(res.statusCode).to.equal(422);
    expect(res.json()).to.include({ error: "idempotency_key_reused", field: "header.idempotency-key" });
    expect(intake.published).to.have.length(1);
  });

  it("answers 409 with Retry-After while the same request is being accepted, and takes over a reservation past its lease", async () => {
    const id = `${CLIENT}\u0000key-00000001`;
    store.keys.set(id, {
      hash: requestHash({ ...body, status: "pending" }),
      orderId: orderIdForKey(CLIENT, "key-00000001"),
      state: "reserved",
      acceptedAt: "2026-11-30T11:00:00.000Z",
    });
    const busy = await post(body);
    expect([busy.statusCode, busy.headers["retry-after"], busy.json().error]).to.deep.equal([
      409,
      "1",
      "idempotency_key_in_progress",
    ]);
    expect(intake.published).to.deep.equal([]);
    store.keys.get(id)!.leaseOver = true; // its pod died between reserving and publishing
    const taken = await post(body);
    expect(taken.statusCode).to.equal(202);
    // The same event as the abandoned request would have published: its first time, its id.
    expect(taken.json().updatedAt).to.equal("2026-11-30T11:00:00.000Z");
    expect(intake.published).to.have.length(1);
  });

  it("accepts orders while the database is unreachable (the key is settled by the merge instead), counting them", async () => {
    store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const res = await post(body);
    expect(res.statusCode).to.equal(202);
    expect(intake.published).to.have.length(1);
    expect(store.keys.size).to.equal(0);
    expect((await adminCall(ORDERS_HTTP.metrics)).body).to.match(/^orders_unchecked_creates_total 1$/m);
  });

  it("answers 503 with Retry-After when the brokers cannot take the order, frees the key, and a retry names the same order", async () => {
    intake.failures.push(new Error("KafkaJSNumberOfRetriesExceeded"));
    const res = await post(body);
    expect(res.statusCode).to.equal(503);
    expect(res.headers["retry-after"]).to.equal("5");
    expect(res.json()).to.deep.equal({
      error: "unavailable",
      message: "orders cannot be accepted now; retry with the same Idempotency-Key after the Retry-After seconds",
      requestId: res.headers["x-request-id"],
    });
    expect(res.body).to.not.contain("KafkaJS");
    expect(store.keys.size, "the reservation was released").to.equal(0);
    const retry = await post(body);
    expect([retry.statusCode, retry.json().orderId]).to.deep.equal([202, orderIdForKey(CLIENT, "key-00000001")]);
  });

  it("derives order ids from the client and key: the same pair the same UUID (version 8), another client or key another", () => {
    const id = orderIdForKey(CLIENT, "key-00000001");
    expect(id).to.equal(orderIdForKey(CLIENT, "key-00000001"));
    expect(id).to.not.equal(orderIdForKey("client-C-2", "key-00000001"));
    // The separator keeps (a, bc) and (ab, c) apart.
    expect(orderIdForKey("a", "bc-000000")).to.not.equal(orderIdForKey("ab", "c-000000"));
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).to.match(ORDER_ID);
    const ids = new Set(
      Array.from({ length: 1000 }, (_, i) => orderIdForKey(CLIENT, `key-${String(i).padStart(8, "0")}`)),
    );
    expect(ids.size).to.equal(1000);
  });

  it("hashes the request's fields, not its spelling", () => {
    const order = { ...body, status: "pending" as const };
    expect(requestHash(order)).to.equal(requestHash({ ...order, amount: "125.50" }));
    expect(requestHash(order)).to.not.equal(requestHash({ ...order, amount: "125.51" }));
    expect(requestHash(order)).to.not.equal(requestHash({ ...order, customerId: "C-2" }));
    expect(requestHash(order)).to.match(/^[0-9a-f]{64}$/);
  });

  it("covers every field of the request: changing any one changes the hash (a replay with another currency is another request)", () => {
    const order: NewOrder = { ...body, status: "pending" };
    const changed: { [K in keyof NewOrder]-?: NewOrder[K] } = {
      customerId: "C-2",
      amount: "125.51",
      currency: order.currency === "EUR" ? "USD" : "EUR",
      status: "paid",
      orderDate: "2026-10-02",
    };
    // The table above names every field NewOrder has: a new field must be added here, and to the hash.
    expect(Object.keys(changed).sort()).to.deep.equal(Object.keys(order).sort());
    for (const field of Object.keys(changed) as Array<keyof NewOrder>)
      expect(requestHash({ ...order, [field]: changed[field] }), field).to.not.equal(requestHash(order));
  });

  it("reads an order, and answers 404 naming it when there is none", async () => {
    store.add({ orderId: "O-9", customerId: "C-1", orderDate: "2026-10-01" });
    const found = await call("/orders/O-9");
    expect(found.statusCode).to.equal(200);
    expect(found.json().orderId).to.equal("O-9");
    const missing = await call("/orders/O-404");
    expect(missing.statusCode).to.equal(404);
    expect(missing.json()).to.include({ error: "not_found", message: "order O-404 does not exist" });
    const route = await call("/invoices");
    expect(route.statusCode).to.equal(404);
    expect(route.json().message).to.equal("no route GET /invoices");
  });

  it("pages a customer's orders newest first with a cursor: every order once, none of another customer's", async () => {
    const dates = ["2026-11-01", "2026-11-03", "2026-11-03", "2026-11-02", "2026-11-05", "2026-11-04", "2026-11-03"];
    dates.forEach((orderDate, i) => store.add({ orderId: `O-${i}`, customerId: "C-1", orderDate }));
    store.add({ orderId: "X-1", customerId: "C-2", orderDate: "2026-11-03" });
    const seen: string[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await call(`/orders?customerId=C-1&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).to.equal(200);
      const json = res.json() as { orders: Array<{ orderId: string; orderDate: string }>; nextCursor?: string };
      pages.push(json.orders.length);
      seen.push(...json.orders.map((o) => `${o.orderDate}/${o.orderId}`));
      cursor = json.nextCursor;
    } while (cursor);
    expect(pages).to.deep.equal([3, 3, 1]);
    expect(seen).to.deep.equal([
      "2026-11-05/O-4",
      "2026-11-04/O-5",
      "2026-11-03/O-6",
      "2026-11-03/O-2",
      "2026-11-03/O-1",
      "2026-11-02/O-3",
      "2026-11-01/O-0",
    ]);
  });

  it("limits a page to the date range, and a full last page has no cursor", async () => {
    ["2026-11-01", "2026-11-02", "2026-11-03"].forEach((orderDate, i) =>
      store.add({ orderId: `O-${i}`, customerId: "C-1", orderDate }),
    );
    const res = await call("/orders?customerId=C-1&from=2026-11-02&to=2026-11-03&limit=2");
    expect(res.json().orders.map((o: { orderId: string }) => o.orderId)).to.deep.equal(["O-2", "O-1"]);
    expect(res.json().nextCursor).to.equal(undefined);
  });

  it("round-trips cursors and rejects tampered ones", () => {
    const cursor = { orderDate: "2026-11-03", orderId: "O-6" };
    expect(decodeCursor(encodeCursor(cursor))).to.deep.equal(cursor);
    expect(decodeCursor(Buffer.from('["2026-11-31","O-6"]').toString("base64url"))).to.equal(undefined);
    expect(decodeCursor(Buffer.from('["2026-11-03","O/6"]').toString("base64url"))).to.equal(undefined);
    expect(decodeCursor(Buffer.from('{"orderDate":"2026-11-03"}').toString("base64url"))).to.equal(undefined);
    for (const forged of ['[20261103,"O-6"]', '["2026-11-03",6]', '["2026-11-03","O-6","x"]', '["2026-11-03"]']) {
      expect(decodeCursor(Buffer.from(forged).toString("base64url")), forged).to.equal(undefined);
    }
  });

  it("answers reads 503 with Retry-After when the database cannot serve, without internals", async () => {
    store.failures.push(
      new DatabaseUnavailableError("no database connection free within the queue timeout (NJS-040)", 1),
    );
    const read = await call("/orders/O-1");
    expect(read.statusCode).to.equal(503);
    expect(read.headers["retry-after"]).to.equal("1");
    expect(read.body).to.not.contain("NJS-040");
    expect(read.json()).to.include({ error: "unavailable" });
  });

  it("answers an unexpected failure with a 500 that carries the request id and no stack or message", async () => {
    store.failures.push(new Error("ORA-00942: table or view does not exist at /app/oracleStore.js:12"));
    const res = await call("/orders/O-1");
    expect(res.statusCode).to.equal(500);
    expect(res.json()).to.deep.equal({
      error: "internal",
      message: "the request failed; quote the request id when reporting it",
      requestId: res.headers["x-request-id"],
    });
  });

  it("puts a request id on every response: the caller's when well-formed, a new UUID otherwise", async () => {
    const given = await call({ url: "/healthz", headers: { "x-request-id": "trace-1234abcd" } });
    expect(given.headers["x-request-id"]).to.equal("trace-1234abcd");
    const replaced = await call({ url: "/healthz", headers: { "x-request-id": "bad id\u0001" } });
    expect(replaced.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
    const missing = await call("/nowhere");
    expect(missing.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
  });

  it("bounds the server: whole requests within 10 s, keep-alive past the load balancer's 60 s, bodies of at most 16 KiB", async () => {
    expect(ORDERS_SERVER_LIMITS).to.deep.equal({
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 65_000,
      connectionTimeoutMs: 75_000,
      bodyLimitBytes: 16_384,
      maxHeaderBytes: 8_192,
    });
    expect([app.server.requestTimeout, app.server.keepAliveTimeout, app.server.timeout]).to.deep.equal([
      10_000, 65_000, 75_000,
    ]);
    expect(app.initialConfig.bodyLimit).to.equal(16_384);
    const big = await call({
      method: "POST",
      url: "/orders",
      headers: { "idempotency-key": "key-00000001", "content-type": "application/json" },
      payload: JSON.stringify({ ...body, customerId: "C-1", pad: "x".repeat(16_384) }),
    });
    expect(big.statusCode).to.equal(413);
    expect(intake.published).to.deep.equal([]);
  });

  it("reports liveness always, readiness only when started and not draining, never from the database", async () => {
    store.failures.push(new DatabaseUnavailableError("down", 5), new DatabaseUnavailableError("down", 5));
    expect((await call(ORDERS_HTTP.liveness)).statusCode).to.equal(200);
    expect((await call(ORDERS_HTTP.readiness)).statusCode).to.equal(200);
    expect(store.calls, "readiness does not touch the database").to.equal(0);
    lifecycle.draining = true;
    const draining = await call(ORDERS_HTTP.readiness);
    expect([draining.statusCode, draining.json().status]).to.deep.equal([503, "draining"]);
    lifecycle.draining = false;
    lifecycle.started = false;
    expect((await call(ORDERS_HTTP.readiness)).json().status).to.equal("starting");
    const db = await adminCall(ORDERS_HTTP.databaseHealth);
    expect(db.statusCode).to.equal(503);
    // A fixed reason code, never the error's text (which can carry driver text such as an address).
    expect(db.json()).to.deep.equal({
      database: "down",
      reason: "unreachable",
      pool: { size: 4, inUse: 1, queued: 2 },
    });
    const openFailed = new DatabaseUnavailableError(
      "cannot open the database pool: connect ECONNREFUSED 127.0.0.1:9",
      5,
      {
        reason: "pool-open-failed",
      },
    );
    store.failures.splice(0, store.failures.length, openFailed);
    const body = (await adminCall(ORDERS_HTTP.databaseHealth)).body;
    expect(JSON.parse(body)).to.deep.include({ database: "down", reason: "pool-open-failed" });
    expect(body).to.not.contain("127.0.0.1").and.not.contain("ECONNREFUSED");
  });

  it("exposes Prometheus metrics: request duration by route and status, pool occupancy, database call duration", async () => {
    store.add({ orderId: "O-1", customerId: "C-1", orderDate: "2026-11-01" });
    await call("/orders/O-1");
    await call("/orders/O-2");
    store.failures.push(new DatabaseUnavailableError("down", 5));
    await call("/orders/O-3");
    const res = await adminCall(ORDERS_HTTP.metrics);
    expect(res.headers["content-type"]).to.contain("text/plain");
    const text = res.body;
    expect(text).to.match(
      /^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="200"\} 1$/m,
    );
    expect(text).to.match(
      /^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="404"\} 1$/m,
    );
    expect(text).to.match(
      /^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="503"\} 1$/m,
    );
    expect(text).to.match(/^orders_db_pool_connections\{state="size"\} 4$/m);
    expect(text).to.match(/^orders_db_pool_connections\{state="in_use"\} 1$/m);
    expect(text).to.match(/^orders_db_pool_queued_requests 2$/m);
    expect(text).to.match(/^orders_db_call_duration_seconds_count\{operation="get",outcome="ok"\} 2$/m);
    expect(text).to.match(/^orders_db_call_duration_seconds_count\{operation="get",outcome="unavailable"\} 1$/m);
  });
});

const metricsOf = async (admin: FastifyInstance) => (await admin.inject("/metrics")).body;

describe("order API (HTTP, fake store): exact answers", () => {
  let store: FakeOrderStore;
  let intake: FakeIntake;
  let lifecycle: Lifecycle;
  let app: FastifyInstance;
  let admin: FastifyInstance;
  const lines: Array<Record<string, unknown>> = [];
  const body = { customerId: "C-1", amount: "10.00", currency: "EUR", orderDate: "2026-11-02" };

  beforeEach(async () => {
    store = new FakeOrderStore();
    intake = new FakeIntake();
    lifecycle = new Lifecycle();
    lifecycle.started = true;
    lines.length = 0;
    const metrics = serviceMetrics(() => store.stats(), { processMetrics: false });
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    app = buildApp({
      store,
      intake,
      lifecycle,
      auth: issuer.auth(),
      logger,
      metrics,
      now: () => NOW,
    });
    admin = buildAdminApp({ store, metrics });
    await app.ready();
  });
  afterEach(() => Promise.all([app.close(), admin.close()]));
  const call = (options: Parameters<typeof withToken>[0]) => app.inject(withToken(options, token));

  it("is not ready before it starts", () => {
    expect(new Lifecycle().ready).to.equal(false);
  });

  it("answers each error with its code and message", async () => {
    const unknownField = await call({
      method: "POST",
      url: "/orders",
      payload: { ...body, discount: "5" },
      headers: { "idempotency-key": "key-00000001" },
    });
    expect(unknownField.json()).to.deep.equal({
      error: "bad_request",
      message: "body.discount is not a field this API accepts",
      field: "body.discount",
      requestId: unknownField.headers["x-request-id"],
    });
    const missing = await call({
      method: "POST",
      url: "/orders",
      payload: { ...body, amount: undefined },
      headers: { "idempotency-key": "key-00000001" },
    });
    expect(missing.json()).to.deep.include({
      error: "bad_request",
      message: "body.amount must have required property 'amount'",
      field: "body.amount",
    });
    const pattern = await call("/orders?customerId=C-1&limit=ten");
    expect(pattern.json().message).to.equal('query.limit must match pattern "^[1-9][0-9]{0,2}$"');
    const over = await call("/orders?customerId=C-1&limit=101");
    expect(over.json()).to.deep.include({
      error: "bad_request",
      message: "query.limit 101 is above the hard limit 100",
      field: "query.limit",
    });
    const date = await call("/orders?customerId=C-1&from=2026-02-30");
    expect(date.json()).to.deep.include({
      error: "bad_request",
      message: "query.from 2026-02-30 is not a calendar date (YYYY-MM-DD)",
      field: "query.from",
    });
    const order = await call("/orders?customerId=C-1&from=2026-11-05&to=2026-11-01");
    expect(order.json()).to.deep.include({
      error: "bad_request",
      message: "query.from 2026-11-05 is after query.to 2026-11-01",
    });
    const cursor = await call("/orders?customerId=C-1&cursor=eA");
    expect(cursor.json()).to.deep.include({
      error: "bad_request",
      message: "query.cursor is not a cursor this API issued; pass nextCursor from the previous page unchanged",
    });
    const orderDate = await call({
      method: "POST",
      url: "/orders",
      payload: { ...body, orderDate: "2026-02-29" },
      headers: { "idempotency-key": "key-00000001" },
    });
    expect(orderDate.json()).to.deep.include({
      error: "bad_request",
      message: "body.orderDate 2026-02-29 is not a calendar date (YYYY-MM-DD)",
      field: "body.orderDate",
    });
    for (const key of ["bad key-12345678", "12345678 bad"]) {
      const spaced = await call({
        method: "POST",
        url: "/orders",
        payload: body,
        headers: { "idempotency-key": key },
      });
      expect([spaced.statusCode, spaced.json().field], key).to.deep.equal([400, "header.idempotency-key"]);
    }
    expect((await call("/orders?customerId=C-1&limit=100")).statusCode).to.equal(200);
    await call({ method: "POST", url: "/orders", payload: body, headers: { "idempotency-key": "key-00000001" } });
    store.sync(intake.published);
    const reused = await call({
      method: "POST",
      url: "/orders",
      payload: { ...body, amount: "11.00" },
      headers: { "idempotency-key": "key-00000001" },
    });
    expect(reused.json()).to.deep.equal({
      error: "idempotency_key_reused",
      message: "this Idempotency-Key was used for a different order; send a new key for a new order",
      field: "header.idempotency-key",
      requestId: reused.headers["x-request-id"],
    });
    const missingOrder = await call("/orders/O-404");
    expect(missingOrder.json()).to.deep.equal({
      error: "not_found",
      message: "order O-404 does not exist",
      field: "path.id",
      requestId: missingOrder.headers["x-request-id"],
    });
    const route = await call({ method: "DELETE", url: "/orders/O-1?x=1" });
    expect(route.json()).to.deep.equal({
      error: "not_found",
      message: "no route DELETE /orders/O-1",
      requestId: route.headers["x-request-id"],
    });
  });

  it("refuses malformed JSON with a 400 that carries the request id", async () => {
    const res = await call({
      method: "POST",
      url: "/orders",
      payload: "{not json",
      headers: { "content-type": "application/json", "idempotency-key": "key-00000001" },
    });
    expect(res.statusCode).to.equal(400);
    expect(res.json().requestId).to.equal(res.headers["x-request-id"]);
    expect(res.json().error).to.equal("FST_ERR_CTP_INVALID_JSON_BODY");
  });

  it("accepts a one-day range (from = to)", async () => {
    store.add({ orderId: "O-9", customerId: "C-1", orderDate: "2026-11-02" });
    const res = await call("/orders?customerId=C-1&from=2026-11-02&to=2026-11-02");
    expect(res.json().orders.map((o: { orderId: string }) => o.orderId)).to.deep.equal(["O-9"]);
  });

  it("answers 503 with its exact body and logs the reason; a 500 is logged as an error", async () => {
    store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const res = await call("/orders/O-1");
    expect(res.json()).to.deep.equal({
      error: "unavailable",
      message: "the order database is unavailable; retry after the Retry-After seconds",
      requestId: res.headers["x-request-id"],
    });
    const warned = lines.find((l) => l.event === "database.unavailable");
    expect(warned).to.deep.include({
      level: 40,
      reason: "database unavailable (NJS-503)",
      reqId: res.headers["x-request-id"],
    });
    store.failures.push(Object.assign(new Error("ORA-00942: table or view does not exist"), { code: "ORA-00942" }));
    await call("/orders/O-1");
    const failed = lines.find((l) => l.event === "request.failed");
    expect(failed).to.deep.include({
      level: 50,
      message: "ORA-00942: table or view does not exist",
      code: "ORA-00942",
    });
    // Every request is logged as JSON with its id; no header values are.
    expect(lines.filter((l) => l.msg === "incoming request")).to.have.length(2);
    expect(JSON.stringify(lines)).to.not.contain("idempotency-key");
  });

  it("closes connections while draining, and keeps them open otherwise", async () => {
    expect((await call("/healthz")).headers.connection).to.not.equal("close");
    lifecycle.draining = true;
    expect((await call("/healthz")).headers.connection).to.equal("close");
  });

  it("keeps metrics and database health off the traffic port (the Service exposes only that one)", async () => {
    for (const url of ["/metrics", "/health/database"]) expect((await call(url)).statusCode, url).to.equal(404);
    expect((await admin.inject("/orders/O-1")).statusCode).to.equal(404);
  });

  it("refuses request headers over 8 KiB with 431, on the real server", async () => {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-pad": "x".repeat(4_000) } });
    expect(ok.status).to.equal(200);
    const big = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-pad": "x".repeat(9_000) } });
    expect(big.status).to.equal(431);
  });

  it("answers readiness and database health with their bodies", async () => {
    expect((await call("/readyz")).json()).to.deep.equal({ status: "ready" });
    const up = await admin.inject("/health/database");
    expect(up.statusCode).to.equal(200);
    // The ping is a timed database call like the others.
    expect(await metricsOf(admin)).to.match(
      /^orders_db_call_duration_seconds_count\{operation="ping",outcome="ok"\} 1$/m,
    );
    expect(up.json()).to.deep.include({ database: "up", pool: { size: 4, inUse: 1, queued: 2 } });
    expect(up.json().latencyMs).to.be.a("number").and.be.at.least(0).and.below(1000);
    store.failures.push(new Error("boom"));
    expect((await admin.inject("/health/database")).json()).to.deep.equal({
      database: "down",
      reason: "ping-failed",
      pool: { size: 4, inUse: 1, queued: 2 },
    });
  });

  it("times requests in seconds, labels failed database calls 'error', and serves the Prometheus content type", async () => {
    store.add({ orderId: "O-1", customerId: "C-1", orderDate: "2026-11-01" });
    await call("/orders/O-1");
    store.failures.push(new Error("boom"));
    await call("/orders/O-1");
    const res = await admin.inject("/metrics");
    expect(res.headers["content-type"]).to.equal("text/plain; version=0.0.4; charset=utf-8");
    const sum = Number(
      /^http_request_duration_seconds_sum\{route="\/orders\/:id",method="GET",status_code="200"\} (\S+)$/m.exec(
        res.body,
      )?.[1],
    );
    expect(sum).to.be.above(0).and.below(1);
    expect(res.body).to.match(/^orders_db_call_duration_seconds_count\{operation="get",outcome="error"\} 1$/m);
  });

  it("replaces a request id that is valid only in part", async () => {
    for (const id of ["has space-12345678", "12345678 trailing"]) {
      const res = await call({ url: "/healthz", headers: { "x-request-id": id } });
      expect(res.headers["x-request-id"], id).to.match(/^[0-9a-f-]{36}$/);
    }
  });
});
