import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DirectConnectPlan, FastConnectPlan } from "../config/interconnect";
import { ResolvedFastConnect } from "./fastConnectService";

export interface PrivateCircuitArgs {
  /** FastConnect settings from config (peering addresses). */
  readonly fastConnect: FastConnectPlan;
  /** The partner service and shape, already looked up and checked. */
  readonly service: ResolvedFastConnect;
  /** Direct Connect settings from config (connection, VLAN, peering addresses). */
  readonly directConnect: DirectConnectPlan;
  /** The partner router's ASN: the BGP peer of both Oracle and AWS. */
  readonly customerAsn: number;
  /** The AWS side's ASN (Direct Connect gateway). */
  readonly awsSideAsn: number;
  /** The virtual private gateway the Direct Connect gateway associates with. */
  readonly vpnGatewayId: pulumi.Input<string>;
  /** The AWS VPC range: the only prefix AWS advertises to the circuit. */
  readonly awsCidr: string;
  readonly compartmentId: string;
  readonly drgId: pulumi.Input<string>;
  readonly freeformTags: Record<string, string>;
  readonly namePrefix: string;
  /** Protect the circuit and the interface from deletion (prod: they are physical orders). */
  readonly protect: boolean;
}

/**
 * The private path for prod: an OCI FastConnect private virtual circuit on the DRG through a
 * partner, and on AWS a Direct Connect gateway, the connection (a partner's hosted connection
 * accepted here, or a dedicated port), a private virtual interface and the gateway's association
 * with the virtual private gateway. Both clouds peer with the partner's router (customerAsn);
 * BGP sessions carry MD5 keys generated here. The physical steps are in the README's runbook.
 */
export class PrivateCircuit extends pulumi.ComponentResource {
  readonly virtualCircuitId: pulumi.Output<string>;
  readonly providerState: pulumi.Output<string>;
  readonly bgpSessionState: pulumi.Output<string>;
  readonly directConnectGatewayId: pulumi.Output<string>;
  readonly connectionId: pulumi.Output<string>;
  readonly virtualInterfaceId: pulumi.Output<string>;
  /** BGP MD5 keys for the partner router: Oracle session and AWS session (secret). */
  readonly oracleBgpMd5Key: pulumi.Output<string>;
  readonly awsBgpAuthKey: pulumi.Output<string>;

  constructor(name: string, args: PrivateCircuitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:interconnect:PrivateCircuit", name, {}, opts);
    const child = { parent: this };
    const physical = { parent: this, protect: args.protect };
    const { fastConnect: fc, directConnect: dx, namePrefix } = args;

    const md5 = (suffix: string) =>
      pulumi.secret(new random.RandomPassword(`${name}-${suffix}`, { length: 32, special: false }, child).result);
    this.oracleBgpMd5Key = md5("oracle-bgp-md5");
    this.awsBgpAuthKey = md5("aws-bgp-md5");

    const circuit = new oci.core.VirtualCircuit(
      `${name}-fastconnect`,
      {
        compartmentId: args.compartmentId,
        type: "PRIVATE",
        displayName: `${namePrefix}-aws`,
        gatewayId: args.drgId,
        providerServiceId: args.service.providerServiceId,
        bandwidthShapeName: args.service.bandwidthShapeName,
        customerAsn: String(args.customerAsn),
        crossConnectMappings: [
          { customerBgpPeeringIp: fc.customerBgpPeeringIp, oracleBgpPeeringIp: fc.oracleBgpPeeringIp, bgpMd5authKey: this.oracleBgpMd5Key },
        ],
        freeformTags: args.freeformTags,
      },
      physical,
    );
    this.virtualCircuitId = circuit.id;
    this.providerState = circuit.providerState;
    this.bgpSessionState = circuit.bgpSessionState;

    const gateway = new aws.directconnect.Gateway(
      `${name}-dxgw`,
      { name: `${namePrefix}-oci`, amazonSideAsn: String(args.awsSideAsn) },
      child,
    );
    this.directConnectGatewayId = gateway.id;

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
    this.connectionId = connectionId;

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
        bgpAuthKey: this.awsBgpAuthKey,
        mtu: 1500,
        tags: { Name: `${namePrefix}-oci` },
      },
      { ...physical, dependsOn: ready },
    );
    this.virtualInterfaceId = vif.id;

    // allowedPrefixes is what AWS advertises towards the circuit: our VPC only.
    new aws.directconnect.GatewayAssociation(
      `${name}-dxgw-vgw`,
      { dxGatewayId: gateway.id, associatedGatewayId: args.vpnGatewayId, allowedPrefixes: [args.awsCidr] },
      child,
    );

    this.registerOutputs({
      virtualCircuitId: this.virtualCircuitId,
      providerState: this.providerState,
      directConnectGatewayId: this.directConnectGatewayId,
      connectionId: this.connectionId,
      virtualInterfaceId: this.virtualInterfaceId,
    });
  }
}
