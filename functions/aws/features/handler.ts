/** Lambda entry for the feature stream: wires the batch processor to DynamoDB and Powertools Logger. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { FeatureCache, processBatch } from "./batch";
import { FEATURES_ENV } from "./contract";

const table = process.env[FEATURES_ENV.table];
if (!table) throw new Error(`${FEATURES_ENV.table} is not set: the feature store's table name (set by the FeaturePipeline component)`);

const logger = new Logger({ serviceName: "features" });
const ddb = new DynamoDBClient({});
const cache = new FeatureCache();
const log = {
  warn: (message: string, extra?: Record<string, unknown>) => (extra ? logger.warn(message, extra) : logger.warn(message)),
  error: (message: string, extra?: Record<string, unknown>) => (extra ? logger.error(message, extra) : logger.error(message)),
};

export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
  const response = await processBatch(event.Records, { ddb, table, cache, log });
  logger.info("batch processed", { records: event.Records.length, failures: response.batchItemFailures.length });
  return response;
};
