import { ResolvedEnvironment } from "../components/config/resolve";
import { AwsNetwork, AwsNetworkOutputs } from "../components/network/awsNetwork";
import { EndpointPolicies } from "../components/network/endpointPolicies";
import { EndpointService, EndpointUse } from "../components/network/endpoints";
import { OciNetwork, OciNetworkOutputs } from "../components/network/ociNetwork";
import { serviceListenerPort } from "../components/orders/orderService";
import { jwksEgressPort } from "../components/config/orders";
import { cidrWithin } from "../components/shared/cidr";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext } from "../components/shared/context";

export interface NetworkArea {
  readonly aws: AwsNetworkOutputs;
  readonly oci: OciNetworkOutputs;
  /** The AWS network component: an invocation from the VPC waits for all of it (ACLs, endpoints, routes). */
  readonly awsNetwork: pulumi.Resource;
  /** Stack outputs of the area. */
  readonly exports: Record<string, unknown>;
}

/**
 * The order API's callers from outside the VPC (orders.callerCidrs; the VPC's own are admitted
 * already) and the port they open on its internal load balancer: 443 with TLS, 80 without.
 */
export function orderApiCallers(platform: ResolvedEnvironment): { cidrs: string[]; port: number } {
  return { cidrs: outsideVpc(platform, platform.orders.callerCidrs ?? []), port: serviceListenerPort(platform.orders) };
}

/** The ranges of `cidrs` the VPC's own rule does not already admit. */
function outsideVpc(platform: ResolvedEnvironment, cidrs: readonly string[]): string[] {
  return cidrs.filter((c) => !cidrWithin(c, platform.aws.vpcCidr));
}

/** Both clouds' networks: the AWS VPC and the OCI VCN (with its DRG), each admitting the other's range. */
export function networkArea(context: PlatformContext, platform: ResolvedEnvironment): NetworkArea {
  // A private Kubernetes API is reached from the deploy network: its ACL admits that network on 443.
  const apiClientCidrs = platform.eks.endpoint.access === "private" ? platform.eks.endpoint.deployerCidrs : [];
  const awsNetwork = new AwsNetwork("aws-network", {
    settings: platform.aws,
    context,
    ociCidr: platform.oci.vcnCidr,
    apiClientCidrs,
    orderApiCallers: orderApiCallers(platform),
    jwksRoute: {
      cidrs: outsideVpc(platform, platform.orders.auth.jwksRoute.cidrs),
      port: jwksEgressPort(platform.orders.auth),
    },
  });
  const aws = awsNetwork.outputs;
  const oci = new OciNetwork("oci-network", {
    settings: platform.oci,
    awsCidr: platform.aws.vpcCidr,
    awsPrivateCidrs: platform.aws.privateSubnetCidrs,
    context,
  }).outputs;
  return {
    aws,
    oci,
    awsNetwork,
    exports: {
      aws: {
        region: platform.aws.region,
        vpcId: aws.vpcId,
        vpcCidr: aws.vpcCidr,
        availabilityZones: aws.availabilityZones,
        privateSubnetIds: aws.privateSubnetIds,
        publicSubnetIds: aws.publicSubnetIds,
        privateRouteTableIds: aws.privateRouteTableIds,
        flowLogGroupName: aws.flowLogGroupName,
      },
      oci: {
        region: platform.oci.region,
        vcnId: oci.vcnId,
        vcnCidr: oci.vcnCidr,
        drgId: oci.drgId,
        subnetIds: oci.subnetIds,
      },
    },
  };
}

/**
 * The endpoints whose policies wait for the monitoring area: Grafana's API endpoint names the
 * workspace, which comes after the order services (its Prometheus data source) — and those wait
 * for the schema migrations, which wait for the other endpoints' policies. Two components, so
 * the migrations never wait for Grafana.
 */
export const MONITORING_ENDPOINTS: readonly EndpointService[] = ["grafana"];

/** The VPC endpoints' policies, from what the areas built after the network use through them. */
export function endpointPoliciesArea(
  context: PlatformContext,
  network: NetworkArea,
  uses: readonly pulumi.Input<readonly EndpointUse[]>[],
  monitoringUses: pulumi.Input<readonly EndpointUse[]>,
): { readonly beforeMigrations: pulumi.Resource; readonly monitoring: pulumi.Resource } {
  const all = Object.keys(network.aws.endpointIds) as EndpointService[];
  return {
    beforeMigrations: new EndpointPolicies("endpoint-policies", {
      endpointIds: network.aws.endpointIds,
      uses,
      services: all.filter((s) => !MONITORING_ENDPOINTS.includes(s)),
      context,
    }),
    monitoring: new EndpointPolicies("endpoint-policies-monitoring", {
      endpointIds: network.aws.endpointIds,
      uses: [monitoringUses],
      services: MONITORING_ENDPOINTS,
      context,
    }),
  };
}
