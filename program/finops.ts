import { ResolvedEnvironment } from "../components/config/resolve";
import { Budgets } from "../components/finops/budgets";
import { PlatformContext } from "../components/shared/context";
import { OpsArea } from "./ops";
import { OrgReference } from "./orgReference";

/** FinOps, so far: this environment's monthly budgets on both clouds, with their alert rules. */
export function finopsArea(context: PlatformContext, platform: ResolvedEnvironment, org: OrgReference, ops: OpsArea): Record<string, unknown> {
  const budgets = new Budgets("budgets", { settings: platform.budget, ociTenancyId: org.ociTenancyId, alarmTopicArn: ops.alarms.topicArn, context }).outputs;
  return { finops: { awsBudgetName: budgets.awsBudgetName, ociBudgetId: budgets.ociBudgetId } };
}
