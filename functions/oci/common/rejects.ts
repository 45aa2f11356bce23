/**
 * Refused stream messages, recorded once per stream position with the reason (a redelivered batch
 * records nothing twice). The anomaly and the recommendation consumers each keep theirs in their
 * own table of this shape.
 */
import oracledb from "oracledb";

export interface Refusal {
  readonly stream: string;
  readonly partition: string;
  readonly offset: number;
  readonly reason: string;
}

/** The MERGE for `table` (a fixed table name from the caller's SQL, never input). */
export function rejectSql(table: "anomaly_rejects" | "rec_rejects"): string {
  return (
    `MERGE INTO ${table} r USING (SELECT :stream AS stream, :partition_id AS partition_id, :offset_no AS offset_no FROM dual) s` +
    " ON (r.stream = s.stream AND r.partition_id = s.partition_id AND r.offset_no = s.offset_no)" +
    " WHEN NOT MATCHED THEN INSERT (stream, partition_id, offset_no, reason) VALUES (:stream, :partition_id, :offset_no, :reason)"
  );
}

export const REJECT_BIND_DEFS: Record<string, oracledb.BindDefinition> = {
  stream: { type: oracledb.STRING, maxSize: 255 },
  partition_id: { type: oracledb.STRING, maxSize: 32 },
  offset_no: { type: oracledb.NUMBER },
  reason: { type: oracledb.STRING, maxSize: 400 },
};

/** The binds of one executeMany (reasons cut to the column's 400 characters). */
export function rejectBinds(refusals: readonly Refusal[]): Array<Record<string, unknown>> {
  return refusals.map((r) => ({
    stream: r.stream,
    partition_id: r.partition,
    offset_no: r.offset,
    reason: r.reason.slice(0, 400),
  }));
}
