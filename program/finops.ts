import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { Budgets } from "../components/finops/budgets";
import { CostAnomalyAlerts } from "../components/finops/costAnomalyAlerts";
import { CostTagDefaults } from "../components/finops/costTagDefaults";
import { PlatformContext } from "../components/shared/context";
import { ociDefinedCostTags, withOciDefinedTags } from "../components/shared/tags";
import { OpsArea } from "./ops";
import { OrgReference } from "./orgReference";

/** FinOps, so far: this environment's monthly budgets on both clouds with their alert rules, and (by config) its pages on the account's cost anomalies. */
export function finopsArea(context: PlatformContext, platform: ResolvedEnvironment, org: OrgReference, ops: OpsArea): Record<string, unknown> {
  const budgets = new Budgets("budgets", { settings: platform.budget, ociTenancyId: org.ociTenancyId, alarmTopicArn: ops.alarms.topicArn, context }).outputs;
  const anomalies = platform.budget.anomalyAlerts
    ? new CostAnomalyAlerts("cost-anomaly-alerts", { monitorArns: org.costAnomalyMonitorArns, settings: platform.budget.anomalyAlerts, alarmTopicArn: ops.alarms.topicArn, context })
    : undefined;
  return { finops: { awsBudgetName: budgets.awsBudgetName, ociBudgetId: budgets.ociBudgetId, ...(anomalies ? { costAnomalySubscriptionArn: anomalies.subscriptionArn } : {}) } };
}

/**
 * Cost governance of an environment stack, set up before any OCI resource: every OCI resource gets
 * the org namespace's defined cost tags (a stack transformation), and the compartment's tag defaults
 * tag whatever else is created in it. Call it right after the org reference.
 */
export function costGovernanceArea(context: PlatformContext, org: OrgReference): void {
  const definedTags = org.ociCostTags.apply((t) => ociDefinedCostTags(t.namespaceName, context.tags));
  pulumi.runtime.registerStackTransformation(withOciDefinedTags(definedTags));
  new CostTagDefaults("cost-tag-defaults", { costTags: org.ociCostTags, context });
}
