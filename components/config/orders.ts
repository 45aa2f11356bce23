/** The `multicloud:orders` key: the order service's replicas and its database pool. */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** Connections per pod; the service's own settings check (functions/aws/orders/contract.ts ORDERS_LIMITS) agrees, a test says so. */
export const POOL_SIZE_BOUNDS = { min: 1, max: 64 } as const;

export const ordersSchema = z.strictObject(
  {
    replicas: z.strictObject(
      {
        min: integer(1, 50, "fewest pods (the autoscaler's floor)"),
        max: integer(1, 50, "most pods (the autoscaler's ceiling)"),
      },
      allowed("a map with min and max"),
    ),
    targetCpuPercent: integer(20, 90, "CPU utilisation (percent of the request) the autoscaler aims for"),
    pool: z.strictObject(
      {
        size: integer(
          POOL_SIZE_BOUNDS.min,
          POOL_SIZE_BOUNDS.max,
          "database connections per pod (fixed: poolMin = poolMax)",
        ),
        queueTimeoutMs: integer(10, 60_000, "ms a request waits for a free connection before a 503"),
        callTimeoutMs: integer(100, 300_000, "ms one database round trip may take"),
      },
      allowed("a map with size, queueTimeoutMs and callTimeoutMs"),
    ),
  },
  allowed("a map with replicas, targetCpuPercent and pool"),
);

export type OrdersSettings = z.infer<typeof ordersSchema>;

/** Relations between the order service's fields. */
export function checkOrders(project: string, raw: OrdersSettings, isProduction: boolean, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["orders", ...path]);
  if (raw.replicas.min > raw.replicas.max)
    issues.push({ key: k("replicas", "min"), message: `${raw.replicas.min} is above max ${raw.replicas.max}` });
  if (isProduction && raw.replicas.min < 2)
    issues.push({
      key: k("replicas", "min"),
      message: `${raw.replicas.min} is one pod in prod; keep at least 2 (the disruption budget keeps one up during node drains)`,
    });
  // A request that waited the whole queue timeout still needs a round trip: the timeout must leave room for it.
  if (raw.pool.queueTimeoutMs >= raw.pool.callTimeoutMs) {
    issues.push({
      key: k("pool", "queueTimeoutMs"),
      message: `${raw.pool.queueTimeoutMs} is not below callTimeoutMs ${raw.pool.callTimeoutMs}; a request should give up waiting for a connection sooner than a query may run`,
    });
  }
}
