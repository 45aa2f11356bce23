import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { OciFederatedGroup } from "../config/federation";
import { PlatformContext, platformOptions } from "../shared/context";

export interface FederatedAccessArgs {
  /** The identity domain's name and the federated groups the org stack made (its outputs). */
  readonly identityDomainName: pulumi.Input<string>;
  readonly groupNames: pulumi.Input<Readonly<Partial<Record<OciFederatedGroup, string>>>>;
  readonly context: PlatformContext;
}

/**
 * What each federated OCI group may do in one compartment. Administrators manage it; network admins
 * the virtual-network family (VCNs, subnets, DRGs, gateways); database admins the Autonomous
 * Database family; readers inspect everything and read the configuration of networks, databases,
 * functions, streams' metadata, metrics, alarms and logs — not secret contents, object data or
 * stream messages. Everyone below administrator may inspect the rest, to see where things are.
 */
export const OCI_GROUP_RIGHTS: Readonly<Record<OciFederatedGroup, readonly string[]>> = {
  administrators: ["manage all-resources"],
  networkAdmins: ["manage virtual-network-family", "inspect all-resources"],
  databaseAdmins: ["manage autonomous-database-family", "read metrics", "inspect all-resources"],
  readers: ["inspect all-resources", "read virtual-network-family", "read autonomous-database-family", "read functions-family", "read metrics", "read alarms", "read log-groups", "read log-content"],
};

export function federatedAccessStatements(domainName: string, groupNames: Readonly<Partial<Record<OciFederatedGroup, string>>>, compartmentId: string): string[] {
  return (Object.keys(OCI_GROUP_RIGHTS) as OciFederatedGroup[])
    .filter((group) => groupNames[group] !== undefined)
    .flatMap((group) => OCI_GROUP_RIGHTS[group].map((right) => `Allow group '${domainName}'/'${groupNames[group]}' to ${right} in compartment id ${compartmentId}`));
}

/** The federated groups' rights in this environment's compartment (one policy; the groups are the org stack's). */
export class FederatedAccess extends pulumi.ComponentResource {
  constructor(name: string, args: FederatedAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:federation:FederatedAccess", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const policy = new oci.identity.Policy(
      `${name}-policy`,
      {
        compartmentId: context.compartmentId,
        name: `${context.namePrefix}-federated-access`,
        description: `${context.namePrefix}: what the company IdP's groups may do in this compartment`,
        statements: pulumi.all([args.identityDomainName, args.groupNames]).apply(([domain, groups]) => federatedAccessStatements(domain, groups, context.compartmentId)),
        freeformTags: { ...context.ociFreeformTags },
      },
      { parent: this },
    );
    this.registerOutputs({ policyId: policy.id });
  }
}
