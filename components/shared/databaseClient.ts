import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HTTPS_PORT, ORACLE_TLS_PORT } from "./ports";

export interface DatabaseClientNetwork {
  readonly vpcId: pulumi.Input<string>;
  /** The OCI database subnet: the only place the client may open the listener port to. */
  readonly databaseCidr: string;
  /** The VPC interface endpoints' security group. */
  readonly endpointSecurityGroupId: pulumi.Input<string>;
}

export interface DatabaseClientGroup {
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** Its egress rules: what an invocation of the function waits for besides the group. */
  readonly egressRules: readonly pulumi.Resource[];
}

/**
 * The security group of an in-VPC function that talks to the database: egress only to the Oracle
 * listener in the OCI database subnet and to the VPC interface endpoints, nothing in.
 */
export function databaseClientSecurityGroup(
  name: string,
  parent: pulumi.Resource,
  description: string,
  network: DatabaseClientNetwork,
): DatabaseClientGroup {
  const child = { parent };
  // The description is part of the group's identity (changing it replaces the group).
  const sg = new aws.ec2.SecurityGroup(`${name}-function-sg`, { vpcId: network.vpcId, description }, child);
  const toOracle = new aws.vpc.SecurityGroupEgressRule(
    `${name}-to-oracle`,
    {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: ORACLE_TLS_PORT,
      toPort: ORACLE_TLS_PORT,
      cidrIpv4: network.databaseCidr,
      description: "Oracle TLS listener in the OCI database subnet",
    },
    child,
  );
  const toEndpoints = new aws.vpc.SecurityGroupEgressRule(
    `${name}-to-endpoints`,
    {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      referencedSecurityGroupId: network.endpointSecurityGroupId,
      description: "VPC interface endpoints (Secrets Manager)",
    },
    // The migration function's rule was named for the one endpoint it used; the alias keeps it in place.
    { parent, aliases: [{ name: `${name}-to-secrets` }] },
  );
  return { securityGroup: sg, egressRules: [toOracle, toEndpoints] };
}
