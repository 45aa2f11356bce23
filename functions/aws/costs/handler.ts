/**
 * The daily cost job's Lambda entry (EventBridge Scheduler, input {"scheduledTime": <aws.scheduler.scheduled-time>}).
 * Reads the OCI API key from Secrets Manager once per container, signs the Usage API calls with it.
 * A rotated key: the next cold start reads it (the old key lives until the end of the rotating `up`).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { OciSigner } from "./collect";
import { JobResult, jobSettings, reportDay, runCostJob } from "./job";
import { parseSecretJson } from "../common/secretJson";
import { ociRequestSigner } from "./ociSign";

const logger = new Logger({ serviceName: "cost-report" });
const settings = jobSettings(process.env);
// Cost Explorer's API lives in us-east-1 whatever the function's region.
const costExplorer = new CostExplorerClient({ region: "us-east-1" });
const s3 = new S3Client({});
const cloudWatch = new CloudWatchClient({});
const autoScaling = new AutoScalingClient({});
const sns = new SNSClient({});
const secrets = new SecretsManagerClient({});
let oci: { signer: OciSigner; tenancyId: string } | undefined;

async function ociSigner(): Promise<{ signer: OciSigner; tenancyId: string }> {
  if (oci) return oci;
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: settings.ociKeySecretArn }));
  const key = parseSecretJson(
    secret.SecretString,
    `secret ${settings.ociKeySecretArn}`,
    "{tenancyOcid, userOcid, fingerprint, privateKeyPem}",
  ) as { tenancyOcid?: string; userOcid?: string; fingerprint?: string; privateKeyPem?: string };
  if (!key.tenancyOcid || !key.userOcid || !key.fingerprint || !key.privateKeyPem)
    throw new Error(`secret ${settings.ociKeySecretArn} lacks tenancyOcid, userOcid, fingerprint or privateKeyPem`);
  oci = {
    signer: ociRequestSigner({
      tenancyOcid: key.tenancyOcid,
      userOcid: key.userOcid,
      fingerprint: key.fingerprint,
      privateKeyPem: key.privateKeyPem,
    }),
    tenancyId: key.tenancyOcid,
  };
  return oci;
}

export async function handler(event: { scheduledTime?: unknown }): Promise<JobResult> {
  const day = reportDay(event.scheduledTime);
  const run = async () =>
    runCostJob(day, settings, { costExplorer, cloudWatch, autoScaling, s3, sns, oci: await ociSigner() });
  let result: JobResult;
  try {
    result = await run();
  } catch (err) {
    // A key rotated since this container read it: read the secret again, once.
    if (!/answered HTTP 401/.test((err as Error).message)) throw err;
    logger.info("the OCI Usage API refused the cached key; reading the secret again");
    oci = undefined;
    result = await run();
  }
  logger.info("cost report written", { ...result, remediation: result.remediation.length });
  return result;
}
