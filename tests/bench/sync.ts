/**
 * `npm run bench:sync`: the order sync's database cost and throughput.
 *  1. Round trips and commits: 10,000 orders in batches of 500 through the staging writer (one
 *     executeMany, one merge with autoCommit) against the seed's way (an execute and a commit per
 *     message), both counted on the recording database model.
 *  2. Consumer throughput on librdkafka's mock cluster (node-rdkafka), the database a fake with a fixed
 *     20 ms round trip (the interconnect), against the limit batch size ÷ (2 round trips × 20 ms).
 *  3. The batch path's file: a day of BENCH_DAY_EVENTS events into the staging CSV (bytes, time),
 *     and its streamed multipart copy through the OCI client settings to s3rver (MiB/s, parts).
 * A benchmark, not a test: the figures depend on the machine (docs/sync.md records ours).
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { COPY_PART_BYTES, copyObject, ociS3Client } from "../../functions/aws/batch/copy";
import { stagingCsv } from "../../functions/aws/batch/csv";
import type { OrderEvent } from "../../functions/aws/orders/event";
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from "../functions/support/s3local";
import { oracleStagingWriter } from "../../functions/aws/orders/stagingWriter";
import { ORDER_SYNC, ORDER_TOPICS } from "../../functions/aws/orders/contract";
import { serializeOrderEvent } from "../../functions/aws/orders/event";
import { kafkaConfig } from "../../functions/aws/orders/kafka";
import { runSyncConsumer } from "../../functions/aws/orders/syncConsumer";
import { FakeStagingDb } from "../functions/support/fakeStagingDb";
import { FAST_GROUP_TIMERS, startMockCluster } from "../functions/support/kafkaMock";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const BATCH = ORDER_SYNC.maxBatch;
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 20);

const event = (i: number) => ({
  kind: "updated" as const,
  orderId: `O-${i}`,
  customerId: `C-${i % 97}`,
  amount: `${i % 1000}.00`,
  currency: "EUR",
  status: "pending" as const,
  orderDate: "2026-11-02",
  updatedAt: "2026-11-30T10:00:00Z",
});

async function roundTrips(): Promise<void> {
  const db = new FakeStagingDb();
  const writer = oracleStagingWriter(db.connect);
  for (let start = 0; start < ORDERS; start += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, ORDERS - start) }, (_, k) => ({
      schemaVersion: 1 as const,
      ...event(start + k),
    }));
    await writer.write(`p0:${start}-${start + events.length - 1}`, events);
  }
  const batches = Math.ceil(ORDERS / BATCH);
  // The seed: per message one INSERT/MERGE execute and one commit.
  const seedRoundTrips = ORDERS * 2;
  const seedCommits = ORDERS;
  console.log(`${ORDERS} orders, batches of ${BATCH}:`);
  console.log(
    `  staging writer: ${db.roundTrips} round trips (${db.roundTrips / batches} per batch), ${db.commits} commits (${db.commits / batches} per batch)`,
  );
  console.log(
    `  per message (the seed's loop, computed: one execute and one commit per message): ${seedRoundTrips} round trips, ${seedCommits} commits (${seedCommits / batches} per batch)`,
  );
  console.log(
    `  → ${(seedCommits / db.commits).toFixed(0)}× fewer commits, ${(seedRoundTrips / db.roundTrips).toFixed(0)}× fewer round trips\n`,
  );
}

async function throughput(): Promise<void> {
  const mock = await startMockCluster();
  const kafka = new Kafka({
    ...kafkaConfig({ clientId: "bench", brokers: [mock.bootstrap], auth: "plaintext", region: "eu-west-1" }),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  for (let start = 0; start < ORDERS; start += 1000) {
    const messages = Array.from({ length: Math.min(1000, ORDERS - start) }, (_, k) => ({
      key: `O-${start + k}`,
      value: serializeOrderEvent(event(start + k)),
      partition: 0,
    }));
    await producer.send({ topic: ORDER_TOPICS.orders, acks: -1, messages });
  }
  const db = new FakeStagingDb();
  db.roundTripDelayMs = RTT_MS;
  const consumer = kafka.consumer({
    groupId: ORDER_SYNC.groupId,
    maxWaitTimeInMs: 50,
    maxBytes: 10 * 1024 * 1024,
    maxBytesPerPartition: 10 * 1024 * 1024,
    ...FAST_GROUP_TIMERS,
  });
  await consumer.connect();
  let first = 0;
  await runSyncConsumer({
    consumer,
    producer,
    writer: oracleStagingWriter(db.connect),
    observe: (e) => {
      if (e.kind === "written" && first === 0) first = Date.now() - e.ms;
    },
  });
  while (db.orders.size < ORDERS) await new Promise((r) => setTimeout(r, 20));
  const seconds = (Date.now() - first) / 1000;
  await consumer.disconnect();
  await producer.disconnect();
  await mock.stop();
  const limit = BATCH / ((2 * RTT_MS) / 1000);
  console.log(`consumer on the mock cluster, database round trip ${RTT_MS} ms, batches of ${BATCH}:`);
  console.log(
    `  ${ORDERS} orders in ${seconds.toFixed(2)} s = ${(ORDERS / seconds).toFixed(0)} orders/s; limit ${BATCH} ÷ (2 × ${RTT_MS} ms) = ${limit.toFixed(0)} orders/s (${((100 * ORDERS) / seconds / limit).toFixed(1)} %)`,
  );
  console.log(`  ${db.commits} commits, ${db.roundTrips} round trips`);
}

const DAY_EVENTS = Number(process.env.BENCH_DAY_EVENTS ?? 200_000);

async function batchFile(): Promise<void> {
  const events: OrderEvent[] = Array.from({ length: DAY_EVENTS }, (_, i) => ({
    schemaVersion: 1,
    kind: i % 3 === 0 ? "created" : "updated",
    orderId: `O-${i}`,
    customerId: `C-${i % 997}`,
    amount: `${i % 10_000}.50`,
    currency: "EUR",
    status: "paid",
    orderDate: "2026-11-29",
    updatedAt: "2026-11-29T12:34:56.789Z",
    ...(i % 3 === 0
      ? {
          idempotencyKey: `key-${String(i).padStart(10, "0")}`,
          requestHash: createHash("sha256").update(String(i)).digest("hex"),
        }
      : {}),
  }));
  const started = process.hrtime.bigint();
  const body = stagingCsv("batch:2026-11-29", events);
  const csvMs = Number(process.hrtime.bigint() - started) / 1e6;
  const bytes = Buffer.byteLength(body);
  console.log(
    `batch file: ${DAY_EVENTS} events → ${(bytes / 1048576).toFixed(1)} MiB of CSV in ${csvMs.toFixed(0)} ms (${((DAY_EVENTS / csvMs) * 1000).toFixed(0)} events/s)`,
  );

  const s3 = await startLocalS3(["exports", "oci-bucket"]);
  try {
    const source = s3.client();
    const sha256 = createHash("sha256").update(body).digest("hex");
    await source.send(
      new PutObjectCommand({
        Bucket: "exports",
        Key: "orders/date=2026-11-29/orders.csv",
        Body: body,
        Metadata: { sha256 },
      }),
    );
    const target = ociS3Client({
      namespace: "bench",
      region: "eu-frankfurt-1",
      credentials: LOCAL_S3_CREDENTIALS,
      endpoint: s3.endpoint,
    });
    const copyStarted = process.hrtime.bigint();
    const copied = await copyObject(source, "exports", target, "oci-bucket", "orders/date=2026-11-29/orders.csv");
    const copyMs = Number(process.hrtime.bigint() - copyStarted) / 1e6;
    const check = await source.send(
      new GetObjectCommand({ Bucket: "oci-bucket", Key: "orders/date=2026-11-29/orders.csv" }),
    );
    const same =
      createHash("sha256")
        .update(Buffer.from(await check.Body!.transformToByteArray()))
        .digest("hex") === sha256;
    console.log(
      `  copy (streamed multipart, ${COPY_PART_BYTES / 1048576} MiB parts, OCI client settings) to s3rver on loopback: ${(copied.bytes / 1048576).toFixed(1)} MiB in ${copyMs.toFixed(0)} ms = ${(copied.bytes / 1048576 / (copyMs / 1000)).toFixed(1)} MiB/s, ${Math.ceil(copied.bytes / COPY_PART_BYTES)} parts, sha256 ${same ? "matches" : "DIFFERS"}`,
    );
  } finally {
    await s3.stop();
  }
}

async function main(): Promise<void> {
  await roundTrips();
  await throughput();
  await batchFile();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
