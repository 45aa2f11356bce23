import { exemptRole } from "../shared/access";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsSettings } from "../config/aws";
import { failAs, PlatformContext, platformOptions } from "../shared/context";
import { awsContext, encryptedLogGroup } from "../shared/kms";
import { HTTPS_PORT } from "../shared/ports";
import { awsTierNacl, NaclRule } from "./awsNacls";
import {
  EndpointService,
  GATEWAY_ENDPOINT_SERVICES,
  GRAFANA_WORKSPACE_ENDPOINT_SERVICE,
  INTERFACE_ENDPOINT_SERVICES,
} from "./endpoints";

export interface AwsNetworkArgs {
  /** The validated AWS settings: VPC range, AZ count, carved subnet CIDRs, NAT mode, log retention. */
  readonly settings: AwsSettings;
  /** Name prefix, providers and production rules of the stack. */
  readonly context: PlatformContext;
  /** The OCI VCN range: the other network the private subnets' ACL admits. */
  readonly ociCidr: string;
  /** Networks outside the VPC that reach the private Kubernetes API (a private EKS endpoint's deploy network). */
  readonly apiClientCidrs?: readonly string[];
  /** Networks outside the VPC that call the order API's internal load balancer, and its listener port. */
  readonly orderApiCallers?: { readonly cidrs: readonly string[]; readonly port: number };
  /** Where the order API's pods fetch the token issuer's keys outside the VPC, and on which port. */
  readonly jwksRoute?: { readonly cidrs: readonly string[]; readonly port: number };
}

/** What other components use of the AWS network. */
export interface AwsNetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  /** The VPC's URN: declared calls from inside the VPC name it (their path passes its endpoints). */
  readonly vpcUrn: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly availabilityZones: pulumi.Output<string[]>;
  /** One per AZ, in AZ order. */
  readonly publicSubnetIds: pulumi.Output<string>[];
  /** One per AZ, in AZ order; workloads and functions that reach OCI run here. */
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** One per AZ, in AZ order; the interconnect propagates the OCI routes into these. */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  readonly natGatewayIds: pulumi.Output<string>[];
  readonly flowLogGroupName: pulumi.Output<string>;
  /** Every VPC endpoint, by service (their policies come from what the areas use: EndpointPolicies). */
  readonly endpointIds: Readonly<Record<EndpointService, pulumi.Output<string>>>;
  /** The Grafana workspaces' endpoint: the only in-VPC way to the workspace (its network access control names it). */
  readonly grafanaWorkspaceEndpointId: pulumi.Output<string>;
  /** The interface endpoints' security group: in-VPC consumers send 443 to it. */
  readonly endpointSecurityGroupId: pulumi.Output<string>;
  /** The gateway endpoints' prefix lists: what a security group's 443 egress to S3 or DynamoDB names. */
  readonly gatewayPrefixListIds: Readonly<Record<(typeof GATEWAY_ENDPOINT_SERVICES)[number], pulumi.Output<string>>>;
}

/** Which public subnet's NAT gateway each AZ's private route table uses. */
export function natGatewayIndexes(azCount: number, mode: AwsSettings["natGateways"]): number[] {
  return Array.from({ length: azCount }, (_, az) => (mode === "perAz" ? az : 0));
}

/**
 * The AWS side of the platform network: a VPC over N availability zones with one public and one
 * private subnet per AZ, NAT (one, or one per AZ), S3 and DynamoDB gateway endpoints on the private
 * route tables, KMS-encrypted VPC flow logs, and the default security group emptied. Workloads and
 * the interconnect's route propagation go in the private route tables.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  readonly outputs: AwsNetworkOutputs;

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:network:AwsNetwork", name, {}, platformOptions(args.context, opts));
    const { settings } = args;
    const { namePrefix } = args.context;
    const child = { parent: this };
    const nameTag = (suffix: string) => ({ Name: `${namePrefix}-${suffix}` });

    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      child,
    );
    const availabilityZones = zones.names.apply((names) => {
      if (names.length < settings.azCount) {
        throw new pulumi.ResourceError(
          `multicloud:aws.azCount is ${settings.azCount} but ${settings.region} offers ${names.length} zones (${names.join(", ")}); lower azCount`,
          this,
        );
      }
      return names.slice(0, settings.azCount);
    });
    const zoneAt = (index: number) => availabilityZones.apply((names) => names[index]);

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: settings.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTag("vpc") },
      child,
    );

    // The default security group allows all traffic between its members; manage it with no rules.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: nameTag("default-deny") }, child);

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTag("igw") }, child);

    // No subnet, public or private, hands out public IPs: only the NAT gateways' EIPs are public.
    const subnetsOf = (tier: "public" | "private", cidrs: readonly string[]) =>
      cidrs.map(
        (cidrBlock, az) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${az}`,
            {
              vpcId: vpc.id,
              cidrBlock,
              availabilityZone: zoneAt(az),
              mapPublicIpOnLaunch: false,
              // The load balancer controller puts internal load balancers in the private subnets (and none is internet-facing).
              tags: {
                ...nameTag(`${tier}-${az}`),
                tier,
                ...(tier === "private" ? { "kubernetes.io/role/internal-elb": "1" } : {}),
              },
            },
            child,
          ),
      );
    const publicSubnets = subnetsOf("public", settings.publicSubnetCidrs);
    const privateSubnets = subnetsOf("private", settings.privateSubnetCidrs);

    // A network ACL per tier (stateless: each flow both ways); the default ACL keeps no rules and no subnets.
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default-acl`,
      { defaultNetworkAclId: vpc.defaultNetworkAclId, tags: nameTag("default-deny") },
      child,
    );
    for (const [tier, subnets] of [
      ["public", publicSubnets],
      ["private", privateSubnets],
    ] as const) {
      const nacl = failAs(this, () =>
        awsTierNacl(tier, {
          vpcCidr: settings.vpcCidr,
          ociCidr: args.ociCidr,
          apiClientCidrs: args.apiClientCidrs,
          orderApiCallers: args.orderApiCallers,
          jwksRoute: args.jwksRoute,
        }),
      );
      const entry = (rule: NaclRule) => ({
        ruleNo: rule.ruleNo,
        action: "allow",
        protocol: rule.protocol,
        cidrBlock: rule.cidrBlock,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        ...(rule.icmpType === undefined ? {} : { icmpType: rule.icmpType, icmpCode: rule.icmpCode }),
      });
      new aws.ec2.NetworkAcl(
        `${name}-${tier}-acl`,
        {
          vpcId: vpc.id,
          subnetIds: subnets.map((s) => s.id),
          ingress: nacl.ingress.map(entry),
          egress: nacl.egress.map(entry),
          tags: nameTag(`${tier}-acl`),
        },
        child,
      );
    }

    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: nameTag("public") },
      child,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      child,
    );
    publicSubnets.forEach(
      (subnet, az) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${az}`,
          { subnetId: subnet.id, routeTableId: publicRouteTable.id },
          child,
        ),
    );

    const natIndexes = natGatewayIndexes(settings.azCount, settings.natGateways);
    const natGatewayByAz = new Map<number, aws.ec2.NatGateway>();
    for (const az of new Set(natIndexes)) {
      const eip = new aws.ec2.Eip(`${name}-nat-${az}`, { domain: "vpc", tags: nameTag(`nat-${az}`) }, child);
      natGatewayByAz.set(
        az,
        new aws.ec2.NatGateway(
          `${name}-nat-${az}`,
          { allocationId: eip.id, subnetId: publicSubnets[az].id, tags: nameTag(`nat-${az}`) },
          { parent: this, dependsOn: [igw] },
        ),
      );
    }
    const natGateways = [...natGatewayByAz.values()];

    const privateRouteTables = privateSubnets.map((subnet, az) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${az}`,
        { vpcId: vpc.id, tags: nameTag(`private-${az}`) },
        child,
      );
      new aws.ec2.Route(
        `${name}-private-default-${az}`,
        {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGatewayByAz.get(natIndexes[az])?.id,
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${az}`,
        { subnetId: subnet.id, routeTableId: table.id },
        child,
      );
      return table;
    });
    const privateRouteTableIds = privateRouteTables.map((t) => t.id);

    const endpointIds = {} as Record<EndpointService, pulumi.Output<string>>;
    const gatewayPrefixListIds = {} as Record<(typeof GATEWAY_ENDPOINT_SERVICES)[number], pulumi.Output<string>>;
    for (const service of GATEWAY_ENDPOINT_SERVICES) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${settings.region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: privateRouteTableIds,
          tags: nameTag(`${service}-endpoint`),
        },
        child,
      );
      endpointIds[service] = endpoint.id;
      gatewayPrefixListIds[service] = endpoint.prefixListId;
    }
    // Interface endpoints, shared by every in-VPC consumer: 443 from the private subnets.
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        vpcId: vpc.id,
        description: "VPC interface endpoints: HTTPS from the private subnets",
        tags: nameTag("endpoints"),
      },
      child,
    );
    settings.privateSubnetCidrs.forEach(
      (cidrIpv4, az) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-endpoints-from-private-${az}`,
          {
            securityGroupId: endpointSg.id,
            ipProtocol: "tcp",
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
            cidrIpv4,
            description: `HTTPS from private subnet ${az + 1}`,
          },
          child,
        ),
    );
    /** An interface endpoint in the private subnets behind the endpoints' security group, with private DNS. */
    const interfaceEndpoint = (service: string) => {
      const slug = service.replace(".", "-");
      return new aws.ec2.VpcEndpoint(
        `${name}-${slug}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${settings.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: nameTag(`${slug}-endpoint`),
        },
        child,
      );
    };
    for (const service of INTERFACE_ENDPOINT_SERVICES) endpointIds[service] = interfaceEndpoint(service).id;
    const grafanaWorkspaceEndpoint = interfaceEndpoint(GRAFANA_WORKSPACE_ENDPOINT_SERVICE);

    // Flow logs: every accepted and rejected flow, 1-minute aggregation, into a KMS-encrypted log group.
    const ctx = awsContext(child);
    const logGroup = encryptedLogGroup(`${name}-flow-logs`, this, {
      logGroupName: `/${namePrefix}/vpc-flow-logs`,
      description: `${namePrefix} VPC flow logs`,
      retentionDays: settings.logRetentionDays,
      keyAdministratorArns: args.context.keyAdministratorArns,
      isProduction: args.context.isProduction,
      ctx,
    });
    const flowLogRole = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: "VPC flow logs delivery into CloudWatch Logs",
        assumeRolePolicy: ctx.apply(({ accountId }) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
              },
            ],
          }),
        ),
      },
      child,
    );
    exemptRole(flowLogRole, "VPC Flow Logs' delivery role: the service writes the log streams with it");
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              // Each action on the resource type it acts on (the service authorization reference).
              { Sid: "ListStreams", Effect: "Allow", Action: ["logs:DescribeLogStreams"], Resource: [arn] },
              {
                Sid: "WriteStreams",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [`${arn}:log-stream:*`],
              },
            ],
          }),
        ),
      },
      child,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: flowLogRole.arn,
        maxAggregationInterval: 60,
        tags: nameTag("flow-log"),
      },
      child,
    );

    this.outputs = {
      vpcId: vpc.id,
      vpcUrn: vpc.urn,
      vpcCidr: settings.vpcCidr,
      availabilityZones,
      publicSubnetIds: publicSubnets.map((s) => s.id),
      privateSubnetIds: privateSubnets.map((s) => s.id),
      privateRouteTableIds,
      natGatewayIds: natGateways.map((n) => n.id),
      flowLogGroupName: logGroup.name,
      endpointIds,
      grafanaWorkspaceEndpointId: grafanaWorkspaceEndpoint.id,
      endpointSecurityGroupId: endpointSg.id,
      gatewayPrefixListIds,
    };
    this.registerOutputs(this.outputs);
  }
}
