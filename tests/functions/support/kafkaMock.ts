/**
 * librdkafka's mock cluster (a real Kafka protocol implementation, no JVM), started inside this
 * process by a node-rdkafka client with `test.mock.num.brokers`: `npm ci` builds librdkafka from the
 * source node-rdkafka ships, so the Kafka tests need nothing outside npm. kafkajs reaches the mock
 * brokers at the addresses the owning client's metadata lists.
 */
import { Kafka, logLevel } from "kafkajs";
import { kafkaConfig } from "../../../functions/aws/orders/kafka";
import { waitFor } from "../../support/waitFor";
import { Producer as RdKafkaProducer } from "node-rdkafka";

/** Group timers for tests: the mock cluster rebalances in seconds instead of kafkajs's default half minute. */
export const FAST_GROUP_TIMERS = { sessionTimeout: 6_000, rebalanceTimeout: 3_000, heartbeatInterval: 500 } as const;

export interface MockCluster {
  /** The brokers' addresses, comma-separated (one broker unless asked for more). */
  readonly bootstrap: string;
  /** Disconnects the owning client, which takes the mock cluster down with it. */
  stop(): Promise<void>;
}

/** A kafkajs client of the mock cluster, configured as the services configure theirs (plaintext: the mock has no IAM). */
export function localKafka(mock: Pick<MockCluster, "bootstrap">, clientId: string): Kafka {
  return new Kafka({
    ...kafkaConfig({ clientId, brokers: [mock.bootstrap], auth: "plaintext", region: "eu-west-1" }),
    logLevel: logLevel.NOTHING,
  });
}

export async function startMockCluster(brokers = 1): Promise<MockCluster> {
  // The bootstrap address is ignored once the mock cluster is on; the client owns the cluster.
  // test.mock.num.brokers is librdkafka's test-only property, absent from node-rdkafka's typings.
  const mockBrokers: Record<string, number> = { "test.mock.num.brokers": brokers };
  const owner = new RdKafkaProducer({
    "bootstrap.servers": "127.0.0.1:1",
    "client.id": "mock-cluster-owner",
    ...mockBrokers,
  });
  const metadata = await new Promise<{ brokers: { host: string; port: number }[] }>((resolve, reject) => {
    owner.connect({}, (err, data) =>
      err ? reject(new Error(`librdkafka did not start a mock cluster: ${err.message}`)) : resolve(data),
    );
  });
  const bootstrap = metadata.brokers.map((b) => `${b.host}:${b.port}`).join(",");
  return {
    bootstrap,
    stop: () => new Promise<void>((resolve) => owner.disconnect(() => resolve())),
  };
}

/** Creates `topic` on the cluster by putting one message that is no event (a CLI under test never creates topics, as on OCI). */
export async function createTopicWithNonEvent(bootstrap: string, topic: string): Promise<void> {
  const producer = new Kafka({ clientId: "setup", brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer({
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: "warmup", value: "{}" }] });
  await producer.disconnect();
}

/** Reads `count` messages of `topic` from the start, shaped as Connector Hub hands them to a function (value base64). */
export async function readAsConnectorHub(bootstrap: string, topic: string, count: number): Promise<unknown[]> {
  const consumer = new Kafka({ clientId: "connector-like", brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer(
    { groupId: "connector-like", maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS },
  );
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const body: unknown[] = [];
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      body.push({
        stream: topic,
        partition: String(partition),
        offset: Number(message.offset),
        value: (message.value ?? Buffer.alloc(0)).toString("base64"),
      });
    },
  });
  await waitFor(`${count} messages of ${topic}`, () => body.length >= count, 100);
  await consumer.disconnect();
  return body;
}
