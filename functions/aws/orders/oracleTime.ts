/** Timestamps in the one text form the staging insert's and DBMS_CLOUD's format models read. Pure (no driver), for the sync writer and the batch file alike. */

/** The format model every TO_TIMESTAMP_TZ and DBMS_CLOUD load reads oracleTimestamp()'s text with. */
export const ORACLE_TIMESTAMP_MODEL = 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM';

/** An ISO instant in the one form the insert's format model reads (`Z` becomes `+00:00`, 9 fraction digits). */
export function oracleTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) throw new Error(`updatedAt ${iso} is not an ISO 8601 instant`);
  return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}${m[3] === "Z" ? "+00:00" : m[3]}`;
}

const daysIn = (year: number, month: number) =>
  new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * A calendar date Oracle's DATE stores from `YYYY-MM-DD`: year 0001–9999 (TO_DATE refuses year 0
 * with ORA-01841), a month 1–12 (ORA-01843), a day within its month (ORA-01847).
 */
export function isOracleDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/**
 * An ISO 8601 instant with a zone that TIMESTAMP WITH TIME ZONE stores: a real date (as
 * isOracleDate), hour 0–23 (no 24:00, ORA-01850), minute and second 0–59, at most `fractionDigits`
 * fraction digits, and a zone `Z` or ±HH:MM within ±14:00 (the offsets that exist). A time
 * without a zone is refused: it would be read in the session's zone.
 */
export function isOracleInstant(text: string, fractionDigits = 9): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m || !isOracleDate(m[1])) return false;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[5] !== undefined && m[5].length > fractionDigits) return false;
  if (m[6] === "Z") return true;
  const [zoneHour, zoneMinute] = [Number(m[8]), Number(m[9])];
  return zoneMinute <= 59 && zoneHour * 60 + zoneMinute <= 14 * 60;
}

/**
 * Whether node-oracledb can bind `value` as an Oracle NUMBER: finite, and zero or of a magnitude
 * from 1e-130 to below 1e126 (outside, the driver refuses the whole call with NJS-115, before the
 * database sees a row). A column's precision and scale are the table contract's to check.
 */
export function isOracleNumber(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= 1e-130 && magnitude < 1e126);
}
