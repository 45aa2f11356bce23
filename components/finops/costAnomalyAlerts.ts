import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AnomalyAlertSettings } from "../config/budget";
import { PlatformContext, platformOptions } from "../shared/context";

export interface CostAnomalyAlertsArgs {
  /** The org stack's anomaly monitors (services, cost centres). */
  readonly monitorArns: pulumi.Input<string[]>;
  /** How big an anomaly must be to page (multicloud:budget.anomalyAlerts). */
  readonly settings: AnomalyAlertSettings;
  /** The stack's alarm topic (its key and topic policies admit Cost Anomaly Detection). */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly context: PlatformContext;
}

/** The threshold: an anomaly's total impact at least `minImpact` (currency) AND at least `minImpactPercent` of expected spend. */
export function anomalyThreshold(
  settings: AnomalyAlertSettings,
): aws.types.input.costexplorer.AnomalySubscriptionThresholdExpression {
  return {
    ands: [
      {
        dimension: {
          key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
          matchOptions: ["GREATER_THAN_OR_EQUAL"],
          values: [String(settings.minImpact)],
        },
      },
      {
        dimension: {
          key: "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
          matchOptions: ["GREATER_THAN_OR_EQUAL"],
          values: [String(settings.minImpactPercent)],
        },
      },
    ],
  };
}

/** This environment's subscription to the account's anomaly monitors: immediately, to its alarm topic. */
export class CostAnomalyAlerts extends pulumi.ComponentResource {
  readonly subscriptionArn: pulumi.Output<string>;

  constructor(name: string, args: CostAnomalyAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostAnomalyAlerts", name, {}, platformOptions(args.context, opts));
    const subscription = new aws.costexplorer.AnomalySubscription(
      `${name}-subscription`,
      {
        name: `${args.context.namePrefix}-cost-anomalies`,
        // SNS subscribers take IMMEDIATE only (e-mail takes DAILY or WEEKLY).
        frequency: "IMMEDIATE",
        monitorArnLists: args.monitorArns,
        subscribers: [{ type: "SNS", address: args.alarmTopicArn }],
        thresholdExpression: anomalyThreshold(args.settings),
      },
      { parent: this },
    );
    this.subscriptionArn = subscription.arn;
    this.registerOutputs({ subscriptionArn: subscription.arn });
  }
}
