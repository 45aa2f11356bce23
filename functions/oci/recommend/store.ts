/**
 * The recommendation functions' database side, one round trip per operation over one connection:
 * a batch of interactions and its refusals in one transaction (common/batchWrite.ts: MERGE on the
 * event id, a row the database refuses for its data recorded as a refusal, one commit); a recommendation
 * with one call of rec_serve (candidates, ranking, the served log and its commit happen in the
 * database, the list comes back as an OUT bind); the popular list for the fallback cache; a
 * catalogue change with one call of rec_upsert_items.
 */
import oracledb from "oracledb";
import { ORACLE_TIMESTAMP_MODEL, oracleTimestamp } from "../../aws/orders/oracleTime";
import { type BatchConnection, type StreamPosition, writeBatch } from "../common/batchWrite";
import { type Refusal, rejectSql } from "../common/rejects";
import type { UserEvent } from "./event";

/** The part of a connection the store uses (node-oracledb's, or a recording fake). */
export interface RecommendConnection extends BatchConnection {
  execute<T>(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<{ rows?: T[]; outBinds?: unknown }>;
}

const TZ_FORMAT = `'${ORACLE_TIMESTAMP_MODEL}'`;

export const RECOMMEND_SQL = {
  interaction:
    "MERGE INTO rec_interactions i USING (SELECT :event_id AS event_id FROM dual) s ON (i.event_id = s.event_id)" +
    " WHEN NOT MATCHED THEN INSERT (event_id, user_id, item_id, kind, rec_id, occurred_at)" +
    ` VALUES (:event_id, :user_id, :item_id, :kind, :rec_id, TO_TIMESTAMP_TZ(:occurred_at, ${TZ_FORMAT}))`,
  reject: rejectSql("rec_rejects"),
  serve: "BEGIN rec_serve(:rec_id, :user_id, :item_limit, :result); END;",
  popular: "SELECT item_id FROM rec_popular ORDER BY rank_no FETCH FIRST 50 ROWS ONLY",
  upsertItems: "BEGIN rec_upsert_items(:items, :changed); END;",
} as const;

export const INTERACTION_BIND_DEFS: Record<string, oracledb.BindDefinition> = {
  event_id: { type: oracledb.STRING, maxSize: 64 },
  user_id: { type: oracledb.STRING, maxSize: 64 },
  item_id: { type: oracledb.STRING, maxSize: 64 },
  kind: { type: oracledb.STRING, maxSize: 16 },
  rec_id: { type: oracledb.STRING, maxSize: 36 },
  occurred_at: { type: oracledb.STRING, maxSize: 35 },
};

export type ItemSource = "vector" | "cooccurrence" | "blend" | "popular";

export interface RecommendedItem {
  readonly itemId: string;
  readonly score: number;
  readonly source: ItemSource;
}

export interface ServedList {
  readonly strategy: "personal" | "popular";
  readonly items: readonly RecommendedItem[];
}

const SOURCES: readonly string[] = ["vector", "cooccurrence", "blend", "popular"];

/** rec_serve's JSON, checked: a result of another shape is the database's fault, said plainly. */
export function parseServedList(text: unknown): ServedList {
  let doc: unknown;
  try {
    doc = JSON.parse(String(text));
  } catch {
    throw new Error("rec_serve returned no JSON");
  }
  const v = (doc ?? {}) as { strategy?: unknown; items?: unknown };
  if ((v.strategy !== "personal" && v.strategy !== "popular") || !Array.isArray(v.items))
    throw new Error('rec_serve returned JSON without "strategy" and "items"');
  const items = v.items.map((raw, i) => {
    const it = (raw ?? {}) as Record<string, unknown>;
    if (
      typeof it.itemId !== "string" ||
      typeof it.score !== "number" ||
      typeof it.source !== "string" ||
      !SOURCES.includes(it.source)
    )
      throw new Error(`rec_serve returned item ${i} without itemId, score and source`);
    return { itemId: it.itemId, score: it.score, source: it.source as ItemSource };
  });
  return { strategy: v.strategy, items };
}

export function recommendStore(conn: RecommendConnection) {
  return {
    /**
     * In one transaction: the interactions not stored yet, `refusals` and every interaction the
     * database refuses for its data (at its stream position); how many were new, which were refused.
     */
    async writeInteractions(
      events: readonly UserEvent[],
      positions: readonly StreamPosition[],
      refusals: readonly Refusal[],
    ): Promise<{ inserted: number; refused: Refusal[] }> {
      const binds = events.map((e) => ({
        event_id: e.eventId,
        user_id: e.userId,
        item_id: e.itemId,
        kind: e.kind,
        rec_id: e.recId ?? null,
        occurred_at: oracleTimestamp(e.occurredAt),
      }));
      return writeBatch(
        conn,
        { sql: RECOMMEND_SQL.interaction, binds, bindDefs: INTERACTION_BIND_DEFS, positions },
        refusals,
        RECOMMEND_SQL.reject,
      );
    },
    /** One recommendation, served, logged and committed by rec_serve. */
    async serve(request: { recId: string; userId: string; limit: number }): Promise<ServedList> {
      const result = await conn.execute(
        RECOMMEND_SQL.serve,
        {
          rec_id: request.recId,
          user_id: request.userId,
          item_limit: request.limit,
          result: { dir: oracledb.BIND_OUT, type: oracledb.STRING, maxSize: 32767 },
        },
        {},
      );
      return parseServedList((result.outBinds as { result?: unknown } | undefined)?.result);
    },
    /** The popular list, best first (for the fallback cache). */
    async popular(): Promise<string[]> {
      const result = await conn.execute<[string]>(RECOMMEND_SQL.popular, {}, { outFormat: oracledb.OUT_FORMAT_ARRAY });
      return (result.rows ?? []).map(([itemId]) => itemId);
    },
    /** Adds or changes catalogue items (JSON array), embedding the changed ones; how many rows changed. */
    async upsertItems(itemsJson: string): Promise<number> {
      const result = await conn.execute(
        RECOMMEND_SQL.upsertItems,
        { items: { type: oracledb.CLOB, val: itemsJson }, changed: { dir: oracledb.BIND_OUT, type: oracledb.NUMBER } },
        {},
      );
      return Number((result.outBinds as { changed?: unknown } | undefined)?.changed ?? 0);
    },
  };
}

export type RecommendStore = ReturnType<typeof recommendStore>;
