/**
 * What each table the data plane writes can store, column by column — the contract the APIs, the
 * event parsers and the batch export check values against before any bind, so the database never
 * refuses a row the code accepted (and node-oracledb never refuses a value, NJS-115). A test folds
 * the migrations' DDL (sql/, sql/lakehouse/) and fails when a contract and its column disagree.
 * Pure: the order service, the sync, the batch export and the OCI functions share it.
 */
import { isOracleDate, isOracleInstant, isOracleNumber } from "./oracleTime";

export type ColumnContract =
  /** VARCHAR2 / CHAR with BYTE semantics (the Autonomous Database's default): UTF-8 bytes count. */
  | { readonly kind: "text"; readonly maxBytes: number; readonly fixed?: boolean; readonly nullable?: boolean }
  /** A decimal string or a number within NUMBER(precision, scale); more decimals than the scale are refused, not rounded. */
  | { readonly kind: "number"; readonly precision?: number; readonly scale?: number; readonly nullable?: boolean }
  /** DATE from `YYYY-MM-DD`. */
  | { readonly kind: "date"; readonly nullable?: boolean }
  /** TIMESTAMP WITH TIME ZONE from an ISO 8601 instant with a zone. */
  | { readonly kind: "instant"; readonly fraction: number; readonly nullable?: boolean };

const text = (maxBytes: number, more: { fixed?: boolean; nullable?: boolean } = {}): ColumnContract => ({
  kind: "text",
  maxBytes,
  ...more,
});
const instant: ColumnContract = { kind: "instant", fraction: 6 };

/** An order's columns, the same in orders and orders_staging (V002, V006). */
const ORDER_COLUMNS = {
  order_id: text(64),
  customer_id: text(64),
  amount: { kind: "number", precision: 14, scale: 2 },
  currency: text(3, { fixed: true }),
  status: text(20),
  order_date: { kind: "date" },
} as const satisfies Record<string, ColumnContract>;

/** The tables the data plane writes, with the columns it binds. */
export const TABLE_CONTRACTS = {
  orders_staging: {
    load_id: text(64),
    ...ORDER_COLUMNS,
    updated_at: instant,
    kind: text(10),
    idempotency_key: text(128, { nullable: true }),
    request_hash: text(64, { fixed: true, nullable: true }),
    client_id: text(255, { nullable: true }),
  },
  orders: ORDER_COLUMNS,
  // The API's reservations (V010, V021).
  order_requests: {
    client_id: text(255),
    idempotency_key: text(128),
    request_hash: text(64, { fixed: true }),
    order_id: text(64),
    accepted_at: { kind: "instant", fraction: 6, nullable: true },
  },
  anomaly_events: {
    event_id: text(64),
    series_key: text(128),
    event_time: instant,
    value: { kind: "number" },
    delta: { kind: "number", nullable: true },
    ratio: { kind: "number", nullable: true },
  },
  rec_interactions: {
    event_id: text(64),
    user_id: text(64),
    item_id: text(64),
    kind: text(16),
    rec_id: text(36, { nullable: true }),
    occurred_at: instant,
  },
} as const satisfies Record<string, Record<string, ColumnContract>>;

export type ContractTable = keyof typeof TABLE_CONTRACTS;

/** Why `value` does not fit `column`, or undefined. */
export function columnProblem(column: ColumnContract, value: unknown): string | undefined {
  if (value === null || value === undefined) return column.nullable ? undefined : "is required";
  switch (column.kind) {
    case "text": {
      if (typeof value !== "string") return "is not text";
      const bytes = Buffer.byteLength(value, "utf8");
      if (column.fixed && bytes !== column.maxBytes) return `is ${bytes} bytes; exactly ${column.maxBytes} are stored`;
      return bytes > column.maxBytes ? `is ${bytes} bytes; at most ${column.maxBytes} are stored` : undefined;
    }
    case "number": {
      if (typeof value === "number") {
        if (!isOracleNumber(value)) return `${value} is outside the numbers Oracle stores`;
        if (column.precision === undefined) return undefined;
        return decimalProblem(column, String(value));
      }
      if (typeof value !== "string" || !/^-?\d+(\.\d+)?$/.test(value)) return "is not a decimal number";
      return decimalProblem(column, value);
    }
    case "date":
      return typeof value === "string" && isOracleDate(value)
        ? undefined
        : "is not a date from 0001-01-01 to 9999-12-31";
    case "instant":
      return typeof value === "string" && isOracleInstant(value, column.fraction)
        ? undefined
        : `is not an instant with a zone (at most ${column.fraction} fraction digits)`;
  }
}

function decimalProblem(column: { precision?: number; scale?: number }, value: string): string | undefined {
  const [whole, fraction = ""] = value.replace(/^-/, "").split(".");
  const scale = column.scale ?? 0;
  const integerDigits = whole.replace(/^0+(?=\d)/, "") === "0" ? 0 : whole.replace(/^0+/, "").length;
  if (fraction.length > scale)
    return `has ${fraction.length} decimals; NUMBER(${column.precision}, ${scale}) keeps ${scale}`;
  if (column.precision !== undefined && integerDigits > column.precision - scale)
    return `has ${integerDigits} integer digits; NUMBER(${column.precision}, ${scale}) holds ${column.precision - scale}`;
  return undefined;
}

/**
 * Each column of `row` that does not fit `table`, as `column why`; empty when the row fits.
 * `only`: the columns to check (a parser checks what its message carries; the rest is the writer's).
 */
export function rowProblems(
  table: ContractTable,
  row: Readonly<Record<string, unknown>>,
  only?: readonly string[],
): string[] {
  const contract = TABLE_CONTRACTS[table] as Record<string, ColumnContract>;
  return Object.entries(contract).flatMap(([name, column]) => {
    if (only && !only.includes(name)) return [];
    const problem = columnProblem(column, row[name]);
    return problem ? [`${name} ${problem}`] : [];
  });
}
