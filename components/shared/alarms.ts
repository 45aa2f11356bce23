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
