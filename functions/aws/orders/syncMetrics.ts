/** The sync consumer's Prometheus metrics: lag per partition, batch size, write duration, dead letters, key conflicts, failed writes. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SyncObservation } from "./syncConsumer";

export interface SyncMetrics {
  readonly registry: Registry;
  /** What the consumer loop reports (runSyncConsumer's observe). */
  observe(event: SyncObservation): void;
  /** The consumer's lag behind the partition's high watermark (kafkajs END_BATCH_PROCESS). */
  lag(partition: number, lag: number): void;
}

export function syncMetrics(options: { processMetrics?: boolean } = {}): SyncMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const lag = new Gauge({
    name: "orders_sync_consumer_lag",
    help: "Messages of the orders topic not yet processed, per partition",
    labelNames: ["partition"] as const,
    registers: [registry],
  });
  const size = new Histogram({
    name: "orders_sync_batch_size",
    help: "Messages per database write",
    buckets: [1, 10, 50, 100, 250, 500],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "orders_sync_write_duration_seconds",
    help: "One batch: dead letters, staging load, merge and commit",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dead = new Counter({
    name: "orders_sync_dead_letters_total",
    help: "Messages sent to orders.dlq",
    registers: [registry],
  });
  const conflicts = new Counter({
    name: "orders_sync_key_conflicts_total",
    help: "Creates whose Idempotency-Key another order already holds (recorded in order_conflicts, not applied)",
    registers: [registry],
  });
  const failed = new Counter({
    name: "orders_sync_write_failures_total",
    help: "Batches the database did not take (the partition paused)",
    registers: [registry],
  });
  return {
    registry,
    observe(event) {
      if (event.kind === "failed") {
        failed.inc();
        return;
      }
      size.observe(event.result.written + event.result.deadLettered);
      duration.observe(event.ms / 1000);
      dead.inc(event.result.deadLettered);
      conflicts.inc(event.result.conflicts);
    },
    lag(partition, value) {
      lag.set({ partition: String(partition) }, value);
    },
  };
}
