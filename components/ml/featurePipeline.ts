import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  FEATURES_CALLS,
  STREAM_READ_ACTIONS,
  FEATURE_METRICS,
  FEATURE_STREAM_READING,
  FEATURE_TABLE_KEY,
  FEATURES_ENV,
  FEATURES_LIMITS,
} from "../../functions/aws/features/contract";
import { MlSettings } from "../config/ml";
import { createAlarms } from "../shared/alarms";
import { kept } from "../shared/protection";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, rotatingKey } from "../shared/kms";
import { NodeFunction, NodeFunctionOutputs } from "../shared/nodeFunction";

export interface FeaturePipelineArgs {
  /** Stream mode and size, parallelization. */
  readonly settings: MlSettings;
  /** Log retention (days) of the function's log group. */
  readonly logRetentionDays: number;
  /** Name prefix and providers; production protects the feature table and turns on its deletion protection. */
  readonly context: PlatformContext;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
}

/** What the inference path and operators use of the pipeline. */
export interface FeaturePipelineOutputs {
  /** The pipeline's customer-managed key (stream, table, failure queue); readers need kms:Decrypt. */
  readonly keyArn: pulumi.Output<string>;
  readonly streamName: pulumi.Output<string>;
  readonly streamArn: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  readonly failureQueueUrl: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly bundle: NodeFunctionOutputs["bundle"];
}

/** Event source mapping settings for the feature stream, decided here and tested as data. */
export function featureEsmSettings(settings: MlSettings) {
  return {
    startingPosition: "TRIM_HORIZON",
    batchSize: FEATURE_STREAM_READING.batchSize,
    maximumBatchingWindowInSeconds: FEATURE_STREAM_READING.maximumBatchingWindowInSeconds,
    parallelizationFactor: settings.parallelizationFactor,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 3,
    maximumRecordAgeInSeconds: 3600,
    functionResponseTypes: [...FEATURE_STREAM_READING.functionResponseTypes],
  };
}

/**
 * Events in, features out: a KMS-encrypted Kinesis stream, the feature Lambda on it (partial batch
 * failures, bisect, bounded retries and record age, an encrypted SQS failure destination), and
 * the DynamoDB feature table (on demand, point-in-time recovery, the same customer-managed key).
 * Alarms on iterator age, failure-queue depth, the function's errors and throttles, and events
 * too late to fold.
 */
export class FeaturePipeline extends pulumi.ComponentResource {
  readonly outputs: FeaturePipelineOutputs;

  constructor(name: string, args: FeaturePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:ml:FeaturePipeline", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { settings } = args;
    const { namePrefix, isProduction } = args.context;

    const key = rotatingKey(
      `${name}-key`,
      `${namePrefix} feature pipeline (stream, table, failure queue)`,
      awsContext(child),
      kept(this, args.context, "aws:kms/key:Key"),
      () => ({
        administratorArns: args.context.keyAdministratorArns,
        // The stream, the table and the failure queue; the function's role reaches the key only through them.
        viaServices: ["kinesis", "dynamodb", "sqs"],
      }),
    );

    const stream = new aws.kinesis.Stream(
      `${name}-events`,
      {
        name: `${namePrefix}-events`,
        encryptionType: "KMS",
        kmsKeyId: key.arn,
        retentionPeriod: settings.stream.retentionHours,
        streamModeDetails: { streamMode: settings.stream.mode === "onDemand" ? "ON_DEMAND" : "PROVISIONED" },
        shardCount: settings.stream.mode === "provisioned" ? settings.stream.shardCount : undefined,
      },
      kept(this, args.context, "aws:kinesis/stream:Stream"),
    );

    const table = new aws.dynamodb.Table(
      `${name}-features`,
      {
        name: `${namePrefix}-user-features`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: FEATURE_TABLE_KEY,
        attributes: [{ name: FEATURE_TABLE_KEY, type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        deletionProtectionEnabled: isProduction,
      },
      kept(this, args.context, "aws:dynamodb/table:Table"),
    );

    const failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      { name: `${namePrefix}-feature-failures`, kmsMasterKeyId: key.arn, messageRetentionSeconds: 14 * 24 * 3600 },
      kept(this, args.context, "aws:sqs/queue:Queue"),
    );

    const handler = new NodeFunction(
      `${name}-handler`,
      {
        entry: "functions/aws/features/handler.ts",
        functionName: `${namePrefix}-features`,
        description: "Folds stream events into per-user features",
        timeoutSeconds: FEATURES_LIMITS.timeoutSeconds,
        memoryMb: FEATURES_LIMITS.memoryMb,
        logRetentionDays: args.logRetentionDays,
        isProduction: args.context.isProduction,
        reservedConcurrency: settings.reservedConcurrency?.features,
        keyAdministratorArns: args.context.keyAdministratorArns,
        environment: {
          [FEATURES_ENV.table]: table.name,
          [FEATURES_ENV.allowedLatenessMs]: String(settings.allowedLatenessMinutes * 60_000),
        },
        calls: { declarations: FEATURES_CALLS, targets: { events: stream, features: table, failures: failureQueue } },
        grants: [
          { actions: [...STREAM_READ_ACTIONS], resources: [stream.arn] },
          { actions: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem"], resources: [table.arn] },
          { actions: ["sqs:SendMessage"], resources: [failureQueue.arn] },
          { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [key.arn] },
        ],
      },
      child,
    );

    new aws.lambda.EventSourceMapping(
      `${name}-mapping`,
      {
        eventSourceArn: stream.arn,
        functionName: handler.outputs.functionArn,
        ...featureEsmSettings(settings),
        destinationConfig: { onFailure: { destinationArn: failureQueue.arn } },
      },
      child,
    );

    const fn = { FunctionName: handler.outputs.functionName };
    createAlarms(
      name,
      {
        "iterator-age": {
          description: "Feature Lambda falls behind the stream (oldest record older than 5 minutes)",
          namespace: "AWS/Lambda",
          metricName: "IteratorAge",
          dimensions: fn,
          statistic: "Maximum",
          threshold: 300_000,
          periodSeconds: 60,
          evaluationPeriods: 5,
        },
        "failure-queue": {
          description: "Records landed on the feature failure queue",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: failureQueue.name },
          statistic: "Maximum",
        },
        errors: {
          description: "Feature Lambda invocations failed",
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: fn,
          statistic: "Sum",
        },
        throttles: {
          description: "Feature Lambda invocations were throttled",
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: fn,
          statistic: "Sum",
        },
        "too-late-events": {
          description: `Events arrived more than ${settings.allowedLatenessMinutes} minutes behind their user's latest event and were not folded`,
          namespace: FEATURE_METRICS.namespace,
          metricName: FEATURE_METRICS.tooLateEvents,
          dimensions: { [FEATURE_METRICS.dimension]: handler.outputs.functionName },
          statistic: "Sum",
        },
      },
      args.alarmTopicArn,
      child,
    );

    this.outputs = {
      keyArn: key.arn,
      streamName: stream.name,
      streamArn: stream.arn,
      tableName: table.name,
      tableArn: table.arn,
      failureQueueUrl: failureQueue.url,
      functionName: handler.outputs.functionName,
      bundle: handler.outputs.bundle,
    };
    this.registerOutputs(this.outputs);
  }
}
