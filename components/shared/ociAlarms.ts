import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";

/** What one OCI Monitoring alarm watches; notification and cadence are decided here for every alarm. */
export interface OciAlarmSpec {
  readonly displayName: string;
  /** What on-call reads in the notification: what broke and where to look. */
  readonly body: string;
  readonly namespace: string;
  /** An MQL query, e.g. `TunnelState[1m]{resourceId = "…"}.max() < 1` (ociAlarmQuery). */
  readonly query: pulumi.Input<string>;
  readonly severity: "CRITICAL" | "ERROR" | "WARNING";
  /** How long the condition holds before the alarm fires (ISO 8601, e.g. PT5M). */
  readonly pendingDuration: string;
}

/**
 * An MQL query on one resource's metric: `<metric>[<interval>]{<dimensions>}.<statistic>() <op> <threshold>`,
 * the dimensions being `resourceId = "<id>"` when given an id, else each `name = "value"` (all must match).
 */
export function ociAlarmQuery(
  metric: string,
  interval: string,
  resource: string | Readonly<Record<string, string>>,
  statistic: "max" | "min" | "mean" | "sum",
  operator: "<" | ">",
  threshold: number,
): string {
  return `${metric}[${interval}]{${mqlDimensions(resource).join(", ")}}.${statistic}() ${operator} ${threshold}`;
}

/** MQL dimension filters, each `name = "value"`: `resourceId` when given an id, else each named dimension. */
export function mqlDimensions(resource: string | Readonly<Record<string, string>>): string[] {
  const dimensions = typeof resource === "string" ? { resourceId: resource } : resource;
  return Object.entries(dimensions).map(([name, value]) => `${name} = "${value}"`);
}

/** One alarm per spec, named `${name}-<key>`: enabled, notifying `topicId` on firing and on recovery, repeating every 4 hours while firing. */
export function createOciAlarms(
  name: string,
  specs: Record<string, OciAlarmSpec>,
  args: { compartmentId: string; topicId: pulumi.Input<string>; freeformTags: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
): oci.monitoring.Alarm[] {
  return Object.entries(specs).map(
    ([suffix, spec]) =>
      new oci.monitoring.Alarm(
        `${name}-${suffix}`,
        {
          compartmentId: args.compartmentId,
          metricCompartmentId: args.compartmentId,
          displayName: spec.displayName,
          body: spec.body,
          namespace: spec.namespace,
          query: spec.query,
          severity: spec.severity,
          pendingDuration: spec.pendingDuration,
          resolution: "1m",
          isEnabled: true,
          destinations: [args.topicId],
          repeatNotificationDuration: "PT4H",
          messageFormat: "ONS_OPTIMIZED",
          freeformTags: { ...args.freeformTags },
        },
        opts,
      ),
  );
}
