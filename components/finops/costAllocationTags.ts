import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";

/** The tags AWS cost reports and budgets group and filter by (the platform's default tags). */
export const COST_ALLOCATION_TAGS = ["cost_center", "environment", "owner"] as const;

export interface CostAllocationTagsArgs {
  readonly context: PlatformContext;
}

/**
 * The platform's tags activated as AWS cost-allocation tags, so Cost Explorer, budgets and anomaly
 * monitors can filter by them. Account-wide and possible only in the payer account once the keys
 * appear in billing: the org stack creates it when `multicloud:aws.activateCostAllocationTags` is true.
 */
export class CostAllocationTags extends pulumi.ComponentResource {
  constructor(name: string, args: CostAllocationTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostAllocationTags", name, {}, platformOptions(args.context, opts));
    for (const tagKey of COST_ALLOCATION_TAGS)
      new aws.costexplorer.CostAllocationTag(
        `${name}-${tagKey.replace(/_/g, "-")}`,
        { tagKey, status: "Active" },
        { parent: this },
      );
    this.registerOutputs({});
  }
}
