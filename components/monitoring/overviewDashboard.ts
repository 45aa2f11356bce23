/**
 * The multi-cloud overview dashboard as code (@grafana/grafana-foundation-sdk), generated into
 * Grafana's JSON from what the stack created: the interconnect on both sides (the paired tunnels'
 * state and throughput, Direct Connect and FastConnect in fastconnect mode), the database (CPU,
 * storage, sessions), the ML pipeline (iterator age, Lambda errors, inference latency) and the
 * cross-cloud probe. Pure: every dimension value is an input, so a test traces each one to a
 * resource of the plan, and every metric to METRIC_CATALOG.
 */
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import { MetricsQueryBuilder } from "@grafana/grafana-foundation-sdk/cloudwatch";
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder as PromQuery } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { GRAFANA_DATASOURCES } from "../../functions/aws/grafana/contract";
import { mqlDimensions } from "../shared/ociAlarms";
import { PIPELINE_METRICS } from "./pipelineAlarms";

/** The datasources the dashboard names, by the uids the provisioning function gives them (the contract both import). */
const datasourceRef = (d: { readonly type: string; readonly uid: string }) => ({ type: d.type, uid: d.uid });
export const DASHBOARD_DATASOURCES = {
  cloudwatch: datasourceRef(GRAFANA_DATASOURCES.cloudwatch),
  oci: datasourceRef(GRAFANA_DATASOURCES.oci),
  prometheus: datasourceRef(GRAFANA_DATASOURCES.prometheus),
} as const;

/** The order services' Prometheus metrics the dashboard reads (their code registers them: a test checks). */
export const SERVICE_METRICS = {
  requestDuration: "http_request_duration_seconds",
  dbCallDuration: "orders_db_call_duration_seconds",
  syncLag: "orders_sync_consumer_lag",
  syncDeadLetters: "orders_sync_dead_letters_total",
  syncWriteFailures: "orders_sync_write_failures_total",
} as const;

/**
 * Every metric a panel may show, with the dimensions it is queried by and where the clouds document
 * it; `values` lists the values the cloud defines for a dimension that names no resource.
 */
export const METRIC_CATALOG: ReadonlyArray<{
  readonly cloud: "aws" | "oci";
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: readonly string[];
  readonly values?: Readonly<Record<string, readonly string[]>>;
  readonly source: string;
}> = [
  {
    cloud: "oci",
    namespace: PIPELINE_METRICS.functionErrors.namespace,
    metric: PIPELINE_METRICS.functionErrors.metric,
    dimensions: ["resourceId", "responseType"],
    values: { responseType: ["Success", "Error", "Throttled"] },
    source: PIPELINE_METRICS.functionErrors.source,
  },
  {
    cloud: "oci",
    namespace: PIPELINE_METRICS.deliveryErrors.namespace,
    metric: PIPELINE_METRICS.deliveryErrors.metric,
    dimensions: ["connectorId"],
    source: PIPELINE_METRICS.deliveryErrors.source,
  },
  ...["TunnelState", "TunnelDataIn", "TunnelDataOut"].map((metric) => ({
    cloud: "aws" as const,
    namespace: "AWS/VPN",
    metric,
    dimensions: ["TunnelIpAddress"],
    source: "https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html",
  })),
  ...["ConnectionState", "ConnectionBpsEgress", "ConnectionBpsIngress"].map((metric) => ({
    cloud: "aws" as const,
    namespace: "AWS/DX",
    metric,
    dimensions: ["ConnectionId"],
    source: "https://docs.aws.amazon.com/directconnect/latest/UserGuide/monitoring-cloudwatch.html",
  })),
  ...["IteratorAge", "Errors"].map((metric) => ({
    cloud: "aws" as const,
    namespace: "AWS/Lambda",
    metric,
    dimensions: ["FunctionName"],
    source: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
  })),
  {
    cloud: "aws",
    namespace: "AWS/SageMaker",
    metric: "ModelLatency",
    dimensions: ["EndpointName", "VariantName"],
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html",
  },
  ...["ConnectMs", "ProbeFailed"].map((metric) => ({
    cloud: "aws" as const,
    namespace: "multicloud/CrossCloud",
    metric,
    dimensions: ["Stack", "Target"],
    source: "functions/aws/probe/contract.ts (this repository's probe)",
  })),
  ...["TunnelState", "BytesReceived", "BytesSent"].map((metric) => ({
    cloud: "oci" as const,
    namespace: "oci_vpn",
    metric,
    dimensions: ["resourceId"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Reference/ipsecmetrics.htm",
  })),
  ...["ConnectionState", "BytesReceived", "BytesSent"].map((metric) => ({
    cloud: "oci" as const,
    namespace: "oci_fastconnect",
    metric,
    dimensions: ["resourceId"],
    source: "https://docs.oracle.com/en-us/iaas/Content/Network/Reference/fastconnectmetrics.htm",
  })),
  ...["CpuUtilization", "StorageUtilization", "Sessions"].map((metric) => ({
    cloud: "oci" as const,
    namespace: "oci_autonomous_database",
    metric,
    dimensions: ["resourceId"],
    source:
      "https://docs.oracle.com/en-us/iaas/autonomous-database-serverless/doc/autonomous-monitor-metrics-list.html",
  })),
];

export interface OverviewInput {
  readonly stack: string;
  readonly awsRegion: string;
  readonly ociRegion: string;
  readonly ociCompartmentId: string;
  /** The paired tunnels (the unpaired ones never come up: no panel for them). */
  readonly tunnels: ReadonlyArray<{
    readonly label: string;
    readonly awsOutsideIp: string;
    readonly ociTunnelId: string;
  }>;
  readonly privateCircuit?: { readonly connectionId: string; readonly virtualCircuitId: string };
  readonly databases: ReadonlyArray<{ readonly label: string; readonly id: string }>;
  readonly ml: { readonly featuresFunction: string; readonly inferenceFunction: string; readonly endpointName: string };
  /** The order services' Prometheus jobs (the scraper names each job after its app). */
  readonly services: { readonly apiJob: string; readonly syncJob: string };
  /** The OCI pipelines' functions and Connector Hub connectors. */
  readonly pipelines: {
    readonly functions: ReadonlyArray<{ readonly label: string; readonly id: string }>;
    readonly connectors: ReadonlyArray<{ readonly label: string; readonly id: string }>;
  };
}

/** An OCI Metrics plugin query (the SDK has no builder for the plugin): one metric of one resource (its dimensions), in MQL. */
class OciMetricQuery implements cog.Builder<cog.Dataquery> {
  constructor(
    private readonly q: {
      refId: string;
      region: string;
      compartment: string;
      namespace: string;
      metric: string;
      dimensions: string | Readonly<Record<string, string>>;
      statistic: "max" | "min" | "mean" | "sum";
      legend: string;
    },
  ) {}

  build(): cog.Dataquery {
    const { refId, region, compartment, namespace, metric, dimensions, statistic, legend } = this.q;
    const dimensionValues = mqlDimensions(dimensions);
    const query = {
      refId,
      region,
      compartment,
      namespace,
      metric,
      interval: "[1m]",
      statistic: `${statistic}()`,
      dimensionValues,
      legendFormat: legend,
      queryText: `${metric}[1m]{${dimensionValues.join(", ")}}.${statistic}()`,
    };
    return { ...query, _implementsDataqueryVariant: () => undefined };
  }
}

const refIds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function overviewDashboard(input: OverviewInput): Record<string, unknown> {
  const cw = (
    refId: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    statistic: string,
    label: string,
  ) =>
    new MetricsQueryBuilder()
      .refId(refId)
      .region(input.awsRegion)
      .namespace(namespace)
      .metricName(metricName)
      .dimensions(dimensions)
      .matchExact(true)
      .statistic(statistic)
      .period("300")
      .label(label);
  const oci = (
    refId: string,
    namespace: string,
    metric: string,
    resource: string | Readonly<Record<string, string>>,
    statistic: "max" | "min" | "mean" | "sum",
    legend: string,
  ) =>
    new OciMetricQuery({
      refId,
      region: input.ociRegion,
      compartment: input.ociCompartmentId,
      namespace,
      metric,
      dimensions: resource,
      statistic,
      legend,
    });
  const panel = (
    title: string,
    datasource: { type: string; uid: string },
    unit: string,
    targets: cog.Builder<cog.Dataquery>[],
  ) => {
    const p = new PanelBuilder().title(title).datasource(datasource).unit(unit).height(8).span(12);
    targets.forEach((t) => p.withTarget(t));
    return p;
  };
  const tunnels = input.tunnels;
  const dashboard = new DashboardBuilder(`${input.stack}: multi-cloud overview`)
    .uid(`${input.stack}-overview`.slice(0, 40))
    .tags(["multicloud", input.stack])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .withRow(new RowBuilder("Interconnect"))
    .withPanel(
      panel(
        "AWS VPN tunnel state = BGP established (paired tunnels)",
        DASHBOARD_DATASOURCES.cloudwatch,
        "short",
        tunnels.map((t, i) =>
          cw(refIds[i], "AWS/VPN", "TunnelState", { TunnelIpAddress: t.awsOutsideIp }, "Maximum", t.label),
        ),
      ),
    )
    .withPanel(
      panel(
        "OCI IPSec tunnel state (paired tunnels)",
        DASHBOARD_DATASOURCES.oci,
        "short",
        tunnels.map((t, i) => oci(refIds[i], "oci_vpn", "TunnelState", t.ociTunnelId, "max", t.label)),
      ),
    )
    .withPanel(
      panel(
        "AWS VPN throughput (bytes)",
        DASHBOARD_DATASOURCES.cloudwatch,
        "decbytes",
        tunnels.flatMap((t, i) => [
          cw(refIds[2 * i], "AWS/VPN", "TunnelDataIn", { TunnelIpAddress: t.awsOutsideIp }, "Sum", `${t.label} in`),
          cw(
            refIds[2 * i + 1],
            "AWS/VPN",
            "TunnelDataOut",
            { TunnelIpAddress: t.awsOutsideIp },
            "Sum",
            `${t.label} out`,
          ),
        ]),
      ),
    )
    .withPanel(
      panel(
        "OCI IPSec throughput (bytes)",
        DASHBOARD_DATASOURCES.oci,
        "decbytes",
        tunnels.flatMap((t, i) => [
          oci(refIds[2 * i], "oci_vpn", "BytesReceived", t.ociTunnelId, "sum", `${t.label} received`),
          oci(refIds[2 * i + 1], "oci_vpn", "BytesSent", t.ociTunnelId, "sum", `${t.label} sent`),
        ]),
      ),
    );
  if (input.privateCircuit) {
    const { connectionId, virtualCircuitId } = input.privateCircuit;
    dashboard
      .withPanel(
        panel("Direct Connect", DASHBOARD_DATASOURCES.cloudwatch, "bps", [
          cw("A", "AWS/DX", "ConnectionState", { ConnectionId: connectionId }, "Minimum", "state"),
          cw("B", "AWS/DX", "ConnectionBpsEgress", { ConnectionId: connectionId }, "Average", "egress"),
          cw("C", "AWS/DX", "ConnectionBpsIngress", { ConnectionId: connectionId }, "Average", "ingress"),
        ]),
      )
      .withPanel(
        panel("FastConnect", DASHBOARD_DATASOURCES.oci, "decbytes", [
          oci("A", "oci_fastconnect", "ConnectionState", virtualCircuitId, "min", "state"),
          oci("B", "oci_fastconnect", "BytesReceived", virtualCircuitId, "sum", "received"),
          oci("C", "oci_fastconnect", "BytesSent", virtualCircuitId, "sum", "sent"),
        ]),
      );
  }
  dashboard
    .withRow(new RowBuilder("Database"))
    .withPanel(
      panel(
        "Database CPU (%)",
        DASHBOARD_DATASOURCES.oci,
        "percent",
        input.databases.map((d, i) =>
          oci(refIds[i], "oci_autonomous_database", "CpuUtilization", d.id, "mean", d.label),
        ),
      ),
    )
    .withPanel(
      panel(
        "Database storage (%)",
        DASHBOARD_DATASOURCES.oci,
        "percent",
        input.databases.map((d, i) =>
          oci(refIds[i], "oci_autonomous_database", "StorageUtilization", d.id, "max", d.label),
        ),
      ),
    )
    .withPanel(
      panel(
        "Database sessions",
        DASHBOARD_DATASOURCES.oci,
        "short",
        input.databases.map((d, i) => oci(refIds[i], "oci_autonomous_database", "Sessions", d.id, "mean", d.label)),
      ),
    )
    .withRow(new RowBuilder("OCI pipelines"))
    .withPanel(
      panel(
        "OCI functions: failed invocations",
        DASHBOARD_DATASOURCES.oci,
        "short",
        input.pipelines.functions.map((f, i) =>
          oci(
            refIds[i],
            PIPELINE_METRICS.functionErrors.namespace,
            PIPELINE_METRICS.functionErrors.metric,
            { resourceId: f.id, responseType: "Error" },
            "sum",
            f.label,
          ),
        ),
      ),
    )
    .withPanel(
      panel(
        "Connector Hub: failed deliveries",
        DASHBOARD_DATASOURCES.oci,
        "short",
        input.pipelines.connectors.map((c, i) =>
          oci(
            refIds[i],
            PIPELINE_METRICS.deliveryErrors.namespace,
            PIPELINE_METRICS.deliveryErrors.metric,
            { connectorId: c.id },
            "sum",
            c.label,
          ),
        ),
      ),
    )
    .withRow(new RowBuilder("ML pipeline and the link from the applications' side"))
    .withPanel(
      panel("Feature function iterator age", DASHBOARD_DATASOURCES.cloudwatch, "ms", [
        cw("A", "AWS/Lambda", "IteratorAge", { FunctionName: input.ml.featuresFunction }, "Maximum", "iterator age"),
      ]),
    )
    .withPanel(
      panel("Lambda errors", DASHBOARD_DATASOURCES.cloudwatch, "short", [
        cw("A", "AWS/Lambda", "Errors", { FunctionName: input.ml.featuresFunction }, "Sum", "features"),
        cw("B", "AWS/Lambda", "Errors", { FunctionName: input.ml.inferenceFunction }, "Sum", "inference"),
      ]),
    )
    .withPanel(
      panel("Inference latency (model)", DASHBOARD_DATASOURCES.cloudwatch, "µs", [
        cw(
          "A",
          "AWS/SageMaker",
          "ModelLatency",
          { EndpointName: input.ml.endpointName, VariantName: "primary" },
          "p99",
          "p99",
        ),
      ]),
    )
    .withPanel(
      panel("Cross-cloud probe: connect time and failures", DASHBOARD_DATASOURCES.cloudwatch, "ms", [
        cw(
          "A",
          "multicloud/CrossCloud",
          "ConnectMs",
          { Stack: input.stack, Target: "oci-database-listener" },
          "Maximum",
          "connect ms",
        ),
        cw(
          "B",
          "multicloud/CrossCloud",
          "ProbeFailed",
          { Stack: input.stack, Target: "oci-database-listener" },
          "Maximum",
          "failed",
        ),
      ]),
    );
  const prom = (refId: string, expr: string, legend: string) =>
    new PromQuery().refId(refId).expr(expr).legendFormat(legend);
  const { apiJob, syncJob } = input.services;
  const m = SERVICE_METRICS;
  dashboard
    .withRow(new RowBuilder("Order service"))
    .withPanel(
      panel("Order API requests per second, by status", DASHBOARD_DATASOURCES.prometheus, "reqps", [
        prom("A", `sum by (status_code) (rate(${m.requestDuration}_count{job="${apiJob}"}[5m]))`, "{{status_code}}"),
      ]),
    )
    .withPanel(
      panel("Order API latency", DASHBOARD_DATASOURCES.prometheus, "s", [
        prom(
          "A",
          `histogram_quantile(0.99, sum by (le) (rate(${m.requestDuration}_bucket{job="${apiJob}"}[5m])))`,
          "p99",
        ),
        prom(
          "B",
          `histogram_quantile(0.99, sum by (le) (rate(${m.dbCallDuration}_bucket{job="${apiJob}"}[5m])))`,
          "database p99",
        ),
      ]),
    )
    .withPanel(
      panel("Order sync: lag and dead letters", DASHBOARD_DATASOURCES.prometheus, "short", [
        prom("A", `sum(${m.syncLag}{job="${syncJob}"})`, "lag"),
        prom("B", `sum(increase(${m.syncDeadLetters}{job="${syncJob}"}[5m]))`, "dead letters / 5 min"),
        prom("C", `sum(increase(${m.syncWriteFailures}{job="${syncJob}"}[5m]))`, "failed writes / 5 min"),
      ]),
    );
  return withPanelIds(dashboard.build() as unknown as Record<string, unknown>);
}

/**
 * Numbers every panel and row 1, 2, … in order (the SDK leaves rows at id 0 and panels without
 * one): Grafana links, alert rules and the panel editor address panels by a unique id.
 */
export function withPanelIds(model: Record<string, unknown>): Record<string, unknown> {
  let next = 0;
  const number = (panels: unknown): unknown[] | undefined =>
    Array.isArray(panels)
      ? panels.map((panel: Record<string, unknown>) => {
          const numbered: Record<string, unknown> = { ...panel, id: ++next };
          if (Array.isArray(panel.panels)) numbered.panels = number(panel.panels);
          return numbered;
        })
      : undefined;
  return { ...model, panels: number(model.panels) ?? [] };
}
