/** Listening and the SIGTERM/SIGINT drain, shared by the container entry point and the drain test. */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Lifecycle } from "./app";
import type { OrderIntake } from "./intake";
import { shutdown } from "./shutdown";
import type { OrderStore } from "./store";

export interface ServeOptions {
  readonly app: FastifyInstance;
  /** Metrics and database health, on a port the Service does not expose. */
  readonly admin: FastifyInstance;
  readonly adminPort: number;
  readonly store: OrderStore;
  readonly intake: OrderIntake;
  readonly lifecycle: Lifecycle;
  readonly logger: FastifyBaseLogger;
  readonly port: number;
  readonly drainSeconds: number;
  /** process.exit unless a test says otherwise. */
  readonly exit?: (code: number) => void;
}

/**
 * Listens on all interfaces (the traffic port and the admin port), marks the service started, and
 * drains on the first SIGTERM or SIGINT; the admin port closes last, so metrics cover the drain.
 * Resolves with the bound ports.
 */
export async function serve(options: ServeOptions): Promise<{ port: number; adminPort: number }> {
  const { app, admin, store, intake, lifecycle, logger, drainSeconds } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: "shutdown.start", signal, drainSeconds }, "draining");
    shutdown(app, store, intake, lifecycle, drainSeconds)
      .then(async (result) => {
        await admin.close();
        return result;
      })
      .then(
        (result) => {
          logger.info({ event: "shutdown.done", cutShort: result.cutShort }, "stopped");
          exit(0);
        },
        (err: unknown) => {
          logger.error({ event: "shutdown.failed", message: (err as Error).message }, "shutdown failed");
          exit(1);
        },
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  await admin.listen({ host: "0.0.0.0", port: options.adminPort });
  await app.listen({ host: "0.0.0.0", port: options.port });
  lifecycle.started = true;
  const bound = (server: FastifyInstance, fallback: number) => {
    const address = server.server.address();
    return typeof address === "object" && address ? address.port : fallback;
  };
  return { port: bound(app, options.port), adminPort: bound(admin, options.adminPort) };
}
