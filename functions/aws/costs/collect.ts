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

/** A value for an error message: text quoted, anything else by its kind (a bigint has no JSON). */
export const shown = (value: unknown): string =>
  typeof value === "string"
    ? JSON.stringify(value)
    : value === null
      ? "null"
      : Array.isArray(value)
        ? "a list"
        : typeof value === "object"
          ? "an object"
          : value === undefined
            ? "nothing"
            : `a ${typeof value}`;

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** An object field's value, or {} when it is not an object (its own fields are then checked as missing). */
export const objectOf = (value: unknown): JsonObject => (isObject(value) ? value : {});
const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
/** A list field: absent is empty, anything else but a list is refused by name. */
function listOf(value: unknown, where: string, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: ${field} is ${shown(value)}, not a list`);
  return value;
}
/** ISO 4217 codes are three capital letters (USD, EUR). */
const CURRENCY = /^[A-Z]{3}$/;

/** A cost API's amount: a number, or decimal text; NaN for anything else (blank text too). */
export const amountValue = (raw: unknown): number =>
  typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;

export function amountOf(raw: unknown, where: string): number {
  const amount = amountValue(raw);
  if (!Number.isFinite(amount)) throw new Error(`${where}: amount ${shown(raw)} is not a number`);
  return amount;
}

export function currencyOf(raw: unknown, where: string): string {
  if (typeof raw !== "string" || !CURRENCY.test(raw))
    throw new Error(`${where}: currency ${shown(raw)} is not an ISO 4217 code`);
  return raw;
}

/**
 * The rows of one GetCostAndUsage page (grouped by SERVICE and TAG cost_center) and its next
 * page's token. Every field is checked: a day outside `days`, a group without a service or a
 * currency, a field of the wrong kind is refused naming it — never dropped, never a TypeError.
 */
export function awsCostPageRows(
  page: unknown,
  days: ReadonlySet<string>,
  range: string,
): { rows: CostRow[]; nextPageToken?: string } {
  if (!isObject(page)) throw new Error(`Cost Explorer answered ${shown(page)}, not a page`);
  const rows: CostRow[] = [];
  for (const rawPeriod of listOf(page.ResultsByTime, "Cost Explorer", "ResultsByTime")) {
    const period = objectOf(rawPeriod);
    const date = textOf(objectOf(period.TimePeriod).Start) ?? "";
    if (!days.has(date)) throw new Error(`Cost Explorer answered day ${JSON.stringify(date)}, outside ${range}`);
    for (const rawGroup of listOf(period.Groups, `Cost Explorer ${date}`, "Groups")) {
      const group = objectOf(rawGroup);
      const [service, tag] = listOf(group.Keys, `Cost Explorer ${date}`, "Keys");
      const where = `Cost Explorer ${date} ${textOf(service) ?? "?"}`;
      const metric = objectOf(objectOf(group.Metrics).UnblendedCost);
      if (typeof service !== "string" || service === "" || metric.Unit === undefined)
        throw new Error(`${where}: a group without a service or a currency`);
      if (tag !== undefined && typeof tag !== "string") throw new Error(`${where}: tag key ${shown(tag)} is not text`);
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
        currency: currencyOf(metric.Unit, where),
      });
    }
  }
  const next = page.NextPageToken;
  if (next !== undefined && next !== null && typeof next !== "string")
    throw new Error(`Cost Explorer answered NextPageToken ${shown(next)}, not text`);
  return { rows, ...(next ? { nextPageToken: next } : {}) };
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
    const parsed = awsCostPageRows(page, days, `${start} … ${end}`);
    rows.push(...parsed.rows);
    token = parsed.nextPageToken;
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

/**
 * One Usage API item (grouped by service and the cost_center defined tag) as a row; a day outside
 * `days`, a missing service or currency, a field of the wrong kind is refused naming it.
 */
export function ociUsageRow(item: unknown, days: ReadonlySet<string>, range: string, tagNamespace: string): CostRow {
  const fields = objectOf(item);
  const date = (textOf(fields.timeUsageStarted) ?? "").slice(0, 10);
  const service = textOf(fields.service);
  const where = `OCI usage ${date || "?"} ${service ?? "?"}`;
  if (!days.has(date)) throw new Error(`${where}: day outside ${range}`);
  if (!service || fields.currency === undefined || fields.currency === null)
    throw new Error(`${where}: an item without a service or a currency`);
  const tag = listOf(fields.tags, where, "tags")
    .map(objectOf)
    .find((t) => t.namespace === tagNamespace && t.key === "cost_center" && typeof t.value === "string" && t.value);
  return {
    date,
    cloud: "oci",
    service,
    costCenter: textOf(tag?.value) ?? UNTAGGED,
    amount: amountOf(fields.computedAmount ?? 0, where),
    currency: currencyOf(fields.currency, where),
  };
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
  const range = `${args.start} … ${args.end}`;
  for (const item of await usageItems(args.endpoint, body, signer, fetchFn, ""))
    rows.push(ociUsageRow(item, days, range, args.tagNamespace));
  return rows;
}

/** The items of one Usage API answer's body: JSON with an `items` list (absent: none). */
export function usagePageItems(text: string, what: string): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the OCI Usage API answered${what} a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!isObject(body)) throw new Error(`the OCI Usage API answered${what} ${shown(body)}, not an object`);
  return listOf(body.items, `the OCI Usage API's answer${what}`, "items");
}

/** Every item of a signed Usage API /usage query, following opc-next-page; an error status names `what` (e.g. " to the per-resource query"). */
export async function usageItems(
  endpoint: string,
  body: string,
  signer: OciSigner,
  fetchFn: typeof fetch,
  what: string,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let page: string | undefined;
  do {
    const uri = `${endpoint}/20200107/usage${page ? `?page=${encodeURIComponent(page)}` : ""}`;
    const response = await ociPost(uri, body, signer, fetchFn);
    if (!response.ok)
      throw new Error(
        `the OCI Usage API answered HTTP ${response.status}${what}: ${(await response.text()).slice(0, 200)}`,
      );
    items.push(...usagePageItems(await response.text(), what));
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
