/** Timestamps in the one text form the staging insert's and DBMS_CLOUD's format models read. Pure (no driver), for the sync writer and the batch file alike. */

/** An ISO instant in the one form the insert's format model reads (`Z` becomes `+00:00`, 9 fraction digits). */
export function oracleTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) throw new Error(`updatedAt ${iso} is not an ISO 8601 instant`);
  return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}${m[3] === "Z" ? "+00:00" : m[3]}`;
}
