import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InterconnectPlan, ORACLE_BGP_ASN } from "../config/interconnect";
import { ResolvedFastConnect } from "./fastConnectService";
import { IpsecVpn, TunnelOutput } from "./ipsecVpn";
import { PrivateCircuit } from "./privateCircuit";

export interface InterconnectArgs {
  /** Mode, ASNs, tunnel and circuit settings from config. */
  readonly plan: InterconnectPlan;
  /** The FastConnect partner service, looked up before any resource (fastconnect mode only). */
  readonly fastConnectService?: ResolvedFastConnect;
  readonly awsRegion: string;
  readonly vpcId: pulumi.Input<string>;
  readonly awsCidr: string;
  /** Private route tables that receive the OCI routes by propagation. */
  readonly privateRouteTableIds: pulumi.Input<string>[];
  readonly ociCidr: string;
  readonly compartmentId: string;
  readonly drgId: pulumi.Input<string>;
  /** A public IP we own, for the IPSec placeholder customer gateway. */
  readonly placeholderIp: pulumi.Input<string>;
  readonly freeformTags: Record<string, string>;
  readonly namePrefix: string;
  /** Protect physical circuit resources. */
  readonly isProduction: boolean;
}

/** The `interconnect` object other components consume. */
export interface InterconnectOutputs {
  readonly mode: InterconnectPlan["mode"];
  readonly awsSideAsn: number;
  readonly oracleAsn: number;
  readonly customerAsn?: number;
  readonly vpnGatewayId: pulumi.Output<string>;
  /** Managed prefix list of the OCI ranges, for AWS security group rules. */
  readonly ociPrefixListId: pulumi.Output<string>;
  readonly ociCidr: string;
  readonly awsCidr: string;
  readonly tunnels: TunnelOutput[];
  readonly fastConnect?: {
    readonly virtualCircuitId: pulumi.Output<string>;
    readonly providerState: pulumi.Output<string>;
    readonly providerName: string;
    readonly providerServiceName: string;
    readonly bandwidthShapeName: string;
    readonly directConnectGatewayId: pulumi.Output<string>;
    readonly connectionId: pulumi.Output<string>;
    readonly virtualInterfaceId: pulumi.Output<string>;
    readonly vlan: number;
  };
}

/**
 * Links the AWS VPC and the OCI VCN. AWS side: a virtual private gateway (one VPC needs no transit
 * gateway, and a VGW carries both the VPN and the Direct Connect gateway association) with route
 * propagation into the private route tables. Then the IPSec path (dev; prod's backup) and, in
 * fastconnect mode, the FastConnect + Direct Connect path. On equal prefixes AWS prefers Direct
 * Connect over VPN routes and the OCI DRG prefers the virtual circuit over IPSec, so the backup
 * carries traffic only when the circuit is down.
 */
export class Interconnect extends pulumi.ComponentResource {
  readonly outputs: InterconnectOutputs;
  /** BGP MD5 keys for the partner router (secret); undefined without a private circuit. */
  readonly privateCircuitKeys?: pulumi.Output<{ oracleBgpMd5Key: string; awsBgpAuthKey: string }>;

  constructor(name: string, args: InterconnectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:interconnect:Interconnect", name, {}, opts);
    const child = { parent: this };
    const { plan, namePrefix } = args;

    const vgw = new aws.ec2.VpnGateway(
      `${name}-vgw`,
      { vpcId: args.vpcId, amazonSideAsn: String(plan.awsSideAsn), tags: { Name: `${namePrefix}-oci` } },
      child,
    );
    args.privateRouteTableIds.forEach(
      (routeTableId, az) => new aws.ec2.VpnGatewayRoutePropagation(`${name}-propagate-${az}`, { vpnGatewayId: vgw.id, routeTableId }, child),
    );
    const ociRanges = new aws.ec2.ManagedPrefixList(
      `${name}-oci-ranges`,
      {
        name: `${namePrefix}-oci-ranges`,
        addressFamily: "IPv4",
        maxEntries: 5,
        entries: [{ cidr: args.ociCidr, description: "OCI VCN (across the interconnect)" }],
      },
      child,
    );

    const ipsec = plan.ipsec
      ? new IpsecVpn(
          `${name}-ipsec`,
          {
            plan: plan.ipsec,
            awsSideAsn: plan.awsSideAsn,
            awsRegion: args.awsRegion,
            vpnGatewayId: vgw.id,
            placeholderIp: args.placeholderIp,
            compartmentId: args.compartmentId,
            drgId: args.drgId,
            awsCidr: args.awsCidr,
            freeformTags: args.freeformTags,
            namePrefix,
          },
          child,
        )
      : undefined;

    let fastConnect: InterconnectOutputs["fastConnect"];
    if (plan.mode === "fastconnect") {
      if (!args.fastConnectService) throw new Error("fastconnect mode needs the looked-up FastConnect service (resolveFastConnect)");
      const circuit = new PrivateCircuit(
        `${name}-private`,
        {
          fastConnect: plan.fastConnect,
          service: args.fastConnectService,
          directConnect: plan.directConnect,
          customerAsn: plan.customerAsn,
          awsSideAsn: plan.awsSideAsn,
          vpnGatewayId: vgw.id,
          awsCidr: args.awsCidr,
          compartmentId: args.compartmentId,
          drgId: args.drgId,
          freeformTags: args.freeformTags,
          namePrefix,
          protect: args.isProduction,
        },
        child,
      );
      this.privateCircuitKeys = pulumi.secret(
        pulumi.all([circuit.oracleBgpMd5Key, circuit.awsBgpAuthKey]).apply(([oracleBgpMd5Key, awsBgpAuthKey]) => ({ oracleBgpMd5Key, awsBgpAuthKey })),
      );
      fastConnect = {
        virtualCircuitId: circuit.virtualCircuitId,
        providerState: circuit.providerState,
        providerName: args.fastConnectService.providerName,
        providerServiceName: args.fastConnectService.providerServiceName,
        bandwidthShapeName: args.fastConnectService.bandwidthShapeName,
        directConnectGatewayId: circuit.directConnectGatewayId,
        connectionId: circuit.connectionId,
        virtualInterfaceId: circuit.virtualInterfaceId,
        vlan: plan.directConnect.vlan,
      };
    }

    this.outputs = {
      mode: plan.mode,
      awsSideAsn: plan.awsSideAsn,
      oracleAsn: ORACLE_BGP_ASN,
      customerAsn: plan.mode === "fastconnect" ? plan.customerAsn : undefined,
      vpnGatewayId: vgw.id,
      ociPrefixListId: ociRanges.id,
      ociCidr: args.ociCidr,
      awsCidr: args.awsCidr,
      tunnels: ipsec?.tunnels ?? [],
      fastConnect,
    };
    this.registerOutputs({ interconnect: this.outputs });
  }
}
