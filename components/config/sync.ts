/** The `multicloud:sync` key: the paths AWS → OCI — MSK, its topics, the sync consumer, and the daily batch. */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** MSK Kafka versions this program accepts: 3.6 and later (the topic API behind aws.msk.Topic needs it). */
export const MSK_KAFKA_VERSIONS = ["3.6.0", "3.7.x", "3.8.x", "3.9.x"] as const;

const topicSchema = (what: string) =>
  z.strictObject(
    {
      partitions: integer(1, 200, `partitions of ${what}`),
      retentionHours: integer(1, 8760, `hours ${what} keeps a message`),
    },
    allowed("a map with partitions and retentionHours"),
  );

/**
 * An EventBridge Scheduler cron expression: six fields (minutes hours day-of-month month
 * day-of-week year), one of the two day fields `?`. The run covers the UTC day before it fires.
 */
export const SCHEDULE_CRON =
  /^cron\(([0-9,*/-]+) ([0-9,*/-]+) ([0-9,*/?LW-]+) ([0-9A-Z,*/-]+) ([0-9A-Z,*/?L#-]+) ([0-9,*/-]+)\)$/;

const batchSchema = z.strictObject(
  {
    schedule: z
      .string(allowed("a cron expression such as cron(30 1 * * ? *)"))
      .regex(
        SCHEDULE_CRON,
        allowed("an EventBridge Scheduler cron expression with six fields, e.g. cron(30 1 * * ? *) (01:30 UTC daily)"),
      ),
    retentionDays: integer(1, 365, "days both batch buckets keep a day's file"),
    rejectLimit: integer(
      0,
      10000,
      "rows of a day's file the database may refuse before the load fails (refused rows are reported)",
    ).optional(),
  },
  allowed("a map with schedule, retentionDays and optional rejectLimit"),
);

export const syncSchema = z.strictObject(
  {
    kafka: z.strictObject(
      {
        version: z.enum(MSK_KAFKA_VERSIONS, allowed(`one of ${MSK_KAFKA_VERSIONS.join(", ")}`)),
        brokerInstanceType: z
          .string(allowed("an MSK broker instance type"))
          .regex(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/, allowed("an MSK broker instance type such as kafka.m7g.large")),
        brokersPerZone: integer(1, 5, "brokers in each availability zone"),
        storageGb: integer(1, 16384, "each broker's initial storage in GB"),
        maxStorageGb: integer(1, 16384, "the most storage autoscaling may give a broker, in GB"),
      },
      allowed("a map with version, brokerInstanceType, brokersPerZone, storageGb and maxStorageGb"),
    ),
    topics: z.strictObject(
      { orders: topicSchema("the orders topic"), deadLetters: topicSchema("the dead-letter topic") },
      allowed("a map with orders and deadLetters"),
    ),
    consumer: z.strictObject(
      {
        replicas: integer(1, 20, "sync consumer pods"),
        batchSize: integer(1, 500, "messages per database write"),
        poolSize: integer(1, 16, "database connections per consumer pod"),
      },
      allowed("a map with replicas, batchSize and poolSize"),
    ),
    batch: batchSchema,
  },
  allowed("a map with kafka, topics, consumer and batch"),
);

export type SyncSettings = z.infer<typeof syncSchema>;
export type BatchSettings = SyncSettings["batch"];

/** Brokers, replication and in-sync replicas follow from the zones; production needs three brokers. */
export function syncReplication(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
  const replicationFactor = Math.min(3, brokers);
  return { replicationFactor, minInsyncReplicas: replicationFactor >= 3 ? 2 : 1 };
}

export function checkSync(
  project: string,
  raw: SyncSettings,
  azCount: number,
  isProduction: boolean,
  issues: ConfigIssue[],
): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["sync", ...path]);
  if (raw.kafka.maxStorageGb < raw.kafka.storageGb)
    issues.push({
      key: k("kafka", "maxStorageGb"),
      message: `${raw.kafka.maxStorageGb} is below storageGb ${raw.kafka.storageGb}`,
    });
  const brokers = azCount * raw.kafka.brokersPerZone;
  if (isProduction && brokers < 3)
    issues.push({
      key: k("kafka", "brokersPerZone"),
      message: `${brokers} broker(s) in prod; three or more keep writes acknowledged by two while one is down`,
    });
  const cron = SCHEDULE_CRON.exec(raw.batch.schedule);
  if (cron && (cron[3] === "?") === (cron[5] === "?")) {
    issues.push({
      key: k("batch", "schedule"),
      message: `${raw.batch.schedule}: exactly one of day-of-month and day-of-week must be ?`,
    });
  }
  // A day's file must still be in the topic when its run (or a re-run the next day) reads it.
  if (raw.topics.orders.retentionHours < 48) {
    issues.push({
      key: k("topics", "orders", "retentionHours"),
      message: `${raw.topics.orders.retentionHours} hours: the batch export reads the day before from the topic; keep at least 48 hours`,
    });
  }
  if (raw.consumer.replicas > raw.topics.orders.partitions) {
    issues.push({
      key: k("consumer", "replicas"),
      message: `${raw.consumer.replicas} consumers for ${raw.topics.orders.partitions} partitions: the extra ones would idle; add partitions or lower replicas`,
    });
  }
}
