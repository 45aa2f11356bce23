/** Lambda entry of the batch export (in the VPC: it reads MSK). The logic is in exportDay.ts. */
import { S3Client } from "@aws-sdk/client-s3";
import { Logger } from "@aws-lambda-powertools/logger";
import { Kafka, logLevel } from "kafkajs";
import { ORDER_TOPICS } from "../orders/contract";
import { kafkaConfig } from "../orders/kafka";
import { BATCH_ENV } from "./contract";
import { type BatchInput, resolveDay } from "./day";
import { exportDay, type ExportResult } from "./exportDay";
import { kafkaTopicSource } from "./kafkaSource";
import { s3Sink } from "./s3Sink";
import { requiredEnv } from "./steps";

const logger = new Logger({ serviceName: "orders-batch-export" });
const s3 = new S3Client({});

export const handler = async (input: BatchInput): Promise<ExportResult> => {
  const day = resolveDay(input ?? {});
  const region = requiredEnv(process.env, "AWS_REGION");
  const brokers = requiredEnv(process.env, BATCH_ENV.brokers).split(",");
  const kafka = new Kafka({
    ...kafkaConfig({ clientId: "orders-batch-export", brokers, auth: "iam", region }),
    logLevel: logLevel.WARN,
  });
  const result = await exportDay(
    day,
    kafkaTopicSource(kafka, ORDER_TOPICS.orders),
    s3Sink(s3, requiredEnv(process.env, BATCH_ENV.exportBucket)),
  );
  logger.info("exported", { ...result });
  return result;
};
