/**
 * The order sync consumer's loop on kafkajs: batches of at most ORDER_SYNC.maxBatch messages per
 * partition through processBatch, the offsets committed only after the database has committed the
 * batch; when the database cannot take a batch, the partition pauses and resumes after a backoff,
 * and nothing of the batch is committed (it is fetched again). Dead letters go to orders.dlq with
 * the reason and their origin in headers, acknowledged by all in-sync replicas.
 */
import type { Consumer, EachBatchPayload, Producer } from "kafkajs";
import { DEAD_LETTER_HEADERS, ORDER_SYNC, ORDER_TOPICS } from "./contract";
import { type BatchResult, type DeadLetters, processBatch, type StagingWriter, type SyncMessage } from "./syncBatch";

export interface SyncConsumerOptions {
  readonly consumer: Consumer;
  readonly producer: Producer;
  readonly writer: StagingWriter;
  /** Messages per database write (≤ ORDER_SYNC.maxBatch). */
  readonly batchSize?: number;
  /** The pause after the n-th failed write in a row (ms). */
  readonly backoffMs?: (attempt: number) => number;
  /** Told of every batch written and every failure (metrics, logs); never given message values. */
  readonly observe?: (event: SyncObservation) => void;
}

/** What the loop reports of each batch. */
export type SyncObservation =
  | { kind: "written"; partition: number; result: BatchResult; ms: number }
  | { kind: "failed"; partition: number; attempt: number; message: string };

/** Exponential backoff from 1 s, at most 30 s, with ±20 % jitter so paused consumers do not return together. */
export function defaultBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function deadLetterProducer(producer: Producer): DeadLetters {
  return {
    async send(refused) {
      await producer.send({
        topic: ORDER_TOPICS.deadLetters,
        acks: -1,
        messages: refused.map(({ message, reason }) => ({
          key: message.key ?? null,
          value: message.value ?? null,
          headers: {
            [DEAD_LETTER_HEADERS.reason]: reason,
            [DEAD_LETTER_HEADERS.partition]: String(message.partition),
            [DEAD_LETTER_HEADERS.offset]: message.offset,
          },
        })),
      });
    },
  };
}

/** Subscribes and runs until the consumer is disconnected (kafkajs finishes the batch in hand first). */
export async function runSyncConsumer(options: SyncConsumerOptions): Promise<void> {
  const { consumer, writer } = options;
  const batchSize = Math.min(options.batchSize ?? ORDER_SYNC.maxBatch, ORDER_SYNC.maxBatch);
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const deadLetters = deadLetterProducer(options.producer);
  const failures = new Map<number, number>();

  await consumer.subscribe({ topics: [ORDER_TOPICS.orders], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      pause,
      isRunning,
      isStale,
      commitOffsetsIfNecessary,
    }: EachBatchPayload) => {
      const all: SyncMessage[] = batch.messages.map((m) => ({
        partition: batch.partition,
        offset: m.offset,
        key: m.key?.toString("utf8"),
        value: m.value?.toString("utf8"),
      }));
      for (let start = 0; start < all.length && isRunning() && !isStale(); start += batchSize) {
        const chunk = all.slice(start, start + batchSize);
        const began = Date.now();
        let result: BatchResult;
        try {
          result = await processBatch(chunk, writer, deadLetters);
        } catch (err) {
          // Nothing of this chunk is committed: pause the partition and read it again after the backoff.
          const attempt = (failures.get(batch.partition) ?? 0) + 1;
          failures.set(batch.partition, attempt);
          options.observe?.({ kind: "failed", partition: batch.partition, attempt, message: (err as Error).message });
          const resume = pause();
          // unref: a disconnected consumer's pending resume must not keep a draining process alive.
          setTimeout(resume, backoff(attempt)).unref();
          return;
        }
        failures.delete(batch.partition);
        // The batch's own commit, not consumer.commitOffsets: kafkajs drops the latter silently once a
        // disconnect has begun, and a draining consumer must still commit the batch it finished.
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [...result.commit].map(([partition, offset]) => ({ partition, offset })),
            },
          ],
        });
        resolveOffset(chunk[chunk.length - 1].offset);
        options.observe?.({ kind: "written", partition: batch.partition, result, ms: Date.now() - began });
        await heartbeat();
      }
    },
  });
}
