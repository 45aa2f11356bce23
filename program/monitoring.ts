import { ResolvedEnvironment } from "../components/config/resolve";
import { LinkProbe } from "../components/monitoring/linkProbe";
import { PlatformContext } from "../components/shared/context";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";
import { OpsArea } from "./ops";

/** What tells on-call about both clouds: so far the cross-cloud link probe and its alarm. */
export function monitoringArea(context: PlatformContext, platform: ResolvedEnvironment, network: NetworkArea, database: DatabaseArea, ops: OpsArea): Record<string, unknown> {
  const probe = new LinkProbe("link-probe", {
    settings: platform.monitoring.probe,
    network: network.aws,
    databaseCidr: network.oci.subnetCidrs.database,
    databaseHost: database.privateEndpointHost,
    alarmTopicArn: ops.alarms.topicArn,
    logRetentionDays: platform.aws.logRetentionDays,
    context,
  }).outputs;
  return { monitoring: { linkProbeFunction: probe.functionName, linkProbeAlarm: probe.alarmName } };
}
