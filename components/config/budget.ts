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
  },
  allowed("a map with awsMonthlyLimit, ociMonthlyLimit, alertEmails and optional currency"),
);

export type RawBudget = z.infer<typeof budgetSchema>;

export interface BudgetSettings {
  readonly currency: string;
  readonly awsMonthlyLimit: number;
  readonly ociMonthlyLimit: number;
  readonly alertEmails: readonly string[];
}

/** The budget settings with the default currency. */
export function budgetSettings(raw: RawBudget): BudgetSettings {
  return { currency: raw.currency ?? "USD", awsMonthlyLimit: raw.awsMonthlyLimit, ociMonthlyLimit: raw.ociMonthlyLimit, alertEmails: raw.alertEmails };
}
