import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AfterHoursSettings } from "../config/budget";
import { PlatformContext, platformOptions } from "../shared/context";

/** The node group's scheduled actions: to zero (max 0, so the cluster autoscaler cannot undo it) at stop, back to config's sizes at start, weekdays. */
export function nodeScheduleActions(
  hours: AfterHoursSettings,
  nodes: { minSize: number; desiredSize: number; maxSize: number },
): { suffix: string; recurrence: string; minSize: number; desiredCapacity: number; maxSize: number }[] {
  const cron = (hhmm: string) => `${Number(hhmm.slice(3))} ${Number(hhmm.slice(0, 2))} * * MON-FRI`;
  return [
    { suffix: "stop", recurrence: cron(hours.stopUtc), minSize: 0, desiredCapacity: 0, maxSize: 0 },
    {
      suffix: "start",
      recurrence: cron(hours.startUtc),
      minSize: nodes.minSize,
      desiredCapacity: nodes.desiredSize,
      maxSize: nodes.maxSize,
    },
  ];
}

export interface NodeGroupAfterHoursArgs {
  readonly hours: AfterHoursSettings;
  /** The node group's Auto Scaling group (EKS creates it) and config's sizes to come back to. */
  readonly autoScalingGroupName: pulumi.Input<string>;
  readonly nodes: { readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  readonly context: PlatformContext;
}

/** The EKS node group to zero after hours and back in the morning (non-production). */
export class NodeGroupAfterHours extends pulumi.ComponentResource {
  constructor(name: string, args: NodeGroupAfterHoursArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:finops:NodeGroupAfterHours", name, {}, platformOptions(args.context, opts));
    for (const action of nodeScheduleActions(args.hours, args.nodes)) {
      new aws.autoscaling.Schedule(
        `${name}-${action.suffix}`,
        {
          scheduledActionName: `${args.context.namePrefix}-nodes-${action.suffix}`,
          autoscalingGroupName: args.autoScalingGroupName,
          recurrence: action.recurrence,
          timeZone: "Etc/UTC",
          minSize: action.minSize,
          desiredCapacity: action.desiredCapacity,
          maxSize: action.maxSize,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
