/** The `multicloud:ml` key: the event stream, the feature Lambda's stream reading, and the SageMaker model and endpoint. */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

const ECR_IMAGE =
  /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/;
const S3_MODEL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+\.tar\.gz$/;
const INSTANCE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
/** A phone back online after a short outage still counts; later events go to the TooLateEvents metric. */
export const DEFAULT_ALLOWED_LATENESS_MINUTES = 15;
/** An on-demand stream starts with this many shards' write capacity (and grows from there). */
export const ON_DEMAND_INITIAL_SHARDS = 4;

export const mlSchema = z.strictObject(
  {
    stream: z.strictObject(
      {
        mode: z.enum(["provisioned", "onDemand"], allowed("provisioned or onDemand")),
        shardCount: integer(1, 64, "shards of a provisioned stream").optional(),
        retentionHours: integer(24, 8760, "hours a record stays in the stream"),
      },
      allowed("a map with mode, retentionHours and (provisioned) shardCount"),
    ),
    parallelizationFactor: integer(1, 10, "concurrent batches per shard"),
    allowedLatenessMinutes: integer(
      0,
      1440,
      "minutes an event may arrive behind the user's latest event and still be folded",
    ).default(DEFAULT_ALLOWED_LATENESS_MINUTES),
    // Optional: an account with a low concurrency quota cannot reserve any.
    reservedConcurrency: z
      .strictObject(
        {
          features: integer(1, 1000, "concurrent executions reserved for the feature function").optional(),
          inference: integer(1, 1000, "concurrent executions reserved for the inference function").optional(),
        },
        allowed("a map with optional features and inference"),
      )
      .optional(),
    sagemaker: z.strictObject(
      {
        image: z
          .string(allowed("an ECR image URI with a tag or digest"))
          .regex(
            ECR_IMAGE,
            allowed(
              "an ECR image URI with a tag or digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1.4.0",
            ),
          ),
        modelDataUrl: z
          .string(allowed("the model artefact's S3 URL"))
          .regex(S3_MODEL, allowed("the model artefact's S3 URL, s3://bucket/path/model.tar.gz")),
        instanceType: z
          .string(allowed("a SageMaker instance type"))
          .regex(INSTANCE, allowed("a SageMaker instance type such as ml.m5.large")),
        instanceCount: integer(1, 20, "initial instances of the endpoint"),
        autoscaling: z
          .strictObject(
            {
              minInstances: integer(1, 20, "fewest instances"),
              maxInstances: integer(1, 50, "most instances"),
              invocationsPerInstance: integer(10, 100000, "target invocations per instance per minute"),
            },
            allowed("a map with minInstances, maxInstances, invocationsPerInstance"),
          )
          .optional(),
      },
      allowed("a map with image, modelDataUrl, instanceType, instanceCount and optional autoscaling"),
    ),
  },
  allowed(
    "a map with stream, parallelizationFactor, optional allowedLatenessMinutes, optional reservedConcurrency and sagemaker",
  ),
);

export type MlSettings = z.infer<typeof mlSchema>;

/** Relations between ml fields. */
export function checkMl(project: string, raw: MlSettings, isProduction: boolean, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["ml", ...path]);
  if (raw.stream.mode === "provisioned" && raw.stream.shardCount === undefined) {
    issues.push({
      key: k("stream", "shardCount"),
      message: "is required for a provisioned stream; the number of shards, e.g. 2",
    });
  }
  if (raw.stream.mode === "onDemand" && raw.stream.shardCount !== undefined) {
    issues.push({ key: k("stream", "shardCount"), message: "does not apply to an onDemand stream; remove it" });
  }
  // Each shard runs up to parallelizationFactor batches at once; fewer reserved executions throttle the stream.
  const featuresReserved = raw.reservedConcurrency?.features;
  const shards = raw.stream.mode === "provisioned" ? raw.stream.shardCount : ON_DEMAND_INITIAL_SHARDS;
  if (featuresReserved !== undefined && shards !== undefined && featuresReserved < shards * raw.parallelizationFactor) {
    issues.push({
      key: k("reservedConcurrency", "features"),
      message: `${featuresReserved} is below ${shards * raw.parallelizationFactor}, the stream's ${shards} shard(s)${raw.stream.mode === "onDemand" ? " (an on-demand stream's initial)" : ""} × parallelizationFactor ${raw.parallelizationFactor}; reserve at least that many or remove the key`,
    });
  }
  const scaling = raw.sagemaker.autoscaling;
  if (scaling && scaling.minInstances > scaling.maxInstances) {
    issues.push({
      key: k("sagemaker", "autoscaling", "minInstances"),
      message: `${scaling.minInstances} is above maxInstances ${scaling.maxInstances}`,
    });
  }
  if (
    scaling &&
    (raw.sagemaker.instanceCount < scaling.minInstances || raw.sagemaker.instanceCount > scaling.maxInstances)
  ) {
    issues.push({
      key: k("sagemaker", "instanceCount"),
      message: `${raw.sagemaker.instanceCount} is outside autoscaling's ${scaling.minInstances}–${scaling.maxInstances}`,
    });
  }
  if (isProduction && !scaling) {
    issues.push({
      key: k("sagemaker", "autoscaling"),
      message: "is required in prod; scale the endpoint on invocations per instance",
    });
  }
}
