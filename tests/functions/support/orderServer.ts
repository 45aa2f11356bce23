/**
 * The order service's serve() with a fake store whose calls take DELAY_MS, for the drain test:
 * the real signal handling, drain and exit, in a child process. Prints {"port": n} once listening;
 * the intake's and the store's closes are logged as {"event": "intake.closed"} and {"event": "store.closed"}.
 */
import pino from "pino";
import { buildAdminApp } from "../../../functions/aws/orders/admin";
import { buildApp, Lifecycle } from "../../../functions/aws/orders/app";
import { serviceMetrics } from "../../../functions/aws/orders/metrics";
import { serve } from "../../../functions/aws/orders/serve";
import { FakeIntake } from "./fakeIntake";
import { FakeOrderStore } from "./fakeOrderStore";
import { TestIssuer } from "./testIssuer";

async function main(): Promise<void> {
  const logger = pino();
  const store = new FakeOrderStore();
  store.delayMs = Number(process.env.DELAY_MS ?? "0");
  store.add({ orderId: "O-1", customerId: "C-1", orderDate: "2026-11-01" });
  const close = store.close.bind(store);
  store.close = async (seconds) => {
    await close(seconds);
    logger.info({ event: "store.closed", drainSeconds: seconds });
  };
  const intake = new FakeIntake();
  const intakeClose = intake.close.bind(intake);
  intake.close = async () => {
    await intakeClose();
    logger.info({ event: "intake.closed" });
  };
  const lifecycle = new Lifecycle();
  const issuer = await TestIssuer.create();
  const metrics = serviceMetrics(() => store.stats(), { processMetrics: false });
  const app = buildApp({ store, intake, lifecycle, auth: issuer.auth(), metrics, logger });
  const { port, adminPort } = await serve({
    app,
    admin: buildAdminApp({ store, metrics, logger }),
    adminPort: 0,
    store,
    intake,
    lifecycle,
    logger,
    port: 0,
    drainSeconds: Number(process.env.DRAIN_SECONDS ?? "5"),
  });
  process.stdout.write(`${JSON.stringify({ port, adminPort, token: await issuer.customer("C-1") })}\n`);
}

void main();
