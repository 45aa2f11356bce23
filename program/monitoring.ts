import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { DatabaseAlarms } from "../components/monitoring/databaseAlarms";
import { LinkAlarms } from "../components/monitoring/linkAlarms";
import { LinkProbe } from "../components/monitoring/linkProbe";
import { ManagedGrafana } from "../components/monitoring/managedGrafana";
import { OciAlarmTopic } from "../components/monitoring/ociAlarmTopic";
import { PipelineAlarms } from "../components/monitoring/pipelineAlarms";
import { ServiceMetrics } from "../components/monitoring/serviceMetrics";
import { ORDERS_API_APP } from "../components/orders/orderService";
import { ORDERS_NAMESPACE } from "../components/shared/kubernetes";
import { SYNC_APP } from "../components/sync/orderSync";
import { OverviewInput, overviewDashboard } from "../components/monitoring/overviewDashboard";
import { PlatformContext } from "../components/shared/context";
import { DatabaseArea } from "./database";
import { InterconnectArea } from "./interconnect";
import { MlArea } from "./ml";
import { NetworkArea } from "./network";
import { OpsArea } from "./ops";
import { OrdersArea } from "./orders";
import { OrgReference } from "./orgReference";
import { StreamingArea } from "./streaming";
import type { EndpointUse } from "../components/network/endpoints";

/**
 * What tells on-call about both clouds: the cross-cloud link probe, the link alarms on both clouds
 * (paired tunnels, Direct Connect, FastConnect), the databases' CPU and storage alarms and the OCI
 * pipelines' (failed function invocations, failed Connector Hub deliveries), to the AWS alarm topic
 * and an OCI one e-mailing the same addresses.
 */
export interface MonitoringArea {
  /** What the area does through the VPC endpoints (the Grafana provisioning function), Grafana's API apart. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
  /** What it does through Grafana's API endpoint (names the workspace: set after the order services). */
  readonly grafanaApiUses: pulumi.Output<EndpointUse[]>;
  /** Stack outputs of the area. */
  readonly exports: Record<string, unknown>;
}

export function monitoringArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  org: OrgReference,
  network: NetworkArea,
  interconnect: InterconnectArea,
  database: DatabaseArea,
  ml: MlArea,
  orders: OrdersArea,
  streaming: StreamingArea,
  ops: OpsArea,
  /** Every VPC endpoint policy (set after the areas): the in-VPC provisioning run waits for them. */
  endpointPolicies: readonly Promise<pulumi.Resource>[],
): MonitoringArea {
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
  const serviceMetrics = new ServiceMetrics(
    "service-metrics",
    {
      cluster: orders.cluster,
      namespace: ORDERS_NAMESPACE,
      namespaceCreatedBy: [orders.service],
      apps: [ORDERS_API_APP, SYNC_APP],
      network: network.aws,
      context,
    },
    { dependsOn: [orders.service] },
  ).outputs;
  new LinkAlarms("link-alarms", {
    settings: platform.monitoring.alarms,
    tunnels: interconnect.outputs.tunnels,
    ...(fastConnect
      ? {
          privateCircuit: {
            directConnectConnectionId: fastConnect.connectionId,
            virtualCircuitId: fastConnect.virtualCircuitId,
          },
        }
      : {}),
    awsTopicArn: ops.alarms.topicArn,
    ociTopicId: ociTopic.topicId,
    context,
  });
  new DatabaseAlarms("database-alarms", {
    settings: platform.monitoring.alarms,
    databases: {
      oltp: database.databaseId,
      ...(database.lakehouse ? { lakehouse: database.lakehouse.databaseId } : {}),
    },
    ociTopicId: ociTopic.topicId,
    context,
  });
  const pipelineAlarms = new PipelineAlarms("pipeline-alarms", {
    functions: streaming.pipelines.functions,
    connectors: streaming.pipelines.connectors,
    ociTopicId: ociTopic.topicId,
    context,
  }).outputs;
  // The overview dashboard, generated from what this stack created and provisioned into the stack's Managed Grafana.
  const paired = interconnect.outputs.tunnels.filter((t) => t.paired);
  const tunnels = pulumi.all(
    paired.map((t) =>
      pulumi.all([t.awsOutsideIp, t.ociTunnelId]).apply(([awsOutsideIp, ociTunnelId]) => ({
        label: `pair ${t.pair} tunnel ${t.index}`,
        awsOutsideIp,
        ociTunnelId,
      })),
    ),
  );
  const circuit: pulumi.Output<OverviewInput["privateCircuit"]> = fastConnect
    ? pulumi
        .all([fastConnect.connectionId, fastConnect.virtualCircuitId])
        .apply(([connectionId, virtualCircuitId]) => ({ connectionId, virtualCircuitId }))
    : pulumi.output(undefined);
  const databases = pulumi
    .all([database.databaseId, database.lakehouse?.databaseId ?? ""])
    .apply(([oltp, lakehouse]) => [
      { label: "oltp", id: oltp },
      ...(lakehouse ? [{ label: "lakehouse", id: lakehouse }] : []),
    ]);
  const mlNames = pulumi
    .all([ml.dashboard.featuresFunction, ml.dashboard.inferenceFunction, ml.dashboard.endpointName])
    .apply(([featuresFunction, inferenceFunction, endpointName]) => ({
      featuresFunction,
      inferenceFunction,
      endpointName,
    }));
  const labelled = (ids: Readonly<Record<string, pulumi.Output<string>>>) =>
    pulumi.all(Object.entries(ids).map(([label, id]) => id.apply((resolved) => ({ label, id: resolved }))));
  const pipelines = pulumi
    .all([labelled(streaming.pipelines.functions), labelled(streaming.pipelines.connectors)])
    .apply(([functions, connectors]) => ({ functions, connectors }));
  const dashboard = pulumi
    .all([tunnels, circuit, databases, mlNames, pipelines])
    .apply(([t, privateCircuit, dbs, mlFunctions, pipelineIds]) =>
      JSON.stringify(
        overviewDashboard({
          stack: context.namePrefix,
          awsRegion: platform.aws.region,
          ociRegion: platform.oci.region,
          ociCompartmentId: context.compartmentId,
          tunnels: t,
          ...(privateCircuit ? { privateCircuit } : {}),
          databases: dbs,
          ml: mlFunctions,
          services: { apiJob: ORDERS_API_APP, syncJob: SYNC_APP },
          pipelines: pipelineIds,
        }),
      ),
    );
  const grafana = new ManagedGrafana("grafana", {
    settings: platform.monitoring.grafana,
    saml: org.grafanaSaml,
    prometheus: { workspaceArn: serviceMetrics.workspaceArn, endpoint: serviceMetrics.prometheusEndpoint },
    dashboards: dashboard.apply((json) => [{ uid: (JSON.parse(json) as { uid: string }).uid, json }]),
    awsRegion: platform.aws.region,
    ociRegion: platform.oci.region,
    ociTenancyId: org.ociTenancyId,
    secretsKeyArn: database.secrets.secretsKeyArn,
    logRetentionDays: platform.aws.logRetentionDays,
    network: network.aws,
    invokeAfter: [network.awsNetwork, ...endpointPolicies],
    context,
  }).outputs;
  return {
    endpointUses: grafana.endpointUses,
    grafanaApiUses: grafana.grafanaApiUses,
    exports: {
      monitoring: {
        linkProbeFunction: probe.functionName,
        linkProbeAlarm: probe.alarmName,
        ociAlarmTopicId: ociTopic.topicId,
        pipelineAlarmIds: pipelineAlarms.alarmIds,
        overviewDashboard: dashboard,
        prometheusEndpoint: serviceMetrics.prometheusEndpoint,
        grafana: {
          url: grafana.url,
          workspaceId: grafana.workspaceId,
          samlServiceProvider: grafana.samlServiceProvider,
          ociKeyFingerprint: grafana.ociKeyFingerprint,
        },
      },
    },
  };
}
