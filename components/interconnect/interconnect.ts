import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORACLE_BGP_ASN } from "../config/interconnect";
import { ResolvedInterconnect } from "../config/resolve";
import { AwsNetworkOutputs } from "../network/awsNetwork";
import { OciNetworkOutputs } from "../network/ociNetwork";
import { kept } from "../shared/protection";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext } from "../shared/kms";
import { IpsecVpn, TunnelOutput } from "./ipsecVpn";
import { LinkGateSpec } from "./linkReadiness";
import { PrivateCircuit } from "./privateCircuit";

export interface InterconnectArgs {
  /** Mode, ASNs, tunnel and circuit settings, with the FastConnect partner service already looked up. */
  readonly settings: ResolvedInterconnect;
  /** Name prefix, tags, compartment, production rules and providers of the stack. */
  readonly context: PlatformContext;
  /** The VPC, its range and the private route tables that receive the OCI routes by propagation. */
  readonly awsNetwork: Pick<AwsNetworkOutputs, "vpcId" | "vpcCidr" | "privateRouteTableIds">;
  /** The VCN range, the DRG and its managed edge route table, and the NAT gateway's public IP (the IPSec placeholder customer gateway). */
  readonly ociNetwork: Pick<OciNetworkOutputs, "vcnCidr" | "drgId" | "drgEdgeRouteTableId" | "natPublicIp">;
  /** Days the VPN tunnel logs are kept. */
  readonly logRetentionDays: number;
  /** The OCI region of the tunnels (the readiness gate reads them there). */
  readonly ociRegion: string;
}

/** The `interconnect` object other components consume. */
export interface InterconnectOutputs {
  readonly mode: ResolvedInterconnect["mode"];
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
  /** What each invocation across the link builds its readiness gate from (linkGate). */
  readonly readiness: LinkGateSpec;
  /** BGP MD5 keys for the partner router (secret); undefined without a private circuit. */
  readonly privateCircuitKeys?: pulumi.Output<{ oracleBgpMd5Key: string; awsBgpAuthKey: string }>;
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

  constructor(name: string, args: InterconnectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:interconnect:Interconnect", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { settings, context, awsNetwork, ociNetwork } = args;
    const { namePrefix } = context;

    const vgw = new aws.ec2.VpnGateway(
      `${name}-vgw`,
      { vpcId: awsNetwork.vpcId, amazonSideAsn: String(settings.awsSideAsn), tags: { Name: `${namePrefix}-oci` } },
      kept(this, context, "aws:ec2/vpnGateway:VpnGateway"),
    );
    awsNetwork.privateRouteTableIds.forEach(
      (routeTableId, az) =>
        new aws.ec2.VpnGatewayRoutePropagation(
          `${name}-propagate-${az}`,
          { vpnGatewayId: vgw.id, routeTableId },
          child,
        ),
    );
    const ociRanges = new aws.ec2.ManagedPrefixList(
      `${name}-oci-ranges`,
      {
        name: `${namePrefix}-oci-ranges`,
        addressFamily: "IPv4",
        maxEntries: 5,
        entries: [{ cidr: ociNetwork.vcnCidr, description: "OCI VCN (across the interconnect)" }],
      },
      child,
    );

    const ipsec = settings.ipsec
      ? new IpsecVpn(
          `${name}-ipsec`,
          {
            settings: settings.ipsec,
            awsSideAsn: settings.awsSideAsn,
            context,
            vpnGatewayId: vgw.id,
            placeholderIp: ociNetwork.natPublicIp,
            drgId: ociNetwork.drgId,
            drgRouteTableId: ociNetwork.drgEdgeRouteTableId,
            awsCidr: awsNetwork.vpcCidr,
            logRetentionDays: args.logRetentionDays,
          },
          child,
        )
      : undefined;

    let fastConnect: InterconnectOutputs["fastConnect"];
    let privateCircuitKeys: InterconnectOutputs["privateCircuitKeys"];
    if (settings.mode === "fastconnect") {
      const circuit = new PrivateCircuit(
        `${name}-private`,
        {
          fastConnect: settings.fastConnect,
          directConnect: settings.directConnect,
          customerAsn: settings.customerAsn,
          awsSideAsn: settings.awsSideAsn,
          context,
          vpnGatewayId: vgw.id,
          awsCidr: awsNetwork.vpcCidr,
          drgId: ociNetwork.drgId,
          drgRouteTableId: ociNetwork.drgEdgeRouteTableId,
        },
        child,
      );
      const c = circuit.outputs;
      privateCircuitKeys = c.bgpKeys;
      fastConnect = {
        virtualCircuitId: c.virtualCircuitId,
        providerState: c.providerState,
        providerName: settings.fastConnect.providerName,
        providerServiceName: settings.fastConnect.providerServiceName,
        bandwidthShapeName: settings.fastConnect.bandwidthShapeName,
        directConnectGatewayId: c.directConnectGatewayId,
        connectionId: c.connectionId,
        virtualInterfaceId: c.virtualInterfaceId,
        vlan: settings.directConnect.vlan,
      };
    }

    const tunnels = ipsec?.outputs.tunnels.filter((t) => t.paired) ?? [];
    const readiness: LinkGateSpec = {
      awsRegion: context.awsRegion,
      ociRegion: args.ociRegion,
      expectedAccountIds: context.awsAllowedAccountIds
        ? [...context.awsAllowedAccountIds]
        : awsContext(child).apply((c) => [c.accountId]),
      tunnels: pulumi.all(
        tunnels.map((t) =>
          pulumi
            .all([t.awsVpnConnectionId, t.awsOutsideIp, t.ociIpsecId, t.ociTunnelId])
            .apply(([vpnConnectionId, awsOutsideIp, ociIpsecId, ociTunnelId]) => ({
              name: `pair ${t.pair} tunnel ${t.index}`,
              vpnConnectionId,
              awsOutsideIp,
              ociIpsecId,
              ociTunnelId,
            })),
        ),
      ),
      routeTableIds: pulumi.all(awsNetwork.privateRouteTableIds),
      vpnGatewayId: vgw.id,
      ociCidr: ociNetwork.vcnCidr,
      awsCidr: awsNetwork.vpcCidr,
      timeoutSeconds: settings.readinessTimeoutMinutes * 60,
      after: this,
    };

    this.outputs = {
      mode: settings.mode,
      readiness,
      awsSideAsn: settings.awsSideAsn,
      oracleAsn: ORACLE_BGP_ASN,
      customerAsn: settings.mode === "fastconnect" ? settings.customerAsn : undefined,
      vpnGatewayId: vgw.id,
      ociPrefixListId: ociRanges.id,
      ociCidr: ociNetwork.vcnCidr,
      awsCidr: awsNetwork.vpcCidr,
      tunnels: ipsec?.outputs.tunnels ?? [],
      fastConnect,
      privateCircuitKeys,
    };
    this.registerOutputs(this.outputs);
  }
}
