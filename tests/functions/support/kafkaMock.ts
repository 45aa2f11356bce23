/**
 * librdkafka's mock cluster, started through Debian's kcat (a real Kafka protocol implementation
 * in one process, no JVM): `.ci/run` installs kcat; without it the test fails saying so.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";

/** Group timers for tests: the mock cluster rebalances in seconds instead of kafkajs's default half minute. */
export const FAST_GROUP_TIMERS = { sessionTimeout: 6_000, rebalanceTimeout: 3_000, heartbeatInterval: 500 } as const;

export interface MockCluster {
  readonly bootstrap: string;
  stop(): void;
}

export async function startMockCluster(brokers = 1): Promise<MockCluster> {
  try {
    execFileSync("kcat", ["-V"], { stdio: "ignore" });
  } catch {
    throw new Error("kcat is not installed: the Kafka tests run against librdkafka's mock cluster (apt-get install kcat; .ci/run does)");
  }
  const child: ChildProcess = spawn("kcat", ["-b", "127.0.0.1:1", "-X", `test.mock.num.brokers=${brokers}`, "-d", "mock", "-C", "-t", "mock-warmup"], { stdio: ["ignore", "ignore", "pipe"] });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`kcat did not start a mock cluster: ${seen.slice(-500)}`)), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /bootstrap\.servers=([0-9.:,]+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`kcat exited (${code}): ${seen.slice(-500)}`)));
  });
  return { bootstrap, stop: () => void child.kill("SIGKILL") };
}

/** Creates `topic` on the cluster by putting one message that is no event (a CLI under test never creates topics, as on OCI). */
export async function createTopicWithNonEvent(bootstrap: string, topic: string): Promise<void> {
  const producer = new Kafka({ clientId: "setup", brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: true });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: "warmup", value: "{}" }] });
  await producer.disconnect();
}

/** Reads `count` messages of `topic` from the start, shaped as Connector Hub hands them to a function (value base64). */
export async function readAsConnectorHub(bootstrap: string, topic: string, count: number): Promise<unknown[]> {
  const consumer = new Kafka({ clientId: "connector-like", brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer({ groupId: "connector-like", maxWaitTimeInMs: 100, ...FAST_GROUP_TIMERS });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const body: unknown[] = [];
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      body.push({ stream: topic, partition: String(partition), offset: Number(message.offset), value: (message.value ?? Buffer.alloc(0)).toString("base64") });
    },
  });
  const started = Date.now();
  while (body.length < count && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return body;
}
