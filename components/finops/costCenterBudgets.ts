import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CostCenterBudgetSettings } from "../config/platform";
import { PlatformContext, platformOptions } from "../shared/context";
import { namePartOf } from "../shared/naming";
import { awsBudgetNotifications, ociBudgetWithRules, tagEquals } from "./budgets";

export interface CostCenterBudgetsArgs {
  /** Per cost centre: its monthly OCI limit, optional AWS limit and currency, and who is told. */
  readonly budgets: readonly CostCenterBudgetSettings[];
  /** The org's cost tag namespace (its cost_center tag is cost-tracking, as a TAG budget needs). */
  readonly namespaceName: string;
  readonly tenancyId: pulumi.Input<string>;
  readonly context: PlatformContext;
}

/** The OCI budget's TAG target for a cost centre: `<namespace>.cost_center.<code>`. */
export const costCenterBudgetTarget = (namespace: string, costCenter: string) =>
  `${namespace}.cost_center.${costCenter}`;

/** The AWS budget's filter for a cost centre in every environment: the `cost_center` cost-allocation tag alone. */
export const awsCostCenterFilter = (costCenter: string): aws.types.input.budgets.BudgetFilterExpression =>
  tagEquals("cost_center", costCenter);

/**
 * Budgets per cost centre, across every environment: on OCI a TAG target on the cost-tracking
 * `cost_center` tag; on AWS, when the entry has an AWS limit, a budget filtered by the `cost_center`
 * cost-allocation tag alone (e-mail only: the org stack has no alarm topic). Both with the 70/90 %
 * actual and 100 % forecast alerts. A
 * cost-centre target is tenancy-wide, so the org stack owns them (dev and prod share a cost centre;
 * two stacks would create the same budget twice, which OCI refuses).
 */
export class CostCenterBudgets extends pulumi.ComponentResource {
  /** The OCI budgets' OCIDs, in config order. */
  readonly ociBudgetIds: pulumi.Output<string[]>;
  /** The AWS budgets' names, for the cost centres with an AWS limit. */
  readonly awsBudgetNames: pulumi.Output<string[]>;

  constructor(name: string, args: CostCenterBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostCenterBudgets", name, {}, platformOptions(args.context, opts));
    const awsNames = args.budgets.flatMap((b) =>
      b.awsMonthlyLimit === undefined
        ? []
        : [
            new aws.budgets.Budget(
              `${name}-${namePartOf(b.costCenter).toLowerCase()}-aws`,
              {
                name: `${args.context.namePrefix}-${namePartOf(b.costCenter)}-monthly`,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: b.awsMonthlyLimit.toFixed(2),
                limitUnit: b.currency,
                filterExpression: awsCostCenterFilter(b.costCenter),
                notifications: awsBudgetNotifications(b.alertEmails),
              },
              { parent: this },
            ).name,
          ],
    );
    this.awsBudgetNames = pulumi.all(awsNames);
    const ids = args.budgets.map(
      (b) =>
        ociBudgetWithRules(`${name}-${namePartOf(b.costCenter).toLowerCase()}`, this, {
          tenancyId: args.tenancyId,
          displayName: `${args.context.namePrefix}-${namePartOf(b.costCenter)}-monthly`,
          description: `Monthly OCI spend tagged ${args.namespaceName}.cost_center = ${b.costCenter}, every environment`,
          amount: b.ociMonthlyLimit,
          targetType: "TAG",
          target: costCenterBudgetTarget(args.namespaceName, b.costCenter),
          emails: b.alertEmails,
          label: `${args.context.namePrefix}-${b.costCenter}`,
          freeformTags: args.context.ociFreeformTags,
        }).id,
    );
    this.ociBudgetIds = pulumi.all(ids);
    this.registerOutputs({ ociBudgetIds: this.ociBudgetIds, awsBudgetNames: this.awsBudgetNames });
  }
}
