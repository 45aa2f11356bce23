/**
 * What the feature Lambda and the FeaturePipeline component must agree on: the environment it
 * reads, the table's key, how the stream is read (batches reported item by item), and its limits.
 */

/** Environment variables the function reads. */
export const FEATURES_ENV = {
  /** The feature table's name. */
  table: "FEATURE_TABLE",
  /** How late (ms behind the user's latest event) an event may arrive and still be folded. */
  allowedLatenessMs: "FEATURE_ALLOWED_LATENESS_MS",
} as const;

/**
 * The function's own metrics (CloudWatch embedded metric format, written to its log): the
 * namespace, the metric counting events too late to fold, and the dimension the alarm selects on
 * (the function's name, so stacks sharing an account do not mix).
 */
export const FEATURE_METRICS = {
  namespace: "multicloud/features",
  tooLateEvents: "TooLateEvents",
  dimension: "service",
} as const;

/** The feature table's partition key (a string): one item per user. */
export const FEATURE_TABLE_KEY = "userId";

/**
 * How the event source mapping hands records to the function: the handler returns
 * `batchItemFailures`, which Lambda only honours with ReportBatchItemFailures; batches of up to 100
 * records fold into one write per user.
 */
export const FEATURE_STREAM_READING = {
  batchSize: 100,
  maximumBatchingWindowInSeconds: 1,
  functionResponseTypes: ["ReportBatchItemFailures"],
} as const;

/** Lambda limits of the feature function. */
export const FEATURES_LIMITS = { timeoutSeconds: 60, memoryMb: 512 } as const;

/**
 * What the feature function calls at runtime, and what Lambda's event source mapping calls with its
 * role for it (reading the stream, sending a failed batch's record to the failure queue).
 */
export const STREAM_READ_ACTIONS = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
] as const;

export const FEATURES_CALLS = [
  { target: "events", actions: STREAM_READ_ACTIONS },
  { target: "features", actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"] },
  { target: "failures", actions: ["sqs:SendMessage"] },
] as const;
