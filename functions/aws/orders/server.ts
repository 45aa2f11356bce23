/**
 * The order service's entry point (the container's command): settings, credentials, pool, the
 * order topic's producer, HTTP server, and the SIGTERM drain. Everything it does is in the modules
 * it wires.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { buildAdminApp } from "./admin";
import { buildApp, Lifecycle } from "./app";
import { remoteKeys, tokenVerifier } from "./auth";
import { kafkaIntake } from "./intake";
import { kafkaConfig } from "./kafka";
import { serviceMetrics } from "./metrics";
import { OracleOrderStore } from "./oracleStore";
import { CredentialSource, secretsManagerReader } from "./secret";
import { serve } from "./serve";
import { serviceSettings } from "./settings";

async function main(): Promise<void> {
  // Synchronous writes: the last lines before process.exit are not lost.
  const logger = pino(
    {
      base: { service: "orders" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: ["req.headers.authorization", "*.password"],
    },
    pino.destination({ dest: 1, sync: true }),
  );
  const settings = serviceSettings(process.env);
  const credentials = new CredentialSource(
    secretsManagerReader(new SecretsManagerClient({ region: settings.region }), settings.secretArn),
  );
  const store = new OracleOrderStore(credentials, settings.pool, undefined, {
    log: (event, fields) => logger.info({ event, ...fields }, event),
  });
  const metrics = serviceMetrics(() => store.stats());
  const lifecycle = new Lifecycle();
  const kafka = new Kafka({
    ...kafkaConfig({
      clientId: "orders-api",
      brokers: settings.brokers,
      auth: settings.kafkaAuth,
      region: settings.region,
    }),
    logLevel: logLevel.WARN,
    logCreator: () => (entry) =>
      logger.warn({ event: "kafka", namespace: entry.namespace, message: entry.log.message }, "kafka"),
  });
  // Idempotent (MSK): a retried send is never written twice; one request in flight keeps the order per partition.
  const intake = kafkaIntake(
    kafka.producer({ idempotent: settings.kafkaAuth === "iam", maxInFlightRequests: 1, allowAutoTopicCreation: false }),
  );
  const keys = remoteKeys(settings.auth, { log: (event, fields) => logger.warn({ event, ...fields }, event) });
  const auth = { verify: tokenVerifier(settings.auth, keys), settings: settings.auth };
  const app = buildApp({ store, intake, metrics, lifecycle, logger, auth, rules: settings.rules });
  const admin = buildAdminApp({ store, metrics, logger });
  await serve({
    app,
    admin,
    store,
    intake,
    lifecycle,
    logger,
    port: settings.port,
    adminPort: settings.adminPort,
    drainSeconds: settings.drainSeconds,
  });
  // Open the pool now rather than on the first request; a database down at start is logged, not fatal.
  store
    .ping()
    .catch((err: unknown) =>
      logger.warn(
        { event: "database.unavailableAtStart", message: (err as Error).message },
        "database unavailable at start",
      ),
    );
}

main().catch((err: unknown) => {
  // Settings errors name the variable; nothing here carries a secret.
  process.stderr.write(`${JSON.stringify({ level: 60, event: "start.failed", message: (err as Error).message })}\n`);
  process.exit(1);
});
