/** Lambda entry of the batch copy to OCI Object Storage. The logic is in copy.ts; the OCI key comes from Secrets Manager. */
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Logger } from "@aws-lambda-powertools/logger";
import { parseSecretJson } from "../common/secretJson";
import { BATCH_ENV } from "./contract";
import { copyObject, type CopyResult, ociS3Client } from "./copy";
import { afterExport, requiredEnv } from "./steps";

const logger = new Logger({ serviceName: "orders-batch-copy" });
const s3 = new S3Client({});
const secrets = new SecretsManagerClient({});

/** The customer secret key as the BatchSync component stores it. */
export function parseOciKey(text: string | undefined): { accessKeyId: string; secretAccessKey: string } {
  const value = parseSecretJson(text, "the OCI key secret", "{accessKeyId, secretAccessKey}");
  for (const field of ["accessKeyId", "secretAccessKey"]) {
    if (typeof value[field] !== "string" || value[field] === "") throw new Error(`the OCI key secret has no ${field}`);
  }
  return { accessKeyId: value.accessKeyId as string, secretAccessKey: value.secretAccessKey as string };
}

export const handler = async (state: unknown): Promise<CopyResult> => {
  const { key } = afterExport(state);
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: requiredEnv(process.env, BATCH_ENV.ociKeySecretArn) }),
  );
  const target = ociS3Client({
    namespace: requiredEnv(process.env, BATCH_ENV.ociNamespace),
    region: requiredEnv(process.env, BATCH_ENV.ociRegion),
    credentials: parseOciKey(secret.SecretString),
  });
  const result = await copyObject(
    s3,
    requiredEnv(process.env, BATCH_ENV.exportBucket),
    target,
    requiredEnv(process.env, BATCH_ENV.ociBucket),
    key,
  );
  logger.info("copied", { ...result });
  return result;
};
