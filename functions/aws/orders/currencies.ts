/**
 * The currencies an order may be in, from the ISO 4217 list as the `currency-codes` package ships
 * it (list one, its publish date in ISO_4217_PUBLISHED): active codes only, without funds
 * (IsFund in the list), without X-codes (precious metals, bond units, SDR, the testing and
 * no-currency codes — and the supranational currencies, which a stack opts into by naming them in
 * orders.currencies), and with at most 2 minor units, because orders.amount is NUMBER(14,2) and
 * could not hold a BHD or KWD amount to the fils.
 */
import { data, publishDate } from "currency-codes";

/** ISO 4217 fund codes (IsFund="true" in list one; a test reads the package's copy of the list). */
export const FUND_CODES = ["BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI"] as const;

/**
 * X-codes that are legal tender of countries (CFA francs, East Caribbean dollar, CFP franc): not in
 * the default list, which has no X-code; a stack that sells in them names them in orders.currencies.
 */
export const NATIONAL_X_CODES = ["XAF", "XCD", "XOF", "XPF"] as const;

/** The most minor units an amount column (NUMBER(14,2)) holds. */
export const MAX_MINOR_UNITS = 2;

export const ISO_4217_PUBLISHED = publishDate;

const storable = data.filter((c) => !(FUND_CODES as readonly string[]).includes(c.code) && c.digits <= MAX_MINOR_UNITS);

/** Code → minor units, for every currency an order may be in unless the stack lists its own. */
export const ORDER_CURRENCIES: ReadonlyMap<string, number> = new Map(
  storable.filter((c) => !c.code.startsWith("X")).map((c) => [c.code, c.digits]),
);

/** Code → minor units of what a stack may list: the default list and the national X-codes. */
export const LISTABLE_CURRENCIES: ReadonlyMap<string, number> = new Map(
  storable
    .filter((c) => !c.code.startsWith("X") || (NATIONAL_X_CODES as readonly string[]).includes(c.code))
    .map((c) => [c.code, c.digits]),
);

/** Why a currency list (a stack's own) is not one orders can use, or undefined. */
export function currencyListProblem(codes: readonly string[]): string | undefined {
  if (codes.length === 0) return "is empty; name at least one currency";
  const unknown = codes.filter((c) => !LISTABLE_CURRENCIES.has(c));
  if (unknown.length)
    return `${unknown.join(", ")} ${unknown.length === 1 ? "is not a currency" : "are not currencies"} orders may be in (active ISO 4217, no funds or metals, at most ${MAX_MINOR_UNITS} minor units)`;
  if (new Set(codes).size !== codes.length) return "names a currency twice";
  return undefined;
}

/**
 * An amount in minor units ("125.5" in EUR → 12550n, "1250.00" in JPY → 1250n); undefined when it
 * has more (non-zero) decimals than the currency has.
 */
export function minorUnits(amount: string, digits: number): bigint | undefined {
  const [whole, written = ""] = amount.split(".");
  const fraction = written.replace(/0+$/, "");
  if (fraction.length > digits) return undefined;
  return BigInt(whole + fraction.padEnd(digits, "0"));
}

/** Compares two decimal amounts of at most MAX_MINOR_UNITS places: negative, zero or positive. */
export function compareAmounts(a: string, b: string): number {
  const difference = minorUnits(a, MAX_MINOR_UNITS)! - minorUnits(b, MAX_MINOR_UNITS)!;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
