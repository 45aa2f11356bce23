/** Lambda entry behind the HTTP API: DynamoDB feature read + SageMaker endpoint call. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { awsDeps } from "./awsDeps";
import { INFERENCE_ENV, INFERENCE_TIMEOUTS } from "./contract";
import { handleRequest } from "./inference";

const table = process.env[INFERENCE_ENV.table];
const endpoint = process.env[INFERENCE_ENV.endpoint];
if (!table || !endpoint)
  throw new Error(`${INFERENCE_ENV.table} and ${INFERENCE_ENV.endpoint} must be set (by the InferenceApi component)`);
/** Below the Lambda timeout, which is below API Gateway's 30 s. */
const MODEL_TIMEOUT_MS = Number(process.env[INFERENCE_ENV.modelTimeoutMs] ?? INFERENCE_TIMEOUTS.modelMs);

const logger = new Logger({ serviceName: "inference" });
const ddb = new DynamoDBClient({});
const sagemaker = new SageMakerRuntimeClient({});

const deps = awsDeps(ddb, sagemaker, table, endpoint, MODEL_TIMEOUT_MS);

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  const result = await handleRequest(body, deps);
  if (result.statusCode >= 500) logger.error("inference failed", { statusCode: result.statusCode, ...result.body });
  return {
    statusCode: result.statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(result.body),
  };
};
