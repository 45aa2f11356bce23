import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { OCI_SUBNET_TIERS, OciSettings, OciSubnetTier } from "../config/oci";
import { kept } from "../shared/protection";
import { PlatformContext, platformOptions } from "../shared/context";
import { dnsLabel } from "../shared/naming";
import { DrgRouting } from "./drgRouting";
import { ociTierPolicy, TrafficRule } from "./ociRules";

export interface OciNetworkArgs {
  /** The validated OCI settings: region, compartment, VCN range and carved subnet CIDRs. */
  readonly settings: OciSettings;
  /** The AWS VPC range: the only range routed to the DRG. */
  readonly awsCidr: string;
  /** The AWS private subnets: the only AWS sources the tiers admit on TCP. */
  readonly awsPrivateCidrs: readonly string[];
  /** Name prefix, freeform tags and providers of the stack. */
  readonly context: PlatformContext;
}

/** What other components use of the OCI network. */
export interface OciNetworkOutputs {
  readonly vcnId: pulumi.Output<string>;
  readonly vcnCidr: string;
  readonly drgId: pulumi.Output<string>;
  readonly drgAttachmentId: pulumi.Output<string>;
  /** The managed DRG route table the IPSec-tunnel and virtual-circuit attachments must use (DRG_ROUTING). */
  readonly drgEdgeRouteTableId: pulumi.Output<string>;
  readonly subnetIds: Readonly<Record<OciSubnetTier, pulumi.Output<string>>>;
  readonly subnetCidrs: Readonly<Record<OciSubnetTier, string>>;
  readonly routeTableIds: Readonly<Record<OciSubnetTier, pulumi.Output<string>>>;
  readonly serviceGatewayId: pulumi.Output<string>;
  /** The NAT gateway's public IP: an address we own (the IPSec placeholder customer gateway uses it). */
  readonly natPublicIp: pulumi.Output<string>;
  /** The log group holding every subnet's flow log. */
  readonly flowLogGroupId: pulumi.Output<string>;
}

/** The service name of "all services in the Oracle Services Network" (the service gateway's target). */
export const ALL_ORACLE_SERVICES = /^All .* Services In Oracle Services Network$/;

const TCP = "6";
const ICMP = "1";

/** The parts of a security-list rule that do not depend on its direction. */
function ruleBody(rule: TrafficRule, oracleServicesCidr: string) {
  const [peer, peerType] =
    rule.peer.kind === "cidr" ? [rule.peer.cidr, "CIDR_BLOCK"] : [oracleServicesCidr, "SERVICE_CIDR_BLOCK"];
  const body =
    rule.protocol === "tcp"
      ? {
          protocol: TCP,
          stateless: false,
          description: rule.description,
          tcpOptions: { min: rule.port, max: rule.port },
        }
      : { protocol: ICMP, stateless: false, description: rule.description, icmpOptions: { type: 3, code: 4 } };
  return { peer, peerType, body };
}

/** A security-list ingress rule in the provider's shape. */
export function toIngressRule(
  rule: TrafficRule,
  oracleServicesCidr: string,
): oci.types.input.Core.SecurityListIngressSecurityRule {
  const { peer, peerType, body } = ruleBody(rule, oracleServicesCidr);
  return { ...body, source: peer, sourceType: peerType };
}

/** A security-list egress rule in the provider's shape. */
export function toEgressRule(
  rule: TrafficRule,
  oracleServicesCidr: string,
): oci.types.input.Core.SecurityListEgressSecurityRule {
  const { peer, peerType, body } = ruleBody(rule, oracleServicesCidr);
  return { ...body, destination: peer, destinationType: peerType };
}

/**
 * The OCI side of the platform network: a VCN with private, regional subnets for the database,
 * functions and streaming tiers (no public IPs, no internet ingress); NAT (functions only) and
 * service gateways; the DRG attached to the VCN with a route to the AWS range and managed DRG
 * route tables; a flow log per subnet; per-tier security
 * lists that admit only the AWS range and sibling tiers on the ports the platform uses; and the
 * VCN's default security list emptied (by default it admits SSH from anywhere).
 */
export class OciNetwork extends pulumi.ComponentResource {
  readonly outputs: OciNetworkOutputs;

  constructor(name: string, args: OciNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:network:OciNetwork", name, {}, platformOptions(args.context, opts));
    const { settings } = args;
    const { namePrefix } = args.context;
    const freeformTags = { ...args.context.ociFreeformTags };
    const child = { parent: this };
    const compartmentId = settings.compartmentId;
    const common = (suffix: string) => ({ compartmentId, freeformTags, displayName: `${namePrefix}-${suffix}` });

    const vcn = new oci.core.Vcn(
      `${name}-vcn`,
      { ...common("vcn"), cidrBlocks: [settings.vcnCidr], dnsLabel: dnsLabel(namePrefix) },
      child,
    );

    new oci.core.DefaultSecurityList(
      `${name}-default-sl`,
      {
        ...common("default-deny"),
        manageDefaultResourceId: vcn.defaultSecurityListId,
        ingressSecurityRules: [],
        egressSecurityRules: [],
      },
      child,
    );

    const services = oci.core.getServicesOutput({}, child);
    const allServices = services.services.apply((list) => {
      const found = list.find((service) => ALL_ORACLE_SERVICES.test(service.name));
      if (!found)
        throw new pulumi.ResourceError(
          `OCI region ${settings.region} lists no "All <region> Services In Oracle Services Network" service`,
          this,
        );
      return found;
    });

    const nat = new oci.core.NatGateway(`${name}-nat`, { ...common("nat"), vcnId: vcn.id, blockTraffic: false }, child);
    const serviceGateway = new oci.core.ServiceGateway(
      `${name}-sgw`,
      { ...common("sgw"), vcnId: vcn.id, services: [{ serviceId: allServices.id }] },
      child,
    );

    const drg = new oci.core.Drg(`${name}-drg`, { ...common("drg") }, kept(this, args.context, "oci:Core/drg:Drg"));
    const drgRouting = new DrgRouting(`${name}-drg-routing`, { drgId: drg.id, context: args.context }, child);
    const drgAttachment = new oci.core.DrgAttachment(
      `${name}-drg-vcn`,
      {
        displayName: `${namePrefix}-drg-vcn`,
        freeformTags,
        drgId: drg.id,
        drgRouteTableId: drgRouting.outputs.vcnRouteTableId,
        networkDetails: { id: vcn.id, type: "VCN" },
      },
      child,
    );

    // VCN flow logs (every subnet, all traffic), like the AWS VPC's.
    const flowLogGroup = new oci.logging.LogGroup(
      `${name}-flow-logs`,
      {
        compartmentId,
        freeformTags,
        displayName: `${namePrefix}-vcn-flow-logs`,
        description: `VCN flow logs of ${namePrefix}`,
      },
      kept(this, args.context, "oci:Logging/logGroup:LogGroup"),
    );

    const subnetIds = {} as Record<OciSubnetTier, pulumi.Output<string>>;
    const routeTableIds = {} as Record<OciSubnetTier, pulumi.Output<string>>;
    for (const tier of OCI_SUBNET_TIERS) {
      const policy = ociTierPolicy(tier, {
        awsCidr: args.awsCidr,
        awsPrivateCidrs: args.awsPrivateCidrs,
        subnetCidrs: settings.subnetCidrs,
      });
      const routeRules: pulumi.Input<oci.types.input.Core.RouteTableRouteRule>[] = [
        {
          destination: args.awsCidr,
          destinationType: "CIDR_BLOCK",
          networkEntityId: drg.id,
          description: "AWS VPC via the DRG",
        },
        {
          destination: allServices.cidrBlock,
          destinationType: "SERVICE_CIDR_BLOCK",
          networkEntityId: serviceGateway.id,
          description: "Oracle Services Network via the service gateway",
        },
      ];
      if (policy.internetEgress) {
        routeRules.push({
          destination: "0.0.0.0/0",
          destinationType: "CIDR_BLOCK",
          networkEntityId: nat.id,
          description: "Internet egress via NAT",
        });
      }
      const routeTable = new oci.core.RouteTable(
        `${name}-${tier}-rt`,
        { ...common(`${tier}-rt`), vcnId: vcn.id, routeRules },
        // A route to the DRG is only accepted once the DRG is attached to this VCN.
        { parent: this, dependsOn: [drgAttachment] },
      );
      const securityList = new oci.core.SecurityList(
        `${name}-${tier}-sl`,
        {
          ...common(`${tier}-sl`),
          vcnId: vcn.id,
          ingressSecurityRules: allServices.cidrBlock.apply((osn) =>
            policy.ingress.map((rule) => toIngressRule(rule, osn)),
          ),
          egressSecurityRules: allServices.cidrBlock.apply((osn) =>
            policy.egress.map((rule) => toEgressRule(rule, osn)),
          ),
        },
        child,
      );
      const subnet = new oci.core.Subnet(
        `${name}-${tier}`,
        {
          ...common(tier),
          vcnId: vcn.id,
          cidrBlock: settings.subnetCidrs[tier],
          dnsLabel: tier.slice(0, 15),
          prohibitPublicIpOnVnic: true,
          prohibitInternetIngress: true,
          routeTableId: routeTable.id,
          securityListIds: [securityList.id],
        },
        child,
      );
      new oci.logging.Log(
        `${name}-${tier}-flow-log`,
        {
          displayName: `${namePrefix}-${tier}-flow-log`,
          logGroupId: flowLogGroup.id,
          logType: "SERVICE",
          isEnabled: true,
          retentionDuration: settings.flowLogRetentionDays,
          configuration: {
            compartmentId,
            source: { sourceType: "OCISERVICE", service: "flowlogs", category: "all", resource: subnet.id },
          },
          freeformTags,
        },
        child,
      );
      subnetIds[tier] = subnet.id;
      routeTableIds[tier] = routeTable.id;
    }
    this.outputs = {
      vcnId: vcn.id,
      vcnCidr: settings.vcnCidr,
      drgId: drg.id,
      drgAttachmentId: drgAttachment.id,
      drgEdgeRouteTableId: drgRouting.outputs.edgeRouteTableId,
      subnetIds,
      subnetCidrs: settings.subnetCidrs,
      routeTableIds,
      serviceGatewayId: serviceGateway.id,
      natPublicIp: nat.natIp,
      flowLogGroupId: flowLogGroup.id,
    };
    this.registerOutputs(this.outputs);
  }
}
