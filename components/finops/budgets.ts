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
export function awsBudgetFilter(
  costCenter: string,
  environment: string,
): aws.types.input.budgets.BudgetFilterExpression {
  return { ands: [tagEquals("cost_center", costCenter), tagEquals("environment", environment)] };
}

/** A budget filter on one cost-allocation tag's value. */
export function tagEquals(key: string, value: string): aws.types.input.budgets.BudgetFilterExpression {
  return { tags: { key, values: [value], matchOptions: ["EQUALS"] } };
}

/** An AWS budget's notifications at BUDGET_ALERT_POINTS, to the e-mail list and, when given, one SNS topic (AWS takes 10 e-mails and 1 topic). */
export function awsBudgetNotifications(
  emails: readonly string[],
  topicArn?: pulumi.Input<string>,
): aws.types.input.budgets.BudgetNotification[] {
  return BUDGET_ALERT_POINTS.map((point) => ({
    notificationType: point.kind,
    comparisonOperator: "GREATER_THAN",
    threshold: point.percent,
    thresholdType: "PERCENTAGE",
    subscriberEmailAddresses: [...emails],
    ...(topicArn ? { subscriberSnsTopicArns: [topicArn] } : {}),
  }));
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
        notifications: awsBudgetNotifications(settings.alertEmails, args.alarmTopicArn),
      },
      child,
    );
    const ociBudget = ociBudgetWithRules(`${name}-oci`, this, {
      tenancyId: args.ociTenancyId,
      displayName: `${context.namePrefix}-monthly`,
      description: `${context.namePrefix}: monthly spend of the stack's compartment`,
      amount: settings.ociMonthlyLimit,
      targetType: "COMPARTMENT",
      target: context.compartmentId,
      emails: settings.alertEmails,
      label: context.namePrefix,
      freeformTags: context.ociFreeformTags,
    });
    this.outputs = { awsBudgetName: awsBudget.name, ociBudgetId: ociBudget.id };
    this.registerOutputs({ awsBudgetName: awsBudget.name, ociBudgetId: ociBudget.id });
  }
}

export interface OciBudgetArgs {
  /** Budgets live in the tenancy's root compartment, whatever they target. */
  readonly tenancyId: pulumi.Input<string>;
  readonly displayName: string;
  readonly description: string;
  readonly amount: number;
  /** A compartment (its OCID) or a cost-tracking tag value (`<namespace>.<key>.<value>`). */
  readonly targetType: "COMPARTMENT" | "TAG";
  readonly target: pulumi.Input<string>;
  readonly emails: readonly string[];
  /** Names the rules and their messages. */
  readonly label: string;
  readonly freeformTags: Readonly<Record<string, string>>;
}

/** A monthly OCI budget with rules at 70 % and 90 % of actual and 100 % of forecast spend, e-mailing the list. Children `${name}` and `${name}-<actual|forecast>-<percent>`. */
export function ociBudgetWithRules(
  name: string,
  parent: pulumi.Resource,
  args: OciBudgetArgs,
  opts?: pulumi.CustomResourceOptions,
): oci.budget.Budget {
  const budget = new oci.budget.Budget(
    name,
    {
      compartmentId: args.tenancyId,
      displayName: args.displayName,
      description: args.description,
      amount: args.amount,
      resetPeriod: "MONTHLY",
      targetType: args.targetType,
      targets: [args.target],
      freeformTags: { ...args.freeformTags },
    },
    { parent, ...opts },
  );
  for (const point of BUDGET_ALERT_POINTS) {
    const type = point.kind === "ACTUAL" ? "ACTUAL" : "FORECAST";
    new oci.budget.Rule(
      `${name}-${type.toLowerCase()}-${point.percent}`,
      {
        budgetId: budget.id,
        displayName: `${args.label}-${type.toLowerCase()}-${point.percent}`,
        type,
        threshold: point.percent,
        thresholdType: "PERCENTAGE",
        recipients: args.emails.join(","),
        message: `${args.label}: ${type === "ACTUAL" ? "spend has reached" : "spend is forecast to reach"} ${point.percent} % of the monthly OCI budget (${args.amount} a month)`,
        freeformTags: { ...args.freeformTags },
      },
      { parent },
    );
  }
  return budget;
}
