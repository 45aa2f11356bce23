import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { BudgetSettings } from "../config/budget";
import { PlatformContext, platformOptions } from "../shared/context";

export interface BudgetsArgs {
  /** Monthly limits per cloud, currency and the FinOps e-mail list (multicloud:budget). */
  readonly settings: BudgetSettings;
  /** The tenancy: OCI creates budgets in the root compartment (the target is this stack's compartment). */
  readonly ociTenancyId: pulumi.Input<string>;
  /** The stack's alarm topic (AWS Budgets may publish to it: its key and topic policies admit Budgets). */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly context: PlatformContext;
}

export interface BudgetsOutputs {
  readonly awsBudgetName: pulumi.Output<string>;
  readonly ociBudgetId: pulumi.Output<string>;
}

/** The alert points of every budget: actual spend at 70 % and 90 %, forecast at 100 % (policy budgets-with-alert-rules). */
export const BUDGET_ALERT_POINTS = [
  { kind: "ACTUAL", percent: 70 },
  { kind: "ACTUAL", percent: 90 },
  { kind: "FORECASTED", percent: 100 },
] as const;

/**
 * The AWS budget's cost filter: the stack's cost centre AND its environment (dev and prod share a
 * cost centre, so the cost centre alone would count both). Tags must be active cost-allocation tags.
 */
export function awsBudgetFilter(costCenter: string, environment: string): aws.types.input.budgets.BudgetFilterExpression {
  return { ands: [{ tags: { key: "cost_center", values: [costCenter], matchOptions: ["EQUALS"] } }, { tags: { key: "environment", values: [environment], matchOptions: ["EQUALS"] } }] };
}

/**
 * This environment's monthly budgets on both clouds, each alerting at 70 % and 90 % of actual and
 * 100 % of forecast spend: on AWS filtered by the stack's cost centre and environment, notifying
 * the FinOps list and the alarm topic; on OCI for this stack's compartment (one budget per target,
 * created in the root compartment as OCI requires), its alert rules e-mailing the FinOps list.
 */
export class Budgets extends pulumi.ComponentResource {
  readonly outputs: BudgetsOutputs;

  constructor(name: string, args: BudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:Budgets", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { context, settings } = args;
    const tags = context.tags;
    const awsBudget = new aws.budgets.Budget(
      `${name}-aws`,
      {
        name: `${context.namePrefix}-monthly`,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: settings.awsMonthlyLimit.toFixed(2),
        limitUnit: settings.currency,
        filterExpression: awsBudgetFilter(tags.cost_center, tags.environment),
        notifications: BUDGET_ALERT_POINTS.map((point) => ({
          notificationType: point.kind,
          comparisonOperator: "GREATER_THAN",
          threshold: point.percent,
          thresholdType: "PERCENTAGE",
          subscriberEmailAddresses: [...settings.alertEmails],
          subscriberSnsTopicArns: [args.alarmTopicArn],
        })),
      },
      child,
    );
    const ociBudget = new oci.budget.Budget(
      `${name}-oci`,
      {
        compartmentId: args.ociTenancyId,
        displayName: `${context.namePrefix}-monthly`,
        description: `${context.namePrefix}: monthly spend of the stack's compartment`,
        amount: settings.ociMonthlyLimit,
        resetPeriod: "MONTHLY",
        targetType: "COMPARTMENT",
        targets: [context.compartmentId],
        freeformTags: { ...context.ociFreeformTags },
      },
      child,
    );
    for (const point of BUDGET_ALERT_POINTS) {
      const type = point.kind === "ACTUAL" ? "ACTUAL" : "FORECAST";
      new oci.budget.Rule(
        `${name}-oci-${type.toLowerCase()}-${point.percent}`,
        {
          budgetId: ociBudget.id,
          displayName: `${context.namePrefix}-${type.toLowerCase()}-${point.percent}`,
          type,
          threshold: point.percent,
          thresholdType: "PERCENTAGE",
          recipients: settings.alertEmails.join(","),
          message: `${context.namePrefix}: ${type === "ACTUAL" ? "spend has reached" : "spend is forecast to reach"} ${point.percent} % of the monthly OCI budget (${settings.ociMonthlyLimit} a month)`,
          freeformTags: { ...context.ociFreeformTags },
        },
        child,
      );
    }
    this.outputs = { awsBudgetName: awsBudget.name, ociBudgetId: ociBudget.id };
    this.registerOutputs({ awsBudgetName: awsBudget.name, ociBudgetId: ociBudget.id });
  }
}
