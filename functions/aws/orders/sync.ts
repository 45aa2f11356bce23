/**
 * The order sync consumer's entry point (the same image as the API, another command): settings,
 * credentials, the pool, MSK with IAM, and the SIGTERM drain. Everything it does is in the modules
 * it wires.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { kafkaConfig } from "./kafka";
import { OracleOrderStore } from "./oracleStore";
import { CredentialSource, secretsManagerReader } from "./secret";
import { syncSettings } from "./settings";
import { oracleStagingWriter } from "./stagingWriter";
import { syncMetrics } from "./syncMetrics";
import { startSync } from "./syncProcess";

async function main(): Promise<void> {
  const logger = pino(
    { base: { service: "orders-sync" }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: true }),
  );
  const settings = syncSettings(process.env);
  const credentials = new CredentialSource(
    secretsManagerReader(new SecretsManagerClient({ region: settings.region }), settings.secretArn),
  );
  const store = new OracleOrderStore(credentials, settings.pool, undefined, {
    log: (event, fields) => logger.info({ event, ...fields }, event),
  });
  const kafka = new Kafka({
    ...kafkaConfig({
      clientId: "orders-sync",
      brokers: settings.brokers,
      auth: settings.kafkaAuth,
      region: settings.region,
    }),
    logLevel: logLevel.WARN,
    logCreator: () => (entry) =>
      logger.warn({ event: "kafka", namespace: entry.namespace, message: entry.log.message }, "kafka"),
  });
  const sync = await startSync({
    kafka,
    writer: oracleStagingWriter(() => store.stagingConnection()),
    metrics: syncMetrics(),
    logger,
    port: settings.port,
    batchSize: settings.batchSize,
    idempotentProducer: settings.kafkaAuth === "iam",
    onStopped: () => store.close(1),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: "shutdown.start", signal }, "draining");
    // The batch in hand may take its write's time; the grace period covers drainSeconds.
    const deadline = setTimeout(() => {
      logger.error({ event: "shutdown.timeout" }, "drain took longer than allowed");
      process.exit(1);
    }, settings.drainSeconds * 1000);
    sync.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info({ event: "shutdown.done" }, "stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ event: "shutdown.failed", message: (err as Error).message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 60, event: "start.failed", message: (err as Error).message })}\n`);
  process.exit(1);
});
