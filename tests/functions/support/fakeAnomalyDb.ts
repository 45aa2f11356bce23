/**
 * The anomaly tables as the feature function writes them, for its tests and its benchmark: a model
 * of the store's three statements — the previous value per series before a time, MERGE on the
 * event id (new rows only, counted), refusals once per stream position — in a transaction that
 * only a commit makes visible (a rollback or a lost session discards it), with node-oracledb's
 * batchErrors: each row V015's columns (or a constraint a test adds) refuse is reported with its
 * offset, the others applied. It counts round trips. The SQL itself runs in anomaly.real.test.ts
 * against Oracle.
 */
import type oracledb from "oracledb";
import { ANOMALY_SQL, type AnomalyConnection } from "../../../functions/oci/anomaly/store";
import { iso, oracleError } from "./fakeStagingDb";

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
  rollbacks = 0;
  /** Constraints a later migration adds (the function does not know them): a refused row's error, or undefined. */
  readonly constraints: Array<(row: StoredMeasurement) => Error | undefined> = [];
  /** What the open transaction has written, not yet visible. */
  private pending: { events: StoredMeasurement[]; rejects: Array<Record<string, unknown>> } = {
    events: [],
    rejects: [],
  };
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
  ): Promise<{ rowsAffected?: number; batchErrors?: Array<Error & { offset: number }> }> {
    await this.step();
    if (options.autoCommit !== false || !options.bindDefs)
      throw new Error("executeMany must leave the commit to the transaction and declare its binds");
    if (sql === ANOMALY_SQL.insert) {
      const rows = binds.map((b) => ({
        eventId: String(b.event_id),
        seriesKey: String(b.series_key),
        eventTime: String(b.event_time),
        value: Number(b.value),
        delta: b.delta as number | null,
        ratio: b.ratio as number | null,
      }));
      const { affected, errors } = mergeByEventId(
        rows,
        (id) => this.events.has(id),
        this.pending.events,
        (row) => anomalyRowError(row) ?? this.constraints.map((c) => c(row)).find(Boolean),
        options.batchErrors,
        (row) => this.pending.events.push(row),
      );
      return { rowsAffected: affected, ...(options.batchErrors ? { batchErrors: errors } : {}) };
    } else if (sql === ANOMALY_SQL.reject) {
      return { rowsAffected: writePendingRejects(this.rejects, this.pending.rejects, binds) };
    }
    throw new Error(`unexpected statement ${sql}`);
  }

  async commit(): Promise<void> {
    await this.step();
    for (const row of this.pending.events) {
      this.events.set(row.eventId, row);
      const list = this.bySeries.get(row.seriesKey) ?? [];
      list.push({ ...row, at: instant(row.eventTime) });
      this.bySeries.set(row.seriesKey, list);
    }
    recordRejects(this.rejects, this.pending.rejects);
    this.pending = { events: [], rejects: [] };
    this.commits++;
  }

  async rollback(): Promise<void> {
    this.pending = { events: [], rejects: [] };
    this.rollbacks++;
  }
}

/** What V015's columns refuse in one row, as Oracle reports it. */
export function anomalyRowError(row: StoredMeasurement): Error | undefined {
  for (const [column, value, max] of [
    ["EVENT_ID", row.eventId, 64],
    ["SERIES_KEY", row.seriesKey, 128],
  ] as const)
    if (Buffer.byteLength(value) > max)
      return oracleError(
        12899,
        `value too large for column "MC_APP"."ANOMALY_EVENTS"."${column}" (actual: ${Buffer.byteLength(value)}, maximum: ${max})`,
      );
  return undefined;
}

/**
 * A MERGE on the event id as Oracle runs an executeMany of it: a row refused (`refusal`) stops the
 * statement without batchErrors and is reported with its offset with them; a row whose id is
 * stored or already written in the transaction changes nothing; the others are written (`add`).
 * How many rows were new, and the batch errors.
 */
export function mergeByEventId<T extends { readonly eventId: string }>(
  rows: readonly T[],
  stored: (id: string) => boolean,
  pending: readonly T[],
  refusal: (row: T) => Error | undefined,
  batchErrors: boolean | undefined,
  add: (row: T) => void,
): { affected: number; errors: Array<Error & { offset: number }> } {
  const written = new Set(pending.map((r) => r.eventId));
  const errors: Array<Error & { offset: number }> = [];
  let affected = 0;
  rows.forEach((row, offset) => {
    const refused = refusal(row);
    if (refused) {
      // Without batchErrors Oracle stops at the first refused row and the statement changes nothing.
      if (!batchErrors) throw refused;
      errors.push(Object.assign(refused, { offset }));
      return;
    }
    if (stored(row.eventId) || written.has(row.eventId)) return;
    written.add(row.eventId);
    add(row);
    affected++;
  });
  return { affected, errors };
}

/** Refusals written in an open transaction: how many are new to what is committed and pending; they join the pending. */
export function writePendingRejects(
  committed: ReadonlyMap<string, string>,
  pending: Array<Record<string, unknown>>,
  binds: ReadonlyArray<Record<string, unknown>>,
): number {
  const known = new Map(committed);
  recordRejects(known, pending);
  pending.push(...binds);
  return recordRejects(known, binds);
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
