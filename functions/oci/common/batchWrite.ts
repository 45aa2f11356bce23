/**
 * One stream batch's rows and refusals in one transaction, as both OCI consumers write them: the
 * rows with one executeMany with `batchErrors` (MERGE on the event id: a redelivered batch inserts
 * nothing twice), each row the database refuses for its data (DATA_ERRORS, default deny) recorded
 * as a refusal at its stream position — any other row error rolls everything back and fails the
 * batch —, the refusals with one more executeMany (once per stream position), one commit. A batch
 * never stalls on a row: it is stored or refused with its reason.
 */
import type oracledb from "oracledb";
import { dataErrorOf, refusalReason } from "../../aws/orders/oracleErrors";
import { rejectBinds, REJECT_BIND_DEFS, type Refusal } from "./rejects";

/** Where a row came from in the stream: what its refusal is recorded under. */
export type StreamPosition = Omit<Refusal, "reason">;

/** The part of a node-oracledb connection a batch write uses. */
export interface BatchConnection {
  executeMany(
    sql: string,
    binds: Array<Record<string, unknown>>,
    options: oracledb.ExecuteManyOptions,
  ): Promise<{ rowsAffected?: number; batchErrors?: ReadonlyArray<Error & { offset: number }> }>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface BatchRows {
  readonly sql: string;
  readonly binds: Array<Record<string, unknown>>;
  readonly bindDefs: Record<string, oracledb.BindDefinition>;
  /** Each bind row's stream position (same order). */
  readonly positions: readonly StreamPosition[];
}

export async function writeBatch(
  conn: BatchConnection,
  rows: BatchRows,
  refusals: readonly Refusal[],
  rejectSql: string,
): Promise<{ inserted: number; refused: Refusal[] }> {
  try {
    let inserted = 0;
    const refused: Refusal[] = [];
    if (rows.binds.length > 0) {
      const result = await conn.executeMany(rows.sql, rows.binds, {
        autoCommit: false,
        batchErrors: true,
        bindDefs: rows.bindDefs,
      });
      for (const error of result.batchErrors ?? []) {
        // Default deny: only a data error is the row's fault; anything else fails the batch.
        if (!dataErrorOf(error)) throw error;
        refused.push({ ...rows.positions[error.offset], reason: refusalReason(error) });
      }
      inserted = result.rowsAffected ?? 0;
    }
    const all = [...refusals, ...refused];
    if (all.length > 0)
      await conn.executeMany(rejectSql, rejectBinds(all), { autoCommit: false, bindDefs: REJECT_BIND_DEFS });
    // batchErrors leaves the transaction open: the rows and their refusals commit together.
    await conn.commit();
    return { inserted, refused };
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  }
}
