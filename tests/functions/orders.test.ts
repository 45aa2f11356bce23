/** The order API over HTTP (Fastify inject) against a fake of the store interface. */
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import { ORDERS_HTTP, ORDERS_LIMITS } from "../../functions/aws/orders/contract";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { decodeCursor, encodeCursor, requestHash } from "../../functions/aws/orders/orders";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import { FakeOrderStore } from "./support/fakeOrderStore";

describe("order API (HTTP, fake store)", () => {
  let store: FakeOrderStore;
  let lifecycle: Lifecycle;
  let app: FastifyInstance;
  let ids: number;
  const body = { customerId: "C-1", amount: "125.5", currency: "EUR", orderDate: "2026-11-02" };

  beforeEach(async () => {
    store = new FakeOrderStore();
    lifecycle = new Lifecycle();
    lifecycle.started = true;
    ids = 0;
    app = buildApp({ store, lifecycle, metrics: serviceMetrics(() => store.stats(), { processMetrics: false }), newOrderId: () => `O-${++ids}` });
    await app.ready();
  });
  afterEach(() => app.close());

  const post = (payload: unknown, key: string | null = "key-00000001") =>
    app.inject({ method: "POST", url: "/orders", payload: payload as object, headers: key === null ? {} : { "idempotency-key": key } });

  describe("validation: 400 naming the field", () => {
    const cases: Array<[string, () => ReturnType<typeof post>, string]> = [
      ["a missing amount", () => post({ ...body, amount: undefined }), "body.amount"],
      ["three decimals", () => post({ ...body, amount: "1.005" }), "body.amount"],
      ["a number for amount (money travels as a decimal string)", () => post({ ...body, amount: 125 }), "body.amount"],
      ["a number for customerId (no coercion)", () => post({ ...body, customerId: 5 }), "body.customerId"],
      ["a limit that is not a number", () => app.inject("/orders?customerId=C-1&limit=ten"), "query.limit"],
      ["a lower-case currency", () => post({ ...body, currency: "eur" }), "body.currency"],
      ["an unknown status", () => post({ ...body, status: "lost" }), "body.status"],
      ["an unknown field", () => post({ ...body, discount: "5" }), "body.discount"],
      ["no Idempotency-Key", () => post(body, null), "header.idempotency-key"],
      ["a short Idempotency-Key", () => post(body, "abc"), "header.idempotency-key"],
      ["a date that does not exist", () => post({ ...body, orderDate: "2026-02-31" }), "body.orderDate"],
      ["a list without customerId", () => app.inject("/orders"), "query.customerId"],
      ["a limit over the hard limit", () => app.inject(`/orders?customerId=C-1&limit=${ORDERS_LIMITS.maxPageSize + 1}`), "query.limit"],
      ["a limit of 0", () => app.inject("/orders?customerId=C-1&limit=0"), "query.limit"],
      ["from after to", () => app.inject("/orders?customerId=C-1&from=2026-11-05&to=2026-11-01"), "query.from"],
      ["an impossible to", () => app.inject("/orders?customerId=C-1&to=2026-13-01"), "query.to"],
      ["a cursor this API never issued", () => app.inject("/orders?customerId=C-1&cursor=bm90LWEtY3Vyc29y"), "query.cursor"],
      ["an unknown query parameter", () => app.inject("/orders?customerId=C-1&sort=asc"), "query.sort"],
      ["an order id with a slash-like character", () => app.inject("/orders/%20bad"), "path.id"],
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
      });
    }
  });

  it("creates an order (201, Location, the stored order) and answers a repeat of the key with the first result (200)", async () => {
    const first = await post(body);
    expect(first.statusCode).to.equal(201);
    expect(first.json()).to.deep.equal({ orderId: "O-1", customerId: "C-1", amount: "125.50", currency: "EUR", status: "pending", orderDate: "2026-11-02", updatedAt: "2026-11-30T12:00:00.000Z" });
    expect(first.headers.location).to.equal("/orders/O-1");
    expect(first.headers["idempotent-replayed"]).to.equal(undefined);
    // "125.50" is the same amount as "125.5": the same request.
    const again = await post({ ...body, amount: "125.50" });
    expect(again.statusCode).to.equal(200);
    expect(again.json()).to.deep.equal(first.json());
    expect(again.headers["idempotent-replayed"]).to.equal("true");
    expect(store.orders.size).to.equal(1);
  });

  it("refuses a key reused for a different order with 422, creating nothing", async () => {
    await post(body);
    const res = await post({ ...body, amount: "99.00" });
    expect(res.statusCode).to.equal(422);
    expect(res.json()).to.include({ error: "idempotency_key_reused", field: "header.idempotency-key" });
    expect(store.orders.size).to.equal(1);
  });

  it("hashes the request's fields, not its spelling", () => {
    const order = { ...body, status: "pending" as const };
    expect(requestHash(order)).to.equal(requestHash({ ...order, amount: "125.50" }));
    expect(requestHash(order)).to.not.equal(requestHash({ ...order, amount: "125.51" }));
    expect(requestHash(order)).to.not.equal(requestHash({ ...order, customerId: "C-2" }));
    expect(requestHash(order)).to.match(/^[0-9a-f]{64}$/);
  });

  it("reads an order, and answers 404 naming it when there is none", async () => {
    store.add({ orderId: "O-9", customerId: "C-1", orderDate: "2026-10-01" });
    const found = await app.inject("/orders/O-9");
    expect(found.statusCode).to.equal(200);
    expect(found.json().orderId).to.equal("O-9");
    const missing = await app.inject("/orders/O-404");
    expect(missing.statusCode).to.equal(404);
    expect(missing.json()).to.include({ error: "not_found", message: "order O-404 does not exist" });
    const route = await app.inject("/invoices");
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
      const res = await app.inject(`/orders?customerId=C-1&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode).to.equal(200);
      const json = res.json() as { orders: Array<{ orderId: string; orderDate: string }>; nextCursor?: string };
      pages.push(json.orders.length);
      seen.push(...json.orders.map((o) => `${o.orderDate}/${o.orderId}`));
      cursor = json.nextCursor;
    } while (cursor);
    expect(pages).to.deep.equal([3, 3, 1]);
    expect(seen).to.deep.equal(["2026-11-05/O-4", "2026-11-04/O-5", "2026-11-03/O-6", "2026-11-03/O-2", "2026-11-03/O-1", "2026-11-02/O-3", "2026-11-01/O-0"]);
  });

  it("limits a page to the date range, and a full last page has no cursor", async () => {
    ["2026-11-01", "2026-11-02", "2026-11-03"].forEach((orderDate, i) => store.add({ orderId: `O-${i}`, customerId: "C-1", orderDate }));
    const res = await app.inject("/orders?customerId=C-1&from=2026-11-02&to=2026-11-03&limit=2");
    expect(res.json().orders.map((o: { orderId: string }) => o.orderId)).to.deep.equal(["O-2", "O-1"]);
    expect(res.json().nextCursor).to.equal(undefined);
  });

  it("round-trips cursors and rejects tampered ones", () => {
    const cursor = { orderDate: "2026-11-03", orderId: "O-6" };
    expect(decodeCursor(encodeCursor(cursor))).to.deep.equal(cursor);
    expect(decodeCursor(Buffer.from('["2026-11-31","O-6"]').toString("base64url"))).to.equal(undefined);
    expect(decodeCursor(Buffer.from('["2026-11-03","O/6"]').toString("base64url"))).to.equal(undefined);
    expect(decodeCursor(Buffer.from('{"orderDate":"2026-11-03"}').toString("base64url"))).to.equal(undefined);
  });

  it("answers 503 with Retry-After when the database cannot serve, for reads and writes, without internals", async () => {
    store.failures.push(new DatabaseUnavailableError("no database connection free within the queue timeout (NJS-040)", 1));
    const read = await app.inject("/orders/O-1");
    expect(read.statusCode).to.equal(503);
    expect(read.headers["retry-after"]).to.equal("1");
    expect(read.body).to.not.contain("NJS-040");
    store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const write = await post(body);
    expect(write.statusCode).to.equal(503);
    expect(write.headers["retry-after"]).to.equal("5");
    expect(write.json()).to.include({ error: "unavailable" });
  });

  it("answers an unexpected failure with a 500 that carries the request id and no stack or message", async () => {
    store.failures.push(new Error("ORA-00942: table or view does not exist at /app/oracleStore.js:12"));
    const res = await app.inject("/orders/O-1");
    expect(res.statusCode).to.equal(500);
    expect(res.json()).to.deep.equal({ error: "internal", message: "the request failed; quote the request id when reporting it", requestId: res.headers["x-request-id"] });
  });

  it("puts a request id on every response: the caller's when well-formed, a new UUID otherwise", async () => {
    const given = await app.inject({ url: "/healthz", headers: { "x-request-id": "trace-1234abcd" } });
    expect(given.headers["x-request-id"]).to.equal("trace-1234abcd");
    const replaced = await app.inject({ url: "/healthz", headers: { "x-request-id": "bad id\u0001" } });
    expect(replaced.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
    const missing = await app.inject("/nowhere");
    expect(missing.headers["x-request-id"]).to.match(/^[0-9a-f-]{36}$/);
  });

  it("reports liveness always, readiness only when started and not draining, never from the database", async () => {
    store.failures.push(new DatabaseUnavailableError("down", 5), new DatabaseUnavailableError("down", 5));
    expect((await app.inject(ORDERS_HTTP.liveness)).statusCode).to.equal(200);
    expect((await app.inject(ORDERS_HTTP.readiness)).statusCode).to.equal(200);
    expect(store.calls, "readiness does not touch the database").to.equal(0);
    lifecycle.draining = true;
    const draining = await app.inject(ORDERS_HTTP.readiness);
    expect([draining.statusCode, draining.json().status]).to.deep.equal([503, "draining"]);
    lifecycle.draining = false;
    lifecycle.started = false;
    expect((await app.inject(ORDERS_HTTP.readiness)).json().status).to.equal("starting");
    const db = await app.inject(ORDERS_HTTP.databaseHealth);
    expect(db.statusCode).to.equal(503);
    expect(db.json()).to.deep.equal({ database: "down", reason: "down", pool: { size: 4, inUse: 1, queued: 2 } });
  });

  it("exposes Prometheus metrics: request duration by route and status, pool occupancy, database call duration", async () => {
    store.add({ orderId: "O-1", customerId: "C-1", orderDate: "2026-11-01" });
    await app.inject("/orders/O-1");
    await app.inject("/orders/O-2");
    store.failures.push(new DatabaseUnavailableError("down", 5));
    await app.inject("/orders/O-3");
    const res = await app.inject(ORDERS_HTTP.metrics);
    expect(res.headers["content-type"]).to.contain("text/plain");
    const text = res.body;
    expect(text).to.match(/^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="200"\} 1$/m);
    expect(text).to.match(/^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="404"\} 1$/m);
    expect(text).to.match(/^http_request_duration_seconds_count\{route="\/orders\/:id",method="GET",status_code="503"\} 1$/m);
    expect(text).to.match(/^orders_db_pool_connections\{state="size"\} 4$/m);
    expect(text).to.match(/^orders_db_pool_connections\{state="in_use"\} 1$/m);
    expect(text).to.match(/^orders_db_pool_queued_requests 2$/m);
    expect(text).to.match(/^orders_db_call_duration_seconds_count\{operation="get",outcome="ok"\} 2$/m);
    expect(text).to.match(/^orders_db_call_duration_seconds_count\{operation="get",outcome="unavailable"\} 1$/m);
  });
});
