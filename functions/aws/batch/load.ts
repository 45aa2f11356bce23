/**
 * The batch path's loads. Into the OLTP instance, run as the loader (its own database user: DBMS_CLOUD and the staging
 * table, no other rows): in one PL/SQL block, drop what an earlier attempt of the day staged,
 * DBMS_CLOUD.COPY_DATA the day's file into orders_staging — the database reads the OCI bucket with
 * its resource principal, no stored credential — and run the set-based merge; then commit. A
 * re-run of a day stages the same rows under the same load id and the merge changes nothing.
 * Into the Lakehouse (prod), run as MC_LAKE: the day's rows replace that day's partition of
 * order_events, the same way, with the Lakehouse's own resource principal.
 */
import oracledb from "oracledb";
import { batchLoadId, dayObjectKey } from "./contract";

export interface LoadTarget {
  readonly region: string;
  readonly namespace: string;
  readonly bucket: string;
}

/** The native Object Storage URI DBMS_CLOUD reads (each name segment URI-encoded). */
export function objectUri(target: LoadTarget, key: string): string {
  return `https://objectstorage.${target.region}.oraclecloud.com/n/${target.namespace}/b/${target.bucket}/o/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** COPY_DATA's format: the export's CSV, a header line, empty fields as NULL, and no row may be rejected. */
export const LOAD_FORMAT = JSON.stringify({
  type: "csv",
  skipheaders: 1,
  delimiter: ",",
  quote: '"',
  blankasnull: true,
  dateformat: "YYYY-MM-DD",
  timestamptzformat: 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM',
  rejectlimit: 0,
});

export const LOAD_SQL = [
  "BEGIN",
  "  DELETE FROM orders_staging WHERE load_id = :load_id;",
  "  DBMS_CLOUD.COPY_DATA(table_name => 'ORDERS_STAGING', schema_name => :schema_name, credential_name => 'OCI$RESOURCE_PRINCIPAL', file_uri_list => :file_uri, format => :format);",
  "  merge_orders_staging(:load_id, :merged, :conflicts);",
  "END;",
].join("\n");

export const LAKEHOUSE_LOAD_SQL = [
  "BEGIN",
  "  DELETE FROM order_events WHERE load_id = :load_id;",
  "  DBMS_CLOUD.COPY_DATA(table_name => 'ORDER_EVENTS', schema_name => :schema_name, credential_name => 'OCI$RESOURCE_PRINCIPAL', file_uri_list => :file_uri, format => :format);",
  "  SELECT COUNT(*) INTO :loaded FROM order_events WHERE load_id = :load_id;",
  "END;",
].join("\n");

/** Where a load goes: the OLTP staging table and the merge, or the Lakehouse's order events. */
export const LOAD_INTO = ["staging", "lakehouse"] as const;
export type LoadInto = (typeof LOAD_INTO)[number];

/** The part of a connection the load uses. */
export interface LoadConnection {
  execute(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<{ outBinds?: unknown }>;
  close(): Promise<void>;
}

export interface LoadResult {
  readonly date: string;
  readonly loadId: string;
  readonly merged: number;
  readonly conflicts: number;
}

export interface LakehouseLoadResult {
  readonly date: string;
  readonly loadId: string;
  /** The day's rows in order_events after the load. */
  readonly rows: number;
}

export async function loadLakehouseDay(
  connect: () => Promise<LoadConnection>,
  target: LoadTarget,
  schema: string,
  date: string,
): Promise<LakehouseLoadResult> {
  const loadId = batchLoadId(date);
  const conn = await connect();
  try {
    const result = await conn.execute(
      LAKEHOUSE_LOAD_SQL,
      {
        load_id: loadId,
        schema_name: schema.toUpperCase(),
        file_uri: objectUri(target, dayObjectKey(date)),
        format: LOAD_FORMAT,
        loaded: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER },
      },
      { autoCommit: true },
    );
    return { date, loadId, rows: Number((result.outBinds as { loaded?: unknown } | undefined)?.loaded ?? 0) };
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export async function loadDay(
  connect: () => Promise<LoadConnection>,
  target: LoadTarget,
  schema: string,
  date: string,
): Promise<LoadResult> {
  const loadId = batchLoadId(date);
  const conn = await connect();
  try {
    const out = { dir: oracledb.BIND_OUT, type: oracledb.NUMBER };
    const result = await conn.execute(
      LOAD_SQL,
      {
        load_id: loadId,
        schema_name: schema.toUpperCase(),
        file_uri: objectUri(target, dayObjectKey(date)),
        format: LOAD_FORMAT,
        merged: out,
        conflicts: out,
      },
      { autoCommit: true },
    );
    const counts = (result.outBinds ?? {}) as { merged?: unknown; conflicts?: unknown };
    return { date, loadId, merged: Number(counts.merged ?? 0), conflicts: Number(counts.conflicts ?? 0) };
  } finally {
    await conn.close().catch(() => undefined);
  }
}
