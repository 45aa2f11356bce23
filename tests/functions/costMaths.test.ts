/** The cost-intelligence maths: the seasonal-median anomaly detector, Holt-Winters forecasts, the synthetic series. */
import { expect } from "chai";
import fc from "fast-check";
import { anomalyEvents, DEFAULT_ANOMALY_SETTINGS, detectAnomalies, median } from "../../functions/aws/costs/anomaly";
import { fitHoltWinters, forecast, mape, seasonalNaive } from "../../functions/aws/costs/forecast";
import { DAYS, PLANT_FROM_DAY, SERIES, syntheticCosts } from "../bench/support/costSeries";

const WEEK = [1.2, 1.1, 1.0, 0.9, 0.8, 0.9, 1.1];
/** A clean weekly series with a small deterministic wobble (so the scale is not zero). */
const weekly = (days: number, base = 100) =>
  Array.from({ length: days }, (_, t) => base * WEEK[t % 7] * (1 + 0.02 * Math.sin(t * 1.7)));

describe("cost anomaly detector", () => {
  it("flags a one-day spike once, on its day, with the seasonal median as the expectation", () => {
    const series = weekly(70);
    series[60] *= 1.6;
    const verdicts = detectAnomalies(series);
    expect(verdicts[0].day).to.equal(DEFAULT_ANOMALY_SETTINGS.minHistoryDays);
    const events = anomalyEvents(verdicts);
    expect(events.map((e) => [e.startDay, e.endDay])).to.deep.equal([[60, 60]]);
    const day = verdicts.find((v) => v.day === 60)!;
    expect(day.expected).to.be.closeTo(100 * WEEK[60 % 7], 100 * WEEK[60 % 7] * 0.04);
    expect(events[0].excess).to.be.closeTo(series[60] - day.expected, 1e-9);
  });

  it("reports a week-long shift as one event from its first day, and the return to normal as nothing", () => {
    const series = weekly(84);
    for (let t = 56; t < 63; t++) series[t] *= 1.4;
    expect(anomalyEvents(detectAnomalies(series)).map((e) => [e.startDay, e.endDay])).to.deep.equal([[56, 62]]);
  });

  it("does not flag drops, weekly peaks, small rises, or a series without enough history", () => {
    const series = weekly(70);
    series[50] *= 0.3;
    series[55] *= 1.1;
    expect(anomalyEvents(detectAnomalies(series))).to.deep.equal([]);
    expect(detectAnomalies(weekly(28))).to.deep.equal([]);
    // A perfectly flat series: the scale's floor keeps a +5 % day quiet, a +60 % day is still caught.
    const flat = Array.from({ length: 60 }, () => 50);
    flat[40] = 52.5;
    flat[50] = 80;
    expect(anomalyEvents(detectAnomalies(flat)).map((e) => e.startDay)).to.deep.equal([50]);
  });

  it("takes zero-cost days and refuses negative or non-finite amounts, naming the day", () => {
    const series = weekly(60);
    series[10] = 0;
    expect(() => detectAnomalies(series)).not.to.throw();
    expect(() => detectAnomalies([...weekly(40), -1])).to.throw("day 40: cost -1 is not a finite amount ≥ 0");
    expect(() => detectAnomalies([...weekly(40), Number.NaN])).to.throw("day 40");
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });
});

describe("Holt-Winters forecast", () => {
  it("continues an exact weekly pattern with a steady growth", () => {
    const series = Array.from({ length: 84 }, (_, t) => 200 * WEEK[t % 7] * Math.exp(0.004 * t));
    const points = forecast(fitHoltWinters(series), 14);
    points.forEach((p) => {
      const t = 84 + p.h - 1;
      expect(p.mean, `day ${t}`).to.be.closeTo(
        200 * WEEK[t % 7] * Math.exp(0.004 * t),
        200 * WEEK[t % 7] * Math.exp(0.004 * t) * 0.01,
      );
    });
  });

  it("beats the seasonal-naive baseline on the synthetic series (30 days ahead, daily MAPE)", () => {
    const { series } = syntheticCosts(1);
    const hw: number[] = [];
    const naive: number[] = [];
    for (const values of series.slice(0, 10)) {
      const train = values.slice(0, 150);
      const actual = values.slice(150, 180);
      hw.push(
        mape(
          actual,
          forecast(fitHoltWinters(train), 30).map((p) => p.mean),
        ),
      );
      naive.push(mape(actual, seasonalNaive(train, 30)));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(hw)).to.be.below(mean(naive));
  });

  it("keeps lower ≤ mean ≤ upper, positive, and intervals that never narrow with the horizon", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 28, maxLength: 120 }),
        (series) => {
          const points = forecast(fitHoltWinters(series), 30);
          let width = 0;
          for (const p of points) {
            if (!(p.lower > 0 && p.lower <= p.mean && p.mean <= p.upper)) return false;
            const w = Math.log(p.upper) - Math.log(p.lower);
            if (w < width - 1e-9) return false;
            width = w;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses too short a series; seasonal naive repeats the last week; MAPE is the mean relative error", () => {
    expect(() => fitHoltWinters(weekly(27))).to.throw("a forecast needs at least 28 days, got 27");
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 9)).to.deep.equal([
      8, 9, 10, 11, 12, 13, 14, 8, 9,
    ]);
    expect(mape([100, 200], [110, 150])).to.be.closeTo((0.1 + 0.25) / 2, 1e-12);
  });
});

describe("synthetic cost series (issue 16's specification)", () => {
  it("is 40 × 180 days with 30 spikes and 10 week-long shifts in the last 90 days, none overlapping in a series, the same for a seed", () => {
    const a = syntheticCosts(3);
    expect(a.series).to.have.length(SERIES);
    expect(a.series.every((s) => s.length === DAYS && s.every((x) => x > 0))).to.equal(true);
    expect(a.anomalies.filter((x) => x.kind === "spike").every((x) => x.endDay === x.startDay)).to.equal(true);
    expect(a.anomalies.filter((x) => x.kind === "shift").every((x) => x.endDay === x.startDay + 6)).to.equal(true);
    expect([
      a.anomalies.filter((x) => x.kind === "spike").length,
      a.anomalies.filter((x) => x.kind === "shift").length,
    ]).to.deep.equal([30, 10]);
    expect(a.anomalies.every((x) => x.startDay >= PLANT_FROM_DAY && x.endDay < DAYS)).to.equal(true);
    for (const x of a.anomalies)
      for (const y of a.anomalies)
        if (x !== y && x.series === y.series) expect(x.endDay < y.startDay || y.endDay < x.startDay).to.equal(true);
    expect(syntheticCosts(3)).to.deep.equal(a);
    expect(syntheticCosts(4).series[0][0]).not.to.equal(a.series[0][0]);
    // Base levels span the log-uniform range's decades.
    const bases = a.series.map((s) => median(s.slice(0, 28)));
    expect(Math.min(...bases)).to.be.below(60);
    expect(Math.max(...bases)).to.be.above(150);
  });
});
