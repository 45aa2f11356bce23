/**
 * The features of a batch of measurements: per series, each value's delta and ratio against the
 * previous value **of the same series** — earlier in the batch, or the latest stored value before
 * the batch's first event of that series. Events arrive out of order: they are ordered by event
 * time (then id) within their series first. Pure.
 */
import type { AnomalyEvent } from "./event";

export interface FeatureRow extends AnomalyEvent {
  /** value − previous value; null for a series' first value. */
  readonly delta: number | null;
  /** value ÷ previous value; null for a first value or a previous value of 0. */
  readonly ratio: number | null;
}

/** What the store knows before the batch: per series, the latest value before `before`. */
export interface PreviousValue {
  readonly seriesKey: string;
  readonly value: number;
  readonly eventTime: string;
}

/** Per series, the batch's earliest event time: what the one read of previous values asks for. */
export function firstTimes(events: readonly AnomalyEvent[]): Map<string, string> {
  const first = new Map<string, string>();
  for (const e of events) {
    const seen = first.get(e.seriesKey);
    if (seen === undefined || Date.parse(e.eventTime) < Date.parse(seen)) first.set(e.seriesKey, e.eventTime);
  }
  return first;
}

export function computeFeatures(
  events: readonly AnomalyEvent[],
  previous: ReadonlyMap<string, PreviousValue>,
): FeatureRow[] {
  // One row per event id: a message delivered twice in one batch is one measurement.
  const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
  const bySeries = new Map<string, AnomalyEvent[]>();
  for (const e of unique) {
    const list = bySeries.get(e.seriesKey);
    if (list) list.push(e);
    else bySeries.set(e.seriesKey, [e]);
  }
  const rows: FeatureRow[] = [];
  for (const [series, list] of bySeries) {
    const at = new Map(list.map((e) => [e.eventId, Date.parse(e.eventTime)]));
    list.sort(
      (a, b) => at.get(a.eventId)! - at.get(b.eventId)! || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
    );
    let before: number | undefined = previous.get(series)?.value;
    for (const e of list) {
      rows.push({
        ...e,
        delta: before === undefined ? null : e.value - before,
        ratio: before === undefined || before === 0 ? null : e.value / before,
      });
      before = e.value;
    }
  }
  return rows;
}
