/**
 * Daily cost forecasts: Holt-Winters with an additive trend and weekly seasonality, fitted in log
 * space (so the weekly pattern and the trend act multiplicatively on spend, and forecasts stay
 * positive), smoothing parameters chosen by a grid search on one-step-ahead errors. Prediction
 * intervals use the ETS(A,A,A) variance formula (Hyndman et al., Forecasting with Exponential
 * Smoothing, 2008, table 6.1), mapped back through exp. `simple-statistics` has no seasonal model,
 * hence this code, tested against hand-checked series and a seasonal-naive baseline.
 */

export const SEASON = 7;

export interface HoltWintersFit {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** State after the last observation (log space). */
  readonly level: number;
  readonly trend: number;
  /** Seasonal components by day index mod 7 (day t of the series uses season[t % 7]). */
  readonly season: readonly number[];
  /** Observations fitted. */
  readonly n: number;
  /** Standard deviation of the one-step-ahead log errors. */
  readonly sigma: number;
}

export interface ForecastPoint {
  /** Days after the last observation (1 = tomorrow). */
  readonly h: number;
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
}

const GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const TREND_GRID = [0, 0.01, 0.05, 0.1];
const logOf = (x: number) => Math.log(Math.max(x, 0.01));

interface Run {
  sse: number;
  level: number;
  trend: number;
  season: number[];
  errors: number[];
}

/** One pass of the recursions; seasonal index of observation t is t mod 7. */
function run(y: readonly number[], alpha: number, beta: number, gamma: number): Run {
  // Initial state from the first two weeks: level = mean of week 1, trend = mean weekly change / 7, season = week-1 deviations.
  const w1 = y.slice(0, SEASON);
  const w2 = y.slice(SEASON, 2 * SEASON);
  const mean1 = w1.reduce((a, b) => a + b, 0) / SEASON;
  const mean2 = w2.reduce((a, b) => a + b, 0) / SEASON;
  let level = mean1;
  let trend = (mean2 - mean1) / SEASON;
  const season = w1.map((v) => v - mean1);
  let sse = 0;
  const errors: number[] = [];
  for (let t = SEASON; t < y.length; t++) {
    const s = season[t % SEASON];
    const predicted = level + trend + s;
    const error = y[t] - predicted;
    if (t >= 2 * SEASON) {
      sse += error * error;
      errors.push(error);
    }
    level = level + trend + alpha * error;
    trend = trend + alpha * beta * error;
    season[t % SEASON] = s + gamma * error;
  }
  return { sse, level, trend, season, errors };
}

/** Fits the model to a daily series (at least four weeks). */
export function fitHoltWinters(series: readonly number[]): HoltWintersFit {
  if (series.length < 4 * SEASON) throw new Error(`a forecast needs at least ${4 * SEASON} days, got ${series.length}`);
  const y = series.map(logOf);
  let best: { alpha: number; beta: number; gamma: number; r: Run } | undefined;
  for (const alpha of GRID)
    for (const beta of TREND_GRID)
      for (const gamma of GRID.filter((g) => g <= 1 - alpha)) {
        const r = run(y, alpha, beta, gamma);
        if (!best || r.sse < best.r.sse) best = { alpha, beta, gamma, r };
      }
  const { alpha, beta, gamma, r } = best!;
  const sigma = Math.sqrt(r.errors.reduce((a, e) => a + e * e, 0) / Math.max(1, r.errors.length - 3));
  return { alpha, beta, gamma, level: r.level, trend: r.trend, season: r.season, n: series.length, sigma };
}

/** The daily forecast for the next `horizon` days with a central `coverage` interval (0.8 or 0.95). */
export function forecast(fit: HoltWintersFit, horizon: number, coverage: 0.8 | 0.95 = 0.8): ForecastPoint[] {
  const zc = coverage === 0.95 ? 1.959964 : 1.281552;
  const points: ForecastPoint[] = [];
  let varianceSum = 0;
  for (let h = 1; h <= horizon; h++) {
    // Var(h) = σ² [1 + Σ_{j=1}^{h-1} (α + jαβ + γ·[j ≡ 0 mod 7])²]
    if (h > 1) {
      const j = h - 1;
      const c = fit.alpha + j * fit.alpha * fit.beta + (j % SEASON === 0 ? fit.gamma : 0);
      varianceSum += c * c;
    }
    const sd = fit.sigma * Math.sqrt(1 + varianceSum);
    const logMean = fit.level + h * fit.trend + fit.season[(fit.n + h - 1) % SEASON];
    points.push({ h, mean: Math.exp(logMean), lower: Math.exp(logMean - zc * sd), upper: Math.exp(logMean + zc * sd) });
  }
  return points;
}

/** The seasonal-naive baseline: each future day repeats the same weekday of the last week. */
export function seasonalNaive(series: readonly number[], horizon: number): number[] {
  if (series.length < SEASON) throw new Error(`seasonal naive needs at least ${SEASON} days`);
  const lastWeek = series.slice(-SEASON);
  return Array.from({ length: horizon }, (_, i) => lastWeek[i % SEASON]);
}

/** Mean absolute percentage error of forecasts against actuals (actuals > 0). */
export function mape(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length || actual.length === 0)
    throw new Error("mape needs two non-empty series of one length");
  return actual.reduce((sum, a, i) => sum + Math.abs(a - predicted[i]) / a, 0) / actual.length;
}
