/** The service's Prometheus metrics, on a registry of its own (tests build many apps in one process). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "./store";

export interface ServiceMetrics {
  readonly registry: Registry;
  /** HTTP request duration by route template, method and status. */
  readonly requestDuration: Histogram<"route" | "method" | "status_code">;
  /** One database call's duration by operation and outcome. */
  readonly dbCallDuration: Histogram<"operation" | "outcome">;
  /** Orders accepted without reserving their Idempotency-Key (the database did not answer): the merge settles them. */
  readonly uncheckedCreates: Counter;
}

/** Buckets from 1 ms to 10 s: a pool wait or a slow query is visible, a fast read is resolved. */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function serviceMetrics(pool: () => PoolStats, options: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route template, method and status code",
    labelNames: ["route", "method", "status_code"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const dbCallDuration = new Histogram({
    name: "orders_db_call_duration_seconds",
    help: "Database call duration (including the wait for a pooled connection) by operation and outcome",
    labelNames: ["operation", "outcome"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "orders_db_pool_connections",
    help: "Connections of the fixed-size pool, by state (size, in_use)",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = pool();
      this.set({ state: "size" }, stats.size);
      this.set({ state: "in_use" }, stats.inUse);
    },
  });
  new Gauge({
    name: "orders_db_pool_queued_requests",
    help: "Requests waiting for a pooled connection",
    registers: [registry],
    collect() {
      this.set(pool().queued);
    },
  });
  const uncheckedCreates = new Counter({
    name: "orders_unchecked_creates_total",
    help: "Orders accepted without reserving their Idempotency-Key because the database did not answer (a reused key becomes a conflict the merge records)",
    registers: [registry],
  });
  return { registry, requestDuration, dbCallDuration, uncheckedCreates };
}
