/** The `multicloud:budget` key: monthly limits per cloud and who is told. */
import { z } from "zod";
import { allowed } from "./fields";

export const budgetSchema = z.strictObject(
  {
    currency: z.string(allowed("an ISO 4217 currency code such as USD")).regex(/^[A-Z]{3}$/, allowed("an ISO 4217 currency code such as USD")).optional(),
    awsMonthlyLimit: z.number(allowed("a monthly amount greater than 0")).positive(allowed("a monthly amount greater than 0")),
    ociMonthlyLimit: z.number(allowed("a monthly amount greater than 0")).positive(allowed("a monthly amount greater than 0")),
    alertEmails: z
      .array(z.email(allowed("an e-mail address such as finops@example.com")), allowed("a list of e-mail addresses"))
      .min(1, allowed("at least one e-mail address")),
    /** Page this stack's alarm topic on AWS cost anomalies of the account (the org stack's monitors) this big. */
    anomalyAlerts: z
      .strictObject(
        {
          minImpact: z.number(allowed("an amount greater than 0 in the account's currency")).positive(allowed("an amount greater than 0 in the account's currency")),
          minImpactPercent: z.number(allowed("a percentage from 1 to 1000")).min(1, allowed("a percentage from 1 to 1000")).max(1000, allowed("a percentage from 1 to 1000")),
        },
        allowed("a map with minImpact and minImpactPercent"),
      )
      .optional(),
  },
  allowed("a map with awsMonthlyLimit, ociMonthlyLimit, alertEmails and optional currency, anomalyAlerts"),
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
}

/** The budget settings with the default currency. */
export function budgetSettings(raw: RawBudget): BudgetSettings {
  return { currency: raw.currency ?? "USD", awsMonthlyLimit: raw.awsMonthlyLimit, ociMonthlyLimit: raw.ociMonthlyLimit, alertEmails: raw.alertEmails, ...(raw.anomalyAlerts ? { anomalyAlerts: raw.anomalyAlerts } : {}) };
}
