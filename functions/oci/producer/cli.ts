/**
 * `npm run events:put:oci -- --bootstrap HOST:9092 [--kind anomaly|user] [--stream NAME] [--count N] [--series S] [--spike-every K] [--users U] [--items I] [--plaintext]`
 *
 * Puts test events on an OCI stream — measurements for the anomaly detector (`--kind anomaly`, the
 * default, on anomaly-events) or user interactions for the recommendation engine (`--kind user`,
 * on user-events) — through Streaming's Kafka-compatible endpoint (the
 * pool's private endpoint: run it from inside the VCN or over the interconnect). Credentials: SASL
 * PLAIN with OCI_STREAM_USERNAME (`<tenancy>/<user>/<stream pool OCID>`) and OCI_AUTH_TOKEN from
 * the environment, never from arguments. `--plaintext` talks to a local broker (tests).
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { anomalyEvents, anomalyMessages } from "./anomalyEvents";
import { userEventMessages, userEvents } from "./userEvents";

const USAGE =
  "usage: npm run events:put:oci -- --bootstrap HOST:9092 [--kind anomaly|user] [--stream NAME] [--count N] [--series S] [--spike-every K] [--users U] [--items I] [--plaintext]";

export function streamKafkaConfig(bootstrap: string, plaintext: boolean, env: NodeJS.ProcessEnv): KafkaConfig {
  const base: KafkaConfig = { clientId: "events-put-oci", brokers: [bootstrap], logLevel: logLevel.WARN };
  if (plaintext) return base;
  const username = env.OCI_STREAM_USERNAME;
  const password = env.OCI_AUTH_TOKEN;
  if (!username || !password)
    throw new Error(
      "set OCI_STREAM_USERNAME (<tenancy>/<user>/<stream pool OCID>) and OCI_AUTH_TOKEN (an auth token of that user) in the environment",
    );
  return { ...base, ssl: true, sasl: { mechanism: "plain", username, password } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: "string" },
      kind: { type: "string", default: "anomaly" },
      stream: { type: "string" },
      count: { type: "string", default: "100" },
      series: { type: "string", default: "5" },
      "spike-every": { type: "string", default: "0" },
      users: { type: "string", default: "20" },
      items: { type: "string", default: "50" },
      plaintext: { type: "boolean", default: false },
    },
  });
  if (!values.bootstrap) throw new Error(USAGE);
  if (values.kind !== "anomaly" && values.kind !== "user")
    throw new Error(`--kind ${String(values.kind)} is neither anomaly nor user; ${USAGE}`);
  const runId = randomUUID().slice(0, 8);
  const stream = values.stream ?? (values.kind === "user" ? "user-events" : "anomaly-events");
  const messages =
    values.kind === "user"
      ? userEventMessages(
          userEvents({
            count: Number(values.count),
            users: Number(values.users),
            items: Number(values.items),
            startMs: Date.now(),
            runId,
          }),
        )
      : anomalyMessages(
          anomalyEvents({
            count: Number(values.count),
            series: Number(values.series),
            startMs: Date.now(),
            spikeEvery: Number(values["spike-every"]),
            runId,
          }),
        );
  const producer = new Kafka(streamKafkaConfig(values.bootstrap, values.plaintext ?? false, process.env)).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    await producer.send({ topic: stream, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  console.log(
    values.kind === "user"
      ? `put ${messages.length} user events of ${values.users} users on ${stream}`
      : `put ${messages.length} events over ${values.series} series on ${stream}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
