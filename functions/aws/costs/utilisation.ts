/**
 * The week's utilisation of the inventory: CloudWatch (SageMaker invocations per day, the node
 * group's average CPU per day) and OCI Monitoring (the Autonomous Database's average CPU per day,
 * a signed SummarizeMetricsData call). Days without a datapoint: no invocations counts as 0; no
 * CPU datapoint leaves the day out (the nodes or the database were not running), so such a
 * resource has less than a week and is not judged idle.
 */
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { addDays, daysBetween, ociPost, OciSigner } from "./collect";
import { IDLE_DAYS, InventoryItem } from "./idle";

/** The AWS items' daily values for the IDLE_DAYS days before `today`. */
export async function cloudWatchUtilisation(
  cw: Pick<CloudWatchClient, "send">,
  items: readonly InventoryItem[],
  today: string,
): Promise<Map<string, number[]>> {
  const aws = items.filter((i) => i.kind !== "autonomousDatabase");
  const result = new Map<string, number[]>();
  if (aws.length === 0) return result;
  const days = daysBetween(addDays(today, -IDLE_DAYS), today);
  const queries: MetricDataQuery[] = aws.map((item, n) => ({
    Id: `m${n}`,
    MetricStat:
      item.kind === "sagemakerEndpoint"
        ? {
            Metric: {
              Namespace: "AWS/SageMaker",
              MetricName: "Invocations",
              Dimensions: [
                { Name: "EndpointName", Value: item.id },
                { Name: "VariantName", Value: "primary" },
              ],
            },
            Period: 86_400,
            Stat: "Sum",
          }
        : {
            Metric: {
              Namespace: "AWS/EC2",
              MetricName: "CPUUtilization",
              Dimensions: [{ Name: "AutoScalingGroupName", Value: item.id }],
            },
            Period: 86_400,
            Stat: "Average",
          },
  }));
  const byId = new Map<string, Map<string, number>>();
  let token: string | undefined;
  do {
    const page = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(`${days[0]}T00:00:00Z`),
        EndTime: new Date(`${today}T00:00:00Z`),
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const r of page.MetricDataResults ?? []) {
      const values = byId.get(r.Id ?? "") ?? new Map<string, number>();
      (r.Timestamps ?? []).forEach((t, k) => values.set(new Date(t).toISOString().slice(0, 10), (r.Values ?? [])[k]));
      byId.set(r.Id ?? "", values);
    }
    token = page.NextToken;
  } while (token);
  aws.forEach((item, n) => {
    const values = byId.get(`m${n}`) ?? new Map<string, number>();
    result.set(
      item.id,
      item.kind === "sagemakerEndpoint"
        ? days.map((d) => values.get(d) ?? 0)
        : days.flatMap((d) => (values.has(d) ? [values.get(d)!] : [])),
    );
  });
  return result;
}

/** The databases' daily average CPU from OCI Monitoring (oci_autonomous_database CpuUtilization). */
export async function ociDatabaseUtilisation(
  args: { endpoint: string; compartmentId: string; today: string },
  items: readonly InventoryItem[],
  signer: OciSigner,
  fetchFn: typeof fetch = fetch,
): Promise<Map<string, number[]>> {
  const result = new Map<string, number[]>();
  const start = addDays(args.today, -IDLE_DAYS);
  for (const item of items) {
    if (item.kind !== "autonomousDatabase") continue;
    const uri = `${args.endpoint}/20180401/metrics/actions/summarizeMetricsData?compartmentId=${encodeURIComponent(args.compartmentId)}`;
    const body = JSON.stringify({
      namespace: "oci_autonomous_database",
      query: `CpuUtilization[1d]{resourceId = "${item.id}"}.mean()`,
      startTime: `${start}T00:00:00.000Z`,
      endTime: `${args.today}T00:00:00.000Z`,
      resolution: "1d",
    });
    const response = await ociPost(uri, body, signer, fetchFn);
    if (!response.ok)
      throw new Error(
        `OCI Monitoring answered HTTP ${response.status} for ${item.label}: ${(await response.text()).slice(0, 200)}`,
      );
    const series = (await response.json()) as { aggregatedDatapoints?: { timestamp: string; value: number }[] }[];
    const points = (series[0]?.aggregatedDatapoints ?? [])
      .filter((p) => p.timestamp.slice(0, 10) >= start && p.timestamp.slice(0, 10) < args.today)
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    result.set(
      item.id,
      points.map((p) => p.value),
    );
  }
  return result;
}
