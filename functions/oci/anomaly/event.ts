/**
 * The anomaly pipeline's events: one measurement of one series, with its own id (the function is
 * idempotent on it). Pure: parsing says why an event is refused.
 */
import { isOracleInstant, isOracleNumber } from "../../aws/orders/oracleTime";
import { rowProblems } from "../../aws/orders/tableContracts";
import { jsonObject, type Parsed } from "../common/streamEvents";
import { ANOMALY_LIMITS } from "./contract";

export interface AnomalyEvent {
  readonly eventId: string;
  /** The series the value belongs to (a sensor, an account, a metric). */
  readonly seriesKey: string;
  readonly value: number;
  /** When it was measured, ISO 8601 with a zone. */
  readonly eventTime: string;
}

export type ParsedAnomalyEvent = Parsed<AnomalyEvent>;

const ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${ANOMALY_LIMITS.maxEventIdLength - 1}}$`);
const SERIES = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,${ANOMALY_LIMITS.maxSeriesKeyLength - 1}}$`);

export function parseAnomalyEvent(text: string): ParsedAnomalyEvent {
  const doc = jsonObject(text);
  if (!doc.ok) return doc;
  const v = doc.value;
  const bad: string[] = [];
  if (typeof v.eventId !== "string" || !ID.test(v.eventId)) bad.push("eventId");
  if (typeof v.seriesKey !== "string" || !SERIES.test(v.seriesKey)) bad.push("seriesKey");
  // Finite is not enough: 1e-200 or 1e130 would fail the whole batch's bind (NJS-115).
  if (typeof v.value !== "number" || !isOracleNumber(v.value)) bad.push("value");
  if (typeof v.eventTime !== "string" || !isOracleInstant(v.eventTime, 6)) bad.push("eventTime");
  if (bad.length) return { ok: false, reason: `invalid ${bad.join(", ")}` };
  const row = { event_id: v.eventId, series_key: v.seriesKey, event_time: v.eventTime, value: v.value };
  const stored = rowProblems("anomaly_events", row, Object.keys(row));
  if (stored.length) return { ok: false, reason: `invalid ${stored.join("; ")}` };
  return {
    ok: true,
    event: {
      eventId: v.eventId as string,
      seriesKey: v.seriesKey as string,
      value: v.value as number,
      eventTime: v.eventTime as string,
    },
  };
}
