/**
 * Daily costs from both clouds as one table: AWS Cost Explorer (grouped by service and the
 * `cost_center` cost-allocation tag) and the OCI Usage API (grouped by service and the defined tag
 * `<namespace>.cost_center`), both paged to the end, normalised into rows (date, cloud, service,
 * cost centre, amount, currency) and summed per key. Amounts that are not numbers, a missing
 * currency or a day outside the asked range are errors naming the row — never dropped.
 */
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import type { SignableRequest } from "./ociSign";

export type Cloud = "aws" | "oci";

export interface CostRow {
  /** The usage day, YYYY-MM-DD (UTC). */
  readonly date: string;
  readonly cloud: Cloud;
  readonly service: string;
  /** The cost_center tag's value, or UNTAGGED. */
  readonly costCenter: string;
  readonly amount: number;
  /** ISO 4217, as the cloud reports it (clouds may differ: totals are per currency, never summed across). */
  readonly currency: string;
}

export const UNTAGGED = "(untagged)";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day `n` days after `day` (before, for n < 0), YYYY-MM-DD in UTC. */
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The days [start, end) as YYYY-MM-DD strings. */
export function daysBetween(start: string, end: string): string[] {
  if (!DAY.test(start) || !DAY.test(end) || start >= end)
    throw new Error(`the range ${start} … ${end} is not two YYYY-MM-DD days, start before end`);
  const days: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t < Date.parse(`${end}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

function amountOf(raw: unknown, where: string): number {
  const amount =
    typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(amount)) throw new Error(`${where}: amount ${JSON.stringify(raw)} is not a number`);
  return amount;
}

/** AWS: Cost Explorer, DAILY, UnblendedCost, by SERVICE and TAG cost_center; every page. */
export async function collectAwsCosts(
  client: Pick<CostExplorerClient, "send">,
  start: string,
  end: string,
): Promise<CostRow[]> {
  const days = new Set(daysBetween(start, end));
  const rows: CostRow[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: start, End: end },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "DIMENSION", Key: "SERVICE" },
          { Type: "TAG", Key: "cost_center" },
        ],
        ...(token ? { NextPageToken: token } : {}),
      }),
    );
    for (const period of page.ResultsByTime ?? []) {
      const date = period.TimePeriod?.Start ?? "";
      if (!days.has(date))
        throw new Error(`Cost Explorer answered day ${JSON.stringify(date)}, outside ${start} … ${end}`);
      for (const group of period.Groups ?? []) {
        const [service, tag] = group.Keys ?? [];
        const where = `Cost Explorer ${date} ${service ?? "?"}`;
        const metric = group.Metrics?.UnblendedCost;
        if (!service || !metric?.Unit) throw new Error(`${where}: a group without a service or a currency`);
        // Tag keys come back as "cost_center$<value>"; an empty value is spend without the tag.
        const costCenter =
          tag?.startsWith("cost_center$") && tag.length > "cost_center$".length
            ? tag.slice("cost_center$".length)
            : UNTAGGED;
        rows.push({
          date,
          cloud: "aws",
          service,
          costCenter,
          amount: amountOf(metric.Amount, where),
          currency: metric.Unit,
        });
      }
    }
    token = page.NextPageToken;
  } while (token);
  return rows;
}

/** Signs an OCI request in place (ociRequestSigner, or oci-common's DefaultRequestSigner). */
export interface OciSigner {
  signHttpRequest(request: SignableRequest): Promise<void>;
}

/** A signed JSON POST to an OCI API, abandoned after 30 s. */
export async function ociPost(
  uri: string,
  body: string,
  signer: OciSigner,
  fetchFn: typeof fetch = fetch,
): Promise<Response> {
  const request: SignableRequest = {
    method: "POST",
    uri,
    headers: new Headers({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
    body,
  };
  await signer.signHttpRequest(request);
  return fetchFn(uri, { method: "POST", headers: request.headers, body, signal: AbortSignal.timeout(30_000) });
}

interface UsageItem {
  timeUsageStarted?: string;
  service?: string;
  computedAmount?: unknown;
  currency?: string;
  tags?: { namespace?: string; key?: string; value?: string }[];
}

/** OCI: the Usage API's /usage, DAILY COST, by service and the cost_center defined tag; every page. */
export async function collectOciCosts(
  args: { endpoint: string; tenancyId: string; tagNamespace: string; start: string; end: string },
  signer: OciSigner,
  fetchFn: typeof fetch = fetch,
): Promise<CostRow[]> {
  const days = new Set(daysBetween(args.start, args.end));
  const body = JSON.stringify({
    tenantId: args.tenancyId,
    timeUsageStarted: `${args.start}T00:00:00.000Z`,
    timeUsageEnded: `${args.end}T00:00:00.000Z`,
    granularity: "DAILY",
    queryType: "COST",
    groupBy: ["service", "tagNamespace", "tagKey", "tagValue"],
    groupByTag: [{ namespace: args.tagNamespace, key: "cost_center" }],
    compartmentDepth: 1,
  });
  const rows: CostRow[] = [];
  for (const item of await usageItems<UsageItem>(args.endpoint, body, signer, fetchFn, "")) {
    const date = (item.timeUsageStarted ?? "").slice(0, 10);
    const where = `OCI usage ${date || "?"} ${item.service ?? "?"}`;
    if (!days.has(date)) throw new Error(`${where}: day outside ${args.start} … ${args.end}`);
    if (!item.service || !item.currency) throw new Error(`${where}: an item without a service or a currency`);
    const tag = (item.tags ?? []).find((t) => t.namespace === args.tagNamespace && t.key === "cost_center" && t.value);
    rows.push({
      date,
      cloud: "oci",
      service: item.service,
      costCenter: tag?.value ?? UNTAGGED,
      amount: amountOf(item.computedAmount ?? 0, where),
      currency: item.currency,
    });
  }
  return rows;
}

/** Every item of a signed Usage API /usage query, following opc-next-page; an error status names `what` (e.g. " to the per-resource query"). */
export async function usageItems<T>(
  endpoint: string,
  body: string,
  signer: OciSigner,
  fetchFn: typeof fetch,
  what: string,
): Promise<T[]> {
  const items: T[] = [];
  let page: string | undefined;
  do {
    const uri = `${endpoint}/20200107/usage${page ? `?page=${encodeURIComponent(page)}` : ""}`;
    const response = await ociPost(uri, body, signer, fetchFn);
    if (!response.ok)
      throw new Error(
        `the OCI Usage API answered HTTP ${response.status}${what}: ${(await response.text()).slice(0, 200)}`,
      );
    items.push(...(((await response.json()) as { items?: T[] }).items ?? []));
    page = response.headers.get("opc-next-page") ?? undefined;
  } while (page);
  return items;
}

/** Sums rows with the same day, cloud, service, cost centre and currency (pages may split a key). */
export function normalise(rows: readonly CostRow[]): CostRow[] {
  const sums = new Map<string, CostRow>();
  for (const row of rows) {
    const key = [row.date, row.cloud, row.service, row.costCenter, row.currency].join("\u0000");
    const seen = sums.get(key);
    sums.set(key, seen ? { ...seen, amount: seen.amount + row.amount } : { ...row });
  }
  return [...sums.values()].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.cloud.localeCompare(b.cloud) ||
      a.service.localeCompare(b.service) ||
      a.costCenter.localeCompare(b.costCenter),
  );
}
