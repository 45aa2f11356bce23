import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What one alarm watches; the rest (actions, missing data) is decided here for every alarm. */
export interface AlarmSpec {
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: "Sum" | "Maximum" | "Minimum" | "Average";
  /** Alarm when the statistic is above this (default 0: any occurrence) — or below it, with `below`. */
  readonly threshold?: number;
  /** Alarm when the statistic falls below the threshold (a state metric: 1 up, 0 down). */
  readonly below?: boolean;
  /** Seconds per datapoint (default 300). */
  readonly periodSeconds?: number;
  /** Consecutive breaching datapoints (default 1). */
  readonly evaluationPeriods?: number;
  /** Whether no data breaches (default not: nothing happened). A heartbeat metric's silence is itself the failure. */
  readonly missingData?: "notBreaching" | "breaching";
}

/**
 * The MetricAlarm arguments for a spec: notify the topic on alarm and on recovery; no data means
 * nothing happened (no errors, no records), not an outage.
 */
export function alarmArgs(spec: AlarmSpec, topicArn: pulumi.Input<string>): aws.cloudwatch.MetricAlarmArgs {
  return {
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    statistic: spec.statistic,
    period: spec.periodSeconds ?? 300,
    evaluationPeriods: spec.evaluationPeriods ?? 1,
    threshold: spec.threshold ?? 0,
    comparisonOperator: spec.below ? "LessThanThreshold" : "GreaterThanThreshold",
    treatMissingData: spec.missingData ?? "notBreaching",
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
}

/** One alarm per spec, named `${name}-<key>`, each notifying `topicArn`. */
export function createAlarms(
  name: string,
  specs: Record<string, AlarmSpec>,
  topicArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm[] {
  return Object.entries(specs).map(
    ([suffix, spec]) => new aws.cloudwatch.MetricAlarm(`${name}-${suffix}`, alarmArgs(spec, topicArn), opts),
  );
}

/** An alarm on the share of events that failed: failed / (failed + succeeded) per period. */
export interface FailureRateAlarmSpec {
  readonly description: string;
  readonly namespace: string;
  /** The metric counting failures and the one counting successes (both Sum per period). */
  readonly failedMetric: string;
  readonly succeededMetric: string;
  /** Alarm when the share is at least this (0 < threshold ≤ 1). */
  readonly threshold: number;
  /** Consecutive breaching periods of 5 minutes. */
  readonly evaluationPeriods: number;
}

/**
 * The MetricAlarm arguments for a failure rate: metric math over the two counts. A period with
 * neither is 0, not a division by zero; no data at all is not breaching (nothing was attempted —
 * a stuck consumer is the lag alarms' business).
 */
export function failureRateAlarmArgs(
  spec: FailureRateAlarmSpec,
  topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarmArgs {
  if (!(spec.threshold > 0 && spec.threshold <= 1))
    throw new Error(`failure-rate threshold ${spec.threshold} is not a share in (0, 1]`);
  const count = (id: string, metricName: string): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
    id,
    metric: { namespace: spec.namespace, metricName, period: 300, stat: "Sum" },
    returnData: false,
  });
  return {
    alarmDescription: spec.description,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: "notBreaching",
    metricQueries: [
      count("failed", spec.failedMetric),
      count("succeeded", spec.succeededMetric),
      {
        id: "rate",
        expression: "IF(failed + succeeded > 0, failed / (failed + succeeded), 0)",
        label: "share failed",
        returnData: true,
      },
    ],
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
}
