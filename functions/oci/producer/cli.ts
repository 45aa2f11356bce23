/**
 * `npm run events:put:oci -- --bootstrap HOST:9092 --stream anomaly-events --count N [--series S] [--spike-every K] [--plaintext]`
 *
 * Puts test measurements on an OCI stream through Streaming's Kafka-compatible endpoint (the
 * pool's private endpoint: run it from inside the VCN or over the interconnect). Credentials: SASL
 * PLAIN with OCI_STREAM_USERNAME (`<tenancy>/<user>/<stream pool OCID>`) and OCI_AUTH_TOKEN from
 * the environment, never from arguments. `--plaintext` talks to a local broker (tests).
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { anomalyEvents, anomalyMessages } from "./anomalyEvents";

export function streamKafkaConfig(bootstrap: string, plaintext: boolean, env: NodeJS.ProcessEnv): KafkaConfig {
  const base: KafkaConfig = { clientId: "events-put-oci", brokers: [bootstrap], logLevel: logLevel.WARN };
  if (plaintext) return base;
  const username = env.OCI_STREAM_USERNAME;
  const password = env.OCI_AUTH_TOKEN;
  if (!username || !password) throw new Error("set OCI_STREAM_USERNAME (<tenancy>/<user>/<stream pool OCID>) and OCI_AUTH_TOKEN (an auth token of that user) in the environment");
  return { ...base, ssl: true, sasl: { mechanism: "plain", username, password } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: "string" },
      stream: { type: "string", default: "anomaly-events" },
      count: { type: "string", default: "100" },
      series: { type: "string", default: "5" },
      "spike-every": { type: "string", default: "0" },
      plaintext: { type: "boolean", default: false },
    },
  });
  if (!values.bootstrap) throw new Error("usage: npm run events:put:oci -- --bootstrap HOST:9092 [--stream NAME] [--count N] [--series S] [--spike-every K] [--plaintext]");
  const events = anomalyEvents({ count: Number(values.count), series: Number(values.series), startMs: Date.now(), spikeEvery: Number(values["spike-every"]), runId: randomUUID().slice(0, 8) });
  const producer = new Kafka(streamKafkaConfig(values.bootstrap, values.plaintext ?? false, process.env)).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: values.stream ?? "anomaly-events", acks: -1, messages: anomalyMessages(events) });
  } finally {
    await producer.disconnect();
  }
  console.log(`put ${events.length} events over ${values.series} series on ${values.stream}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
