import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MlPlan } from "../config/ml";
import { createAlarms } from "../shared/alarms";
import { awsContext, rotatingKey } from "../shared/kms";
import { NodeFunction } from "../shared/nodeFunction";

export interface FeaturePipelineArgs {
  /** Stream mode and size, parallelization. */
  readonly plan: MlPlan;
  readonly region: string;
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  /** Protect the feature table and turn on its deletion protection. */
  readonly isProduction: boolean;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

/** Event source mapping settings for the feature stream, decided here and tested as data. */
export function featureEsmSettings(plan: MlPlan) {
  return {
    startingPosition: "TRIM_HORIZON",
    batchSize: 100,
    maximumBatchingWindowInSeconds: 1,
    parallelizationFactor: plan.parallelizationFactor,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 3,
    maximumRecordAgeInSeconds: 3600,
    functionResponseTypes: ["ReportBatchItemFailures"],
  };
}

/**
 * Events in, features out: a KMS-encrypted Kinesis stream, the feature Lambda on it (partial batch
 * failures, bisect, bounded retries and record age, an encrypted SQS failure destination), and
 * the DynamoDB feature table (on demand, point-in-time recovery, the same customer-managed key).
 * Alarms on iterator age, failure-queue depth, and the function's errors and throttles.
 */
export class FeaturePipeline extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly stream: aws.kinesis.Stream;
  readonly table: aws.dynamodb.Table;
  readonly failureQueue: aws.sqs.Queue;
  readonly handler: NodeFunction;

  constructor(name: string, args: FeaturePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ml:FeaturePipeline", name, {}, opts);
    const child = { parent: this };
    const { plan, namePrefix } = args;

    this.key = rotatingKey(`${name}-key`, `${namePrefix} feature pipeline (stream, table, failure queue)`, awsContext(child), child);

    this.stream = new aws.kinesis.Stream(
      `${name}-events`,
      {
        name: `${namePrefix}-events`,
        encryptionType: "KMS",
        kmsKeyId: this.key.arn,
        retentionPeriod: plan.stream.retentionHours,
        streamModeDetails: { streamMode: plan.stream.mode === "onDemand" ? "ON_DEMAND" : "PROVISIONED" },
        shardCount: plan.stream.mode === "provisioned" ? plan.stream.shardCount : undefined,
      },
      child,
    );

    this.table = new aws.dynamodb.Table(
      `${name}-features`,
      {
        name: `${namePrefix}-user-features`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "userId",
        attributes: [{ name: "userId", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
        deletionProtectionEnabled: args.isProduction,
      },
      { parent: this, protect: args.isProduction },
    );

    this.failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      { name: `${namePrefix}-feature-failures`, kmsMasterKeyId: this.key.arn, messageRetentionSeconds: 14 * 24 * 3600 },
      child,
    );

    this.handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/features/handler.ts",
        functionName: `${namePrefix}-features`,
        description: "Folds stream events into per-user features",
        timeoutSeconds: 60,
        memoryMb: 512,
        logRetentionDays: args.logRetentionDays,
        environment: { FEATURE_TABLE: this.table.name },
        grants: [
          {
            actions: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
            resources: [this.stream.arn],
          },
          { actions: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem"], resources: [this.table.arn] },
          { actions: ["sqs:SendMessage"], resources: [this.failureQueue.arn] },
          { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.key.arn] },
        ],
      },
      child,
    );

    new aws.lambda.EventSourceMapping(
      `${name}-mapping`,
      {
        eventSourceArn: this.stream.arn,
        functionName: this.handler.function.arn,
        ...featureEsmSettings(plan),
        destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      },
      child,
    );

    const fn = { FunctionName: this.handler.function.name };
    createAlarms(
      name,
      {
        "iterator-age": {
          description: "Feature Lambda falls behind the stream (oldest record older than 5 minutes)",
          namespace: "AWS/Lambda", metricName: "IteratorAge", dimensions: fn, statistic: "Maximum",
          threshold: 300_000, periodSeconds: 60, evaluationPeriods: 5,
        },
        "failure-queue": {
          description: "Records landed on the feature failure queue",
          namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: this.failureQueue.name }, statistic: "Maximum",
        },
        errors: { description: "Feature Lambda invocations failed", namespace: "AWS/Lambda", metricName: "Errors", dimensions: fn, statistic: "Sum" },
        throttles: { description: "Feature Lambda invocations were throttled", namespace: "AWS/Lambda", metricName: "Throttles", dimensions: fn, statistic: "Sum" },
      },
      args.alarmTopicArn,
      child,
    );

    this.registerOutputs({ streamName: this.stream.name, tableName: this.table.name, failureQueueUrl: this.failureQueue.url });
  }
}
