import { exemptRole } from "../shared/access";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { OciFederatedGroup } from "../config/federation";
import { PlatformContext, platformOptions } from "../shared/context";

export interface FederatedAccessArgs {
  /** The identity domain's name and the federated groups the org stack made (its outputs). */
  readonly identityDomainName: pulumi.Input<string>;
  readonly groupNames: pulumi.Input<Readonly<Partial<Record<OciFederatedGroup, string>>>>;
  /** The org's cost namespace (its name): below administrator, changes need the stack's cost centre tag. */
  readonly costTagNamespace: pulumi.Input<string>;
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
  networkAdmins: ["read virtual-network-family", "manage virtual-network-family", "inspect all-resources"],
  databaseAdmins: [
    "read autonomous-database-family",
    "manage autonomous-database-family",
    "read metrics",
    "inspect all-resources",
  ],
  readers: [
    "inspect all-resources",
    "read virtual-network-family",
    "read autonomous-database-family",
    "read functions-family",
    "read metrics",
    "read alarms",
    "read log-groups",
    "read log-content",
  ],
};

/** The stack's cost centre as a defined tag: what creating or changing resources must carry. */
export interface CostTagCondition {
  readonly namespace: string;
  readonly costCenter: string;
}

/**
 * The statements. Below administrator (the break-glass group), `manage` of a family holds only for
 * requests whose resource carries the stack's cost centre — in the request (create, and updates that
 * set tags) or already on the target (changes to a tagged resource). `read` stays unconditional:
 * list and get requests carry no resource tags, so a tag condition would hide everything.
 */
export function federatedAccessStatements(
  domainName: string,
  groupNames: Readonly<Partial<Record<OciFederatedGroup, string>>>,
  compartmentId: string,
  costTag: CostTagCondition,
): string[] {
  const tag = `${costTag.namespace}.cost_center`;
  const condition = ` where any {request.resource.tag.${tag} = '${costTag.costCenter}', target.resource.tag.${tag} = '${costTag.costCenter}'}`;
  return (Object.keys(OCI_GROUP_RIGHTS) as OciFederatedGroup[])
    .filter((group) => groupNames[group] !== undefined)
    .flatMap((group) =>
      OCI_GROUP_RIGHTS[group].map((right) => {
        const conditioned = group !== "administrators" && right.startsWith("manage ");
        return `Allow group '${domainName}'/'${groupNames[group]}' to ${right} in compartment id ${compartmentId}${conditioned ? condition : ""}`;
      }),
    );
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
        statements: pulumi
          .all([args.identityDomainName, args.groupNames, args.costTagNamespace])
          .apply(([domain, groups, namespace]) =>
            federatedAccessStatements(domain, groups, context.compartmentId, {
              namespace,
              costCenter: context.tags.cost_center,
            }),
          ),
        freeformTags: { ...context.ociFreeformTags },
      },
      { parent: this },
    );
    exemptRole(policy, "people's rights (SAML groups by job function), not measured by declared calls");
    this.registerOutputs({ policyId: policy.id });
  }
}
