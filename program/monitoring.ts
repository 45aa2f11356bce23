import { ResolvedEnvironment } from "../components/config/resolve";
import { DatabaseAlarms } from "../components/monitoring/databaseAlarms";
import { LinkAlarms } from "../components/monitoring/linkAlarms";
import { LinkProbe } from "../components/monitoring/linkProbe";
import { OciAlarmTopic } from "../components/monitoring/ociAlarmTopic";
import { PlatformContext } from "../components/shared/context";
import { DatabaseArea } from "./database";
import { InterconnectArea } from "./interconnect";
import { NetworkArea } from "./network";
import { OpsArea } from "./ops";

/**
 * What tells on-call about both clouds: the cross-cloud link probe, the link alarms on both clouds
 * (paired tunnels, Direct Connect, FastConnect) and the databases' CPU and storage alarms, to the
 * AWS alarm topic and an OCI one e-mailing the same addresses.
 */
export function monitoringArea(context: PlatformContext, platform: ResolvedEnvironment, network: NetworkArea, interconnect: InterconnectArea, database: DatabaseArea, ops: OpsArea): Record<string, unknown> {
  const ociTopic = new OciAlarmTopic("oci-alarms", { emails: platform.aws.alarmEmails, context }).outputs;
  const probe = new LinkProbe("link-probe", {
    settings: platform.monitoring.probe,
    network: network.aws,
    databaseCidr: network.oci.subnetCidrs.database,
    databaseHost: database.privateEndpointHost,
    alarmTopicArn: ops.alarms.topicArn,
    logRetentionDays: platform.aws.logRetentionDays,
    context,
  }).outputs;
  const fastConnect = interconnect.outputs.fastConnect;
  new LinkAlarms("link-alarms", {
    settings: platform.monitoring.alarms,
    tunnels: interconnect.outputs.tunnels,
    ...(fastConnect ? { privateCircuit: { directConnectConnectionId: fastConnect.connectionId, virtualCircuitId: fastConnect.virtualCircuitId } } : {}),
    awsTopicArn: ops.alarms.topicArn,
    ociTopicId: ociTopic.topicId,
    context,
  });
  new DatabaseAlarms("database-alarms", {
    settings: platform.monitoring.alarms,
    databases: { oltp: database.databaseId, ...(database.lakehouse ? { lakehouse: database.lakehouse.databaseId } : {}) },
    ociTopicId: ociTopic.topicId,
    context,
  });
  return { monitoring: { linkProbeFunction: probe.functionName, linkProbeAlarm: probe.alarmName, ociAlarmTopicId: ociTopic.topicId } };
}
