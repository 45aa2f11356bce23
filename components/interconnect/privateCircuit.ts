import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DirectConnectSettings } from "../config/interconnect";
import { ResolvedFastConnect } from "../config/resolve";
import { PlatformContext, platformOptions } from "../shared/context";

export interface PrivateCircuitArgs {
  /** FastConnect settings (peering addresses) with the partner service and shape already looked up. */
  readonly fastConnect: ResolvedFastConnect;
  /** Direct Connect settings (connection, VLAN, peering addresses). */
  readonly directConnect: DirectConnectSettings;
  /** The partner router's ASN: the BGP peer of both Oracle and AWS. */
  readonly customerAsn: number;
  /** The AWS side's ASN (Direct Connect gateway). */
  readonly awsSideAsn: number;
  /** Name prefix, tags, compartment and providers; in production the physical resources are protected. */
  readonly context: PlatformContext;
  /** The virtual private gateway the Direct Connect gateway associates with. */
  readonly vpnGatewayId: pulumi.Input<string>;
  /** The AWS VPC range: the only prefix AWS advertises to the circuit. */
  readonly awsCidr: string;
  readonly drgId: pulumi.Input<string>;
}

export interface PrivateCircuitOutputs {
  readonly virtualCircuitId: pulumi.Output<string>;
  readonly providerState: pulumi.Output<string>;
  readonly bgpSessionState: pulumi.Output<string>;
  readonly directConnectGatewayId: pulumi.Output<string>;
  readonly connectionId: pulumi.Output<string>;
  readonly virtualInterfaceId: pulumi.Output<string>;
  /** BGP MD5 keys for the partner router: Oracle session and AWS session (secret). */
  readonly bgpKeys: pulumi.Output<{ oracleBgpMd5Key: string; awsBgpAuthKey: string }>;
}

/**
 * The private path for prod: an OCI FastConnect private virtual circuit on the DRG through a
 * partner, and on AWS a Direct Connect gateway, the connection (a partner's hosted connection
 * accepted here, or a dedicated port), a private virtual interface and the gateway's association
 * with the virtual private gateway. Both clouds peer with the partner's router (customerAsn);
 * BGP sessions carry MD5 keys generated here. The physical steps are in the README's runbook.
 */
export class PrivateCircuit extends pulumi.ComponentResource {
  readonly outputs: PrivateCircuitOutputs;

  constructor(name: string, args: PrivateCircuitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:interconnect:PrivateCircuit", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const physical = { parent: this, protect: args.context.isProduction };
    const { fastConnect: fc, directConnect: dx } = args;
    const { namePrefix, compartmentId } = args.context;

    const md5 = (suffix: string) =>
      pulumi.secret(new random.RandomPassword(`${name}-${suffix}`, { length: 32, special: false }, child).result);
    const oracleBgpMd5Key = md5("oracle-bgp-md5");
    const awsBgpAuthKey = md5("aws-bgp-md5");

    const circuit = new oci.core.VirtualCircuit(
      `${name}-fastconnect`,
      {
        compartmentId,
        type: "PRIVATE",
        displayName: `${namePrefix}-aws`,
        gatewayId: args.drgId,
        providerServiceId: fc.providerServiceId,
        bandwidthShapeName: fc.bandwidthShapeName,
        customerAsn: String(args.customerAsn),
        crossConnectMappings: [
          { customerBgpPeeringIp: fc.customerBgpPeeringIp, oracleBgpPeeringIp: fc.oracleBgpPeeringIp, bgpMd5authKey: oracleBgpMd5Key },
        ],
        freeformTags: { ...args.context.ociFreeformTags },
      },
      physical,
    );

    const gateway = new aws.directconnect.Gateway(
      `${name}-dxgw`,
      { name: `${namePrefix}-oci`, amazonSideAsn: String(args.awsSideAsn) },
      child,
    );

    let connectionId: pulumi.Output<string>;
    const ready: pulumi.Resource[] = [];
    if (dx.connectionType === "hosted") {
      const confirmation = new aws.directconnect.ConnectionConfirmation(`${name}-hosted-accept`, { connectionId: dx.connectionId }, physical);
      connectionId = confirmation.connectionId;
      ready.push(confirmation);
    } else {
      const connection = new aws.directconnect.Connection(
        `${name}-dedicated`,
        { name: `${namePrefix}-oci`, bandwidth: dx.bandwidth, location: dx.location, tags: { Name: `${namePrefix}-oci` } },
        physical,
      );
      connectionId = connection.id;
    }

    const vif = new aws.directconnect.PrivateVirtualInterface(
      `${name}-vif`,
      {
        connectionId,
        dxGatewayId: gateway.id,
        name: `${namePrefix}-oci`,
        vlan: dx.vlan,
        addressFamily: "ipv4",
        bgpAsn: args.customerAsn,
        amazonAddress: dx.amazonAddress,
        customerAddress: dx.customerAddress,
        bgpAuthKey: awsBgpAuthKey,
        mtu: 1500,
        tags: { Name: `${namePrefix}-oci` },
      },
      { ...physical, dependsOn: ready },
    );

    // allowedPrefixes is what AWS advertises towards the circuit: our VPC only.
    new aws.directconnect.GatewayAssociation(
      `${name}-dxgw-vgw`,
      { dxGatewayId: gateway.id, associatedGatewayId: args.vpnGatewayId, allowedPrefixes: [args.awsCidr] },
      child,
    );

    this.outputs = {
      virtualCircuitId: circuit.id,
      providerState: circuit.providerState,
      bgpSessionState: circuit.bgpSessionState,
      directConnectGatewayId: gateway.id,
      connectionId,
      virtualInterfaceId: vif.id,
      bgpKeys: pulumi.secret(pulumi.all([oracleBgpMd5Key, awsBgpAuthKey]).apply(([oracle, awsKey]) => ({ oracleBgpMd5Key: oracle, awsBgpAuthKey: awsKey }))),
    };
    this.registerOutputs(this.outputs);
  }
}
