import * as pulumi from "@pulumi/pulumi";
import { ResolvedEnvironment } from "../components/config/resolve";
import { EksCluster, EksClusterOutputs } from "../components/eks/eksCluster";
import { LoadBalancerController } from "../components/eks/loadBalancerController";
import { EndpointUse } from "../components/network/endpoints";
import { OrderImage } from "../components/orders/orderImage";
import { OrderService } from "../components/orders/orderService";
import { PlatformContext } from "../components/shared/context";
import { MskCluster, MskClusterOutputs } from "../components/sync/mskCluster";
import { DatabaseArea } from "./database";
import { NetworkArea } from "./network";

export interface OrdersArea {
  readonly exports: Record<string, unknown>;
  readonly cluster: EksClusterOutputs;
  /** MSK: the API publishes accepted orders to it, the sync consumer reads them. */
  readonly kafka: MskClusterOutputs;
  readonly imageUri: pulumi.Output<string>;
  /** The order service (its namespace among its objects): the sync consumer runs beside it. */
  readonly service: pulumi.Resource;
  /** What the cluster's nodes and the service's pods do through the VPC endpoints. */
  readonly endpointUses: pulumi.Output<EndpointUse[]>;
}

/** The EKS cluster, its load balancer controller, MSK (the orders' intake), the order service's image, and the service on the cluster. */
export function ordersArea(
  context: PlatformContext,
  platform: ResolvedEnvironment,
  network: NetworkArea,
  database: DatabaseArea,
): OrdersArea {
  const cluster = new EksCluster("eks", {
    settings: platform.eks,
    network: network.aws,
    logRetentionDays: platform.aws.logRetentionDays,
    context,
  }).outputs;
  const controller = new LoadBalancerController("lb-controller", { cluster, vpcId: network.aws.vpcId, context })
    .outputs;
  const kafka = new MskCluster("orders-kafka", {
    settings: platform.sync,
    network: network.aws,
    clientSecurityGroupIds: [cluster.clusterSecurityGroupId],
    logRetentionDays: platform.aws.logRetentionDays,
    context,
  }).outputs;
  const image = new OrderImage("orders-image", { context }).outputs;
  const serviceComponent = new OrderService("orders", {
    settings: platform.orders,
    cluster,
    imageUri: image.imageUri,
    secrets: database.secrets,
    kafka,
    vpcCidr: platform.aws.vpcCidr,
    endpointCidrs: platform.aws.privateSubnetCidrs,
    databaseCidr: network.oci.subnetCidrs.database,
    loadBalancerController: controller.release,
    schemaReady: database.schemaReady,
    context,
  });
  const service = serviceComponent.outputs;
  return {
    cluster,
    kafka,
    imageUri: image.imageUri,
    service: serviceComponent,
    endpointUses: pulumi
      .all([cluster.endpointUses, image.endpointUses, service.endpointUses])
      .apply((lists) => lists.flat()),
    exports: {
      eks: {
        clusterName: cluster.clusterName,
        endpoint: cluster.endpoint,
        kubernetesVersion: cluster.kubernetesVersion,
        controlPlaneLogGroup: cluster.controlPlaneLogGroupName,
      },
      orders: {
        imageUri: image.imageUri,
        imageTag: image.tag,
        repositoryUrl: image.repositoryUrl,
        namespace: service.namespace,
        roleArn: service.roleArn,
        internalHostname: service.loadBalancerHostname,
      },
    },
  };
}
