import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";

/** One TCP port to or from one CIDR block. */
export interface TcpNsgRule {
  /** The source (ingress) or destination (egress) CIDR block. */
  readonly peer: pulumi.Input<string>;
  readonly port: number;
  readonly description: string;
}

/** A stateful single-port TCP rule of a network security group, the form every NSG of the platform uses. */
export function tcpNsgRule(
  name: string,
  parent: pulumi.Resource,
  nsgId: pulumi.Input<string>,
  direction: "INGRESS" | "EGRESS",
  rule: TcpNsgRule,
): oci.core.NetworkSecurityGroupSecurityRule {
  const peer =
    direction === "INGRESS"
      ? { source: rule.peer, sourceType: "CIDR_BLOCK" }
      : { destination: rule.peer, destinationType: "CIDR_BLOCK" };
  return new oci.core.NetworkSecurityGroupSecurityRule(
    name,
    {
      networkSecurityGroupId: nsgId,
      direction,
      protocol: "6",
      ...peer,
      stateless: false,
      description: rule.description,
      tcpOptions: { destinationPortRange: { min: rule.port, max: rule.port } },
    },
    { parent },
  );
}
