/** The order API on loopback over the fixed-latency store, for `npm run bench:orders` (a child process: its own core). */
import { buildApp, Lifecycle } from "../../../functions/aws/orders/app";
import { serviceMetrics } from "../../../functions/aws/orders/metrics";
import { FakeIntake } from "../../functions/support/fakeIntake";
import { TestIssuer } from "../../functions/support/testIssuer";
import { FixedLatencyStore } from "./fixedLatencyStore";

async function main(): Promise<void> {
  const store = new FixedLatencyStore(
    Number(process.env.POOL_SIZE),
    Number(process.env.LATENCY_MS),
    Number(process.env.QUEUE_TIMEOUT_MS),
  );
  const lifecycle = new Lifecycle();
  // Every request carries a bearer token the real verifier checks (ES256, keys cached in memory).
  const issuer = await TestIssuer.create();
  const token = await issuer.customer("C-1", ["orders:read"]);
  const app = buildApp({
    store,
    intake: new FakeIntake(),
    lifecycle,
    auth: issuer.auth(),
    metrics: serviceMetrics(() => store.stats()),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  lifecycle.started = true;
  const address = app.server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0, token })}\n`,
  );
  // The bench asks for the database hold times of a run (and starts the next run's record).
  process.on("message", () => {
    process.send?.({ holds: store.holds.splice(0) });
  });
}

void main();
