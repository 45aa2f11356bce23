/**
 * The synthetic daily cost series of issue 16, generated exactly as specified and nothing else:
 * 40 series × 180 days; base level log-uniform between 10 and 1,000 per day; a weekly pattern of
 * ±20 %; a linear trend of up to ±30 % over the period; multiplicative noise with a 5 % standard
 * deviation; planted in the last 90 days, at seeded random places: 30 one-day spikes of +60 % and
 * 10 level shifts of +40 % lasting 7 days (never overlapping another planted anomaly of the same
 * series). Seeded (mulberry32), so every seed is the same data on every run.
 */

export const SERIES = 40;
export const DAYS = 180;
export const PLANT_FROM_DAY = DAYS - 90;

export interface PlantedAnomaly {
  readonly series: number;
  readonly kind: "spike" | "shift";
  readonly startDay: number;
  /** Last affected day (the spike's own day; the shift's seventh). */
  readonly endDay: number;
}

export interface SyntheticCosts {
  readonly series: number[][];
  readonly anomalies: PlantedAnomaly[];
}

/** mulberry32: a small seeded generator with good statistical quality for simulations. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function syntheticCosts(seed: number): SyntheticCosts {
  const random = mulberry32(seed);
  const clean: number[][] = [];
  for (let s = 0; s < SERIES; s++) {
    const base = Math.exp(Math.log(10) + random() * (Math.log(1000) - Math.log(10)));
    const phase = random() * 7;
    const weekly = Array.from({ length: 7 }, (_, d) => 1 + 0.2 * Math.sin((2 * Math.PI * (d + phase)) / 7));
    const trend = (random() * 2 - 1) * 0.3;
    clean.push(
      Array.from(
        { length: DAYS },
        (_, t) => base * weekly[t % 7] * (1 + (trend * t) / (DAYS - 1)) * Math.max(0.01, 1 + 0.05 * normal(random)),
      ),
    );
  }
  const anomalies: PlantedAnomaly[] = [];
  const place = (kind: PlantedAnomaly["kind"], length: number) => {
    for (;;) {
      const series = Math.floor(random() * SERIES);
      const startDay = PLANT_FROM_DAY + Math.floor(random() * (DAYS - PLANT_FROM_DAY - length + 1));
      const endDay = startDay + length - 1;
      if (anomalies.some((a) => a.series === series && a.startDay <= endDay && startDay <= a.endDay)) continue;
      anomalies.push({ series, kind, startDay, endDay });
      return;
    }
  };
  for (let i = 0; i < 30; i++) place("spike", 1);
  for (let i = 0; i < 10; i++) place("shift", 7);
  const series = clean.map((values) => [...values]);
  for (const a of anomalies)
    for (let t = a.startDay; t <= a.endDay; t++) series[a.series][t] *= a.kind === "spike" ? 1.6 : 1.4;
  return { series, anomalies };
}
