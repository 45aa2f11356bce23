import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { EndpointUse } from "../components/network/endpoints";
import { PlatformContext } from "../components/shared/context";
import { OrderSync } from "../components/sync/orderSync";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";
import { OpsArea } from "./ops";
import { OrdersArea } from "./orders";

export interface SyncArea {
  readonly exports: Record<string, unknown>;
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** The event path AWS → OCI: the sync consumer beside the order service, reading MSK (created with the service, which publishes to it). */
export function syncArea(context: PlatformContext, platform: ResolvedEnvironment, network: NetworkArea, database: DatabaseArea, orders: OrdersArea, ops: OpsArea): SyncArea {
  const kafka = orders.kafka;
  const sync = new OrderSync("orders-sync", {
    settings: platform.sync,
    cluster: orders.cluster,
    kafka,
    imageUri: orders.imageUri,
    secrets: database.secrets,
    vpcCidr: platform.aws.vpcCidr,
    privateCidrs: platform.aws.privateSubnetCidrs,
    databaseCidr: network.oci.subnetCidrs.database,
    after: [orders.service, database.schemaReady],
    alarmTopicArn: ops.alarms.topicArn,
    context,
  }).outputs;
  return {
    endpointUses: sync.endpointUses,
    exports: { sync: { kafkaClusterArn: kafka.clusterArn, bootstrapBrokersIam: kafka.bootstrapBrokersIam, topics: Object.keys(kafka.topicArns), consumerRoleArn: sync.roleArn } },
  };
}
