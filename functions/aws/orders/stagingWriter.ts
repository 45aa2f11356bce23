/**
 * The sync consumer's database side: the batch's events into `orders_staging` with one
 * executeMany, then the set-based merge (V021 `merge_orders_staging`: a create only where the
 * order does not exist and no other request holds its (client, key), the newest version otherwise,
 * never older over newer, the first request of each key recorded and a reused key recorded as a
 * conflict, the load's staging rows removed) with
 * autoCommit — two round trips and one commit per batch, whatever its size. The connection is the
 * order service's pool's.
 */
import oracledb from "oracledb";
import type { OrderEvent } from "./event";
import { ORACLE_TIMESTAMP_MODEL, oracleTimestamp } from "./oracleTime";
import type { StagingWriter } from "./syncBatch";

/** The part of a connection the writer uses (the pool's connections, or a recording fake). */
export interface StagingConnection {
  executeMany(
    sql: string,
    binds: Array<Record<string, unknown>>,
    options: oracledb.ExecuteManyOptions,
  ): Promise<{ rowsAffected?: number }>;
  execute(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<{ outBinds?: unknown }>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export { oracleTimestamp };

export const STAGING_SQL = {
  insert:
    "INSERT INTO orders_staging (load_id, order_id, customer_id, amount, currency, status, order_date, updated_at, kind, idempotency_key, request_hash, client_id) VALUES " +
    "(:load_id, :order_id, :customer_id, TO_NUMBER(:amount, '999999999990D99', 'NLS_NUMERIC_CHARACTERS=''.,'''), :currency, :status, " +
    `TO_DATE(:order_date, 'YYYY-MM-DD'), TO_TIMESTAMP_TZ(:updated_at, '${ORACLE_TIMESTAMP_MODEL}'), :kind, :idempotency_key, :request_hash, :client_id)`,
  merge: "BEGIN merge_orders_staging(:load_id, :merged, :conflicts); END;",
} as const;

/**
 * Types and sizes of the insert's binds: executeMany would otherwise infer them from the first
 * row, and a batch whose first event has no Idempotency-Key (an update) would refuse a later one
 * that has (the column sizes of V006 and V011).
 */
export const STAGING_BIND_DEFS: Record<string, oracledb.BindDefinition> = Object.fromEntries(
  (
    [
      ["load_id", 64],
      ["order_id", 64],
      ["customer_id", 64],
      ["amount", 16],
      ["currency", 3],
      ["status", 20],
      ["order_date", 10],
      ["updated_at", 35],
      ["kind", 10],
      ["idempotency_key", 128],
      ["request_hash", 64],
      ["client_id", 255],
    ] as const
  ).map(([name, maxSize]) => [name, { type: oracledb.STRING, maxSize }]),
);

export function stagingBinds(loadId: string, events: readonly OrderEvent[]): Array<Record<string, unknown>> {
  return events.map((e) => ({
    load_id: loadId,
    order_id: e.orderId,
    customer_id: e.customerId,
    amount: e.amount,
    currency: e.currency,
    status: e.status,
    order_date: e.orderDate,
    updated_at: oracleTimestamp(e.updatedAt),
    kind: e.kind,
    // executeMany binds every row alike: absent values are nulls, never missing keys.
    idempotency_key: e.idempotencyKey ?? null,
    request_hash: e.requestHash ?? null,
    client_id: e.clientId ?? null,
  }));
}

/** A StagingWriter over connections from `connect` (the caller's pool). */
export function oracleStagingWriter(connect: () => Promise<StagingConnection>): StagingWriter {
  return {
    async write(loadId, events) {
      const conn = await connect();
      try {
        await conn.executeMany(STAGING_SQL.insert, stagingBinds(loadId, events), {
          autoCommit: false,
          bindDefs: STAGING_BIND_DEFS,
        });
        const out = { dir: oracledb.BIND_OUT, type: oracledb.NUMBER };
        const result = await conn.execute(
          STAGING_SQL.merge,
          { load_id: loadId, merged: out, conflicts: out },
          { autoCommit: true },
        );
        const counts = (result.outBinds ?? {}) as { merged?: unknown; conflicts?: unknown };
        return { merged: Number(counts.merged ?? 0), conflicts: Number(counts.conflicts ?? 0) };
      } catch (err) {
        // Nothing of this load is committed; the batch comes again.
        await conn.rollback().catch(() => undefined);
        throw err;
      } finally {
        await conn.close().catch(() => undefined);
      }
    },
  };
}
