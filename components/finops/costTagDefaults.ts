import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";
import { DEFINED_COST_TAG_KEYS } from "../shared/tags";

export interface CostTagDefaultsArgs {
  /** The org stack's cost namespace: its tag definitions by name and the codes cost_center accepts. */
  readonly costTags: pulumi.Input<{
    readonly tagIds: Readonly<Record<string, string>>;
    readonly costCenters: readonly string[];
  }>;
  /** The stack's own values (multicloud:costCenter, environment, owner) and compartment. */
  readonly context: PlatformContext;
}

/** The stack's cost centre against the org's list: undefined when accepted, else what to fix. */
export function costCenterProblem(costCenter: string, allowed: readonly string[]): string | undefined {
  return allowed.includes(costCenter)
    ? undefined
    : `multicloud:costCenter ${costCenter} is not one of the org stack's multicloud:costCenters (${allowed.join(", ")}); add it there and bring org up first, or use a listed code`;
}

/**
 * Tag defaults on the environment's compartment: anything created in it — by this program, the
 * console or another tool — gets the defined cost tags with this stack's values, so nothing is
 * untagged for cost reports. The compartment is the environment's own, so its defaults belong to
 * this stack (a shared compartment's would belong to the org stack).
 */
export class CostTagDefaults extends pulumi.ComponentResource {
  readonly tagDefaultIds: pulumi.Output<string[]>;

  constructor(name: string, args: CostTagDefaultsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostTagDefaults", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const costTags = pulumi.output(args.costTags).apply((t) => {
      const problem = costCenterProblem(context.tags.cost_center, t.costCenters);
      if (problem) throw new pulumi.ResourceError(problem, this);
      return t;
    });
    const ids = DEFINED_COST_TAG_KEYS.map(
      (key) =>
        new oci.identity.TagDefault(
          `${name}-${key}`,
          {
            compartmentId: context.compartmentId,
            tagDefinitionId: costTags.apply((t) => t.tagIds[key]),
            value: context.tags[key],
            isRequired: false,
          },
          { parent: this },
        ).id,
    );
    this.tagDefaultIds = pulumi.all(ids);
    this.registerOutputs({ tagDefaultIds: this.tagDefaultIds });
  }
}
