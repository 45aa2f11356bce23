/**
 * The staging file (RFC 4180 CSV with a header) built from a day's order events: one line per
 * event, in the staging table's column order, so DBMS_CLOUD.COPY_DATA loads it as it is and the
 * merge decides (first create of a key, newest update). Deterministic: the same events give the
 * same bytes, so a re-run rewrites an identical object. Pure.
 */
import type { OrderEvent } from "../orders/event";
import { oracleTimestamp } from "../orders/oracleTime";
import { STAGING_FILE_COLUMNS } from "./contract";

/** A field quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function stagingRow(loadId: string, e: OrderEvent): string[] {
  return [
    loadId,
    e.orderId,
    e.customerId,
    e.amount,
    e.currency,
    e.status,
    e.orderDate,
    oracleTimestamp(e.updatedAt),
    e.kind,
    e.idempotencyKey ?? "",
    e.requestHash ?? "",
  ];
}

export function stagingCsv(loadId: string, events: readonly OrderEvent[]): string {
  const lines = [STAGING_FILE_COLUMNS.join(","), ...events.map((e) => stagingRow(loadId, e).map(csvField).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
