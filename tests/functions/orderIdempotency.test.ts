/**
 * What a 202 promises, under concurrency: Idempotency-Keys scoped to the authenticated client,
 * reserved before anything is published while the database answers; published unchecked and
 * settled by the merge — the conflict visible to the client on GET /orders/{id} — when it does not.
 * The store is the in-memory fake whose reservation is atomic as the table's primary key makes it
 * (the SQL itself: orderStore.test.ts, and orders.real.test.ts against Oracle).
 */
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import { type ServiceMetrics, serviceMetrics } from "../../functions/aws/orders/metrics";
import { orderIdForKey } from "../../functions/aws/orders/orders";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import { FakeIntake } from "./support/fakeIntake";
import { FakeOrderStore } from "./support/fakeOrderStore";
import { TestIssuer, withToken } from "./support/testIssuer";

describe("a 202 is a promise kept, or a conflict the caller can see (concurrent requests)", () => {
  let issuer: TestIssuer;
  let alice: string;
  let bob: string;
  let store: FakeOrderStore;
  let intake: FakeIntake;
  let app: FastifyInstance;
  let metrics: ServiceMetrics;
  const body = (amount: string) => ({ amount, currency: "EUR", orderDate: "2026-11-02" });
  const KEY = "key-shared-0001";

  before(async () => {
    issuer = await TestIssuer.create();
    alice = await issuer.customer("ALICE");
    bob = await issuer.customer("BOB");
  });
  beforeEach(async () => {
    store = new FakeOrderStore();
    store.delayMs = 5; // every store call yields: the requests interleave as on a busy pod
    intake = new FakeIntake();
    metrics = serviceMetrics(() => store.stats(), { processMetrics: false });
    app = buildApp({
      store,
      intake,
      lifecycle: Object.assign(new Lifecycle(), { started: true }),
      auth: issuer.auth(),
      metrics,
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const post = (token: string, payload: object, key = KEY) =>
    app.inject(withToken({ method: "POST", url: "/orders", payload, headers: { "idempotency-key": key } }, token));

  it("database answering: one key, five different bodies at once → one 202 and four 422, one event published", async () => {
    const answers = await Promise.all(["10.00", "11.00", "12.00", "13.00", "14.00"].map((a) => post(alice, body(a))));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).to.deep.equal([202, 422, 422, 422, 422]);
    expect(intake.published).to.have.length(1);
    const accepted = answers.find((a) => a.statusCode === 202)!.json();
    expect(intake.published[0]).to.deep.include({
      amount: accepted.amount,
      orderId: orderIdForKey("client-ALICE", KEY),
    });
    for (const refused of answers.filter((a) => a.statusCode === 422))
      expect(refused.json()).to.include({ error: "idempotency_key_reused", field: "header.idempotency-key" });
  });

  it("database answering: one key, the same body five times at once → one publish; the others 409 (in progress) or the first answer", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(alice, body("10.00"))));
    expect(intake.published).to.have.length(1);
    const fresh = answers.filter((a) => a.statusCode === 202 && a.headers["idempotent-replayed"] === undefined);
    expect(fresh).to.have.length(1);
    for (const other of answers.filter((a) => a !== fresh[0])) {
      expect([409, 202], other.body).to.include(other.statusCode);
      if (other.statusCode === 409) expect(other.headers["retry-after"]).to.equal("1");
      else expect(other.json()).to.deep.equal(fresh[0].json());
    }
    // After the dust settles, a repeat is the first answer.
    const later = await post(alice, body("10.00"));
    expect([later.statusCode, later.headers["idempotent-replayed"]]).to.deep.equal([202, "true"]);
    expect(later.json()).to.deep.equal(fresh[0].json());
  });

  it("keys are the client's: Alice and Bob with the same key at once get two orders, and Bob cannot read Alice's", async () => {
    const [a, b] = await Promise.all([post(alice, body("10.00")), post(bob, body("99.00"))]);
    expect([a.statusCode, b.statusCode]).to.deep.equal([202, 202]);
    expect(a.json().orderId).to.not.equal(b.json().orderId);
    expect([a.json().customerId, b.json().customerId]).to.deep.equal(["ALICE", "BOB"]);
    store.sync(intake.published);
    const peek = await app.inject(withToken(`/orders/${a.json().orderId}`, bob));
    expect(peek.statusCode).to.equal(404);
  });

  it("database not answering: five bodies at once all get 202; the merge keeps the first, the four others are conflicts Alice sees on GET", async () => {
    for (let i = 0; i < 5; i++) store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const amounts = ["10.00", "11.00", "12.00", "13.00", "14.00"];
    const answers = await Promise.all(
      amounts.map((a, i) => post(alice, { ...body(a), orderDate: `2026-11-0${i + 1}` })),
    );
    expect(answers.map((a) => a.statusCode)).to.deep.equal([202, 202, 202, 202, 202]);
    const orderId = orderIdForKey("client-ALICE", KEY);
    expect(new Set(answers.map((a) => a.json().orderId))).to.deep.equal(new Set([orderId]));
    expect(intake.published).to.have.length(5);
    store.sync(intake.published);
    const shown = await app.inject(withToken(`/orders/${orderId}`, alice));
    expect(shown.statusCode).to.equal(200);
    const json = shown.json() as {
      amount: string;
      conflicts: Array<{ requestHash: string; reason: string; at: string }>;
    };
    expect(json.amount).to.equal(intake.published[0].amount);
    expect(json.conflicts.map((c) => c.requestHash).sort()).to.deep.equal(
      intake.published
        .slice(1)
        .map((e) => e.requestHash)
        .sort(),
    );
    expect(new Set(json.conflicts.map((c) => c.reason))).to.deep.equal(new Set(["key_reused"]));
    expect((await app.inject(withToken(`/orders/${orderId}`, bob))).statusCode).to.equal(404);
    expect(await metrics.registry.metrics()).to.match(/^orders_unchecked_creates_total 5$/m);
  });

  it("both paths at once: an unchecked publish then a reserved one for the same key → the reservation wins, the unchecked one is the conflict", async () => {
    store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const unchecked = await post(alice, body("10.00"));
    const reserved = await post(alice, body("20.00"));
    expect([unchecked.statusCode, reserved.statusCode]).to.deep.equal([202, 202]);
    store.sync(intake.published);
    const shown = (await app.inject(withToken(`/orders/${reserved.json().orderId}`, alice))).json();
    expect(shown.amount).to.equal("20.00");
    expect(shown.conflicts).to.have.length(1);
    expect(shown.conflicts[0].requestHash).to.equal(intake.published[0].requestHash);
  });
});

describe("a created event's client (pure)", () => {
  it("carries the client whose namespace the key is in; an event without one is a legacy create, a malformed one is refused", async () => {
    const { parseOrderEvent, serializeOrderEvent } = await import("../../functions/aws/orders/event");
    const event = {
      kind: "created" as const,
      orderId: orderIdForKey("client-1", "key-00000001"),
      customerId: "C-1",
      amount: "10.00",
      currency: "EUR",
      status: "pending" as const,
      orderDate: "2026-11-02",
      updatedAt: "2026-11-30T12:00:00.000Z",
      idempotencyKey: "key-00000001",
      requestHash: "a".repeat(64),
    };
    const parse = (clientId?: string) =>
      parseOrderEvent(event.orderId, serializeOrderEvent(clientId === undefined ? event : { ...event, clientId }));
    expect(parse("client-1")).to.deep.include({ ok: true });
    expect(parse()).to.deep.include({ ok: true });
    expect(parse("")).to.deep.equal({ ok: false, reason: "invalid clientId" });
    expect(parse("client\u0000x")).to.deep.equal({ ok: false, reason: "invalid clientId" });
    expect(parse("é".repeat(200))).to.deep.include({ ok: false });
  });
});
