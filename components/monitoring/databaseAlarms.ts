import * as pulumi from "@pulumi/pulumi";
import { MonitoringSettings } from "../config/monitoring";
import { PlatformContext, platformOptions } from "../shared/context";
import { createOciAlarms, ociAlarmQuery, OciAlarmSpec } from "../shared/ociAlarms";

export interface DatabaseAlarmsArgs {
  /** CPU and storage thresholds (multicloud:monitoring.alarms). */
  readonly settings: Pick<MonitoringSettings["alarms"], "databaseCpuPercent" | "databaseStoragePercent">;
  /** The Autonomous Databases watched, by label (the OLTP instance, and the Lakehouse where there is one). */
  readonly databases: Readonly<Record<string, pulumi.Input<string>>>;
  readonly ociTopicId: pulumi.Input<string>;
  readonly context: PlatformContext;
}

/** The alarms of one database: CPU above the threshold on average for 15 minutes; storage above its threshold. */
export function databaseAlarmSpecs(
  prefix: string,
  label: string,
  databaseId: pulumi.Input<string>,
  settings: DatabaseAlarmsArgs["settings"],
): Record<string, OciAlarmSpec> {
  return {
    [`${label}-cpu`]: {
      displayName: `${prefix}-${label}-cpu`,
      body: `${prefix}: the ${label} database's CPU has averaged above ${settings.databaseCpuPercent} % for 15 minutes — look at its top SQL (Performance Hub), or raise its ECPUs`,
      namespace: "oci_autonomous_database",
      query: pulumi
        .output(databaseId)
        .apply((id) => ociAlarmQuery("CpuUtilization", "5m", id, "mean", ">", settings.databaseCpuPercent)),
      severity: "WARNING",
      pendingDuration: "PT15M",
    },
    [`${label}-storage`]: {
      displayName: `${prefix}-${label}-storage`,
      body: `${prefix}: the ${label} database uses more than ${settings.databaseStoragePercent} % of its storage — add storage (config) or purge`,
      namespace: "oci_autonomous_database",
      query: pulumi
        .output(databaseId)
        .apply((id) => ociAlarmQuery("StorageUtilization", "5m", id, "max", ">", settings.databaseStoragePercent)),
      severity: "CRITICAL",
      pendingDuration: "PT5M",
    },
  };
}

/** OCI Monitoring alarms on the Autonomous Databases' CPU and storage, to the stack's OCI alarm topic. */
export class DatabaseAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: DatabaseAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:DatabaseAlarms", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const specs = Object.assign(
      {},
      ...Object.entries(args.databases).map(([label, id]) =>
        databaseAlarmSpecs(context.namePrefix, label, id, args.settings),
      ),
    ) as Record<string, OciAlarmSpec>;
    createOciAlarms(
      name,
      specs,
      { compartmentId: context.compartmentId, topicId: args.ociTopicId, freeformTags: context.ociFreeformTags },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
