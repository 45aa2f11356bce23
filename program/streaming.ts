import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { CrossLinkReadiness } from "../components/interconnect/linkReadiness";
import { PlatformContext } from "../components/shared/context";
import { AnomalyFunction } from "../components/streaming/anomalyFunction";
import { AnomalySettings } from "../components/streaming/anomalySettings";
import { FunctionsApplication } from "../components/streaming/functionsApplication";
import { OciStreaming, OciStreamingOutputs } from "../components/streaming/ociStreaming";
import { RecommendationFunctions } from "../components/streaming/recommendationFunctions";
import { RecommendationGateway } from "../components/streaming/recommendationGateway";
import { RecommendationSettings } from "../components/streaming/recommendationSettings";
import { VaultSecret } from "../components/streaming/vaultSecret";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";
import { OrgReference } from "./orgReference";

export interface StreamingArea {
  readonly exports: Record<string, unknown>;
  readonly streaming: OciStreamingOutputs;
  /** The Functions application the pipelines' functions run in. */
  readonly functionsApplicationId: pulumi.Output<string>;
  /** The OCI functions' database credential in OCI Vault (MC_FN). */
  readonly functionsDbSecretId: pulumi.Output<string>;
  /** The pipelines' functions and connectors, by label: what the pipeline alarms and the dashboard watch. */
  readonly pipelines: {
    readonly functions: Readonly<Record<string, pulumi.Output<string>>>;
    readonly connectors: Readonly<Record<string, pulumi.Output<string>>>;
  };
}

/**
 * The OCI pipelines: the streaming plumbing (private stream pool, streams, alert topic, the
 * functions' credential in Vault, the Functions application), the anomaly detector, and the
 * recommendation engine (its functions, the API Gateway in front of its API, its settings).
 */
export function streamingArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  org: OrgReference,
  network: NetworkArea,
  database: DatabaseArea,
  crossLink: CrossLinkReadiness,
): StreamingArea {
  const streaming = new OciStreaming("oci-streaming", {
    settings: platform.streaming,
    network: {
      vcnId: network.oci.vcnId,
      streamingSubnetId: network.oci.subnetIds.streaming,
      streamingCidr: network.oci.subnetCidrs.streaming,
      functionsCidr: network.oci.subnetCidrs.functions,
    },
    context,
  }).outputs;
  const functionsDbSecret = new VaultSecret("functions-db", {
    secretName: `${context.namePrefix}-functions-db`,
    description: `${context.namePrefix}: the OCI functions' database credential (MC_FN)`,
    vaultId: streaming.vaultId,
    keyId: streaming.keyId,
    content: database.functionsCredential,
    context,
  }).outputs;
  const functions = new FunctionsApplication("oci-functions", {
    network: {
      vcnId: network.oci.vcnId,
      functionsSubnetId: network.oci.subnetIds.functions,
      databaseCidr: network.oci.subnetCidrs.database,
      streamingCidr: network.oci.subnetCidrs.streaming,
    },
    readableSecretIds: [functionsDbSecret.secretId],
    ociTenancyId: org.ociTenancyId,
    logRetentionDays: platform.oci.flowLogRetentionDays,
    context,
  }).outputs;
  const anomaly = new AnomalyFunction("anomaly", {
    settings: platform.streaming.anomalyFunction,
    ociRegion: platform.oci.region,
    ociTenancyId: org.ociTenancyId,
    applicationId: functions.applicationId,
    streamId: streaming.streamIds.anomalyEvents,
    dbSecretId: functionsDbSecret.secretId,
    functionsDynamicGroupName: functions.dynamicGroupName,
    context,
  }).outputs;
  const anomalySettings = new AnomalySettings("anomaly-settings", {
    detection: platform.streaming.anomalyDetection,
    topicId: streaming.alertTopicId,
    ociRegion: platform.oci.region,
    databaseId: database.databaseId,
    ociTenancyId: org.ociTenancyId,
    migrations: database.migrations,
    schemaReady: database.schemaReady,
    crossLink,
    context,
  });
  const recommendations = new RecommendationFunctions("recommend", {
    settings: platform.recommendations,
    ociRegion: platform.oci.region,
    ociTenancyId: org.ociTenancyId,
    applicationId: functions.applicationId,
    userEventsStreamId: streaming.streamIds.userEvents,
    dbSecretId: functionsDbSecret.secretId,
    functionsDynamicGroupName: functions.dynamicGroupName,
    context,
  }).outputs;
  const gateway = new RecommendationGateway("recommend-api", {
    settings: platform.recommendations,
    network: { vcnId: network.oci.vcnId, functionsSubnetId: network.oci.subnetIds.functions },
    awsPrivateCidrs: platform.aws.privateSubnetCidrs,
    apiFunctionId: recommendations.apiFunctionId,
    logRetentionDays: platform.oci.flowLogRetentionDays,
    context,
  }).outputs;
  new RecommendationSettings("recommend-settings", {
    settings: platform.recommendations,
    databaseGroupName: anomalySettings.databaseGroupName,
    migrations: database.migrations,
    schemaReady: database.schemaReady,
    crossLink,
    context,
  });
  return {
    streaming,
    functionsApplicationId: functions.applicationId,
    functionsDbSecretId: functionsDbSecret.secretId,
    pipelines: {
      functions: {
        anomaly: anomaly.functionId,
        "recommend-api": recommendations.apiFunctionId,
        "recommend-consumer": recommendations.consumerFunctionId,
      },
      connectors: { anomaly: anomaly.connectorId, "recommend-interactions": recommendations.connectorId },
    },
    exports: {
      streaming: {
        streamPoolId: streaming.streamPoolId,
        bootstrapServers: streaming.bootstrapServers,
        streamIds: streaming.streamIds,
        alertTopicId: streaming.alertTopicId,
        functionsDbSecretId: functionsDbSecret.secretId,
        functionsApplicationId: functions.applicationId,
        anomalyFunctionId: anomaly.functionId,
        anomalyImage: anomaly.imageRef,
        anomalyConnectorId: anomaly.connectorId,
      },
      recommendations: {
        apiEndpoint: gateway.endpoint,
        gatewayId: gateway.gatewayId,
        apiFunctionId: recommendations.apiFunctionId,
        consumerFunctionId: recommendations.consumerFunctionId,
        connectorId: recommendations.connectorId,
        image: recommendations.imageRef,
      },
    },
  };
}
