/** Lambda entry for the feature stream: wires the batch processor to DynamoDB, Powertools Logger and Metrics. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { FeatureCache, processBatch } from "./batch";
import { FEATURE_METRICS, FEATURES_ENV } from "./contract";
import { allowedLatenessFromEnv } from "./features";

const table = process.env[FEATURES_ENV.table];
if (!table)
  throw new Error(
    `${FEATURES_ENV.table} is not set: the feature store's table name (set by the FeaturePipeline component)`,
  );
const allowedLatenessMs = allowedLatenessFromEnv(process.env[FEATURES_ENV.allowedLatenessMs]);

const logger = new Logger({ serviceName: "features" });
// The service dimension is the function's name: the alarm of this stack's pipeline selects on it.
const metrics = new Metrics({
  namespace: FEATURE_METRICS.namespace,
  serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "features",
});
const ddb = new DynamoDBClient({});
const cache = new FeatureCache();
const log = {
  warn: (message: string, extra?: Record<string, unknown>) =>
    extra ? logger.warn(message, extra) : logger.warn(message),
  error: (message: string, extra?: Record<string, unknown>) =>
    extra ? logger.error(message, extra) : logger.error(message),
};

export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
  const { batchItemFailures, tooLateEvents } = await processBatch(event.Records, {
    ddb,
    table,
    cache,
    log,
    allowedLatenessMs,
  });
  // Published every batch, zeros included, so the alarm sees data rather than a gap.
  metrics.addMetric(FEATURE_METRICS.tooLateEvents, MetricUnit.Count, tooLateEvents);
  metrics.publishStoredMetrics();
  logger.info("batch processed", { records: event.Records.length, failures: batchItemFailures.length, tooLateEvents });
  return { batchItemFailures };
};
