/**
 * The recommendation tables as the consumer writes them, for its tests and the benchmark: a model
 * of the interaction MERGE (new event ids only, counted) and of refusals once per stream
 * position, in a transaction only a commit makes visible, with node-oracledb's batchErrors (a
 * constraint a test adds refuses rows, reported with their offsets), and a count of round trips. rec_serve and rec_upsert_items
 * are recorded (their binds) and answer what the test sets: their SQL runs in
 * recommend.real.test.ts against Oracle.
 */
import oracledb from "oracledb";
import { RECOMMEND_SQL, type RecommendConnection } from "../../../functions/oci/recommend/store";
import { mergeByEventId, recordRejects, writePendingRejects } from "./fakeAnomalyDb";

export interface StoredInteraction {
  readonly eventId: string;
  readonly userId: string;
  readonly itemId: string;
  readonly kind: string;
  readonly recId: string | null;
  readonly occurredAt: string;
}

export class FakeRecommendDb implements RecommendConnection {
  readonly interactions = new Map<string, StoredInteraction>();
  readonly rejects = new Map<string, string>();
  readonly calls: Array<{ sql: string; binds: oracledb.BindParameters }> = [];
  roundTrips = 0;
  commits = 0;
  rollbacks = 0;
  /** Constraints a later migration adds: a refused interaction's error, or undefined. */
  readonly constraints: Array<(row: StoredInteraction) => Error | undefined> = [];
  private pending: { interactions: StoredInteraction[]; rejects: Array<Record<string, unknown>> } = {
    interactions: [],
    rejects: [],
  };
  /** What rec_serve's OUT bind holds, and rec_upsert_items' count. */
  serveResult = '{"strategy":"popular","items":[]}';
  upsertChanged = 0;
  popularItems: string[] = [];

  async execute<T>(sql: string, binds: oracledb.BindParameters): Promise<{ rows?: T[]; outBinds?: unknown }> {
    this.roundTrips++;
    this.calls.push({ sql, binds });
    if (sql === RECOMMEND_SQL.serve) {
      this.commits++;
      return { outBinds: { result: this.serveResult } };
    }
    if (sql === RECOMMEND_SQL.upsertItems) {
      this.commits++;
      return { outBinds: { changed: this.upsertChanged } };
    }
    if (sql === RECOMMEND_SQL.popular) return { rows: this.popularItems.map((id) => [id]) as T[] };
    throw new Error(`unexpected statement ${sql}`);
  }

  async executeMany(
    sql: string,
    binds: Array<Record<string, unknown>>,
    options: oracledb.ExecuteManyOptions,
  ): Promise<{ rowsAffected?: number; batchErrors?: Array<Error & { offset: number }> }> {
    this.roundTrips++;
    if (options.autoCommit !== false || !options.bindDefs)
      throw new Error("executeMany must leave the commit to the transaction and declare its binds");
    if (sql === RECOMMEND_SQL.interaction) {
      const rows = binds.map((b) => ({
        eventId: String(b.event_id),
        userId: String(b.user_id),
        itemId: String(b.item_id),
        kind: String(b.kind),
        recId: b.rec_id === null ? null : String(b.rec_id),
        occurredAt: String(b.occurred_at),
      }));
      const { affected, errors } = mergeByEventId(
        rows,
        (id) => this.interactions.has(id),
        this.pending.interactions,
        (row) => this.constraints.map((c) => c(row)).find(Boolean),
        options.batchErrors,
        (row) => this.pending.interactions.push(row),
      );
      return { rowsAffected: affected, ...(options.batchErrors ? { batchErrors: errors } : {}) };
    } else if (sql === RECOMMEND_SQL.reject) {
      return { rowsAffected: writePendingRejects(this.rejects, this.pending.rejects, binds) };
    }
    throw new Error(`unexpected statement ${sql}`);
  }

  async commit(): Promise<void> {
    this.roundTrips++;
    for (const row of this.pending.interactions) this.interactions.set(row.eventId, row);
    recordRejects(this.rejects, this.pending.rejects);
    this.pending = { interactions: [], rejects: [] };
    this.commits++;
  }

  async rollback(): Promise<void> {
    this.pending = { interactions: [], rejects: [] };
    this.rollbacks++;
  }
}
