/**
 * The sync process (syncProcess.ts) over librdkafka's mock cluster (KAFKA_BOOTSTRAP) and the
 * database model with DB_DELAY_MS per round trip, for the drain test: the real signal handling
 * lives in sync.ts, so this wires SIGTERM the same way. Prints {"port": n}; on exit prints
 * {"event": "stopped", "orders": [...ids written]}.
 */
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { kafkaConfig } from "../../../functions/aws/orders/kafka";
import { oracleStagingWriter } from "../../../functions/aws/orders/stagingWriter";
import { syncMetrics } from "../../../functions/aws/orders/syncMetrics";
import { startSync } from "../../../functions/aws/orders/syncProcess";
import { FakeStagingDb } from "./fakeStagingDb";
import { FAST_GROUP_TIMERS } from "./kafkaMock";

async function main(): Promise<void> {
  const logger = pino({}, pino.destination({ dest: 1, sync: true }));
  const db = new FakeStagingDb();
  db.roundTripDelayMs = Number(process.env.DB_DELAY_MS ?? "0");
  const kafka = new Kafka({
    ...kafkaConfig({
      clientId: "sync-test",
      brokers: [String(process.env.KAFKA_BOOTSTRAP)],
      auth: "plaintext",
      region: "eu-west-1",
    }),
    logLevel: logLevel.NOTHING,
  });
  const sync = await startSync({
    kafka,
    writer: oracleStagingWriter(db.connect),
    metrics: syncMetrics({ processMetrics: false }),
    logger,
    port: 0,
    batchSize: Number(process.env.BATCH_SIZE ?? "10"),
    idempotentProducer: false,
    group: FAST_GROUP_TIMERS,
  });
  process.stdout.write(`${JSON.stringify({ port: sync.port })}\n`);
  process.once("SIGTERM", () => {
    sync.stop().then(() => {
      process.stdout.write(`${JSON.stringify({ event: "stopped", orders: [...db.orders.keys()] })}\n`);
      process.exit(0);
    });
  });
}

void main();
