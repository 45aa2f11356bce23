/**
 * The orders table as the sync writes it, for the crash tests: a model of V006's rules, not a
 * database — a staging insert is visible only after its commit, `merge_orders_staging` keeps the
 * newest version of each order (a staged row older than the stored one changes nothing) and empties
 * the load, and an uncommitted transaction vanishes with its session. It counts round trips and
 * commits. The SQL itself runs in orders.real.test.ts against Oracle.
 */
import type oracledb from "oracledb";
import { STAGING_SQL, type StagingConnection } from "../../../functions/aws/orders/stagingWriter";

export interface StoredOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: string;
  readonly status: string;
  readonly updatedAt: string;
}

type Staged = StoredOrder & { readonly loadId: string };

export class FakeStagingDb {
  readonly orders = new Map<string, StoredOrder>();
  roundTrips = 0;
  commits = 0;
  rollbacks = 0;
  /** Each round trip waits this long first (ms): the interconnect's latency, for the drain test and the benchmark. */
  roundTripDelayMs = 0;
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
        if (sql !== STAGING_SQL.insert || options.autoCommit !== false) throw new Error(`unexpected statement ${sql} (autoCommit ${String(options.autoCommit)})`);
        pending.push(...binds.map((b) => ({ loadId: String(b.load_id), orderId: String(b.order_id), customerId: String(b.customer_id), amount: String(b.amount), status: String(b.status), updatedAt: String(b.updated_at) })));
        return { rowsAffected: binds.length };
      },
      execute: async (sql: string, bindParameters: oracledb.BindParameters, options: oracledb.ExecuteOptions) => {
        const binds = bindParameters as Record<string, unknown>;
        await step();
        if (sql !== STAGING_SQL.merge || options.autoCommit !== true) throw new Error(`unexpected statement ${sql} (autoCommit ${String(options.autoCommit)})`);
        const load = pending.filter((s) => s.loadId === binds.load_id);
        // Newest per order within the load, then only over an older stored version.
        const newest = new Map<string, Staged>();
        for (const s of load) if (!newest.has(s.orderId) || Date.parse(iso(s.updatedAt)) > Date.parse(iso(newest.get(s.orderId)!.updatedAt))) newest.set(s.orderId, s);
        let merged = 0;
        for (const s of newest.values()) {
          const stored = this.orders.get(s.orderId);
          if (!stored || Date.parse(iso(s.updatedAt)) > Date.parse(iso(stored.updatedAt))) {
            this.orders.set(s.orderId, { orderId: s.orderId, customerId: s.customerId, amount: s.amount, status: s.status, updatedAt: s.updatedAt });
            merged++;
          }
        }
        pending = pending.filter((p) => p.loadId !== binds.load_id);
        this.commits++;
        return { outBinds: { merged } };
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
function iso(oracle: string): string {
  return oracle.replace(/\.(\d{3})\d{6}/, ".$1");
}
