/**
 * The sync consumer as a process: the consumer loop, the dead-letter producer, a small HTTP server
 * for probes and metrics, and a drain that lets the batch in hand finish (its write and its offset
 * commit) before the process exits. sync.ts wires it to MSK and Oracle; tests wire it to the mock
 * cluster and the database model.
 */
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Kafka } from "kafkajs";
import { ORDER_SYNC, ORDERS_HTTP, SYNC_LOG_EVENTS } from "./contract";
import type { StagingWriter } from "./syncBatch";
import { runSyncConsumer } from "./syncConsumer";
import type { SyncMetrics } from "./syncMetrics";

export interface SyncProcessOptions {
  readonly kafka: Kafka;
  readonly writer: StagingWriter;
  readonly metrics: SyncMetrics;
  readonly logger: FastifyBaseLogger;
  readonly port: number;
  readonly batchSize: number;
  /** MSK supports the idempotent producer; librdkafka's mock cluster does not. */
  readonly idempotentProducer: boolean;
  /** Group timers (tests shorten them). */
  readonly group?: { sessionTimeout: number; rebalanceTimeout: number; heartbeatInterval: number };
  /** Closes what the writer holds (the pool) once the consumer has stopped. */
  readonly onStopped?: () => Promise<void>;
}

export interface SyncProcess {
  readonly port: number;
  /** Stops taking batches, lets the one in hand finish, disconnects, closes; resolves when done. */
  stop(): Promise<void>;
}

export async function startSync(options: SyncProcessOptions): Promise<SyncProcess> {
  const { kafka, metrics, logger } = options;
  let ready = false;
  const app = Fastify({ loggerInstance: logger, disableRequestLogging: true });
  app.get(ORDERS_HTTP.liveness, async () => ({ status: "ok" }));
  app.get(ORDERS_HTTP.readiness, async (_request, reply) =>
    ready ? { status: "ready" } : reply.status(503).send({ status: "not consuming" }),
  );
  app.get(ORDERS_HTTP.metrics, async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  await app.listen({ host: "0.0.0.0", port: options.port });

  const producer = kafka.producer({
    idempotent: options.idempotentProducer,
    allowAutoTopicCreation: false,
    ...(options.idempotentProducer ? { maxInFlightRequests: 1 } : {}),
  });
  const consumer = kafka.consumer({
    groupId: ORDER_SYNC.groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
    ...(options.group ?? {}),
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => metrics.lag(e.payload.partition, Number(e.payload.offsetLag)));
  consumer.on(consumer.events.CRASH, (e) => {
    ready = false;
    logger.error(
      { event: "consumer.crash", message: e.payload.error.message, restart: e.payload.restart },
      "consumer crashed",
    );
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    ready = true;
  });
  await producer.connect();
  await consumer.connect();
  await runSyncConsumer({
    consumer,
    producer,
    writer: options.writer,
    batchSize: options.batchSize,
    observe: (event) => {
      metrics.observe(event);
      if (event.kind === "failed")
        logger.warn(
          { event: SYNC_LOG_EVENTS.failed, partition: event.partition, attempt: event.attempt, message: event.message },
          "database did not take the batch; partition paused",
        );
      else
        logger.info(
          {
            event: SYNC_LOG_EVENTS.written,
            partition: event.partition,
            written: event.result.written,
            merged: event.result.merged,
            conflicts: event.result.conflicts,
            deadLettered: event.result.deadLettered,
            ms: event.ms,
          },
          "batch written",
        );
    },
  });
  const address = app.server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    async stop() {
      ready = false;
      await consumer.disconnect(); // kafkajs finishes the batch in hand (write, offset commit) first
      await producer.disconnect();
      await options.onStopped?.();
      await app.close();
    },
  };
}
