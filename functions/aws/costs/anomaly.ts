/**
 * Cost anomalies in a daily series, robust to weekly seasonality: each day is compared, in log
 * space, with the median of the same weekday over the previous weeks (a seasonal median, which a
 * past spike or a shift shorter than half the window cannot move); the residuals' scale is their
 * median absolute deviation (MAD) over the recent past. A day is anomalous when its residual is
 * both many robust standard deviations and a material share above the seasonal median. Only
 * increases count: a cost anomaly is spend that should not be there. An event, once open, stays
 * open while days stay above a lower z (hysteresis), and its days are left out of the scale's
 * history — so a 7-day shift is one event dated by its first day, and does not widen the scale that
 * judges its own later days.
 */

export interface AnomalySettings {
  /** Same-weekday values the seasonal median takes (weeks back). */
  readonly seasonalWeeks: number;
  /** Days of residuals the MAD is taken over. */
  readonly scaleDays: number;
  /** A series needs this many days before its first evaluated day (else it is ignored). */
  readonly minHistoryDays: number;
  /** Robust z-score (residual / (1.4826 × MAD)) at or above which a day opens an event. */
  readonly zThreshold: number;
  /** An open event continues while the day's z-score stays at or above this. */
  readonly continueZ: number;
  /** …and the day is at least this share above its seasonal median (0.15 = +15 %). */
  readonly minRelativeIncrease: number;
  /** Floor of the log-residual scale, so a perfectly flat series does not flag cents. */
  readonly minScale: number;
}

/** Frozen before scoring (docs/finops.md): the benchmark and the daily job use exactly these. */
export const DEFAULT_ANOMALY_SETTINGS: AnomalySettings = {
  seasonalWeeks: 6,
  scaleDays: 56,
  minHistoryDays: 28,
  zThreshold: 4,
  continueZ: 2,
  minRelativeIncrease: 0.2,
  minScale: 0.02,
};

export interface DayVerdict {
  readonly day: number;
  /** The seasonal median (same weekday, previous weeks), in the series' units. */
  readonly expected: number;
  readonly actual: number;
  /** Robust z-score of the log residual. */
  readonly z: number;
  /** The day opens or continues an event. */
  readonly anomalous: boolean;
}

export interface AnomalyEvent {
  /** Index of the event's first day. */
  readonly startDay: number;
  /** Index of its last anomalous day. */
  readonly endDay: number;
  /** The largest z-score and the total spend above expected over the event. */
  readonly peakZ: number;
  readonly excess: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const MAD_TO_SD = 1.4826;
/** Costs are ≥ 0; a zero day is one cent in log space (so log is defined and a jump from zero is large). */
const logOf = (x: number) => Math.log(Math.max(x, 0.01));

/** The seasonal median's log for day t: same weekday over the previous weeks that exist (at least 2). */
function seasonalLog(logs: readonly number[], t: number, weeks: number): number | undefined {
  const same: number[] = [];
  for (let k = 1; k <= weeks && t - 7 * k >= 0; k++) same.push(logs[t - 7 * k]);
  return same.length >= 2 ? median(same) : undefined;
}

/**
 * The verdict for every day from `from` (default: the first with enough history) to the end.
 * A series shorter than minHistoryDays + 1 has no verdicts.
 */
export function detectAnomalies(
  series: readonly number[],
  settings: AnomalySettings = DEFAULT_ANOMALY_SETTINGS,
  from?: number,
): DayVerdict[] {
  for (const [i, x] of series.entries())
    if (!Number.isFinite(x) || x < 0) throw new Error(`day ${i}: cost ${x} is not a finite amount ≥ 0`);
  const logs = series.map(logOf);
  const residuals: (number | undefined)[] = logs.map((y, t) => {
    const base = seasonalLog(logs, t, settings.seasonalWeeks);
    return base === undefined ? undefined : y - base;
  });
  const verdicts: DayVerdict[] = [];
  const inEvent = new Set<number>();
  let open = false;
  const start = Math.max(from ?? 0, settings.minHistoryDays);
  for (let t = start; t < series.length; t++) {
    const base = seasonalLog(logs, t, settings.seasonalWeeks)!;
    const past: number[] = [];
    for (let d = Math.max(0, t - settings.scaleDays); d < t; d++) {
      const r = residuals[d];
      if (r !== undefined && !inEvent.has(d)) past.push(r);
    }
    if (past.length < 7) continue;
    const center = median(past);
    const scale = Math.max(MAD_TO_SD * median(past.map((r) => Math.abs(r - center))), settings.minScale);
    const z = (logs[t] - base - center) / scale;
    const expected = Math.exp(base + center);
    const anomalous: boolean = open
      ? z >= settings.continueZ && series[t] > expected
      : z >= settings.zThreshold && series[t] >= expected * (1 + settings.minRelativeIncrease);
    open = anomalous;
    if (anomalous) inEvent.add(t);
    verdicts.push({ day: t, expected, actual: series[t], z, anomalous });
  }
  return verdicts;
}

/** Runs of consecutive anomalous days as events. */
export function anomalyEvents(verdicts: readonly DayVerdict[]): AnomalyEvent[] {
  const events: AnomalyEvent[] = [];
  let open: { startDay: number; endDay: number; peakZ: number; excess: number } | undefined;
  for (const v of verdicts) {
    if (v.anomalous && open && v.day === open.endDay + 1) {
      open.endDay = v.day;
      open.peakZ = Math.max(open.peakZ, v.z);
      open.excess += v.actual - v.expected;
    } else if (v.anomalous) {
      if (open) events.push(open);
      open = { startDay: v.day, endDay: v.day, peakZ: v.z, excess: v.actual - v.expected };
    } else if (open) {
      events.push(open);
      open = undefined;
    }
  }
  if (open) events.push(open);
  return events;
}
