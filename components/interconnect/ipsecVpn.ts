import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { IpsecSettings, ORACLE_BGP_ASN } from "../config/interconnect";
import { PlatformContext, platformOptions } from "../shared/context";
import { awsContext, encryptedLogGroup } from "../shared/kms";
import { IKE_PROFILE, crossedTunnelPairs, TunnelSpec } from "./tunnels";
import { VpnCustomerGatewaySwap } from "./vpnCustomerGatewaySwap";

export interface IpsecVpnArgs {
  /** Tunnel pairs and their inside /30s. */
  readonly settings: IpsecSettings;
  /** The AWS side's BGP ASN (the virtual private gateway's). */
  readonly awsSideAsn: number;
  /** Name prefix, freeform tags, compartment, AWS region (for the customer-gateway swap) and providers. */
  readonly context: PlatformContext;
  /** The virtual private gateway the VPN connections terminate on. */
  readonly vpnGatewayId: pulumi.Input<string>;
  /**
   * A public IP we own, for the placeholder customer gateway the VPN connections are created on
   * before the Oracle headends exist (the OCI NAT gateway's address).
   */
  readonly placeholderIp: pulumi.Input<string>;
  /** The DRG the IPSec connections attach to. */
  readonly drgId: pulumi.Input<string>;
  /** The managed DRG route table each tunnel's (OCI-created) attachment is set to use. */
  readonly drgRouteTableId: pulumi.Input<string>;
  /** The AWS VPC range (the IPSec connection's static route, used only if a tunnel falls back to static). */
  readonly awsCidr: string;
  /** Days the tunnel logs are kept. */
  readonly logRetentionDays: number;
}

export interface IpsecVpnOutputs {
  readonly tunnels: TunnelOutput[];
  readonly vpnConnectionIds: pulumi.Output<string>[];
}

/** One tunnel as both clouds see it; the `interconnect` output lists these. */
export interface TunnelOutput {
  readonly pair: number;
  readonly index: 1 | 2;
  readonly paired: boolean;
  readonly insideCidr: string;
  readonly awsInsideIp: string;
  readonly ociInsideIp: string;
  readonly awsVpnConnectionId: pulumi.Output<string>;
  /** AWS's outside IP of this tunnel. */
  readonly awsOutsideIp: pulumi.Output<string>;
  readonly ociIpsecId: pulumi.Output<string>;
  readonly ociTunnelId: pulumi.Output<string>;
  /** Oracle's headend IP of this tunnel. */
  readonly ociHeadendIp: pulumi.Output<string>;
}

type AwsTunnelArgs = Partial<aws.ec2.VpnConnectionArgs>;

/** The AWS VPN connection arguments of one tunnel slot (1 or 2), from the shared IKE profile. */
export function awsTunnelArgs(
  tunnel: TunnelSpec,
  presharedKey: pulumi.Input<string>,
  logGroupArn: pulumi.Input<string>,
): AwsTunnelArgs {
  const p = IKE_PROFILE.aws;
  const slot = (field: string) => `tunnel${tunnel.index}${field}`;
  return {
    [slot("InsideCidr")]: tunnel.insideCidr,
    [slot("PresharedKey")]: presharedKey,
    [slot("IkeVersions")]: [...p.ikeVersions],
    [slot("Phase1EncryptionAlgorithms")]: [...p.phase1EncryptionAlgorithms],
    [slot("Phase1IntegrityAlgorithms")]: [...p.phase1IntegrityAlgorithms],
    [slot("Phase1DhGroupNumbers")]: [...p.phase1DhGroupNumbers],
    [slot("Phase1LifetimeSeconds")]: p.phase1LifetimeSeconds,
    [slot("Phase2EncryptionAlgorithms")]: [...p.phase2EncryptionAlgorithms],
    [slot("Phase2IntegrityAlgorithms")]: [...p.phase2IntegrityAlgorithms],
    [slot("Phase2DhGroupNumbers")]: [...p.phase2DhGroupNumbers],
    [slot("Phase2LifetimeSeconds")]: p.phase2LifetimeSeconds,
    // AWS starts IKE itself, so the tunnel comes up without waiting for traffic.
    [slot("StartupAction")]: "start",
    [slot("DpdTimeoutAction")]: "restart",
    // IKE/IPSec negotiation and BGP session logs, JSON, into the stack's encrypted tunnel log group.
    [slot("LogOptions")]: {
      cloudwatchLogOptions: {
        logEnabled: true,
        logGroupArn,
        logOutputFormat: "json",
        bgpLogEnabled: true,
        bgpLogGroupArn: logGroupArn,
        bgpLogOutputFormat: "json",
      },
    },
  } as AwsTunnelArgs;
}

/**
 * Site-to-site IPSec between the AWS virtual private gateway and the OCI DRG, stood up in one
 * deployment. Per pair: an AWS VPN connection (created on a placeholder customer gateway), an OCI
 * CPE on that connection's paired tunnel outside IP, an OCI IPSec connection with both tunnels
 * configured (BGP, IKEv2, keys, inside addresses), the real AWS customer gateway on the paired
 * Oracle headend, and the swap that attaches it. See tunnels.ts for the topology.
 */
export class IpsecVpn extends pulumi.ComponentResource {
  readonly outputs: IpsecVpnOutputs;

  constructor(name: string, args: IpsecVpnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:interconnect:IpsecVpn", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const { namePrefix, compartmentId } = args.context;
    const freeformTags = { ...args.context.ociFreeformTags };

    const ctx = awsContext(child);
    // The accounts the customer-gateway swap may act in: the configured ones, else the provider's.
    const expectedAccountIds = args.context.awsAllowedAccountIds
      ? [...args.context.awsAllowedAccountIds]
      : ctx.apply((c) => [c.accountId]);

    const tunnelLogs = encryptedLogGroup(`${name}-tunnel-logs`, this, {
      logGroupName: `/${namePrefix}/vpn-tunnels`,
      description: `${namePrefix} VPN tunnel logs`,
      retentionDays: args.logRetentionDays,
      keyAdministratorArns: args.context.keyAdministratorArns,
      isProduction: args.context.isProduction,
      ctx,
    });

    const tunnels: TunnelOutput[] = [];
    const vpnConnectionIds: pulumi.Output<string>[] = [];
    for (const planned of crossedTunnelPairs(args.settings)) {
      const { pair, pairedIndex } = planned;
      const keys = planned.tunnels.map((tunnel) => {
        // Letters and digits only (AWS and OCI both accept them); a fixed letter first, since AWS refuses a leading 0.
        const body = new random.RandomPassword(
          `${name}-psk-${pair}-${tunnel.index}`,
          { length: 40, special: false },
          child,
        );
        return pulumi.secret(pulumi.interpolate`k${body.result}`);
      });

      // A placeholder per connection: CreateCustomerGateway returns the existing gateway for the same IP,
      // ASN and type unless the device name differs, and CreateVpnConnection returns the existing
      // connection for the same customer and virtual private gateway — one shared placeholder would
      // make every pair the same connection.
      const placeholder = new aws.ec2.CustomerGateway(
        `${name}-placeholder-cgw-${pair}`,
        {
          bgpAsn: String(ORACLE_BGP_ASN),
          ipAddress: args.placeholderIp,
          type: "ipsec.1",
          deviceName: `${namePrefix}-placeholder-${pair}`,
          tags: { Name: `${namePrefix}-placeholder-cgw-${pair}` },
        },
        child,
      );
      const vpn = new aws.ec2.VpnConnection(
        `${name}-vpn-${pair}`,
        {
          type: "ipsec.1",
          vpnGatewayId: args.vpnGatewayId,
          customerGatewayId: placeholder.id,
          staticRoutesOnly: false,
          ...awsTunnelArgs(planned.tunnels[0], keys[0], tunnelLogs.arn),
          ...awsTunnelArgs(planned.tunnels[1], keys[1], tunnelLogs.arn),
          tags: { Name: `${namePrefix}-oci-${pair}` },
        },
        // The swap below owns the customer gateway after creation.
        { parent: this, ignoreChanges: ["customerGatewayId"] },
      );
      const outsideIps = [vpn.tunnel1Address, vpn.tunnel2Address];
      const pairedOutsideIp = outsideIps[pairedIndex - 1];

      const cpe = new oci.core.Cpe(
        `${name}-cpe-${pair}`,
        { compartmentId, ipAddress: pairedOutsideIp, displayName: `${namePrefix}-aws-vpn-${pair}`, freeformTags },
        child,
      );
      const ipsec = new oci.core.Ipsec(
        `${name}-ipsec-${pair}`,
        {
          compartmentId,
          cpeId: cpe.id,
          drgId: args.drgId,
          staticRoutes: [args.awsCidr],
          cpeLocalIdentifier: pairedOutsideIp,
          cpeLocalIdentifierType: "IP_ADDRESS",
          displayName: `${namePrefix}-aws-${pair}`,
          freeformTags,
        },
        child,
      );
      // Tunnel order as OCI lists it is not guaranteed; order by OCID so index 1/2 never swaps.
      const ociTunnelIds = oci.core
        .getIpsecConnectionTunnelsOutput({ ipsecId: ipsec.id }, child)
        .ipSecConnectionTunnels.apply((list) => list.map((t) => t.id).sort());

      const managed = planned.tunnels.map(
        (tunnel, i) =>
          new oci.core.IpsecConnectionTunnelManagement(
            `${name}-tunnel-${pair}-${tunnel.index}`,
            {
              ipsecId: ipsec.id,
              tunnelId: ociTunnelIds.apply((ids) => {
                if (ids.length !== 2)
                  throw new pulumi.ResourceError(
                    `OCI IPSec connection ${pair} has ${ids.length} tunnels; expected 2`,
                    this,
                  );
                return ids[i];
              }),
              displayName: `${namePrefix}-aws-${pair}-t${tunnel.index}`,
              routing: "BGP",
              ikeVersion: IKE_PROFILE.oci.ikeVersion,
              sharedSecret: keys[i],
              bgpSessionInfo: {
                customerBgpAsn: String(args.awsSideAsn),
                customerInterfaceIp: `${tunnel.awsInsideIp}/30`,
                oracleInterfaceIp: `${tunnel.ociInsideIp}/30`,
              },
              oracleCanInitiate: "INITIATOR_OR_RESPONDER",
              dpdConfigs: [{ dpdMode: "INITIATE_AND_RESPOND", dpdTimeoutInSec: 20 }],
              phaseOneDetails: { ...IKE_PROFILE.oci.phaseOneDetails },
              phaseTwoDetails: { ...IKE_PROFILE.oci.phaseTwoDetails },
            },
            child,
          ),
      );

      // OCI creates one DRG attachment per tunnel on its autogenerated table; move each to the managed one.
      managed.forEach(
        (tunnel, i) =>
          new oci.core.DrgAttachmentManagement(
            `${name}-drg-attach-${pair}-${planned.tunnels[i].index}`,
            {
              attachmentType: "IPSEC_TUNNEL",
              compartmentId,
              drgId: args.drgId,
              networkId: tunnel.tunnelId,
              drgRouteTableId: args.drgRouteTableId,
              displayName: `${namePrefix}-aws-${pair}-t${planned.tunnels[i].index}`,
              freeformTags,
            },
            child,
          ),
      );

      const customerGateway = new aws.ec2.CustomerGateway(
        `${name}-cgw-${pair}`,
        {
          bgpAsn: String(ORACLE_BGP_ASN),
          ipAddress: managed[pairedIndex - 1].vpnIp,
          type: "ipsec.1",
          tags: { Name: `${namePrefix}-oci-headend-${pair}` },
        },
        child,
      );
      new VpnCustomerGatewaySwap(
        `${name}-cgw-swap-${pair}`,
        {
          region: args.context.awsRegion,
          vpnConnectionId: vpn.id,
          customerGatewayId: customerGateway.id,
          placeholderCustomerGatewayId: placeholder.id,
          expectedAccountIds,
        },
        child,
      );

      vpnConnectionIds.push(vpn.id);
      planned.tunnels.forEach((tunnel, i) =>
        tunnels.push({
          pair,
          index: tunnel.index,
          paired: tunnel.paired,
          insideCidr: tunnel.insideCidr,
          awsInsideIp: tunnel.awsInsideIp,
          ociInsideIp: tunnel.ociInsideIp,
          awsVpnConnectionId: vpn.id,
          awsOutsideIp: outsideIps[i],
          ociIpsecId: ipsec.id,
          ociTunnelId: managed[i].tunnelId,
          ociHeadendIp: managed[i].vpnIp,
        }),
      );
    }

    this.outputs = { tunnels, vpnConnectionIds };
    this.registerOutputs(this.outputs);
  }
}
