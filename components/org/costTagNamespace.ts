import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";

/** The defined tags of the namespace: which OCI cost reports can group by (cost-tracking). */
export const COST_TAGS = [
  { name: "cost_center", description: "Cost centre code the resource is charged to", costTracking: true },
  {
    name: "environment",
    description: "Environment of the stack that created the resource (dev, staging, prod)",
    costTracking: true,
  },
  { name: "owner", description: "Team that owns the resource", costTracking: false },
] as const;

export type CostTagName = (typeof COST_TAGS)[number]["name"];

export interface CostTagNamespaceArgs {
  /** The namespace's name: unique in the tenancy, shown as the prefix of every defined tag (`<name>.cost_center`). */
  readonly namespaceName: string;
  /** The codes `cost_center` accepts (its ENUM validator): a resource tagged with another code is refused by OCI. */
  readonly costCenters: readonly string[];
  /** Name prefix, freeform tags, the tenancy (the context's compartment) and providers of the org stack. */
  readonly context: PlatformContext;
}

export interface CostTagNamespaceOutputs {
  readonly namespaceId: pulumi.Output<string>;
  readonly namespaceName: string;
  /** Tag definition ids by tag name. */
  readonly tagIds: Readonly<Record<CostTagName, pulumi.Output<string>>>;
  readonly costCenters: readonly string[];
}

/**
 * An OCI tag namespace in the tenancy's root compartment with the platform's defined tags,
 * `cost_center` and `environment` marked cost-tracking so budgets and cost reports can filter by
 * them; `cost_center` takes only the configured codes. A namespace exists once per tenancy, so only the org stack creates it; environment stacks
 * read its name through the org stack's outputs. Protected: retiring a namespace retires every
 * tag on every resource.
 */
export class CostTagNamespace extends pulumi.ComponentResource {
  readonly outputs: CostTagNamespaceOutputs;

  constructor(name: string, args: CostTagNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:org:CostTagNamespace", name, {}, platformOptions(args.context, opts));
    const kept = { parent: this, protect: args.context.isProduction };
    const namespace = new oci.identity.TagNamespace(
      `${name}-namespace`,
      {
        compartmentId: args.context.compartmentId,
        name: args.namespaceName,
        description: `Cost allocation tags of ${args.context.namePrefix.replace(/-org$/, "")} (owned by the org stack)`,
        freeformTags: { ...args.context.ociFreeformTags },
      },
      kept,
    );
    const tagIds = Object.fromEntries(
      COST_TAGS.map((tag) => [
        tag.name,
        new oci.identity.Tag(
          `${name}-${tag.name}`,
          {
            tagNamespaceId: namespace.id,
            name: tag.name,
            description: tag.description,
            isCostTracking: tag.costTracking,
            ...(tag.name === "cost_center"
              ? { validator: { validatorType: "ENUM", values: [...args.costCenters] } }
              : {}),
            freeformTags: { ...args.context.ociFreeformTags },
          },
          kept,
        ).id,
      ]),
    ) as Record<CostTagName, pulumi.Output<string>>;
    this.outputs = {
      namespaceId: namespace.id,
      namespaceName: args.namespaceName,
      tagIds,
      costCenters: args.costCenters,
    };
    this.registerOutputs(this.outputs);
  }
}
