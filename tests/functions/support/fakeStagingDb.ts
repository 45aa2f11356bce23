/**
 * The orders table as the sync writes it, for the crash tests: a model of V011's rules, not a
 * database — a staging insert is visible only after its commit; `merge_orders_staging` inserts a
 * `created` order only where none exists (the first request of its key), applies an `updated`
 * version only over an older one, records each key's first request and any other request with the
 * same key as a conflict, and empties the load; an uncommitted transaction vanishes with its
 * session. It counts round trips and commits. The SQL itself runs in orders.real.test.ts against
 * Oracle.
 */
import type oracledb from "oracledb";
import { LEGACY_CLIENT } from "../../../functions/aws/orders/orders";
import { STAGING_SQL, type StagingConnection } from "../../../functions/aws/orders/stagingWriter";

export interface StoredOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: string;
  readonly status: string;
  readonly updatedAt: string;
}

type Staged = StoredOrder & {
  readonly loadId: string;
  readonly kind: string;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
  /** The client whose key it is (LEGACY_CLIENT when the event named none, as the merge's NVL does). */
  readonly clientId: string;
};

/** An error as node-oracledb raises it for a server error: message, errorNum, code, offset. */
export function oracleError(errorNum: number, text: string): Error {
  const code = `ORA-${String(errorNum).padStart(5, "0")}`;
  return Object.assign(new Error(`${code}: ${text}`), { errorNum, code, offset: 0 });
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * What the staging insert's conversions and V006's columns refuse in one row, as Oracle reports it
 * (the first problem): TO_DATE 'YYYY-MM-DD', TO_NUMBER '999999999990D99' into NUMBER(14,2),
 * TO_TIMESTAMP_TZ with 'HH24:MI:SS.FF9TZH:TZM', VARCHAR2 lengths, NOT NULL.
 */
export function stagingRowError(b: Record<string, unknown>): Error | undefined {
  for (const [column, max] of [
    ["order_id", 64],
    ["customer_id", 64],
    ["currency", 3],
    ["status", 20],
  ] as const) {
    const value = b[column];
    if (value === null || value === undefined || value === "")
      return oracleError(1400, `cannot insert NULL into ("MC_APP"."ORDERS_STAGING"."${column.toUpperCase()}")`);
    if (Buffer.byteLength(String(value)) > max)
      return oracleError(
        12899,
        `value too large for column "MC_APP"."ORDERS_STAGING"."${column.toUpperCase()}" (actual: ${Buffer.byteLength(String(value))}, maximum: ${max})`,
      );
  }
  const amount = /^(\d+)(?:\.(\d+))?$/.exec(String(b.amount));
  if (!amount || amount[1].length > 12 || (amount[2] ?? "").length > 2) return oracleError(1722, "invalid number");
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(b.order_date));
  if (!date) return oracleError(1861, "literal does not match format string");
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (year === 0) return oracleError(1841, "(full) year must be between -4713 and +9999, and not be 0");
  if (month < 1 || month > 12) return oracleError(1843, "not a valid month");
  if (day < 1 || day > daysIn(year, month))
    return oracleError(1847, "day of month must be between 1 and last day of month");
  const at = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{9}([+-])(\d{2}):(\d{2})$/.exec(String(b.updated_at));
  if (!at) return oracleError(1861, "literal does not match format string");
  if (Number(at[1]) === 0) return oracleError(1841, "(full) year must be between -4713 and +9999, and not be 0");
  if (Number(at[3]) > daysIn(Number(at[1]), Number(at[2])))
    return oracleError(1847, "day of month must be between 1 and last day of month");
  if (Number(at[4]) > 23) return oracleError(1850, "hour must be between 0 and 23");
  if (Number(at[5]) > 59) return oracleError(1851, "minutes must be between 0 and 59");
  if (Number(at[6]) > 59) return oracleError(1852, "seconds must be between 0 and 59");
  if (Number(at[8]) > 15) return oracleError(1874, "time zone hour must be between -15 and 15");
  return undefined;
}

export class FakeStagingDb {
  readonly orders = new Map<string, StoredOrder>();
  /** order_requests: "client|key" → the request's hash that holds it (the API's reservations too). */
  readonly requests = new Map<string, string>();
  /** order_conflicts: "client|key|hash" of requests that found their key taken. */
  readonly conflicts = new Set<string>();
  roundTrips = 0;
  commits = 0;
  rollbacks = 0;
  /** Each round trip waits this long first (ms): the interconnect's latency, for the drain test and the benchmark. */
  roundTripDelayMs = 0;
  /**
   * Constraints of the orders table the merge checks (a CHECK or foreign key a later migration
   * adds, which the consumer's contract does not know yet): a row that breaks one fails the merge.
   */
  readonly constraints: Array<(row: StoredOrder) => Error | undefined> = [];
  /** Fails the next calls with these errors, in order (undefined = succeed). */
  readonly failures: Array<Error | undefined> = [];

  connect = async (): Promise<StagingConnection> => {
    let pending: Staged[] = [];
    const step = async () => {
      if (this.roundTripDelayMs) await new Promise((r) => setTimeout(r, this.roundTripDelayMs));
      this.roundTrips++;
      const failure = this.failures.shift();
      if (failure) throw failure;
    };
    return {
      executeMany: async (sql: string, binds: Array<Record<string, unknown>>, options: oracledb.ExecuteManyOptions) => {
        await step();
        // The load must not commit before its merge: a crash in between would leave half a batch staged.
        if (sql !== STAGING_SQL.insert || options.autoCommit !== false)
          throw new Error(`unexpected statement ${sql} (autoCommit ${String(options.autoCommit)})`);
        // Oracle infers bind types from the first row unless told: the writer must tell.
        if (!options.bindDefs)
          throw new Error("executeMany without bindDefs: a null in the first row would fix the column's type");
        for (const b of binds)
          if (Object.keys(b).sort().join() !== Object.keys(binds[0]).sort().join())
            throw new Error("rows bind different names");
        // Without batchErrors Oracle stops at the first refused row, and the statement changes nothing.
        for (const b of binds) {
          const refused = stagingRowError(b);
          if (refused) throw refused;
        }
        pending.push(
          ...binds.map((b) => ({
            loadId: String(b.load_id),
            orderId: String(b.order_id),
            customerId: String(b.customer_id),
            amount: String(b.amount),
            status: String(b.status),
            updatedAt: String(b.updated_at),
            kind: String(b.kind),
            idempotencyKey: b.idempotency_key === null ? null : String(b.idempotency_key),
            requestHash: b.request_hash === null ? null : String(b.request_hash),
            clientId: b.client_id === null ? LEGACY_CLIENT : String(b.client_id),
          })),
        );
        return { rowsAffected: binds.length };
      },
      execute: async (sql: string, bindParameters: oracledb.BindParameters, options: oracledb.ExecuteOptions) => {
        const binds = bindParameters as Record<string, unknown>;
        await step();
        if (sql !== STAGING_SQL.merge || options.autoCommit !== true)
          throw new Error(`unexpected statement ${sql} (autoCommit ${String(options.autoCommit)})`);
        const load = pending.filter((s) => s.loadId === binds.load_id);
        for (const row of load)
          for (const constraint of this.constraints) {
            const broken = constraint(row);
            // The merge is one statement: it changes nothing, and the transaction is the caller's to roll back.
            if (broken) throw broken;
          }
        const at = (s: Staged) => Date.parse(iso(s.updatedAt));
        const keyOf = (s: Staged) => `${s.clientId}|${s.idempotencyKey}`;
        // A create whose key another request already holds (a reservation or an earlier load) is a conflict, not an order.
        const taken = (s: Staged) =>
          s.kind === "created" && this.requests.has(keyOf(s)) && this.requests.get(keyOf(s)) !== s.requestHash;
        // The chosen row per order: the newest update if any, else the first create.
        const chosen = new Map<string, Staged>();
        const better = (a: Staged, b: Staged) =>
          a.kind !== b.kind ? a.kind === "updated" : a.kind === "updated" ? at(a) > at(b) : at(a) < at(b);
        for (const s of load.filter((r) => !taken(r)))
          if (!chosen.has(s.orderId) || better(s, chosen.get(s.orderId)!)) chosen.set(s.orderId, s);
        let merged = 0;
        for (const s of chosen.values()) {
          const stored = this.orders.get(s.orderId);
          if (!stored || (s.kind === "updated" && at(s) > Date.parse(iso(stored.updatedAt)))) {
            this.orders.set(s.orderId, {
              orderId: s.orderId,
              customerId: s.customerId,
              amount: s.amount,
              status: s.status,
              updatedAt: s.updatedAt,
            });
            merged++;
          }
        }
        const creates = load.filter((s) => s.kind === "created").sort((a, b) => at(a) - at(b));
        for (const s of creates) if (!this.requests.has(keyOf(s))) this.requests.set(keyOf(s), s.requestHash!);
        let conflicts = 0;
        for (const s of creates) {
          const entry = `${keyOf(s)}|${s.requestHash}`;
          if (this.requests.get(keyOf(s)) !== s.requestHash && !this.conflicts.has(entry)) {
            this.conflicts.add(entry);
            conflicts++;
          }
        }
        pending = pending.filter((p) => p.loadId !== binds.load_id);
        this.commits++;
        return { outBinds: { merged, conflicts } };
      },
      rollback: async () => {
        this.rollbacks++;
        pending = [];
      },
      close: async () => {
        pending = [];
      },
    };
  };
}

/** The writer's timestamp form back to something Date.parse reads (9 fraction digits → 3). */
export function iso(oracle: string): string {
  return oracle.replace(/\.(\d{3})\d{6}/, ".$1");
}
