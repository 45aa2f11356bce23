/**
 * One run of the daily cost job, with its clients injected: read the history from the table,
 * collect from both clouds the days it lacks and the last RECOLLECT_DAYS days (replacing them in
 * the table: late revisions land, nothing doubles), build the report, write it next to the data
 * and send the summary. The day is the
 * schedule's time (UTC), so a retried or replayed run reports the same day.
 */
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { addDays, collectAwsCosts, collectOciCosts, CostRow, daysBetween, normalise, OciSigner } from "./collect";
import { COSTS_ENV, MAX_COLLECT_DAYS, RECOLLECT_DAYS, reportKeys } from "./contract";
import {
  findIdle,
  IDLE_DAYS,
  IdleFinding,
  InventoryItem,
  RemediationAction,
  RemediationMode,
  remediationPlan,
} from "./idle";
import { carryOut, dueActions, RemediationOutcome } from "./remediate";
import { buildReport, idleSection, ReportInput } from "./report";
import { awsResourceCosts, ociResourceCosts } from "./resourceCost";
import { cloudWatchUtilisation, ociDatabaseUtilisation } from "./utilisation";
import { readDays, writeDays } from "./store";

export interface JobSettings {
  readonly bucket: string;
  readonly ociUsageEndpoint: string;
  readonly ociTagNamespace: string;
  readonly ociKeySecretArn: string;
  readonly reportTopicArn: string;
  readonly stack: string;
  readonly budgets: ReportInput["budgets"];
  readonly historyDays: number;
  readonly anomalyDays: number;
  readonly inventory: readonly InventoryItem[];
  readonly remediation: RemediationMode;
  readonly isProduction: boolean;
  readonly ociCompartmentId: string;
  readonly ociTelemetryEndpoint: string;
  readonly ociDatabaseEndpoint: string;
}

/** The job's settings from its environment; a missing or malformed one names the variable. */
export function jobSettings(env: Readonly<Record<string, string | undefined>>): JobSettings {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const int = (name: string) => {
    const value = Number(need(name));
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is not a positive integer`);
    return value;
  };
  let budgets: unknown;
  try {
    budgets = JSON.parse(need(COSTS_ENV.budgets));
  } catch (err) {
    throw new Error(`${COSTS_ENV.budgets} is not JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof budgets !== "object" || budgets === null || Array.isArray(budgets))
    throw new Error(`${COSTS_ENV.budgets} must be {aws: {limit, currency}, oci: {limit, currency}}`);
  const b = budgets as Record<string, { limit?: unknown; currency?: unknown } | undefined>;
  for (const cloud of ["aws", "oci"]) {
    if (typeof b[cloud]?.limit !== "number" || typeof b[cloud]?.currency !== "string")
      throw new Error(`${COSTS_ENV.budgets}.${cloud} must be {limit: number, currency: string}`);
  }
  let inventory: unknown;
  try {
    inventory = JSON.parse(need(COSTS_ENV.inventory));
  } catch (err) {
    throw new Error(`${COSTS_ENV.inventory} is not JSON (${(err as Error).message})`, { cause: err });
  }
  if (
    !Array.isArray(inventory) ||
    inventory.some(
      (i: { kind?: unknown; id?: unknown }) =>
        !["sagemakerEndpoint", "eksNodes", "autonomousDatabase"].includes(String(i?.kind)) || typeof i?.id !== "string",
    )
  ) {
    throw new Error(
      `${COSTS_ENV.inventory} must be a list of {kind: sagemakerEndpoint|eksNodes|autonomousDatabase, id, …}`,
    );
  }
  const remediation = need(COSTS_ENV.remediation);
  if (remediation !== "off" && remediation !== "dryRun" && remediation !== "act")
    throw new Error(`${COSTS_ENV.remediation} ${remediation} is not off, dryRun or act`);
  return {
    inventory: inventory as InventoryItem[],
    remediation,
    isProduction: need(COSTS_ENV.production) === "true",
    ociCompartmentId: need(COSTS_ENV.ociCompartmentId),
    ociTelemetryEndpoint: need(COSTS_ENV.ociTelemetryEndpoint),
    ociDatabaseEndpoint: need(COSTS_ENV.ociDatabaseEndpoint),
    bucket: need(COSTS_ENV.bucket),
    ociUsageEndpoint: need(COSTS_ENV.ociUsageEndpoint),
    ociTagNamespace: need(COSTS_ENV.ociTagNamespace),
    ociKeySecretArn: need(COSTS_ENV.ociKeySecretArn),
    reportTopicArn: need(COSTS_ENV.reportTopicArn),
    stack: need(COSTS_ENV.stack),
    budgets: budgets as ReportInput["budgets"],
    historyDays: int(COSTS_ENV.historyDays),
    anomalyDays: int(COSTS_ENV.anomalyDays),
  };
}

export interface JobClients {
  readonly costExplorer: Pick<CostExplorerClient, "send">;
  readonly cloudWatch: Pick<CloudWatchClient, "send">;
  readonly autoScaling: Pick<AutoScalingClient, "send">;
  readonly s3: Pick<S3Client, "send">;
  readonly sns: Pick<SNSClient, "send">;
  /** The OCI signer and tenancy, from the job's OCI API key. */
  readonly oci: { readonly signer: OciSigner; readonly tenancyId: string; readonly fetchFn?: typeof fetch };
}

export interface JobResult {
  readonly day: string;
  readonly rowsWritten: number;
  /** History days that had no data and were collected by this run (the first run: the whole history). */
  readonly backfilledDays: number;
  readonly anomalies: number;
  readonly idle: number;
  readonly remediation: readonly RemediationOutcome[] | readonly RemediationAction[];
  readonly reportKey: string;
}

/** The report day from the schedule's event time (EventBridge Scheduler's <aws.scheduler.scheduled-time>). */
export function reportDay(scheduledTime: unknown): string {
  if (typeof scheduledTime !== "string" || Number.isNaN(Date.parse(scheduledTime)))
    throw new Error(`the event's scheduledTime ${JSON.stringify(scheduledTime)} is not an ISO time`);
  return new Date(scheduledTime).toISOString().slice(0, 10);
}

/** The remediation list a previous run stored, or none (no run that day). */
async function readPlan(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
): Promise<{ id: string; action: string }[]> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString("utf8")) ?? "[]") as { id: string; action: string }[];
  } catch (err) {
    if ((err as { name?: string }).name === "NoSuchKey") return [];
    throw err;
  }
}

/**
 * The ranges [start, end) a run collects: every history day with no data yet (the first run, or
 * days a failed run left out) and the last RECOLLECT_DAYS days, as contiguous runs of at most
 * MAX_COLLECT_DAYS days, oldest first.
 */
export function collectRanges(
  historyDays: readonly string[],
  missing: ReadonlySet<string>,
  today: string,
): { start: string; end: string }[] {
  const recent = new Set(daysBetween(addDays(today, -RECOLLECT_DAYS), today));
  const wanted = [...new Set([...historyDays.filter((d) => missing.has(d)), ...recent])].sort();
  const ranges: { start: string; end: string }[] = [];
  for (const day of wanted) {
    const last = ranges[ranges.length - 1];
    if (last && last.end === day && daysBetween(last.start, last.end).length < MAX_COLLECT_DAYS)
      last.end = addDays(day, 1);
    else ranges.push({ start: day, end: addDays(day, 1) });
  }
  return ranges;
}

export async function runCostJob(today: string, settings: JobSettings, clients: JobClients): Promise<JobResult> {
  const historyFrom = addDays(today, -settings.historyDays);
  const historyDays = daysBetween(historyFrom, today);
  const stored = await readDays(clients.s3, settings.bucket, historyDays);
  // Collect what is missing (backfill) and the recent days (revised figures), then replace those days.
  const ranges = collectRanges(historyDays, new Set(stored.missing), today);
  const collected: CostRow[] = [];
  for (const range of ranges) {
    const [aws, oci] = await Promise.all([
      collectAwsCosts(clients.costExplorer, range.start, range.end),
      collectOciCosts(
        {
          endpoint: settings.ociUsageEndpoint,
          tenancyId: clients.oci.tenancyId,
          tagNamespace: settings.ociTagNamespace,
          ...range,
        },
        clients.oci.signer,
        clients.oci.fetchFn,
      ),
    ]);
    collected.push(...aws, ...oci);
  }
  const rows = normalise(collected);
  const written = new Set(ranges.flatMap((r) => daysBetween(r.start, r.end)));
  await writeDays(clients.s3, settings.bucket, [...written], rows);
  const history = [...stored.rows.filter((r) => !written.has(r.date)), ...rows];
  const report = buildReport({
    rows: history,
    fromDay: historyFrom,
    today,
    budgets: settings.budgets,
    anomalyDays: settings.anomalyDays,
    stack: settings.stack,
  });
  // Idle spend and what remediation would do (or does, in act mode outside production).
  const [awsUse, ociUse] = await Promise.all([
    cloudWatchUtilisation(clients.cloudWatch, settings.inventory, today),
    ociDatabaseUtilisation(
      { endpoint: settings.ociTelemetryEndpoint, compartmentId: settings.ociCompartmentId, today },
      settings.inventory,
      clients.oci.signer,
      clients.oci.fetchFn,
    ),
  ]);
  // What each watched resource cost in the week: the clouds' resource-level data, else unit price × size.
  const [awsCost, ociCost] = await Promise.all([
    awsResourceCosts(
      { costExplorer: clients.costExplorer, autoScaling: clients.autoScaling },
      settings.inventory,
      today,
      IDLE_DAYS,
    ),
    ociResourceCosts(
      { endpoint: settings.ociUsageEndpoint, tenancyId: clients.oci.tenancyId, today, days: IDLE_DAYS },
      settings.inventory,
      clients.oci.signer,
      clients.oci.fetchFn,
    ),
  ]);
  const idle = findIdle(settings.inventory, new Map([...awsUse, ...ociUse]), {
    measured: new Map([...awsCost.measured, ...ociCost.measured]),
    fallbacks: new Map([...awsCost.fallbacks, ...ociCost.fallbacks]),
  });
  const overBudget = { aws: false, oci: false };
  for (const c of report.clouds) overBudget[c.cloud] = (c.monthEnd?.mean ?? c.monthToDate) > c.budget;
  const actions = remediationPlan({
    mode: settings.remediation,
    isProduction: settings.isProduction,
    idle,
    overBudget,
  });
  const keys = reportKeys(today);
  const yesterday = await readPlan(clients.s3, settings.bucket, reportKeys(addDays(today, -1)).plan);
  let outcomes: RemediationOutcome[] | undefined;
  if (settings.remediation === "act" && actions.length) {
    const { due } = dueActions(actions, yesterday);
    const done = await carryOut(due, {
      autoScaling: clients.autoScaling,
      oci: {
        signer: clients.oci.signer,
        databaseEndpoint: settings.ociDatabaseEndpoint,
        ...(clients.oci.fetchFn ? { fetchFn: clients.oci.fetchFn } : {}),
      },
    });
    outcomes = actions.map(
      (a) =>
        done.find((d) => d.id === a.id && d.action === a.action) ?? {
          id: a.id,
          action: a.action,
          outcome: "announced: acted on at the next run if still idle" as const,
        },
    );
  }
  // Today's list is what tomorrow may act on.
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: settings.bucket,
      Key: keys.plan,
      Body: JSON.stringify(actions),
      ContentType: "application/json",
    }),
  );
  const currencyOf = (kind: IdleFinding["kind"]) =>
    settings.budgets[kind === "autonomousDatabase" ? "oci" : "aws"].currency;
  const idleMarkdown = idleSection({
    idle,
    mode: settings.remediation,
    actions,
    ...(outcomes ? { outcomes } : {}),
    currencyOf,
  });
  const backfillNote = stored.missing.length
    ? `\n\n_${stored.missing.length} day(s) of the history had no data yet and were collected by this run (${stored.missing[0]} … ${stored.missing[stored.missing.length - 1]})._\n`
    : "";
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: settings.bucket,
      Key: keys.markdown,
      Body: `${report.markdown}\n${idleMarkdown}\n${backfillNote}`,
      ContentType: "text/markdown; charset=utf-8",
    }),
  );
  await clients.s3.send(
    new PutObjectCommand({ Bucket: settings.bucket, Key: keys.svg, Body: report.svg, ContentType: "image/svg+xml" }),
  );
  await clients.sns.send(
    new PublishCommand({
      TopicArn: settings.reportTopicArn,
      Subject: `${settings.stack} costs ${today}`.slice(0, 100),
      Message: `${report.summary}\n${idle.length} idle resource(s)${actions.length ? `; remediation (${settings.remediation}): ${actions.length} action(s)` : ""}.\n\nReport: s3://${settings.bucket}/${keys.markdown}`,
    }),
  );
  return {
    day: today,
    rowsWritten: rows.length,
    backfilledDays: stored.missing.length,
    anomalies: report.anomalies.length,
    idle: idle.length,
    remediation: outcomes ?? actions,
    reportKey: keys.markdown,
  };
}
