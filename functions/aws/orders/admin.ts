/**
 * The admin port's app: Prometheus metrics and database health. The Service does not expose this
 * port; the managed scraper and operators inside the cluster reach it (the NetworkPolicy and the
 * scraper's security group admit it from the private subnets only). Health answers fixed reason
 * codes, never driver text.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { timedCalls } from "./app";
import { ORDERS_HTTP } from "./contract";
import type { ServiceMetrics } from "./metrics";
import { DatabaseUnavailableError, type OrderStore } from "./store";

export interface AdminDependencies {
  readonly store: OrderStore;
  readonly metrics: ServiceMetrics;
  /** Where a failed health check is logged (scrapes themselves are not: one every 30 s per scraper). */
  readonly logger?: FastifyBaseLogger;
}

export function buildAdminApp(deps: AdminDependencies): FastifyInstance {
  const { store, metrics } = deps;
  const timed = timedCalls(metrics);
  const app = Fastify({ logger: false });

  app.get(ORDERS_HTTP.databaseHealth, async (_request, reply) => {
    const started = process.hrtime.bigint();
    try {
      await timed("ping", () => store.ping());
      return { database: "up", latencyMs: Number(process.hrtime.bigint() - started) / 1e6, pool: store.stats() };
    } catch (err) {
      const reason = err instanceof DatabaseUnavailableError ? err.reason : "ping-failed";
      deps.logger?.warn({ event: "health.database", reason, message: (err as Error).message }, "database down");
      return reply.status(503).send({
        database: "down",
        // A fixed code, never the driver's text (it can name addresses); the message is in the log.
        reason,
        pool: store.stats(),
      });
    }
  });

  app.get(ORDERS_HTTP.metrics, async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  return app;
}
