/**
 * The anomaly tables as the feature function writes them, for its tests and its benchmark: a model
 * of the store's three statements — the previous value per series before a time, MERGE on the
 * event id (new rows only, counted), refusals once per stream position — with a commit per
 * executeMany and a count of round trips. The SQL itself runs in anomaly.real.test.ts against
 * Oracle.
 */
import type oracledb from "oracledb";
import { ANOMALY_SQL, type AnomalyConnection } from "../../../functions/oci/anomaly/store";
import { iso } from "./fakeStagingDb";

export interface StoredMeasurement {
  readonly eventId: string;
  readonly seriesKey: string;
  readonly eventTime: string;
  readonly value: number;
  readonly delta: number | null;
  readonly ratio: number | null;
}

/** The store's timestamp form back to something Date.parse reads. */
const instant = (oracle: string) => Date.parse(iso(oracle));

export class FakeAnomalyDb implements AnomalyConnection {
  readonly events = new Map<string, StoredMeasurement>();
  /** The same rows by series (an index, as the table's (series_key, event_time) index is). */
  private readonly bySeries = new Map<string, Array<StoredMeasurement & { readonly at: number }>>();
  readonly rejects = new Map<string, string>();
  roundTrips = 0;
  commits = 0;
  /** Each round trip waits this long first (ms): the benchmark's database latency. */
  roundTripDelayMs = 0;

  private async step(): Promise<void> {
    if (this.roundTripDelayMs) await new Promise((r) => setTimeout(r, this.roundTripDelayMs));
    this.roundTrips++;
  }

  async execute<T>(sql: string, binds: oracledb.BindParameters): Promise<{ rows?: T[] }> {
    await this.step();
    if (sql !== ANOMALY_SQL.previous) throw new Error(`unexpected statement ${sql}`);
    const firsts = JSON.parse(String((binds as { firsts: string }).firsts)) as Array<{ s: string; t: string }>;
    const rows = firsts.flatMap(({ s, t }) => {
      const before = instant(t);
      let latest: (StoredMeasurement & { readonly at: number }) | undefined;
      for (const e of this.bySeries.get(s) ?? []) if (e.at < before && (!latest || e.at > latest.at)) latest = e;
      return latest ? [[s, latest.value, new Date(latest.at).toISOString()]] : [];
    });
    return { rows: rows as T[] };
  }

  async executeMany(
    sql: string,
    binds: Array<Record<string, unknown>>,
    options: oracledb.ExecuteManyOptions,
  ): Promise<{ rowsAffected?: number }> {
    await this.step();
    if (options.autoCommit !== true || !options.bindDefs)
      throw new Error("executeMany must commit and declare its binds");
    let affected = 0;
    if (sql === ANOMALY_SQL.insert) {
      for (const b of binds) {
        if (this.events.has(String(b.event_id))) continue;
        const row = {
          eventId: String(b.event_id),
          seriesKey: String(b.series_key),
          eventTime: String(b.event_time),
          value: Number(b.value),
          delta: b.delta as number | null,
          ratio: b.ratio as number | null,
        };
        this.events.set(row.eventId, row);
        const list = this.bySeries.get(row.seriesKey) ?? [];
        list.push({ ...row, at: instant(row.eventTime) });
        this.bySeries.set(row.seriesKey, list);
        affected++;
      }
    } else if (sql === ANOMALY_SQL.reject) {
      affected = recordRejects(this.rejects, binds);
    } else {
      throw new Error(`unexpected statement ${sql}`);
    }
    this.commits++;
    return { rowsAffected: affected };
  }
}

/** The reject MERGE on a model: each stream position recorded once, with its reason; how many were new. */
export function recordRejects(rejects: Map<string, string>, binds: ReadonlyArray<Record<string, unknown>>): number {
  let affected = 0;
  for (const b of binds) {
    const position = `${String(b.stream)}/${String(b.partition_id)}/${String(b.offset_no)}`;
    if (!rejects.has(position)) {
      rejects.set(position, String(b.reason));
      affected++;
    }
  }
  return affected;
}
