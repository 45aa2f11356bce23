/**
 * The anomaly feature function's database side, over one connection: the previous value of each
 * series in the batch with **one** query (the series and their first times travel as one JSON
 * bind), then **one transaction**: the batch with one executeMany (MERGE on the event id: a
 * redelivered batch inserts nothing twice) with `batchErrors`, so a row the database refuses for
 * its data (DATA_ERRORS) becomes a refusal instead of failing the batch on every redelivery;
 * the refusals (the parser's and the database's) with one more executeMany; one commit. Any other
 * row error rolls everything back and fails the batch (default deny). 3 round trips per batch,
 * 4 with refusals; the seed took 3 per event.
 */
import oracledb from "oracledb";
import { ORACLE_TIMESTAMP_MODEL, oracleTimestamp } from "../../aws/orders/oracleTime";
import { type BatchConnection, type StreamPosition, writeBatch } from "../common/batchWrite";
import { type Refusal, rejectSql } from "../common/rejects";
import type { FeatureRow, PreviousValue } from "./features";

export type { Refusal };

/** The part of a connection the store uses (node-oracledb's, or a recording fake). */
export interface AnomalyConnection extends BatchConnection {
  execute<T>(sql: string, binds: oracledb.BindParameters, options: oracledb.ExecuteOptions): Promise<{ rows?: T[] }>;
}

const TZ_FORMAT = `'${ORACLE_TIMESTAMP_MODEL}'`;

export const ANOMALY_SQL = {
  previous:
    'SELECT s.series_key, p.value, TO_CHAR(SYS_EXTRACT_UTC(p.event_time), \'YYYY-MM-DD"T"HH24:MI:SS.FF6"Z"\')' +
    " FROM JSON_TABLE(:firsts, '$[*]' COLUMNS (series_key VARCHAR2(128) PATH '$.s', first_time VARCHAR2(40) PATH '$.t')) s" +
    " CROSS APPLY (SELECT a.value, a.event_time FROM anomaly_events a" +
    ` WHERE a.series_key = s.series_key AND a.event_time < TO_TIMESTAMP_TZ(s.first_time, ${TZ_FORMAT})` +
    " ORDER BY a.event_time DESC FETCH FIRST 1 ROW ONLY) p",
  insert:
    "MERGE INTO anomaly_events a USING (SELECT :event_id AS event_id FROM dual) s ON (a.event_id = s.event_id)" +
    " WHEN NOT MATCHED THEN INSERT (event_id, series_key, event_time, value, delta, ratio)" +
    ` VALUES (:event_id, :series_key, TO_TIMESTAMP_TZ(:event_time, ${TZ_FORMAT}), :value, :delta, :ratio)`,
  reject: rejectSql("anomaly_rejects"),
} as const;

/** Types and sizes of the insert's binds: delta and ratio are null for a series' first value. */
export const INSERT_BIND_DEFS: Record<string, oracledb.BindDefinition> = {
  event_id: { type: oracledb.STRING, maxSize: 64 },
  series_key: { type: oracledb.STRING, maxSize: 128 },
  event_time: { type: oracledb.STRING, maxSize: 35 },
  value: { type: oracledb.NUMBER },
  delta: { type: oracledb.NUMBER },
  ratio: { type: oracledb.NUMBER },
};

export function anomalyStore(conn: AnomalyConnection) {
  return {
    /** Per series, the latest stored value before the batch's first event of it. */
    async previousValues(firsts: ReadonlyMap<string, string>): Promise<Map<string, PreviousValue>> {
      const json = JSON.stringify([...firsts].map(([s, t]) => ({ s, t: oracleTimestamp(t) })));
      const result = await conn.execute<[string, number, string]>(
        ANOMALY_SQL.previous,
        { firsts: json },
        { outFormat: oracledb.OUT_FORMAT_ARRAY },
      );
      return new Map(
        (result.rows ?? []).map(([seriesKey, value, eventTime]) => [
          seriesKey,
          { seriesKey, value: Number(value), eventTime },
        ]),
      );
    },
    /**
     * In one transaction: inserts the rows not stored yet, records `refusals` and every row the
     * database refuses for its data (at `positionOf` the row), commits. How many rows were new,
     * and which the database refused.
     */
    async write(
      rows: readonly FeatureRow[],
      refusals: readonly Refusal[],
      positionOf: (row: FeatureRow) => StreamPosition,
    ): Promise<{ inserted: number; refused: Refusal[] }> {
      const binds = rows.map((r) => ({
        event_id: r.eventId,
        series_key: r.seriesKey,
        event_time: oracleTimestamp(r.eventTime),
        value: r.value,
        delta: r.delta,
        ratio: r.ratio,
      }));
      return writeBatch(
        conn,
        { sql: ANOMALY_SQL.insert, binds, bindDefs: INSERT_BIND_DEFS, positions: rows.map(positionOf) },
        refusals,
        ANOMALY_SQL.reject,
      );
    },
  };
}

export type AnomalyStore = ReturnType<typeof anomalyStore>;
