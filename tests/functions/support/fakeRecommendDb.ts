/**
 * The recommendation tables as the consumer writes them, for its tests and the benchmark: a model
 * of the interaction MERGE (new event ids only, counted) and of refusals once per stream
 * position, a commit per executeMany and a count of round trips. rec_serve and rec_upsert_items
 * are recorded (their binds) and answer what the test sets: their SQL runs in
 * recommend.real.test.ts against Oracle.
 */
import oracledb from "oracledb";
import { RECOMMEND_SQL, type RecommendConnection } from "../../../functions/oci/recommend/store";
import { recordRejects } from "./fakeAnomalyDb";

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
  ): Promise<{ rowsAffected?: number }> {
    this.roundTrips++;
    if (options.autoCommit !== true || !options.bindDefs)
      throw new Error("executeMany must commit and declare its binds");
    let affected = 0;
    if (sql === RECOMMEND_SQL.interaction) {
      for (const b of binds) {
        const row = {
          eventId: String(b.event_id),
          userId: String(b.user_id),
          itemId: String(b.item_id),
          kind: String(b.kind),
          recId: b.rec_id === null ? null : String(b.rec_id),
          occurredAt: String(b.occurred_at),
        };
        if (this.interactions.has(row.eventId)) continue;
        this.interactions.set(row.eventId, row);
        affected++;
      }
    } else if (sql === RECOMMEND_SQL.reject) {
      affected = recordRejects(this.rejects, binds);
    } else {
      throw new Error(`unexpected statement ${sql}`);
    }
    this.commits++;
    return { rowsAffected: affected };
  }
}
