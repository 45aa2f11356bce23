import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { Budgets } from "../components/finops/budgets";
import { CostAnomalyAlerts } from "../components/finops/costAnomalyAlerts";
import { CostIntelligence } from "../components/finops/costIntelligence";
import { NodeGroupAfterHours } from "../components/finops/afterHours";
import { CostTagDefaults } from "../components/finops/costTagDefaults";
import { PlatformContext } from "../components/shared/context";
import { ociDefinedCostTags, withOciDefinedTags } from "../components/shared/tags";
import { DatabaseArea } from "./database";
import { MlArea } from "./ml";
import { OpsArea } from "./ops";
import { OrdersArea } from "./orders";
import { OrgReference } from "./orgReference";

/** FinOps: this environment's monthly budgets on both clouds with their alert rules, (by config) its pages on the account's cost anomalies, and the daily cost report. */
export function finopsArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  org: OrgReference,
  ops: OpsArea,
  database: DatabaseArea,
  orders: OrdersArea,
  ml: MlArea,
): Record<string, unknown> {
  const budgets = new Budgets("budgets", {
    settings: platform.budget,
    ociTenancyId: org.ociTenancyId,
    alarmTopicArn: ops.alarms.topicArn,
    context,
  }).outputs;
  const anomalies = platform.budget.anomalyAlerts
    ? new CostAnomalyAlerts("cost-anomaly-alerts", {
        monitorArns: org.costAnomalyMonitorArns,
        settings: platform.budget.anomalyAlerts,
        alarmTopicArn: ops.alarms.topicArn,
        context,
      })
    : undefined;
  // The database's own schedule is set where it is created (program/database.ts); the nodes' here.
  if (platform.budget.afterHours) {
    new NodeGroupAfterHours("nodes-after-hours", {
      hours: platform.budget.afterHours,
      autoScalingGroupName: orders.cluster.autoScalingGroupName,
      nodes: platform.eks.nodes,
      context,
    });
  }
  const intelligence = new CostIntelligence("cost-intelligence", {
    settings: platform.budget,
    ociRegion: platform.oci.region,
    ociTenancyId: org.ociTenancyId,
    ociTagNamespace: org.ociCostTags.apply((t) => t.namespaceName),
    secretsKeyArn: database.secrets.secretsKeyArn,
    alarmTopicArn: ops.alarms.topicArn,
    logRetentionDays: platform.aws.logRetentionDays,
    inventory: {
      endpoint: {
        name: ml.dashboard.endpointName,
        instanceType: platform.ml.sagemaker.instanceType,
        instanceCount: platform.ml.sagemaker.instanceCount,
      },
      nodes: {
        autoScalingGroupName: orders.cluster.autoScalingGroupName,
        instanceType: platform.eks.nodes.instanceTypes[0],
        count: platform.eks.nodes.desiredSize,
      },
      databases: [
        { id: database.databaseId, label: `${context.namePrefix}-atp`, ecpus: platform.database.oltp.ecpuCount },
        ...(database.lakehouse && platform.database.dataWarehouse
          ? [
              {
                id: database.lakehouse.databaseId,
                label: `${context.namePrefix}-adw`,
                ecpus: platform.database.dataWarehouse.ecpuCount,
              },
            ]
          : []),
      ],
    },
    context,
  }).outputs;
  return {
    finops: {
      awsBudgetName: budgets.awsBudgetName,
      ociBudgetId: budgets.ociBudgetId,
      ...(anomalies ? { costAnomalySubscriptionArn: anomalies.subscriptionArn } : {}),
      costReport: {
        bucket: intelligence.bucketName,
        function: intelligence.functionName,
        schedule: intelligence.scheduleName,
      },
    },
  };
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
