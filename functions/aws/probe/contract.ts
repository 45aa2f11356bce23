/**
 * What the cross-cloud link probe and the infrastructure that deploys it (its schedule, its alarm)
 * agree on: its configuration and the metrics it publishes.
 */

export const PROBE_ENV = {
  /** The database listener's host name (resolved in the VPC's private zone) and port. */
  host: "PROBE_HOST",
  port: "PROBE_PORT",
  /** How long a connect may take before it counts as failed (ms). */
  timeoutMs: "PROBE_TIMEOUT_MS",
  /** The stack's name prefix, the metrics' Stack dimension. */
  stack: "PROBE_STACK",
} as const;

/** The metrics, in CloudWatch embedded metric format (no PutMetricData call, no endpoint, no permission). */
export const PROBE_METRICS = {
  namespace: "multicloud/CrossCloud",
  /** 1 when the connect failed, 0 when it succeeded: the alarm fires on consecutive 1s (and on missing data: the probe stopped). */
  failed: "ProbeFailed",
  /** The TCP connect time of a successful probe. */
  connectMs: "ConnectMs",
  /** The probe's target, a dimension beside Stack. */
  target: "oci-database-listener",
} as const;

/** What the probe calls at runtime on AWS: nothing (it opens TCP connections and logs its figures as EMF). */
export const PROBE_CALLS = [] as const;
