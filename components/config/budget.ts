/** The `multicloud:budget` key: monthly limits per cloud and who is told. */
import { z } from "zod";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";

/** What the cost job does with idle resources of an over-budget cloud (the job checks the same list: tests/functions/costJob.test.ts). */
export const REMEDIATION_MODES = ["off", "dryRun", "act"] as const;

export const budgetSchema = z.strictObject(
  {
    currency: z
      .string(allowed("an ISO 4217 currency code such as USD"))
      .regex(/^[A-Z]{3}$/, allowed("an ISO 4217 currency code such as USD"))
      .optional(),
    awsMonthlyLimit: z
      .number(allowed("a monthly amount greater than 0"))
      .positive(allowed("a monthly amount greater than 0")),
    ociMonthlyLimit: z
      .number(allowed("a monthly amount greater than 0"))
      .positive(allowed("a monthly amount greater than 0")),
    alertEmails: z
      .array(z.email(allowed("an e-mail address such as finops@example.com")), allowed("a list of e-mail addresses"))
      .min(1, allowed("at least one e-mail address"))
      .max(
        10,
        allowed("at most 10 addresses (an AWS budget notification takes 10 e-mail subscribers); use a list address"),
      ),
    /** Page this stack's alarm topic on AWS cost anomalies of the account (the org stack's monitors) this big. */
    anomalyAlerts: z
      .strictObject(
        {
          minImpact: z
            .number(allowed("an amount greater than 0 in the account's currency"))
            .positive(allowed("an amount greater than 0 in the account's currency")),
          minImpactPercent: z
            .number(allowed("a percentage from 1 to 1000"))
            .min(1, allowed("a percentage from 1 to 1000"))
            .max(1000, allowed("a percentage from 1 to 1000")),
        },
        allowed("a map with minImpact and minImpactPercent"),
      )
      .optional(),
    /** Non-production after hours: the database stopped and the node group at zero outside these UTC hours, Monday to Friday, and all weekend. */
    afterHours: z
      .strictObject(
        {
          startUtc: z
            .string(allowed("a UTC time HH:MM, e.g. 07:00"))
            .regex(/^([01]\d|2[0-3]):[0-5]\d$/, allowed("a UTC time HH:MM, e.g. 07:00")),
          stopUtc: z
            .string(allowed("a UTC time HH:MM, e.g. 19:00"))
            .regex(/^([01]\d|2[0-3]):[0-5]\d$/, allowed("a UTC time HH:MM, e.g. 19:00")),
        },
        allowed("a map with startUtc and stopUtc"),
      )
      .optional(),
    /** The daily cost-intelligence job: when it runs, how much history it reads, how recent an anomaly it reports. */
    report: z.strictObject(
      {
        hourUtc: integer(0, 23, "the hour (UTC) the daily cost report runs; Cost Explorer settles a day by then"),
        historyDays: integer(
          35,
          400,
          "days of cost history the report reads (anomalies need 28, the forecast 4 weeks)",
        ),
        anomalyDays: integer(1, 14, "anomalies that started this many days back or fewer are reported"),
        ociCurrency: z
          .string(allowed("the OCI tenancy's billing currency, an ISO 4217 code such as USD"))
          .regex(/^[A-Z]{3}$/, allowed("the OCI tenancy's billing currency, an ISO 4217 code such as USD")),
        ociKeyGeneration: integer(
          1,
          1_000_000,
          "the generation of the cost job's OCI API key: raise it by one to rotate the key",
        ),
        remediation: z
          .enum(
            REMEDIATION_MODES,
            allowed(`one of ${REMEDIATION_MODES.join(", ")} (off unless you mean it; dryRun lists, act stops)`),
          )
          .optional(),
      },
      allowed("a map with hourUtc, historyDays, anomalyDays, ociCurrency, ociKeyGeneration and remediation"),
    ),
  },
  allowed("a map with awsMonthlyLimit, ociMonthlyLimit, alertEmails, report and optional currency, anomalyAlerts"),
);

export interface AnomalyAlertSettings {
  /** An anomaly's total impact must reach this amount (the account's billing currency)… */
  readonly minImpact: number;
  /** …and this percentage of the expected spend. */
  readonly minImpactPercent: number;
}

export type RawBudget = z.infer<typeof budgetSchema>;

export interface BudgetSettings {
  readonly currency: string;
  readonly awsMonthlyLimit: number;
  readonly ociMonthlyLimit: number;
  readonly alertEmails: readonly string[];
  /** Subscribe the alarm topic to the account's cost anomalies; absent: this stack does not page on them. */
  readonly anomalyAlerts?: AnomalyAlertSettings;
  readonly report: CostReportSettings;
  /** Non-production only: working hours (UTC, Monday–Friday) outside which the database and nodes stop. */
  readonly afterHours?: AfterHoursSettings;
}

export interface AfterHoursSettings {
  readonly startUtc: string;
  readonly stopUtc: string;
}

/** afterHours is for non-production stacks, and starts before it stops. */
export function checkBudget(project: string, raw: RawBudget, isProduction: boolean, issues: ConfigIssue[]): void {
  if (isProduction && raw.report.remediation === "act")
    issues.push({
      key: configKey(project, ["budget", "report", "remediation"]),
      message: "act stops idle resources; production is never stopped by the cost job — use dryRun or off",
    });
  if (!raw.afterHours) return;
  const key = configKey(project, ["budget", "afterHours"]);
  if (isProduction)
    issues.push({
      key,
      message: "stops the database and the nodes after hours; production stays up — remove it from this stack",
    });
  else if (raw.afterHours.startUtc >= raw.afterHours.stopUtc)
    issues.push({
      key: `${key}.startUtc`,
      message: `${raw.afterHours.startUtc} is not before stopUtc ${raw.afterHours.stopUtc}; working hours are one UTC day's span`,
    });
}

export interface CostReportSettings {
  readonly hourUtc: number;
  readonly historyDays: number;
  readonly anomalyDays: number;
  /** OCI budgets and costs are in the tenancy's currency (the budget resource has no currency field). */
  readonly ociCurrency: string;
  readonly ociKeyGeneration: number;
  /** Idle resources of an over-budget cloud: off, listed (dryRun), or stopped (act, non-production only). */
  readonly remediation: (typeof REMEDIATION_MODES)[number];
}

/** The budget settings with the default currency. */
export function budgetSettings(raw: RawBudget): BudgetSettings {
  return {
    currency: raw.currency ?? "USD",
    awsMonthlyLimit: raw.awsMonthlyLimit,
    ociMonthlyLimit: raw.ociMonthlyLimit,
    alertEmails: raw.alertEmails,
    report: { ...raw.report, remediation: raw.report.remediation ?? "off" },
    ...(raw.afterHours ? { afterHours: raw.afterHours } : {}),
    ...(raw.anomalyAlerts ? { anomalyAlerts: raw.anomalyAlerts } : {}),
  };
}
