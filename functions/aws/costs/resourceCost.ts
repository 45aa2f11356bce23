/**
 * What each watched resource cost in the last week, from the clouds' own resource-level data where
 * it exists: AWS Cost Explorer's GetCostAndUsageWithResources (opt-in per account in Cost Explorer's
 * settings, last 14 days, daily) and the OCI Usage API grouped by resource (always there). A
 * resource the data does not cover falls back to unit price × size (idle.ts); the report says which
 * source each figure came from and why a fallback happened.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CostExplorerClient, GetCostAndUsageWithResourcesCommand } from "@aws-sdk/client-cost-explorer";
import { addDays, amountValue, currencyOf, daysBetween, objectOf, OciSigner, usageItems } from "./collect";
import type { InventoryItem } from "./contract";

export const COST_SOURCES = {
  awsResources: "Cost Explorer resource-level",
  ociResources: "OCI Usage API by resource",
  unitPrice: "unit price × size",
} as const;
export type CostSource = (typeof COST_SOURCES)[keyof typeof COST_SOURCES];

export interface MeasuredCost {
  /** The week's cost in the cloud's currency. */
  readonly amount: number;
  readonly currency: string;
  readonly source: Exclude<CostSource, "unit price × size">;
}

/** Per item id, the measured week; and why an item has none (the report prints these). */
export interface ResourceCosts {
  readonly measured: ReadonlyMap<string, MeasuredCost>;
  readonly fallbacks: ReadonlyMap<string, string>;
}

/** The Cost Explorer services the AWS items bill under. */
const CE_SERVICES = {
  sagemakerEndpoint: "Amazon SageMaker",
  eksNodes: "Amazon Elastic Compute Cloud - Compute",
} as const;

/** Does a Cost Explorer resource id belong to the item? SageMaker bills the endpoint's ARN (lower-cased); EC2 the instance id. */
export function resourceIdMatches(
  item: InventoryItem,
  resourceId: string,
  nodeInstanceIds: ReadonlySet<string>,
): boolean {
  if (item.kind === "sagemakerEndpoint") return resourceId.toLowerCase().endsWith(`:endpoint/${item.id.toLowerCase()}`);
  if (item.kind === "eksNodes") return nodeInstanceIds.has(resourceId);
  return false;
}

/**
 * AWS: the last `days` full days by RESOURCE_ID for the items' services. Not enabled (Cost Explorer
 * answers DataUnavailableException or refuses the call) → every AWS item falls back, with the reason.
 * The node group's cost is that of the instances in its Auto Scaling group now (instances replaced
 * during the week are not counted: a lower bound, said in the report's reason column).
 */
export async function awsResourceCosts(
  clients: { costExplorer: Pick<CostExplorerClient, "send">; autoScaling: Pick<AutoScalingClient, "send"> },
  items: readonly InventoryItem[],
  today: string,
  days: number,
): Promise<ResourceCosts> {
  const aws = items.filter((i) => i.kind !== "autonomousDatabase");
  const measured = new Map<string, MeasuredCost>();
  const fallbacks = new Map<string, string>();
  if (aws.length === 0) return { measured, fallbacks };
  const start = addDays(today, -days);
  const wanted = new Set(daysBetween(start, today));
  const totals = new Map<string, { amount: number; currency: string; days: Set<string> }>();
  let nodeInstances = new Set<string>();
  try {
    const groups = aws.filter((i) => i.kind === "eksNodes").map((i) => i.id);
    if (groups.length) {
      const described = await clients.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: groups }),
      );
      nodeInstances = new Set(
        (described.AutoScalingGroups ?? [])
          .flatMap((g) => (g.Instances ?? []).map((x) => x.InstanceId ?? ""))
          .filter(Boolean),
      );
    }
    let token: string | undefined;
    do {
      const page = await clients.costExplorer.send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: start, End: today },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          Filter: {
            Dimensions: {
              Key: "SERVICE",
              Values: [...new Set(aws.map((i) => CE_SERVICES[i.kind as keyof typeof CE_SERVICES]))],
            },
          },
          GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const period of page.ResultsByTime ?? []) {
        const date = period.TimePeriod?.Start ?? "";
        if (!wanted.has(date))
          throw new Error(
            `Cost Explorer resource-level data answered day ${JSON.stringify(date)}, outside ${start} … ${today}`,
          );
        for (const group of period.Groups ?? []) {
          const resourceId = group.Keys?.[0] ?? "";
          const metric = group.Metrics?.UnblendedCost;
          const amount = Number(metric?.Amount);
          if (!resourceId || !metric?.Unit || !Number.isFinite(amount))
            throw new Error(
              `Cost Explorer resource-level data ${date}: a group without a resource id, a currency or a numeric amount`,
            );
          const total = totals.get(resourceId) ?? { amount: 0, currency: metric.Unit, days: new Set<string>() };
          if (total.currency !== metric.Unit)
            throw new Error(
              `Cost Explorer resource-level data: ${resourceId} is billed in ${total.currency} and ${metric.Unit}`,
            );
          total.amount += amount;
          total.days.add(date);
          totals.set(resourceId, total);
        }
      }
      token = page.NextPageToken;
    } while (token);
  } catch (err) {
    const name = (err as { name?: string }).name ?? "Error";
    const reason =
      name === "DataUnavailableException"
        ? "Cost Explorer resource-level data is not enabled for this account (Cost Explorer settings) or not there yet"
        : `Cost Explorer resource-level data could not be read (${name}: ${(err as Error).message})`;
    for (const item of aws) fallbacks.set(item.id, reason);
    return { measured, fallbacks };
  }
  for (const item of aws) {
    const mine = [...totals.entries()].filter(([id]) => resourceIdMatches(item, id, nodeInstances));
    if (mine.length === 0) {
      fallbacks.set(
        item.id,
        item.kind === "eksNodes" && nodeInstances.size === 0
          ? "the node group has no instances now"
          : "not in Cost Explorer's resource-level data for the week",
      );
      continue;
    }
    const currencies = new Set(mine.map(([, t]) => t.currency));
    if (currencies.size > 1) {
      fallbacks.set(item.id, `its resources are billed in ${[...currencies].join(" and ")}`);
      continue;
    }
    measured.set(item.id, {
      amount: mine.reduce((s, [, t]) => s + t.amount, 0),
      currency: [...currencies][0],
      source: COST_SOURCES.awsResources,
    });
  }
  return { measured, fallbacks };
}

/**
 * One item of the per-resource Usage API query: its resource, amount and currency, the day within
 * `wanted`; anything missing or of the wrong kind is refused naming the item.
 */
export function resourceUsageItem(
  item: unknown,
  wanted: ReadonlySet<string>,
  range: string,
): { resourceId: string; amount: number; currency: string; where: string } {
  const fields = objectOf(item);
  const date = (typeof fields.timeUsageStarted === "string" ? fields.timeUsageStarted : "").slice(0, 10);
  const resourceId = typeof fields.resourceId === "string" && fields.resourceId ? fields.resourceId : undefined;
  const where = `OCI usage by resource ${date || "?"} ${resourceId ?? "?"}`;
  if (!wanted.has(date)) throw new Error(`${where}: day outside ${range}`);
  const amount = amountValue(fields.computedAmount);
  if (!resourceId || typeof fields.currency !== "string" || !fields.currency || !Number.isFinite(amount))
    throw new Error(`${where}: an item without a resource id, a currency or a numeric amount`);
  return { resourceId, amount, currency: currencyOf(fields.currency, where), where };
}

/**
 * OCI: the Usage API's /usage, DAILY COST, grouped by resourceId and filtered to the databases, for
 * the last `days` full days; every page. Every SKU of a database (ECPU, storage) counts. A database
 * without items falls back to the unit price. Errors of the API are errors of the job (OCI always
 * has resource-level data, so a failure is not a missing opt-in).
 */
export async function ociResourceCosts(
  args: { endpoint: string; tenancyId: string; today: string; days: number },
  items: readonly InventoryItem[],
  signer: OciSigner,
  fetchFn: typeof fetch = fetch,
): Promise<ResourceCosts> {
  const databases = items.filter((i) => i.kind === "autonomousDatabase");
  const measured = new Map<string, MeasuredCost>();
  const fallbacks = new Map<string, string>();
  if (databases.length === 0) return { measured, fallbacks };
  const start = addDays(args.today, -args.days);
  const wanted = new Set(daysBetween(start, args.today));
  const body = JSON.stringify({
    tenantId: args.tenancyId,
    timeUsageStarted: `${start}T00:00:00.000Z`,
    timeUsageEnded: `${args.today}T00:00:00.000Z`,
    granularity: "DAILY",
    queryType: "COST",
    groupBy: ["resourceId"],
    filter: { operator: "OR", dimensions: databases.map((d) => ({ key: "resourceId", value: d.id })) },
  });
  const totals = new Map<string, { amount: number; currency: string }>();
  for (const raw of await usageItems(args.endpoint, body, signer, fetchFn, " to the per-resource query")) {
    const item = resourceUsageItem(raw, wanted, `${start} … ${args.today}`);
    const total = totals.get(item.resourceId) ?? { amount: 0, currency: item.currency };
    if (total.currency !== item.currency)
      throw new Error(`${item.where}: billed in ${total.currency} and ${item.currency}`);
    total.amount += item.amount;
    totals.set(item.resourceId, total);
  }
  for (const d of databases) {
    const total = totals.get(d.id);
    if (total) measured.set(d.id, { ...total, source: COST_SOURCES.ociResources });
    else fallbacks.set(d.id, "no usage items for the database in the week");
  }
  return { measured, fallbacks };
}
