/**
 * The order sync consumer on kafkajs against librdkafka's mock cluster (node-rdkafka): orders produced with
 * their key, poison messages among them; the consumer writes through the staging writer into the
 * recording database model, dead-letters the poison with reasons in headers, pauses and resumes
 * through a database outage without committing, and a restarted consumer in the same group goes
 * on from the committed offsets; orders accepted by POST /orders travel through the topic into the
 * database, one per Idempotency-Key; and a consumer killed before a batch's write, between its
 * database commit and its offset commit, or after both, replaced by a new one: the database ends
 * exactly at the input's newest versions. The mock has no IAM authentication and refuses the idempotent
 * producer: those need a real MSK (docs/sync.md).
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { type Consumer, type Kafka, type Producer } from "kafkajs";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import { ORDERS_NAMESPACE } from "../../components/shared/kubernetes";
import { SYNC_CONTAINER, syncLogFilterPattern } from "../../components/sync/orderSync";
import { DEAD_LETTER_HEADERS, ORDER_SYNC, ORDER_TOPICS, SYNC_LOG_EVENTS } from "../../functions/aws/orders/contract";
import { serializeOrderEvent } from "../../functions/aws/orders/event";
import { kafkaIntake } from "../../functions/aws/orders/intake";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { orderIdForKey, requestHash } from "../../functions/aws/orders/orders";
import { oracleStagingWriter } from "../../functions/aws/orders/stagingWriter";
import { DatabaseUnavailableError } from "../../functions/aws/orders/store";
import type { StagingWriter } from "../../functions/aws/orders/syncBatch";
import { runSyncConsumer } from "../../functions/aws/orders/syncConsumer";
import { TestIssuer } from "./support/testIssuer";
import { FakeOrderStore } from "./support/fakeOrderStore";
import { FakeStagingDb, oracleError } from "./support/fakeStagingDb";
import { matchesJsonFilter } from "../support/logFilter";
import { waitFor } from "../support/waitFor";
import { FAST_GROUP_TIMERS, type MockCluster, localKafka, startMockCluster } from "./support/kafkaMock";

describe("order sync consumer on a Kafka protocol broker (librdkafka mock cluster)", function () {
  let mock: MockCluster;
  let kafka: Kafka;
  let producer: Producer;
  const consumers: Consumer[] = [];

  before(async () => {
    mock = await startMockCluster();
    kafka = localKafka(mock, "test");
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const orders = [];
    for (let i = 0; i < 20; i++) {
      for (const [v, at] of ["2026-11-30T10:00:00Z", "2026-11-30T10:05:00Z"].entries()) {
        const e = {
          kind: "updated" as const,
          orderId: `O-${i}`,
          customerId: "C-1",
          amount: `${i}.0${v}`,
          currency: "EUR",
          status: v === 0 ? ("pending" as const) : ("paid" as const),
          orderDate: "2026-11-02",
          updatedAt: at,
        };
        orders.push({ key: e.orderId, value: serializeOrderEvent(e), partition: i % 2 });
      }
    }
    orders.push({ key: "O-bad", value: "{broken", partition: 0 });
    await producer.send({ topic: ORDER_TOPICS.orders, acks: -1, messages: orders });
  });
  after(async () => {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await mock?.stop();
  });

  const expected = new Map(Array.from({ length: 20 }, (_, i) => [`O-${i}`, `${i}.01 paid`]));
  const rows = (db: FakeStagingDb) => new Map([...db.orders].map(([id, o]) => [id, `${o.amount} ${o.status}`]));

  it("writes every order's newest version, dead-letters the poison with its reason, and survives a database outage and a restart", async () => {
    const db = new FakeStagingDb();
    // The database is unreachable for the first two writes: the partition pauses and nothing is committed.
    db.failures.push(
      Object.assign(new Error("NJS-503: connection refused"), { code: "NJS-503" }),
      Object.assign(new Error("NJS-503: connection refused"), { code: "NJS-503" }),
    );
    const events: string[] = [];
    const start = async (batchSize: number) => {
      const consumer = kafka.consumer({
        groupId: ORDER_SYNC.groupId,
        allowAutoTopicCreation: true,
        maxWaitTimeInMs: 100,
        ...FAST_GROUP_TIMERS,
      });
      consumers.push(consumer);
      await consumer.connect();
      await runSyncConsumer({
        consumer,
        producer,
        writer: oracleStagingWriter(db.connect),
        batchSize,
        backoffMs: () => 20,
        observe: (e) => events.push(e.kind),
      });
      return consumer;
    };
    // First consumer: small batches; stopped (as a rollout would) once some batches are in.
    const first = await start(3);
    await waitFor("a few written batches", () => events.filter((e) => e === "written").length >= 2);
    await first.disconnect();
    const committedAfterFirst = db.commits;
    // A new consumer of the same group goes on from the committed offsets.
    await start(ORDER_SYNC.maxBatch);
    await waitFor("every order", () => rows(db).size === 20 && [...rows(db).values()].every((v) => v.endsWith("paid")));
    expect(rows(db)).to.deep.equal(expected);
    expect(events.filter((e) => e === "failed")).to.have.length(2);
    expect(committedAfterFirst).to.be.at.least(2);

    // The poison message is in the dead-letter topic with why and where from.
    const reader = kafka.consumer({ groupId: "dlq-reader", maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    consumers.push(reader);
    await reader.connect();
    await reader.subscribe({ topics: [ORDER_TOPICS.deadLetters], fromBeginning: true });
    const dead: Array<Record<string, string>> = [];
    await reader.run({
      eachMessage: async ({ message }) => {
        const header = (name: string) => message.headers?.[name]?.toString() ?? "";
        dead.push({
          key: message.key?.toString() ?? "",
          reason: header(DEAD_LETTER_HEADERS.reason),
          partition: header(DEAD_LETTER_HEADERS.partition),
        });
      },
    });
    await waitFor("the dead letter", () => dead.length > 0);
    expect(dead[0]).to.deep.equal({ key: "O-bad", reason: "value is not JSON", partition: "0" });
  });
});

describe("order sync process drain on SIGTERM (child process, mock cluster)", function () {
  it("finishes the batch in hand, commits it, and leaves the rest to the next consumer: every order once", async () => {
    const mock = await startMockCluster();
    const kafka = localKafka(mock, "drain-test");
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const ids = Array.from({ length: 40 }, (_, i) => `D-${i}`);
    await producer.send({
      topic: ORDER_TOPICS.orders,
      acks: -1,
      messages: ids.map((id) => ({
        key: id,
        partition: 0,
        value: serializeOrderEvent({
          kind: "updated",
          orderId: id,
          customerId: "C-1",
          amount: "1.00",
          currency: "EUR",
          status: "pending",
          orderDate: "2026-11-02",
          updatedAt: "2026-11-30T10:00:00Z",
        }),
      })),
    });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "support", "syncServer.ts")], {
      env: { ...process.env, KAFKA_BOOTSTRAP: mock.bootstrap, DB_DELAY_MS: "300", BATCH_SIZE: "10" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout! }).on("line", (line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    );
    await waitFor("the first written batch", () => lines.some((l) => l.event === "batch.written"));
    // The process's own line, as Fluent Bit ships it, is what the write-failure alarm's metric filter counts.
    const shipped = (line: object) => ({
      log_processed: line,
      kubernetes: { namespace_name: ORDERS_NAMESPACE, container_name: SYNC_CONTAINER },
    });
    const written = lines.find((l) => l.event === "batch.written")!;
    expect(matchesJsonFilter(syncLogFilterPattern(SYNC_LOG_EVENTS.written), shipped(written))).to.equal(true);
    expect(matchesJsonFilter(syncLogFilterPattern(SYNC_LOG_EVENTS.failed), shipped(written))).to.equal(false);
    child.kill("SIGTERM"); // the next batch is in its 600 ms write now, or about to start
    const [code] = await once(child, "exit");
    expect(code).to.equal(0);
    const drained = (lines.find((l) => l.event === "stopped")?.orders ?? []) as string[];
    const batches = lines.filter((l) => l.event === "batch.written").length;
    // Whole batches only: what was written was committed, and nothing half-done.
    expect(drained.length).to.equal(batches * 10);

    // The next consumer of the group starts where the drained one committed.
    const db = new FakeStagingDb();
    db.constraints.push((row) =>
      row.status === "refunded" ? oracleError(2290, "check constraint (MC_APP.ORDERS_STATUS_CK) violated") : undefined,
    );
    const consumer = kafka.consumer({ groupId: ORDER_SYNC.groupId, maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    await consumer.connect();
    await runSyncConsumer({ consumer, producer, writer: oracleStagingWriter(db.connect), batchSize: 10 });
    await waitFor("the rest", () => drained.length + db.orders.size >= ids.length);
    await consumer.disconnect();
    await producer.disconnect();
    await mock.stop();
    expect([...drained, ...db.orders.keys()].sort()).to.deep.equal([...ids].sort());
  });
});

describe("order intake: POST /orders through the orders topic to the database (mock cluster)", function () {
  it("publishes each accepted order keyed by its id; the consumer makes one order per key and records a reused key once", async () => {
    const mock = await startMockCluster();
    const kafka = localKafka(mock, "intake-test");
    // The API's producer (the mock refuses idempotence: MSK gets it, see docs/sync.md).
    const intake = kafkaIntake(kafka.producer({ allowAutoTopicCreation: true, maxInFlightRequests: 1 }));
    const store = new FakeOrderStore();
    // The database is out of reach for the API: it cannot settle keys and accepts every request.
    for (let i = 0; i < 10; i++) store.failures.push(new DatabaseUnavailableError("database unavailable (NJS-503)", 5));
    const issuer = await TestIssuer.create();
    const token = await issuer.customer("C-1");
    const app = buildApp({
      store,
      intake,
      auth: issuer.auth(),
      lifecycle: Object.assign(new Lifecycle(), { started: true }),
      metrics: serviceMetrics(() => store.stats(), { processMetrics: false }),
    });
    const post = (key: string, amount: string) =>
      app.inject({
        method: "POST",
        url: "/orders",
        headers: { "idempotency-key": key, authorization: `Bearer ${token}` },
        payload: { customerId: "C-1", amount, currency: "EUR", orderDate: "2026-11-02" },
      });
    const answers = [
      await post("key-00000001", "10.00"),
      await post("key-00000001", "10.00"),
      await post("key-00000002", "20.00"),
      await post("key-00000001", "99.00"),
    ];
    expect(answers.map((a) => a.statusCode)).to.deep.equal([202, 202, 202, 202]);

    const db = new FakeStagingDb();
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const consumer = kafka.consumer({ groupId: ORDER_SYNC.groupId, maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    await consumer.connect();
    await runSyncConsumer({
      consumer,
      producer,
      writer: oracleStagingWriter(db.connect),
      batchSize: ORDER_SYNC.maxBatch,
    });
    await waitFor("both orders and the conflict", () => db.orders.size === 2 && db.conflicts.size === 1);
    expect(new Map([...db.orders].map(([id, o]) => [id, o.amount]))).to.deep.equal(
      new Map([
        [orderIdForKey("client-C-1", "key-00000001"), "10.00"],
        [orderIdForKey("client-C-1", "key-00000002"), "20.00"],
      ]),
    );
    expect([...db.requests.keys()].sort()).to.deep.equal(["client-C-1|key-00000001", "client-C-1|key-00000002"]);
    expect([...db.conflicts]).to.deep.equal([
      `client-C-1|key-00000001|${requestHash({ customerId: "C-1", amount: "99.00", currency: "EUR", status: "pending", orderDate: "2026-11-02" })}`,
    ]);
    await app.close();
    await intake.close();
    await consumer.disconnect();
    await producer.disconnect();
    await mock.stop();
  });
});

describe("order sync consumer killed at each point of a batch, on the mock cluster", function () {
  type Point = "beforeWrite" | "afterDbCommit" | "afterOffsetCommit";
  const versions = (i: number) =>
    ["2026-11-30T10:00:00Z", "2026-11-30T10:05:00Z"].map((at, v) => ({
      kind: "updated" as const,
      orderId: `K-${i}`,
      customerId: "C-1",
      amount: `${i}.0${v}`,
      currency: "EUR",
      status: v === 0 ? ("pending" as const) : ("paid" as const),
      orderDate: "2026-11-02",
      updatedAt: at,
    }));

  // Each point on its own mock cluster, the three started together: most of a run is waiting for
  // the group to rebalance, so side by side they take the time of one.
  const points = ["beforeWrite", "afterDbCommit", "afterOffsetCommit"] as const satisfies readonly Point[];
  let runs: Map<Point, Promise<{ orders: Map<string, string>; committedAtKill: number }>> | undefined;
  const outcome = (point: Point) => {
    runs ??= new Map(points.map((p) => [p, killAt(p)]));
    for (const run of runs.values()) run.catch(() => undefined); // each rejection is reported by its own test
    return runs.get(point)!;
  };

  for (const point of points) {
    it(`${point}: a new consumer of the group takes over and the database ends exactly at every order's newest version`, async () => {
      const { orders, committedAtKill } = await outcome(point);
      expect(orders).to.deep.equal(new Map(Array.from({ length: 30 }, (_, i) => [`K-${i}`, `${i}.01 paid`])));
      // What was committed before the kill stays committed; a batch written but not acknowledged is written again (and changes nothing).
      expect(committedAtKill).to.equal(point === "beforeWrite" ? 2 : 3);
    });
  }

  async function killAt(point: Point): Promise<{ orders: Map<string, string>; committedAtKill: number }> {
    const mock = await startMockCluster();
    const kafka = localKafka(mock, `kill-${point}`);
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    // One partition, 30 orders × 2 versions, and a poison message: batches of 8 are read in order.
    const messages = Array.from({ length: 30 }, (_, i) => versions(i))
      .flat()
      .map((e) => ({ key: e.orderId, value: serializeOrderEvent(e), partition: 0 }));
    messages.splice(17, 0, { key: "K-bad", value: "{broken", partition: 0 });
    await producer.send({ topic: ORDER_TOPICS.orders, acks: -1, messages });

    const db = new FakeStagingDb();
    const writer = oracleStagingWriter(db.connect);
    // The third batch is where the process dies.
    let batches = 0;
    let killed!: () => void;
    const dead = new Promise<void>((resolve) => (killed = resolve));
    const dying: StagingWriter = {
      async write(loadId, events) {
        batches++;
        if (batches === 3 && point === "beforeWrite") {
          killed();
          throw new Error("killed before the write");
        }
        const result = await writer.write(loadId, events);
        if (batches === 3 && point === "afterDbCommit") {
          killed();
          throw new Error("killed between the database commit and the offset commit");
        }
        return result;
      },
    };
    const first = kafka.consumer({ groupId: ORDER_SYNC.groupId, maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    await first.connect();
    await runSyncConsumer({
      consumer: first,
      producer,
      writer: dying,
      batchSize: 8,
      backoffMs: () => 60_000,
      observe: (e) => {
        if (e.kind === "written" && batches === 3 && point === "afterOffsetCommit") killed();
      },
    });
    await dead;
    // The kill: the consumer leaves without finishing anything (no drain, no further commit).
    await first.disconnect();
    const committedAtKill = db.commits;
    const second = kafka.consumer({ groupId: ORDER_SYNC.groupId, maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    await second.connect();
    await runSyncConsumer({ consumer: second, producer, writer, batchSize: 8 });
    await waitFor(
      `every order's newest version (${point})`,
      () => db.orders.size === 30 && [...db.orders.values()].every((o) => o.status === "paid"),
    );
    await second.disconnect();
    await producer.disconnect();
    await mock.stop();
    return { orders: new Map([...db.orders].map(([id, o]) => [id, `${o.amount} ${o.status}`])), committedAtKill };
  }
});

describe("a row the database refuses, on the mock cluster", function () {
  let mock: MockCluster;
  let kafka: Kafka;
  let producer: Producer;
  const clients: Array<{ disconnect(): Promise<void> }> = [];
  before(async () => {
    mock = await startMockCluster();
    kafka = localKafka(mock, "refused");
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
  });
  after(async () => {
    for (const c of clients) await c.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await mock?.stop();
  });

  it("moves the committed offset past it, stores every other order, and dead-letters exactly that one with its code", async () => {
    // Eight orders on one partition; the second is a refund, which a CHECK added by a later migration refuses (ORA-02290).
    const messages = Array.from({ length: 8 }, (_, i) => {
      const e = {
        kind: "updated" as const,
        orderId: `R-${i}`,
        customerId: "C-1",
        amount: `${i}.00`,
        currency: "EUR",
        status: i === 1 ? ("refunded" as const) : ("pending" as const),
        orderDate: "2026-11-02",
        updatedAt: "2026-11-30T10:00:00Z",
      };
      return { key: e.orderId, value: serializeOrderEvent(e), partition: 0 };
    });
    await producer.send({ topic: ORDER_TOPICS.orders, acks: -1, messages });
    const db = new FakeStagingDb();
    db.constraints.push((row) =>
      row.status === "refunded" ? oracleError(2290, "check constraint (MC_APP.ORDERS_STATUS_CK) violated") : undefined,
    );
    const consumer = kafka.consumer({ groupId: ORDER_SYNC.groupId, maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    clients.push(consumer);
    await consumer.connect();
    await runSyncConsumer({
      consumer,
      producer,
      writer: oracleStagingWriter(db.connect),
      batchSize: ORDER_SYNC.maxBatch,
      backoffMs: () => 20,
    });
    await waitFor("seven orders", () => db.orders.size === 7);
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: ORDER_SYNC.groupId, topics: [ORDER_TOPICS.orders] }))[0].partitions.find(
        (p) => p.partition === 0,
      )?.offset;
    // The run limit catches a consumer that never commits.
    while ((await committed()) !== "8") await new Promise((resolve) => setTimeout(resolve, 50));
    expect([...db.orders.keys()].sort()).to.deep.equal(["R-0", "R-2", "R-3", "R-4", "R-5", "R-6", "R-7"]);
    const reader = kafka.consumer({ groupId: "dlq-refused", maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
    clients.push(reader);
    await reader.connect();
    await reader.subscribe({ topics: [ORDER_TOPICS.deadLetters], fromBeginning: true });
    const dead: Array<{ key: string; reason: string; offset: string }> = [];
    await reader.run({
      eachMessage: async ({ message }) => {
        dead.push({
          key: message.key?.toString() ?? "",
          reason: message.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? "",
          offset: message.headers?.[DEAD_LETTER_HEADERS.offset]?.toString() ?? "",
        });
      },
    });
    await waitFor("the dead letter", () => dead.length > 0);
    // Give a duplicate time to show up: there must be exactly one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(dead).to.have.length(1);
    expect(dead[0]).to.deep.include({ key: "R-1", offset: "1" });
    expect(dead[0].reason).to.match(/^the database refused it: ORA-02290 /);
  });
});
