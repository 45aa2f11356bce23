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
} as const;

/** Days re-collected each run: Cost Explorer and the Usage API revise the last days' figures. */
export const RECOLLECT_DAYS = 3;

/** Where the report of a day goes, next to the data. */
export const reportKeys = (day: string) => ({ markdown: `reports/date=${day}/report.md`, svg: `reports/date=${day}/chart.svg` });

/** The Usage API's endpoint for an OCI region. */
export const ociUsageEndpoint = (region: string) => `https://usageapi.${region}.oci.oraclecloud.com`;
