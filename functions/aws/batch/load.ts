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
import { ORACLE_TIMESTAMP_MODEL } from "../orders/oracleTime";
import { batchLoadId, dayObjectKey, REJECTED_ROWS_REPORTED } from "./contract";

export interface LoadTarget {
  readonly region: string;
  readonly namespace: string;
  readonly bucket: string;
}

/** The native Object Storage URI DBMS_CLOUD reads (each name segment URI-encoded). */
export function objectUri(target: LoadTarget, key: string): string {
  return `https://objectstorage.${target.region}.oraclecloud.com/n/${target.namespace}/b/${target.bucket}/o/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * COPY_DATA's format: the export's CSV, a header line, empty fields as NULL, and at most
 * `rejectLimit` rows refused (multicloud:sync.batch.rejectLimit; above it COPY_DATA fails the load).
 */
export function loadFormat(rejectLimit: number): string {
  if (!Number.isInteger(rejectLimit) || rejectLimit < 0)
    throw new Error(`the reject limit ${rejectLimit} is not a whole number of rows`);
  return JSON.stringify({
    type: "csv",
    skipheaders: 1,
    delimiter: ",",
    quote: '"',
    blankasnull: true,
    dateformat: "YYYY-MM-DD",
    timestamptzformat: ORACLE_TIMESTAMP_MODEL,
    rejectlimit: rejectLimit,
  });
}

/** The format with no row refused (the default). */
export const LOAD_FORMAT = loadFormat(0);

export const LOAD_SQL = [
  "BEGIN",
  "  DELETE FROM orders_staging WHERE load_id = :load_id;",
  "  DBMS_CLOUD.COPY_DATA(table_name => 'ORDERS_STAGING', schema_name => :schema_name, credential_name => 'OCI$RESOURCE_PRINCIPAL', file_uri_list => :file_uri, format => :format, operation_id => :operation_id);",
  "  merge_orders_staging(:load_id, :merged, :conflicts);",
  "END;",
].join("\n");

export const LAKEHOUSE_LOAD_SQL = [
  "BEGIN",
  "  DELETE FROM order_events WHERE load_id = :load_id;",
  "  DBMS_CLOUD.COPY_DATA(table_name => 'ORDER_EVENTS', schema_name => :schema_name, credential_name => 'OCI$RESOURCE_PRINCIPAL', file_uri_list => :file_uri, format => :format, operation_id => :operation_id);",
  "  SELECT COUNT(*) INTO :loaded FROM order_events WHERE load_id = :load_id;",
  "END;",
].join("\n");

/**
 * The rows a load refused: COPY_DATA keeps them in its bad-file table (COPY$<n>_BAD, in the loading
 * user's schema, named in USER_LOAD_OPERATIONS), one RECORD per refused line.
 */
export const BAD_FILE_SQL = {
  table: "SELECT USER, badfile_table FROM user_load_operations WHERE id = :operation_id",
  /** The first rows and the count; the table name is checked against BAD_FILE_TABLE before it is quoted in. */
  rows: (owner: string, table: string) =>
    `SELECT record, COUNT(*) OVER () FROM "${owner}"."${table}" FETCH FIRST ${REJECTED_ROWS_REPORTED} ROWS ONLY`,
} as const;
/** A bad-file or log table's name as DBMS_CLOUD makes it. */
const BAD_FILE_TABLE = /^COPY\$\d+_BAD$/;
const OWNER = /^[A-Z][A-Z0-9_$#]{0,127}$/;

/** What a load reports of the rows the database refused. */
export interface RejectedRows {
  readonly count: number;
  /** The first REJECTED_ROWS_REPORTED lines as the file had them. */
  readonly rows: readonly string[];
}

/** The refused rows of a bad-file table; none when there is no such table (nothing was refused). */
async function badFileRows(
  conn: LoadConnection,
  owner: string,
  table: string | null | undefined,
): Promise<RejectedRows> {
  if (!table) return { count: 0, rows: [] };
  if (!BAD_FILE_TABLE.test(table) || !OWNER.test(owner))
    throw new Error(`the load's bad-file table "${owner}"."${table}" is not one DBMS_CLOUD names; not reading it`);
  try {
    const result = await conn.execute(BAD_FILE_SQL.rows(owner, table), {}, { outFormat: oracledb.OUT_FORMAT_ARRAY });
    const rows = (result.rows ?? []) as Array<[string, number]>;
    return { count: Number(rows[0]?.[1] ?? 0), rows: rows.map(([record]) => String(record).replace(/\r?\n$/, "")) };
  } catch (err) {
    // DBMS_CLOUD makes the bad-file table only when a row was refused.
    if (/ORA-00942/.test(String((err as Error).message))) return { count: 0, rows: [] };
    throw err;
  }
}

/** The rows the operation refused (after a load that passed). */
async function rejectedRowsOf(conn: LoadConnection, operationId: unknown): Promise<RejectedRows> {
  if (typeof operationId !== "number") return { count: 0, rows: [] };
  const found = await conn.execute(
    BAD_FILE_SQL.table,
    { operation_id: operationId },
    { outFormat: oracledb.OUT_FORMAT_ARRAY },
  );
  const [owner, table] = ((found.rows ?? [])[0] ?? []) as [string?, string?];
  return badFileRows(conn, String(owner ?? ""), table);
}

/**
 * A load that failed on its reject limit (DBMS_CLOUD's ORA-20003 names the log table,
 * "OWNER"."COPY$n_LOG"): the error again, with the refused rows its bad-file table holds.
 */
async function rejectLimitError(conn: LoadConnection, err: unknown, rejectLimit: number): Promise<unknown> {
  const m = /ORA-20003:.*"([A-Z][A-Z0-9_$#]*)"\."(COPY\$\d+)_LOG"/.exec(String((err as Error)?.message ?? ""));
  if (!m) return err;
  const refused = await badFileRows(conn, m[1], `${m[2]}_BAD`).catch(() => ({ count: 0, rows: [] as string[] }));
  return new Error(
    `the day's file has more rows the database refuses than multicloud:sync.batch.rejectLimit allows (${rejectLimit}); ` +
      `${refused.count} refused, the first: ${refused.rows.slice(0, 5).join(" | ") || "(not readable)"} ` +
      `(${String((err as Error).message).split("\n")[0]})`,
    { cause: err },
  );
}

/** Where a load goes: the OLTP staging table and the merge, or the Lakehouse's order events. */
export const LOAD_INTO = ["staging", "lakehouse"] as const;
export type LoadInto = (typeof LOAD_INTO)[number];

/** The part of a connection the load uses. */
export interface LoadConnection {
  execute(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<{ outBinds?: unknown; rows?: unknown[] }>;
  close(): Promise<void>;
}

export interface LoadResult {
  readonly date: string;
  readonly loadId: string;
  readonly merged: number;
  readonly conflicts: number;
  /** The rows the database refused (within the reject limit): in the day's report, the workflow's output. */
  readonly rejected: RejectedRows;
}

export interface LakehouseLoadResult {
  readonly date: string;
  readonly loadId: string;
  /** The day's rows in order_events after the load. */
  readonly rows: number;
  readonly rejected: RejectedRows;
}

/**
 * One day's load block: the day's binds, the named NUMBER out binds and the operation id, the
 * refused rows of that operation; a reject-limit failure carries its refused rows; the connection
 * is closed whatever happens.
 */
async function runLoad(
  connect: () => Promise<LoadConnection>,
  sql: string,
  outs: readonly string[],
  target: LoadTarget,
  schema: string,
  date: string,
  rejectLimit: number,
): Promise<{ loadId: string; out: Record<string, unknown>; rejected: RejectedRows }> {
  const loadId = batchLoadId(date);
  const conn = await connect();
  try {
    const number = { dir: oracledb.BIND_OUT, type: oracledb.NUMBER };
    const result = await conn
      .execute(
        sql,
        {
          load_id: loadId,
          schema_name: schema.toUpperCase(),
          file_uri: objectUri(target, dayObjectKey(date)),
          format: loadFormat(rejectLimit),
          ...Object.fromEntries([...outs, "operation_id"].map((name) => [name, number])),
        },
        { autoCommit: true },
      )
      .catch(async (err: unknown) => {
        throw await rejectLimitError(conn, err, rejectLimit);
      });
    const out = (result.outBinds ?? {}) as Record<string, unknown>;
    return { loadId, out, rejected: await rejectedRowsOf(conn, out.operation_id) };
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export async function loadLakehouseDay(
  connect: () => Promise<LoadConnection>,
  target: LoadTarget,
  schema: string,
  date: string,
  rejectLimit = 0,
): Promise<LakehouseLoadResult> {
  const { loadId, out, rejected } = await runLoad(
    connect,
    LAKEHOUSE_LOAD_SQL,
    ["loaded"],
    target,
    schema,
    date,
    rejectLimit,
  );
  return { date, loadId, rows: Number(out.loaded ?? 0), rejected };
}

export async function loadDay(
  connect: () => Promise<LoadConnection>,
  target: LoadTarget,
  schema: string,
  date: string,
  rejectLimit = 0,
): Promise<LoadResult> {
  const { loadId, out, rejected } = await runLoad(
    connect,
    LOAD_SQL,
    ["merged", "conflicts"],
    target,
    schema,
    date,
    rejectLimit,
  );
  return { date, loadId, merged: Number(out.merged ?? 0), conflicts: Number(out.conflicts ?? 0), rejected };
}
