/** What the daily cost job and the infrastructure that deploys it agree on: its settings (environment) and where it writes. */

export const COSTS_ENV = {
  bucket: "COSTS_BUCKET",
  ociKeySecretArn: "COSTS_OCI_KEY_SECRET_ARN",
  /** https://usageapi.<region>.oci.oraclecloud.com */
  ociUsageEndpoint: "COSTS_OCI_USAGE_ENDPOINT",
  ociTagNamespace: "COSTS_OCI_TAG_NAMESPACE",
  reportTopicArn: "COSTS_REPORT_TOPIC_ARN",
  stack: "COSTS_STACK",
  /** JSON: {"aws": {"limit", "currency"}, "oci": {"limit", "currency"}}. */
  budgets: "COSTS_BUDGETS",
  historyDays: "COSTS_HISTORY_DAYS",
  anomalyDays: "COSTS_ANOMALY_DAYS",
  /** JSON list of InventoryItem: the stack's costly resources, watched for idle spend. */
  inventory: "COSTS_INVENTORY",
  /** off | dryRun | act */
  remediation: "COSTS_REMEDIATION",
  /** "true" in production stacks: remediation never acts there. */
  production: "COSTS_PRODUCTION",
  ociCompartmentId: "COSTS_OCI_COMPARTMENT_ID",
  /** https://telemetry.<region>.oraclecloud.com and https://database.<region>.oraclecloud.com */
  ociTelemetryEndpoint: "COSTS_OCI_TELEMETRY_ENDPOINT",
  ociDatabaseEndpoint: "COSTS_OCI_DATABASE_ENDPOINT",
} as const;

export const ociTelemetryEndpoint = (region: string) => `https://telemetry.${region}.oraclecloud.com`;
export const ociDatabaseEndpoint = (region: string) => `https://database.${region}.oraclecloud.com`;

/** Days re-collected each run: Cost Explorer and the Usage API revise the last days' figures. */
export const RECOLLECT_DAYS = 3;

/** The longest range one collection call asks for (history is backfilled in runs of this many days). */
export const MAX_COLLECT_DAYS = 31;

/** Where the report of a day goes, next to the data. */
export const reportKeys = (day: string) => ({
  markdown: `reports/date=${day}/report.md`,
  svg: `reports/date=${day}/chart.svg`,
  plan: `reports/date=${day}/remediation.json`,
});

/** The Usage API's endpoint for an OCI region. */
export const ociUsageEndpoint = (region: string) => `https://usageapi.${region}.oci.oraclecloud.com`;

/** What the job watches for idle spend (the stack builds it from the resources it created). */
export type InventoryItem =
  | {
      readonly kind: "sagemakerEndpoint";
      readonly id: string;
      readonly instanceType: string;
      readonly instanceCount: number;
    }
  | { readonly kind: "eksNodes"; readonly id: string; readonly instanceType: string; readonly nodes: number }
  | { readonly kind: "autonomousDatabase"; readonly id: string; readonly label: string; readonly ecpus: number };

export const REMEDIATION_MODES = ["off", "dryRun", "act"] as const;

/** What the job calls at runtime (AWS); `remediate` only where remediation acts. */
export const COSTS_CALLS = {
  report: [
    { target: "*", actions: ["ce:GetCostAndUsage", "ce:GetCostAndUsageWithResources"] },
    { target: "*", actions: ["cloudwatch:GetMetricData", "autoscaling:DescribeAutoScalingGroups"] },
    { target: "bucket", actions: ["s3:GetObject", "s3:PutObject"], object: "/costs/date=2026-01-01/costs.jsonl" },
    { target: "bucket", actions: ["s3:GetObject", "s3:PutObject"], object: `/${reportKeys("2026-01-01").plan}` },
    { target: "bucket", actions: ["s3:ListBucket"] },
    { target: "reportTopic", actions: ["sns:Publish"] },
    { target: "ociKeySecret", actions: ["secretsmanager:GetSecretValue"] },
  ],
  remediate: [{ target: "nodeGroup", actions: ["autoscaling:UpdateAutoScalingGroup"] }],
} as const;

/** What the job calls on OCI, signed with its API key (ociSign.ts); `remediate` only where remediation acts. */
export const COSTS_OCI_CALLS = {
  report: [
    { target: "*", actions: ["usage:RequestSummarizedUsages"] },
    { target: "compartment", actions: ["monitoring:SummarizeMetricsData"] },
  ],
  remediate: [{ target: "databases", actions: ["database:StopAutonomousDatabase"] }],
} as const;
