/**
 * The sync consumer's loop on a scripted kafkajs consumer and producer: what it subscribes to and
 * how it runs (no auto-commit, no auto-resolve), chunks of the batch size, the batch's own commit
 * after the database's, the partition paused and resumed after the backoff on a failed write
 * (nothing committed, the rest of the batch left for the refetch), a stop between chunks, and the
 * dead letters' headers. The mock-cluster suite runs the same loop against brokers.
 */
import { expect } from "chai";
import type { Consumer, EachBatchPayload, KafkaMessage, Producer, ProducerRecord } from "kafkajs";
import { DEAD_LETTER_HEADERS, ORDER_SYNC, ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { serializeOrderEvent } from "../../functions/aws/orders/event";
import type { OrderEvent } from "../../functions/aws/orders/event";
import type { StagingWriter } from "../../functions/aws/orders/syncBatch";
import { deadLetterProducer, runSyncConsumer, type SyncObservation } from "../../functions/aws/orders/syncConsumer";

const event = (orderId: string): Omit<OrderEvent, "schemaVersion"> => ({
  kind: "updated",
  orderId,
  customerId: "C-1",
  amount: "1.00",
  currency: "EUR",
  status: "pending",
  orderDate: "2026-11-02",
  updatedAt: "2026-11-30T10:00:00Z",
});

const kafkaMessage = (offset: number, key: string | null, value: string | null): KafkaMessage =>
  ({
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp: "0",
    attributes: 0,
    headers: {},
  }) as KafkaMessage;

/** A consumer whose run() hands over eachBatch, and a producer recording sends (failing as scripted). */
function scripted(sendFailures: Error[] = []) {
  const calls = { subscribe: [] as unknown[], run: [] as Record<string, unknown>[], sent: [] as ProducerRecord[] };
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    async subscribe(options: unknown) {
      calls.subscribe.push(options);
    },
    async run(options: Record<string, unknown>) {
      calls.run.push(options);
      eachBatch = options.eachBatch as typeof eachBatch;
    },
  } as unknown as Consumer;
  const producer = {
    async send(record: ProducerRecord) {
      const failure = sendFailures.shift();
      if (failure) throw failure;
      calls.sent.push(record);
      return [];
    },
  } as unknown as Producer;
  return { consumer, producer, calls, batch: () => eachBatch! };
}

/** One eachBatch payload for a partition, recording what the loop does with it. */
function payload(partition: number, messages: KafkaMessage[], options: { runningFor?: number; stale?: boolean } = {}) {
  const log: string[] = [];
  let checks = 0;
  let resumed = 0;
  const p = {
    batch: { topic: ORDER_TOPICS.orders, partition, messages },
    resolveOffset: (offset: string) => log.push(`resolve ${offset}`),
    heartbeat: async () => void log.push("heartbeat"),
    pause: () => {
      log.push("pause");
      return () => void (resumed += 1);
    },
    isRunning: () => (checks += 1) <= (options.runningFor ?? Infinity),
    isStale: () => options.stale ?? false,
    commitOffsetsIfNecessary: async (offsets: { topics: { topic: string; partitions: unknown[] }[] }) =>
      void log.push(`commit ${JSON.stringify(offsets.topics)}`),
  } as unknown as EachBatchPayload;
  return { p, log, resumed: () => resumed };
}

/** A writer that records each write's order ids and fails the n-th write when told to. */
function writer(failOn: number[] = []) {
  const writes: string[][] = [];
  let n = 0;
  const w: StagingWriter = {
    async write(_loadId, events) {
      n += 1;
      if (failOn.includes(n)) throw new Error("ORA-03113: end-of-file on communication channel");
      writes.push(events.map((e) => e.orderId));
      return { merged: events.length, conflicts: 0 };
    },
  };
  return { w, writes };
}

describe("order sync consumer loop (scripted kafkajs)", () => {
  it("subscribes to the orders topic from the beginning and runs without auto-commit or auto-resolve", async () => {
    const s = scripted();
    await runSyncConsumer({ consumer: s.consumer, producer: s.producer, writer: writer().w });
    expect(s.calls.subscribe).to.deep.equal([{ topics: [ORDER_TOPICS.orders], fromBeginning: true }]);
    expect(s.calls.run.length).to.equal(1);
    expect(s.calls.run[0]).to.include({ autoCommit: false, eachBatchAutoResolve: false });
  });

  it("writes chunks of the batch size, committing and resolving each after the database, then heartbeats", async () => {
    const s = scripted();
    const { w, writes } = writer();
    const seen: SyncObservation[] = [];
    await runSyncConsumer({
      consumer: s.consumer,
      producer: s.producer,
      writer: w,
      batchSize: 2,
      observe: (o) => seen.push(o),
    });
    const messages = [10, 11, 12].map((o) => kafkaMessage(o, `O-${o}`, serializeOrderEvent(event(`O-${o}`))));
    const { p, log } = payload(3, messages);
    await s.batch()(p);
    expect(writes).to.deep.equal([["O-10", "O-11"], ["O-12"]]);
    const commit = (offset: string) =>
      `commit ${JSON.stringify([{ topic: ORDER_TOPICS.orders, partitions: [{ partition: 3, offset }] }])}`;
    expect(log).to.deep.equal([commit("12"), "resolve 11", "heartbeat", commit("13"), "resolve 12", "heartbeat"]);
    expect(seen.map((o) => [o.kind, o.partition, o.kind === "written" ? o.result.written : -1])).to.deep.equal([
      ["written", 3, 2],
      ["written", 3, 1],
    ]);
    for (const o of seen) if (o.kind === "written") expect(o.ms).to.be.at.least(0);
  });

  it("never writes more than ORDER_SYNC.maxBatch at once, whatever batch size is asked", async () => {
    const s = scripted();
    const { w, writes } = writer();
    await runSyncConsumer({ consumer: s.consumer, producer: s.producer, writer: w, batchSize: 10_000 });
    const messages = Array.from({ length: ORDER_SYNC.maxBatch + 1 }, (_, i) =>
      kafkaMessage(i, `O-${i}`, serializeOrderEvent(event(`O-${i}`))),
    );
    await s.batch()(payload(0, messages).p);
    expect(writes.map((x) => x.length)).to.deep.equal([ORDER_SYNC.maxBatch, 1]);
  });

  it("on a failed write pauses the partition, commits nothing, leaves the rest for the refetch, and resumes after the backoff of the n-th failure in a row", async () => {
    const s = scripted();
    const { w, writes } = writer([1, 2]);
    const seen: SyncObservation[] = [];
    const asked: number[] = [];
    await runSyncConsumer({
      consumer: s.consumer,
      producer: s.producer,
      writer: w,
      batchSize: 1,
      backoffMs: (attempt) => {
        asked.push(attempt);
        return 0;
      },
      observe: (o) => seen.push(o),
    });
    const messages = [5, 6].map((o) => kafkaMessage(o, `O-${o}`, serializeOrderEvent(event(`O-${o}`))));
    const first = payload(1, messages);
    await s.batch()(first.p);
    expect(first.log).to.deep.equal(["pause"]);
    await new Promise((r) => setTimeout(r, 5));
    expect(first.resumed()).to.equal(1);
    const second = payload(1, messages);
    await s.batch()(second.p);
    expect(second.log).to.deep.equal(["pause"]);
    // A failure on another partition counts on its own.
    const other = payload(2, [kafkaMessage(0, "O-0", serializeOrderEvent(event("O-0")))]);
    const third = payload(1, messages);
    await s.batch()(third.p);
    await s.batch()(other.p);
    expect(asked).to.deep.equal([1, 2]);
    expect(seen.filter((o) => o.kind === "failed")).to.deep.equal([
      {
        kind: "failed",
        partition: 1,
        attempt: 1,
        message: "ORA-03113: end-of-file on communication channel",
      },
      {
        kind: "failed",
        partition: 1,
        attempt: 2,
        message: "ORA-03113: end-of-file on communication channel",
      },
    ]);
    expect(writes).to.deep.equal([["O-5"], ["O-6"], ["O-0"]]);
    expect(third.log.filter((l) => l === "heartbeat").length).to.equal(2);
  });

  it("starts the count again after a success", async () => {
    const s = scripted();
    const { w } = writer([1, 3]);
    const asked: number[] = [];
    await runSyncConsumer({
      consumer: s.consumer,
      producer: s.producer,
      writer: w,
      backoffMs: (attempt) => (asked.push(attempt), 0),
    });
    const one = [kafkaMessage(0, "O-0", serializeOrderEvent(event("O-0")))];
    for (let i = 0; i < 3; i++) await s.batch()(payload(4, one).p);
    expect(asked).to.deep.equal([1, 1]);
  });

  it("stops between chunks when the consumer stops running or the batch goes stale", async () => {
    for (const options of [{ runningFor: 1 }, { stale: true }]) {
      const s = scripted();
      const { w, writes } = writer();
      await runSyncConsumer({ consumer: s.consumer, producer: s.producer, writer: w, batchSize: 1 });
      const messages = [1, 2, 3].map((o) => kafkaMessage(o, `O-${o}`, serializeOrderEvent(event(`O-${o}`))));
      await s.batch()(payload(0, messages, options).p);
      expect(writes, JSON.stringify(options)).to.deep.equal(options.stale ? [] : [["O-1"]]);
    }
  });

  it("dead-letters refused messages with their reason and origin, acknowledged by every in-sync replica, before committing", async () => {
    const s = scripted();
    await runSyncConsumer({ consumer: s.consumer, producer: s.producer, writer: writer().w });
    const { p, log } = payload(7, [kafkaMessage(40, "O-bad", "{not json"), kafkaMessage(41, null, null)]);
    await s.batch()(p);
    expect(s.calls.sent).to.deep.equal([
      {
        topic: ORDER_TOPICS.deadLetters,
        acks: -1,
        messages: [
          {
            key: "O-bad",
            value: "{not json",
            headers: {
              [DEAD_LETTER_HEADERS.reason]: "value is not JSON",
              [DEAD_LETTER_HEADERS.partition]: "7",
              [DEAD_LETTER_HEADERS.offset]: "40",
            },
          },
          {
            key: null,
            value: null,
            headers: {
              [DEAD_LETTER_HEADERS.reason]: "value is not JSON",
              [DEAD_LETTER_HEADERS.partition]: "7",
              [DEAD_LETTER_HEADERS.offset]: "41",
            },
          },
        ],
      },
    ]);
    expect(log[0]).to.match(/^commit .*"offset":"42"/);
  });

  it("keeps the offset when the dead letters cannot be sent: the batch is read again", async () => {
    const s = scripted([new Error("NOT_ENOUGH_REPLICAS")]);
    const seen: SyncObservation[] = [];
    await runSyncConsumer({
      consumer: s.consumer,
      producer: s.producer,
      writer: writer().w,
      backoffMs: () => 0,
      observe: (o) => seen.push(o),
    });
    const { p, log } = payload(0, [kafkaMessage(9, "O-bad", "{not json")]);
    await s.batch()(p);
    expect(log).to.deep.equal(["pause"]);
    expect(seen).to.deep.equal([{ kind: "failed", partition: 0, attempt: 1, message: "NOT_ENOUGH_REPLICAS" }]);
  });

  it("sends dead letters with the key and value as they came", async () => {
    const sent: ProducerRecord[] = [];
    const producer = { send: async (r: ProducerRecord) => (sent.push(r), []) } as unknown as Producer;
    await deadLetterProducer(producer).send([
      { message: { partition: 2, offset: "8", key: undefined, value: "x" }, reason: "no key" },
    ]);
    expect(sent).to.deep.equal([
      {
        topic: ORDER_TOPICS.deadLetters,
        acks: -1,
        messages: [
          {
            key: null,
            value: "x",
            headers: {
              [DEAD_LETTER_HEADERS.reason]: "no key",
              [DEAD_LETTER_HEADERS.partition]: "2",
              [DEAD_LETTER_HEADERS.offset]: "8",
            },
          },
        ],
      },
    ]);
  });
});
