/**
 * Test measurements for the anomaly pipeline: `count` events over `series` series, a value that
 * wanders around 100 per series, and — when asked — a spike every `spikeEvery` events. Pure and
 * deterministic for a given start time; the CLI puts them on the stream.
 */
import type { AnomalyEvent } from "../anomaly/event";

export interface AnomalyEventOptions {
  readonly count: number;
  readonly series: number;
  /** The first event's time (ms); the next ones follow a second apart. */
  readonly startMs: number;
  /** A spike (10× the usual value) every this many events; 0 for none. */
  readonly spikeEvery: number;
  /** Prefix of the event ids (a run's own, so runs never collide). */
  readonly runId: string;
}

export function anomalyEvents(options: AnomalyEventOptions): AnomalyEvent[] {
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error("count must be a whole number ≥ 1");
  if (!Number.isInteger(options.series) || options.series < 1) throw new Error("series must be a whole number ≥ 1");
  return Array.from({ length: options.count }, (_, i) => {
    const spike = options.spikeEvery > 0 && (i + 1) % options.spikeEvery === 0;
    const base = 100 + 5 * Math.sin(i / 7) + (i % 3);
    return {
      eventId: `${options.runId}-${i}`,
      seriesKey: `sensor-${i % options.series}`,
      value: Math.round((spike ? base * 10 : base) * 100) / 100,
      eventTime: new Date(options.startMs + i * 1000).toISOString(),
    };
  });
}

/** The stream messages: key = series (one series stays in one partition, in order), value = the event's JSON. */
export function anomalyMessages(events: readonly AnomalyEvent[]): Array<{ key: string; value: string }> {
  return events.map((e) => ({ key: e.seriesKey, value: JSON.stringify(e) }));
}
