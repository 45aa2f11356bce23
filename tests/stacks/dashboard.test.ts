/**
 * The overview dashboard generated on the dev and prod plans points at something, panel by panel:
 * every query's metric is in METRIC_CATALOG (namespace, name and the dimensions it is queried by),
 * and every dimension value is a value of a resource the plan creates — no panel on a tunnel,
 * database or function that does not exist, none on the tunnels that never come up. The check is
 * shown to fail on a dashboard that points at a resource the plan lacks.
 */
import { expect } from "chai";
import {
  DASHBOARD_DATASOURCES,
  METRIC_CATALOG,
  overviewDashboard,
  withPanelIds,
} from "../../components/monitoring/overviewDashboard";
import { scrapeConfiguration } from "../../components/monitoring/serviceMetrics";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { syncMetrics } from "../../functions/aws/orders/syncMetrics";
import { RunResult } from "../../offline/engine";
import { runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- dashboard JSON read field by field

/** Every string anywhere in the plan's resources (inputs and state): what a dimension value may trace to. */
function planValues(run: RunResult): Set<string> {
  const values = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") values.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const r of run.resources) {
    if (r.id) values.add(r.id);
    walk(r.inputs);
    walk(r.state);
  }
  return values;
}

interface Query {
  readonly panel: string;
  readonly cloud: "aws" | "oci";
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Record<string, string>;
}

/** The dashboard's queries, normalised: CloudWatch's dimensions map, the OCI plugin's `key = "value"` list. */
function queriesOf(dashboard: Json): Query[] {
  return (dashboard.panels as Json[])
    .filter((p) => p.type !== "row" && p.datasource.type !== DASHBOARD_DATASOURCES.prometheus.type)
    .flatMap((p) =>
      ((p.targets ?? []) as Json[]).map((t) => {
        if (p.datasource.type === DASHBOARD_DATASOURCES.cloudwatch.type)
          return {
            panel: p.title,
            cloud: "aws" as const,
            namespace: t.namespace,
            metric: t.metricName,
            dimensions: t.dimensions,
          };
        const dimensions = Object.fromEntries(
          (t.dimensionValues as string[]).map((d) => /^(\w+) = "(.*)"$/.exec(d)!.slice(1, 3)),
        );
        return { panel: p.title, cloud: "oci" as const, namespace: t.namespace, metric: t.metric, dimensions };
      }),
    );
}

/** What is wrong with the dashboard against the plan: unknown metrics, wrong dimensions, values no resource has. */
function danglingQueries(dashboard: Json, run: RunResult): string[] {
  const values = planValues(run);
  const problems: string[] = [];
  for (const q of queriesOf(dashboard)) {
    const known = METRIC_CATALOG.find(
      (m) => m.cloud === q.cloud && m.namespace === q.namespace && m.metric === q.metric,
    );
    if (!known) {
      problems.push(`${q.panel}: ${q.namespace}/${q.metric} is not a metric of the catalog`);
      continue;
    }
    if (JSON.stringify(Object.keys(q.dimensions).sort()) !== JSON.stringify([...known.dimensions].sort()))
      problems.push(
        `${q.panel}: ${q.metric} queried by ${Object.keys(q.dimensions).join(", ")}, not ${known.dimensions.join(", ")}`,
      );
    for (const [key, value] of Object.entries(q.dimensions))
      if (!values.has(value) && !known.values?.[key]?.includes(value))
        problems.push(`${q.panel}: ${key} ${value} is no value of a resource of the plan`);
  }
  return problems;
}

for (const stack of ["dev", "prod"] as const) {
  describe(`overview dashboard (${stack})`, () => {
    let run: RunResult;
    let dashboard: Json;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
      dashboard = JSON.parse(String((run.outputs.monitoring as Json).overviewDashboard));
    });

    it("gives every panel and row its own id, 1 upward in order", () => {
      const ids = (dashboard.panels as Json[]).map((p) => p.id);
      expect(ids).to.deep.equal(ids.map((_, i) => i + 1));
      expect(withPanelIds({ panels: [{ type: "row", panels: [{ title: "a" }] }, { title: "b" }] })).to.deep.equal({
        panels: [
          { type: "row", id: 1, panels: [{ title: "a", id: 2 }] },
          { title: "b", id: 3 },
        ],
      });
    });

    it("points every panel at a catalogued metric and every dimension at a resource the plan creates", () => {
      expect(queriesOf(dashboard).length).to.be.above(10);
      expect(danglingQueries(dashboard, run)).to.deep.equal([]);
      expect(
        (dashboard.panels as Json[])
          .filter((p) => p.type !== "row" && ((p.targets ?? []) as Json[]).length === 0)
          .map((p) => p.title),
      ).to.deep.equal([]);
    });

    it("reads the order services' Prometheus metrics that their code registers, by the jobs the scraper creates", async () => {
      const registered = new Set([
        ...(
          await serviceMetrics(() => ({ size: 1, inUse: 0, queued: 0 }), {
            processMetrics: false,
          }).registry.getMetricsAsJSON()
        ).map((metric) => metric.name),
        ...(await syncMetrics({ processMetrics: false }).registry.getMetricsAsJSON()).map((metric) => metric.name),
      ]);
      const prometheus = (dashboard.panels as Json[]).filter(
        (p) => p.type !== "row" && p.datasource.type === DASHBOARD_DATASOURCES.prometheus.type,
      );
      expect(prometheus.length).to.equal(3);
      const scrape = JSON.parse(scrapeConfiguration("orders", ["orders-api", "orders-sync"])) as Json;
      const jobs = new Set((scrape.scrape_configs as Json[]).map((c) => c.job_name));
      for (const target of prometheus.flatMap((p) => p.targets as Json[])) {
        const names = [...String(target.expr).matchAll(/([a-z_]+)(?:_bucket|_count)?\{job="([^"]+)"\}/g)];
        expect(names.length, target.expr).to.be.above(0);
        for (const [, metric, job] of names) {
          expect(registered.has(metric.replace(/_(bucket|count)$/, "")), `${metric} in ${target.expr}`).to.equal(true);
          expect(jobs.has(job), job).to.equal(true);
        }
      }
    });

    it("shows the paired tunnels only, on both clouds, and the private circuit only where there is one", () => {
      const tunnels = (run.outputs.interconnect as Json).tunnels as Json[];
      const shownIps = new Set(
        queriesOf(dashboard)
          .filter((q) => q.namespace === "AWS/VPN")
          .map((q) => q.dimensions.TunnelIpAddress),
      );
      const shownOci = new Set(
        queriesOf(dashboard)
          .filter((q) => q.namespace === "oci_vpn")
          .map((q) => q.dimensions.resourceId),
      );
      expect([...shownIps].sort()).to.deep.equal(
        tunnels
          .filter((t) => t.paired)
          .map((t) => t.awsOutsideIp)
          .sort(),
      );
      expect([...shownOci].sort()).to.deep.equal(
        tunnels
          .filter((t) => t.paired)
          .map((t) => t.ociTunnelId)
          .sort(),
      );
      expect(queriesOf(dashboard).some((q) => q.namespace === "AWS/DX" || q.namespace === "oci_fastconnect")).to.equal(
        stack === "prod",
      );
    });

    it("catches a panel pointing at nothing", () => {
      const wrong = overviewDashboard({
        stack: "multicloud-elsewhere",
        awsRegion: "eu-west-1",
        ociRegion: "eu-frankfurt-1",
        ociCompartmentId: "ocid1.compartment.oc1..x",
        tunnels: [{ label: "ghost", awsOutsideIp: "203.0.113.99", ociTunnelId: "ocid1.ipsectunnel.oc1.fra.ghost" }],
        databases: [],
        ml: {
          featuresFunction: "no-such-function",
          inferenceFunction: "multicloud-dev-inference",
          endpointName: "multicloud-dev-feature-model",
        },
        services: { apiJob: "orders-api", syncJob: "orders-sync" },
        pipelines: {
          functions: [{ label: "ghost", id: "ocid1.fnfunc.oc1.fra.ghost" }],
          connectors: [{ label: "ghost", id: "ocid1.serviceconnector.oc1.fra.ghost" }],
        },
      });
      const problems = danglingQueries(wrong as Json, run);
      expect(problems).to.include.members([
        "AWS VPN tunnel state = BGP established (paired tunnels): TunnelIpAddress 203.0.113.99 is no value of a resource of the plan",
        "OCI IPSec tunnel state (paired tunnels): resourceId ocid1.ipsectunnel.oc1.fra.ghost is no value of a resource of the plan",
        "Feature function iterator age: FunctionName no-such-function is no value of a resource of the plan",
        "Cross-cloud probe: connect time and failures: Stack multicloud-elsewhere is no value of a resource of the plan",
        "OCI functions: failed invocations: resourceId ocid1.fnfunc.oc1.fra.ghost is no value of a resource of the plan",
        "Connector Hub: failed deliveries: connectorId ocid1.serviceconnector.oc1.fra.ghost is no value of a resource of the plan",
      ]);
      // A dimension the cloud defines is checked against the values it defines.
      const misspelt = JSON.parse(
        JSON.stringify(wrong).replace('responseType = \\"Error\\"', 'responseType = \\"Failed\\"'),
      ) as Json;
      expect(danglingQueries(misspelt, run)).to.include(
        "OCI functions: failed invocations: responseType Failed is no value of a resource of the plan",
      );
      expect(danglingQueries(wrong as Json, run).filter((p) => p.includes("responseType"))).to.deep.equal([]);
    });
  });
}
