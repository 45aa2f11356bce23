/**
 * Graceful shutdown on SIGTERM: readiness goes false, the server stops accepting connections and
 * lets in-flight requests finish for at most drainSeconds (then cuts what is left), the producer
 * flushes and disconnects, the pool closes, and the process exits 0 — inside
 * terminationGracePeriodSeconds.
 */
import type { FastifyInstance } from "fastify";
import type { Lifecycle } from "./app";
import type { OrderIntake } from "./intake";
import type { OrderStore } from "./store";

export interface ShutdownResult {
  /** Requests were still running when the drain time ran out. */
  readonly cutShort: boolean;
}

export async function shutdown(
  app: FastifyInstance,
  store: OrderStore,
  intake: OrderIntake,
  lifecycle: Lifecycle,
  drainSeconds: number,
): Promise<ShutdownResult> {
  lifecycle.draining = true;
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), drainSeconds * 1000);
  });
  const closed = app.close().then(() => "closed" as const);
  const first = await Promise.race([closed, outOfTime]);
  clearTimeout(timer);
  if (first === "timeout") app.server.closeAllConnections();
  // No request publishes any more; what the producer holds goes out before it disconnects.
  await intake.close();
  // Connections still checked out get a second to come back, then the pool is closed under them.
  await store.close(1);
  return { cutShort: first === "timeout" };
}
