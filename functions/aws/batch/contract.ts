/**
 * What the batch path's functions and the infrastructure that deploys them (components/sync)
 * agree on: environment variables, object names, the staging file's columns and the load id.
 * Both sides import this module and nothing else of the other.
 */

/** Environment variables of the three functions (none is a secret). */
export const BATCH_ENV = {
  /** The encrypted S3 bucket the export writes and the copy reads. */
  exportBucket: "BATCH_EXPORT_BUCKET",
  /** MSK bootstrap brokers (IAM, 9098), comma-separated: the export reads the day from the orders topic. */
  brokers: "BATCH_KAFKA_BROKERS",
  /** The Secrets Manager secret holding the OCI customer secret key ({accessKeyId, secretAccessKey}). */
  ociKeySecretArn: "BATCH_OCI_KEY_SECRET_ARN",
  /** Object Storage namespace, region and bucket the copy writes and the database reads. */
  ociNamespace: "BATCH_OCI_NAMESPACE",
  ociRegion: "BATCH_OCI_REGION",
  ociBucket: "BATCH_OCI_BUCKET",
  /** The loader's database secret ({username, password, dsn, schema}). */
  loaderSecretArn: "BATCH_LOADER_SECRET_ARN",
  /** Where the load function loads: staging (the OLTP instance, then the merge) or lakehouse. */
  loadInto: "BATCH_LOAD_INTO",
  /** Rows of a day's file the database may refuse before the load fails (multicloud:sync.batch.rejectLimit). */
  rejectLimit: "BATCH_REJECT_LIMIT",
} as const;

/** The reject limit when the config sets none: a refused row fails the day's load. */
export const DEFAULT_REJECT_LIMIT = 0;
/** How many refused rows a load reports (the rest are counted). */
export const REJECTED_ROWS_REPORTED = 100;

/** The day's file, the same name in both buckets: one object per day, rewritten whole by a re-run. */
export function dayObjectKey(date: string): string {
  return `orders/date=${date}/orders.csv`;
}

/** The staging load of a day: the merge keys its rows by this, so a re-run replaces them. */
export function batchLoadId(date: string): string {
  return `batch:${date}`;
}

/**
 * The staging file's columns, in orders_staging's column order (V006, then V011's additions):
 * DBMS_CLOUD.COPY_DATA maps fields to columns by position.
 */
export const STAGING_FILE_COLUMNS = [
  "load_id",
  "order_id",
  "customer_id",
  "amount",
  "currency",
  "status",
  "order_date",
  "updated_at",
  "kind",
  "idempotency_key",
  "request_hash",
] as const;

/** The export's group on the orders topic (it commits nothing: each run reads the day's offsets). */
export const EXPORT_GROUP_PREFIX = "orders-batch-export";

const SAMPLE_DAY = "2026-01-01";

/** What Step Functions calls with the workflow's role to deliver its logs and traces (AWS's documented role policy). */
export const WORKFLOW_SERVICE_ACTIONS = {
  logs: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  tracing: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
} as const;

/**
 * What each part of the batch path calls at runtime, by the target's name here (components/sync
 * binds each name to the resource; the offline plan and the pack evaluate every call, and the
 * function tests fail on a call the code makes that is not listed).
 */
export const BATCH_CALLS = {
  export: [
    { target: "kafkaCluster", actions: ["kafka-cluster:Connect"] },
    { target: "ordersTopic", actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"] },
    /** A group per run (EXPORT_GROUP_PREFIX-<uuid>); it commits nothing. */
    { target: "exportGroup", actions: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"] },
    { target: "exportBucket", actions: ["s3:PutObject"], object: `/${dayObjectKey(SAMPLE_DAY)}` },
  ],
  copy: [
    /** HeadObject and GetObject (both authorized as s3:GetObject). */
    { target: "exportBucket", actions: ["s3:GetObject"], object: `/${dayObjectKey(SAMPLE_DAY)}` },
    { target: "ociKeySecret", actions: ["secretsmanager:GetSecretValue"] },
  ],
  load: [{ target: "loaderSecret", actions: ["secretsmanager:GetSecretValue"] }],
  /** The copy on OCI (its customer secret key's user): the day's object written, then read back and hashed (GetObject). */
  copyOci: [{ target: "ociBucket", actions: ["objectstorage:PutObject", "objectstorage:GetObject"] }],
  /** The load on OCI: DBMS_CLOUD reads the day's object with the database's resource principal. */
  loadOci: [{ target: "ociBucket", actions: ["objectstorage:GetObject"] }],
  /** The Step Functions workflow (its role): the steps, the failure notice, and what the service does for logging and tracing. */
  workflow: [
    { target: "steps", actions: ["lambda:InvokeFunction"] },
    { target: "alarmTopic", actions: ["sns:Publish"] },
    { target: "*", actions: [...WORKFLOW_SERVICE_ACTIONS.logs, ...WORKFLOW_SERVICE_ACTIONS.tracing] },
  ],
  schedule: [{ target: "workflow", actions: ["states:StartExecution"] }],
} as const;
