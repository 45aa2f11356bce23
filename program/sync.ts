import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { EndpointUse } from "../components/network/endpoints";
import { PlatformContext } from "../components/shared/context";
import { BatchSync } from "../components/sync/batchSync";
import { OrderSync } from "../components/sync/orderSync";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";
import { OpsArea } from "./ops";
import { OrdersArea } from "./orders";
import { OrgReference } from "./orgReference";

export interface SyncArea {
  readonly exports: Record<string, unknown>;
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/**
 * The paths AWS → OCI: the sync consumer beside the order service, reading MSK (created with the
 * service, which publishes to it); and the daily batch (Step Functions → Object Storage → DBMS_CLOUD).
 */
export function syncArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  org: OrgReference,
  network: NetworkArea,
  database: DatabaseArea,
  orders: OrdersArea,
  ops: OpsArea,
): SyncArea {
  const kafka = orders.kafka;
  const sync = new OrderSync("orders-sync", {
    settings: platform.sync,
    cluster: orders.cluster,
    kafka,
    imageUri: orders.imageUri,
    secrets: database.secrets,
    privateCidrs: platform.aws.privateSubnetCidrs,
    databaseCidr: network.oci.subnetCidrs.database,
    after: [orders.service, database.schemaReady],
    alarmTopicArn: ops.alarms.topicArn,
    context,
  }).outputs;
  const batch = new BatchSync("orders-batch", {
    settings: platform.sync.batch,
    ociRegion: platform.oci.region,
    ociTenancyId: org.ociTenancyId,
    databaseId: database.databaseId,
    ...(database.lakehouse ? { lakehouse: database.lakehouse } : {}),
    kafka,
    secrets: database.secrets,
    network: network.aws,
    databaseCidr: network.oci.subnetCidrs.database,
    schemaReady: database.schemaReady,
    alarmTopicArn: ops.alarms.topicArn,
    alarmKeyArn: ops.alarms.keyArn,
    logRetentionDays: platform.aws.logRetentionDays,
    context,
  }).outputs;
  return {
    endpointUses: pulumi.all([sync.endpointUses, batch.endpointUses]).apply((lists) => lists.flat()),
    exports: {
      sync: {
        kafkaClusterArn: kafka.clusterArn,
        bootstrapBrokersIam: kafka.bootstrapBrokersIam,
        topics: Object.keys(kafka.topicArns),
        consumerRoleArn: sync.roleArn,
        batch: {
          stateMachineArn: batch.stateMachineArn,
          exportBucket: batch.exportBucket,
          ociBucket: batch.ociBucket,
          schedule: batch.scheduleName,
        },
      },
    },
  };
}
