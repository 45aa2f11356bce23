import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";

export interface CostAnomalyMonitorsArgs {
  /** The cost centre codes the tag monitor watches (multicloud:costCenters). */
  readonly costCenters: readonly string[];
  /**
   * The account's existing AWS-services monitor, when it has one (AWS creates a default one in new
   * accounts, and an account may have only one): reused instead of created.
   */
  readonly existingServiceMonitorArn?: string;
  readonly context: PlatformContext;
}

export interface CostAnomalyMonitorsOutputs {
  /** The services monitor and the cost-centre monitor: what environment stacks subscribe to. */
  readonly monitorArns: pulumi.Output<string[]>;
}

/** The cost-centre monitor's specification: spend tagged with one of the codes (a cost-allocation tag monitor). */
export function costCenterMonitorSpecification(costCenters: readonly string[]): string {
  return JSON.stringify({ Tags: { Key: "cost_center", Values: [...costCenters], MatchOptions: ["EQUALS"] } });
}

/**
 * AWS Cost Anomaly Detection for the account: one monitor by AWS service (an account may have only
 * one; an existing one is reused) and one by the `cost_center` cost-allocation tag. Account-wide,
 * so the org stack owns them; each environment stack subscribes its alarm topic with its own
 * threshold (components/finops/costAnomalyAlerts.ts).
 */
export class CostAnomalyMonitors extends pulumi.ComponentResource {
  readonly outputs: CostAnomalyMonitorsOutputs;

  constructor(name: string, args: CostAnomalyMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:CostAnomalyMonitors", name, {}, platformOptions(args.context, opts));
    const child = { parent: this };
    const prefix = args.context.namePrefix;
    const services =
      args.existingServiceMonitorArn !== undefined
        ? pulumi.output(args.existingServiceMonitorArn)
        : new aws.costexplorer.AnomalyMonitor(
            `${name}-services`,
            { name: `${prefix}-services`, monitorType: "DIMENSIONAL", monitorDimension: "SERVICE" },
            child,
          ).arn;
    const costCenters = new aws.costexplorer.AnomalyMonitor(
      `${name}-cost-centers`,
      {
        name: `${prefix}-cost-centers`,
        monitorType: "CUSTOM",
        monitorSpecification: costCenterMonitorSpecification(args.costCenters),
      },
      child,
    );
    this.outputs = { monitorArns: pulumi.all([services, costCenters.arn]) };
    this.registerOutputs({ monitorArns: this.outputs.monitorArns });
  }
}
