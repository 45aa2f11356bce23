import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";
import { createOciAlarms, ociAlarmQuery, OciAlarmSpec } from "../shared/ociAlarms";

export interface PipelineAlarmsArgs {
  /** The OCI functions watched, by label (the anomaly consumer, the recommendation API and consumer). */
  readonly functions: Readonly<Record<string, pulumi.Input<string>>>;
  /** The Connector Hub connectors watched, by label (each delivers a stream to a function). */
  readonly connectors: Readonly<Record<string, pulumi.Input<string>>>;
  readonly ociTopicId: pulumi.Input<string>;
  readonly context: PlatformContext;
}

export interface PipelineAlarmsOutputs {
  /** Each alarm's OCID, by its key (`<label>-errors`, `<label>-delivery`). */
  readonly alarmIds: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * The metrics, from OCI's references: `oci_faas` FunctionResponseCount with the responseType
 * dimension (Success, Error, Throttled) per function OCID (resourceId); `oci_service_connector_hub`
 * ErrorsAtTarget per connector OCID (connectorId), with errorCode and errorType dimensions.
 */
export const PIPELINE_METRICS = {
  functionErrors: {
    namespace: "oci_faas",
    metric: "FunctionResponseCount",
    source: "https://docs.oracle.com/iaas/Content/Functions/Reference/functionsmetrics.htm",
  },
  deliveryErrors: {
    namespace: "oci_service_connector_hub",
    metric: "ErrorsAtTarget",
    source: "https://docs.oracle.com/iaas/Content/connector-hub/metrics-reference.htm",
  },
} as const;

/** A function's failed invocations: any in 5 minutes, held 5 minutes (a redelivered batch fails again). */
export function functionErrorsSpec(prefix: string, label: string, functionId: pulumi.Input<string>): OciAlarmSpec {
  const { namespace, metric } = PIPELINE_METRICS.functionErrors;
  return {
    displayName: `${prefix}-${label}-errors`,
    body: `${prefix}: the ${label} function's invocations fail (crash, timeout or out of memory, not a refused record — those go to the rejects table). Read the function's log in OCI Logging (the Functions application's invoke log); a consumer's batch is redelivered until it succeeds, so the stream backs up.`,
    namespace,
    query: pulumi
      .output(functionId)
      .apply((id) => ociAlarmQuery(metric, "5m", { resourceId: id, responseType: "Error" }, "sum", ">", 0)),
    severity: "CRITICAL",
    pendingDuration: "PT5M",
  };
}

/** A connector's failed deliveries to its function: any in 5 minutes, held 5 minutes. */
export function deliveryErrorsSpec(prefix: string, label: string, connectorId: pulumi.Input<string>): OciAlarmSpec {
  const { namespace, metric } = PIPELINE_METRICS.deliveryErrors;
  return {
    displayName: `${prefix}-${label}-delivery`,
    body: `${prefix}: Connector Hub cannot deliver the ${label} stream to its function (ErrorsAtTarget; the errorCode dimension says why: 429 throttled, 502 the function failed, 404 not authorized). It retries from the stream's cursor; messages older than the stream's retention are lost.`,
    namespace,
    query: pulumi.output(connectorId).apply((id) => ociAlarmQuery(metric, "5m", { connectorId: id }, "sum", ">", 0)),
    severity: "CRITICAL",
    pendingDuration: "PT5M",
  };
}

/**
 * OCI Monitoring alarms on the streaming pipelines: every function's failed invocations and every
 * connector's failed deliveries, to the stack's OCI alarm topic. A pipeline that cannot move data
 * is an alarm, not a quietly growing stream.
 */
export class PipelineAlarms extends pulumi.ComponentResource {
  readonly outputs: PipelineAlarmsOutputs;

  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:PipelineAlarms", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const prefix = context.namePrefix;
    const specs: Record<string, OciAlarmSpec> = {
      ...Object.fromEntries(
        Object.entries(args.functions).map(([label, id]) => [`${label}-errors`, functionErrorsSpec(prefix, label, id)]),
      ),
      ...Object.fromEntries(
        Object.entries(args.connectors).map(([label, id]) => [
          `${label}-delivery`,
          deliveryErrorsSpec(prefix, label, id),
        ]),
      ),
    };
    const alarms = createOciAlarms(
      name,
      specs,
      { compartmentId: context.compartmentId, topicId: args.ociTopicId, freeformTags: context.ociFreeformTags },
      { parent: this },
    );
    const keys = Object.keys(specs);
    this.outputs = { alarmIds: Object.fromEntries(alarms.map((a, i) => [keys[i], a.id])) };
    this.registerOutputs({ alarmIds: this.outputs.alarmIds });
  }
}
