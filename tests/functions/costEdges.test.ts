/**
 * The cost job's decision code at its edges, pinned to exact values: the detector against a
 * reference computed from its documented definition on random series, the forecast's interval
 * formula and grid search, the collectors' refusals, idle thresholds, per-resource fallbacks and
 * the signed stop call (found by the `costs` mutation area: each test kills mutants that survived).
 */
import { ociTestSigner } from "./support/ociTestSigner";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import fc from "fast-check";
import { generateKeyPairSync } from "node:crypto";
import {
  AnomalySettings,
  anomalyEvents,
  DayVerdict,
  DEFAULT_ANOMALY_SETTINGS,
  detectAnomalies,
  median,
} from "../../functions/aws/costs/anomaly";
import {
  awsCostPageRows,
  collectAwsCosts,
  collectOciCosts,
  CostRow,
  daysBetween,
  normalise,
  ociUsageRow,
  UNTAGGED,
  usagePageItems,
} from "../../functions/aws/costs/collect";
import { fitHoltWinters, forecast, HoltWintersFit, mape, seasonalNaive } from "../../functions/aws/costs/forecast";
import { dailyCost, findIdle, InventoryItem, UNIT_PRICES_PER_HOUR } from "../../functions/aws/costs/idle";
import { mapInFlight } from "../../functions/aws/costs/store";
import { carryOut } from "../../functions/aws/costs/remediate";
import {
  awsResourceCosts,
  ociResourceCosts,
  resourceIdMatches,
  resourceUsageItem,
} from "../../functions/aws/costs/resourceCost";
import { SignedRequest, startSignedJsonServer } from "./support/ociSignature";

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const signer = ociTestSigner(privateKey);

/**
 * The detector as docs/finops.md defines it, written out plainly: residual = log(day) − median of
 * the same weekday's logs over up to `seasonalWeeks` previous weeks (at least two); each judged day
 * takes the median and 1.4826 × MAD (floored) of the residuals of the previous `scaleDays` days that
 * are not in an event (at least 7); an event opens at z ≥ zThreshold with +minRelativeIncrease and
 * continues while z ≥ continueZ and the day is above expected.
 */
function referenceVerdicts(series: readonly number[], s: AnomalySettings): DayVerdict[] {
  const log = series.map((x) => Math.log(Math.max(x, 0.01)));
  const sameWeekday = (t: number) =>
    Array.from({ length: s.seasonalWeeks }, (_, w) => t - 7 * (w + 1))
      .filter((d) => d >= 0)
      .map((d) => log[d]);
  const baseline = (t: number) => (sameWeekday(t).length >= 2 ? median(sameWeekday(t)) : undefined);
  const verdicts: DayVerdict[] = [];
  const eventDays: number[] = [];
  for (let t = s.minHistoryDays; t < series.length; t++) {
    const window = Array.from({ length: t - Math.max(0, t - s.scaleDays) }, (_, k) => Math.max(0, t - s.scaleDays) + k)
      .filter((d) => baseline(d) !== undefined && !eventDays.includes(d))
      .map((d) => log[d] - baseline(d)!);
    if (window.length < 7) continue;
    const centre = median(window);
    const scale = Math.max(1.4826 * median(window.map((r) => Math.abs(r - centre))), s.minScale);
    const base = baseline(t)!;
    const z = (log[t] - base - centre) / scale;
    const expected = Math.exp(base + centre);
    const previous = verdicts[verdicts.length - 1];
    const continuing = previous?.anomalous === true && previous.day === t - 1;
    const anomalous = continuing
      ? z >= s.continueZ && series[t] > expected
      : z >= s.zThreshold && series[t] >= expected * (1 + s.minRelativeIncrease);
    if (anomalous) eventDays.push(t);
    verdicts.push({ day: t, expected, actual: series[t], z, anomalous });
  }
  return verdicts;
}

describe("cost anomaly detector, exactly", () => {
  it("gives the reference's verdict for every day of random weekly series with spikes and shifts", () => {
    const day = fc.double({ min: 0.6, max: 1.6, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(day, { minLength: 50, maxLength: 90 }),
        fc.constantFrom(DEFAULT_ANOMALY_SETTINGS, {
          ...DEFAULT_ANOMALY_SETTINGS,
          seasonalWeeks: 3,
          scaleDays: 21,
          minHistoryDays: 21,
        }),
        (factors, settings) => {
          const series = factors.map(
            (f, t) =>
              100 * [1.2, 1.1, 1, 0.9, 0.8, 0.9, 1.1][t % 7] * (f > 1.45 ? 1.8 : f > 0.7 ? 1 + (f - 1) / 20 : 0.5),
          );
          const actual = detectAnomalies(series, settings);
          const expected = referenceVerdicts(series, settings);
          expect(actual.map((v) => [v.day, v.anomalous])).to.deep.equal(expected.map((v) => [v.day, v.anomalous]));
          actual.forEach((v, i) => {
            expect(v.expected).to.be.closeTo(expected[i].expected, 1e-9);
            expect(v.z).to.be.closeTo(expected[i].z, 1e-9);
          });
        },
      ),
      { numRuns: 60, seed: 16 },
    );
  });

  it("needs two same-weekday values for a residual and 7 residuals for a verdict", () => {
    const flat = Array.from({ length: 22 }, () => 100);
    // Days 14–20 are the first with two weeks behind them: day 21 is the first judged.
    expect(detectAnomalies(flat, { ...DEFAULT_ANOMALY_SETTINGS, minHistoryDays: 14 }).map((v) => v.day)).to.deep.equal([
      21,
    ]);
    expect(detectAnomalies(flat, { ...DEFAULT_ANOMALY_SETTINGS, minHistoryDays: 21 }).map((v) => v.day)).to.deep.equal([
      21,
    ]);
  });

  it("opens an event only at the opening threshold: a lone day between continueZ and zThreshold is not one", () => {
    // A flat series: residuals 0, the scale is its floor (0.02); +6 % is z ≈ 2.9.
    const series = Array.from({ length: 40 }, () => 100);
    series[35] = 106;
    const verdict = detectAnomalies(series).find((v) => v.day === 35)!;
    expect(verdict.z).to.be.closeTo(Math.log(1.06) / 0.02, 1e-9);
    expect(verdict.anomalous).to.equal(false);
    // The same on the first judged day (no event is open before it).
    const first = Array.from({ length: 30 }, () => 100);
    first[28] = 106;
    expect(detectAnomalies(first).map((v) => [v.day, v.anomalous])).to.deep.equal([
      [28, false],
      [29, false],
    ]);
    // +21 % opens, and the next day continues at z ≥ 2 (no +20 % needed) while above expected.
    series[35] = 121;
    series[36] = 100 * Math.exp(0.02 * 2.5);
    series[37] = 100;
    expect(
      detectAnomalies(series)
        .filter((v) => v.anomalous)
        .map((v) => v.day),
    ).to.deep.equal([35, 36]);
  });

  it("measures the scale over the last scaleDays only, leaving event days out", () => {
    // Noisy first weeks, flat after: with a 7-day window the scale is the floor and z is exact.
    const series = Array.from({ length: 51 }, (_, t) =>
      t < 28 ? 100 * (t % 3 === 0 ? 1.5 : t % 3 === 1 ? 0.7 : 1) : 100,
    );
    series[50] = 130;
    const settings = { ...DEFAULT_ANOMALY_SETTINGS, seasonalWeeks: 2, scaleDays: 7, minHistoryDays: 50 };
    const [verdict] = detectAnomalies(series, settings);
    expect(verdict).to.deep.include({ day: 50, anomalous: true });
    expect(verdict.expected).to.be.closeTo(100, 1e-9);
    expect(verdict.z).to.be.closeTo(Math.log(1.3) / 0.02, 1e-9);
  });

  it("groups consecutive anomalous days into events with their largest z and summed excess; a gap splits them", () => {
    const v = (day: number, anomalous: boolean, z = 5, actual = 150, expected = 100): DayVerdict => ({
      day,
      anomalous,
      z,
      actual,
      expected,
    });
    expect(
      anomalyEvents([v(1, true, 5), v(2, true, 7, 180), v(3, true, 3, 120), v(4, false), v(6, true), v(8, true)]),
    ).to.deep.equal([
      { startDay: 1, endDay: 3, peakZ: 7, excess: 50 + 80 + 20 },
      { startDay: 6, endDay: 6, peakZ: 5, excess: 50 },
      { startDay: 8, endDay: 8, peakZ: 5, excess: 50 },
    ]);
    expect(() => median([])).to.throw("median of no values");
  });
});

/** One-step log errors of Holt-Winters with the given parameters, from the third week on (the fit's objective). */
function oneStepErrors(series: readonly number[], alpha: number, beta: number, gamma: number): number[] {
  const y = series.map((x) => Math.log(x));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  let level = mean(y.slice(0, 7));
  let trend = (mean(y.slice(7, 14)) - level) / 7;
  const season = y.slice(0, 7).map((v) => v - mean(y.slice(0, 7)));
  const errors: number[] = [];
  y.slice(7).forEach((obs, k) => {
    const t = k + 7;
    const error = obs - (level + trend + season[t % 7]);
    if (t >= 14) errors.push(error);
    [level, trend] = [level + trend + alpha * error, trend + alpha * beta * error];
    season[t % 7] += gamma * error;
  });
  return errors;
}

describe("Holt-Winters, exactly", () => {
  const series = Array.from(
    { length: 63 },
    (_, t) => 100 * [1.2, 1.1, 1, 0.9, 0.8, 0.9, 1.1][t % 7] * Math.exp(0.003 * t) * (1 + 0.05 * Math.sin(t * 2.3)),
  );

  it("picks the grid's parameters with the smallest squared one-step error, and σ from those errors over n − 3", () => {
    const fit = fitHoltWinters(series);
    const sse = (a: number, b: number, g: number) => oneStepErrors(series, a, b, g).reduce((s, e) => s + e * e, 0);
    const best = sse(fit.alpha, fit.beta, fit.gamma);
    for (const a of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7])
      for (const b of [0, 0.01, 0.05, 0.1])
        for (const g of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7].filter((x) => x <= 1 - a))
          expect(sse(a, b, g), `${a}/${b}/${g}`).to.be.at.least(best);
    expect(fit.gamma).to.be.at.most(1 - fit.alpha);
    const errors = oneStepErrors(series, fit.alpha, fit.beta, fit.gamma);
    expect(errors).to.have.length(63 - 14);
    expect(fit.sigma).to.be.closeTo(Math.sqrt(best / (errors.length - 3)), 1e-12);
    expect(fit.n).to.equal(63);
  });

  it("forecasts level + h·trend + the weekday's season, with the ETS(A,A,A) interval at 80 % and 95 %", () => {
    const fit: HoltWintersFit = {
      alpha: 0.3,
      beta: 0.1,
      gamma: 0.2,
      level: Math.log(100),
      trend: 0.01,
      season: [0, 0.1, 0.2, 0.3, -0.1, -0.2, -0.3],
      n: 15,
      sigma: 0.05,
    };
    const variance = (h: number) =>
      1 +
      Array.from({ length: h - 1 }, (_, k) => k + 1).reduce(
        (s, j) => s + (0.3 + j * 0.03 + (j % 7 === 0 ? 0.2 : 0)) ** 2,
        0,
      );
    for (const [coverage, zc] of [
      [0.8, 1.281552],
      [0.95, 1.959964],
    ] as const) {
      const points = forecast(fit, 9, coverage);
      for (const p of points) {
        const logMean = Math.log(100) + 0.01 * p.h + fit.season[(15 + p.h - 1) % 7];
        const sd = 0.05 * Math.sqrt(variance(p.h));
        expect(p.mean).to.be.closeTo(Math.exp(logMean), 1e-9);
        expect(p.lower).to.be.closeTo(Math.exp(logMean - zc * sd), 1e-9);
        expect(p.upper).to.be.closeTo(Math.exp(logMean + zc * sd), 1e-9);
      }
      // h = 1 has σ alone; h = 8 is the first to add γ (j = 7).
      expect(points[0].upper).to.be.closeTo(Math.exp(Math.log(100) + 0.01 + 0.1 + zc * 0.05), 1e-9);
    }
  });

  it("seasonal naive repeats the last 7 days; it and MAPE refuse what they cannot take", () => {
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9)).to.deep.equal([4, 5, 6, 7, 8, 9, 10, 4, 5]);
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7], 1)).to.deep.equal([1]);
    expect(() => seasonalNaive([1, 2, 3, 4, 5, 6], 1)).to.throw("seasonal naive needs at least 7 days");
    expect(() => mape([1, 2], [1])).to.throw("mape needs two non-empty series of one length");
    expect(() => mape([], [])).to.throw("mape needs two non-empty series of one length");
    expect(mape([100, 200], [110, 150])).to.be.closeTo((0.1 + 0.25) / 2, 1e-12);
    expect(() => fitHoltWinters(series.slice(0, 27))).to.throw("a forecast needs at least 28 days, got 27");
  });
});

describe("cost collection refuses what it cannot read, naming it", () => {
  let ce: ReturnType<typeof mockClient>;
  beforeEach(() => (ce = mockClient(CostExplorerClient)));
  afterEach(() => ce.restore());
  const page = (groups: object[], start = "2026-11-01") => ({
    ResultsByTime: [{ TimePeriod: { Start: start, End: "2026-11-02" }, Groups: groups }],
  });
  const collect = () => collectAwsCosts(new CostExplorerClient({ region: "us-east-1" }), "2026-11-01", "2026-11-02");

  it("takes days only as whole YYYY-MM-DD, start before end", () => {
    for (const [start, end] of [
      ["2026-11-1", "2026-11-03"],
      ["x2026-11-01", "2026-11-03"],
      ["2026-11-01", "2026-11-03x"],
      ["2026-11-03", "2026-11-03"],
      ["2026-11-04", "2026-11-03"],
    ]) {
      expect(() => daysBetween(start, end), `${start} … ${end}`).to.throw(
        `the range ${start} … ${end} is not two YYYY-MM-DD days, start before end`,
      );
    }
    expect(daysBetween("2026-12-31", "2027-01-02")).to.deep.equal(["2026-12-31", "2027-01-01"]);
  });

  it("reads amounts given as text, refuses blank or non-numeric ones and groups without a service or currency, and reads a missing or empty tag as untagged", async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      page([
        { Keys: ["Amazon S3"], Metrics: { UnblendedCost: { Amount: "1.5", Unit: "USD" } } },
        { Keys: ["Amazon EC2", "cost_center$"], Metrics: { UnblendedCost: { Amount: "2", Unit: "USD" } } },
        { Keys: ["AWS Lambda", "cost_center$CC-1"], Metrics: { UnblendedCost: { Amount: "3", Unit: "USD" } } },
      ]),
    );
    expect((await collect()).map((r) => [r.service, r.costCenter, r.amount])).to.deep.equal([
      ["Amazon S3", UNTAGGED, 1.5],
      ["Amazon EC2", UNTAGGED, 2],
      ["AWS Lambda", "CC-1", 3],
    ]);
    ce.on(GetCostAndUsageCommand).resolves(
      page([{ Keys: ["Amazon S3"], Metrics: { UnblendedCost: { Amount: " ", Unit: "USD" } } }]),
    );
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      'Cost Explorer 2026-11-01 Amazon S3: amount " " is not a number',
    );
    ce.on(GetCostAndUsageCommand).resolves(
      page([{ Keys: ["Amazon S3"], Metrics: { UnblendedCost: { Amount: "1" } } }]),
    );
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      "Cost Explorer 2026-11-01 Amazon S3: a group without a service or a currency",
    );
    ce.on(GetCostAndUsageCommand).resolves(
      page([{ Keys: [], Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } } }]),
    );
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      "Cost Explorer 2026-11-01 ?: a group without a service or a currency",
    );
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Groups: [] }] });
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      'Cost Explorer answered day "", outside 2026-11-01 … 2026-11-02',
    );
  });

  it("sums rows of one key only: fields never run into each other, and the result is in date, cloud, service, cost centre order", () => {
    const row = (date: string, service: string, costCenter: string, amount: number): CostRow => ({
      date,
      cloud: "aws",
      service,
      costCenter,
      amount,
      currency: "USD",
    });
    expect(
      normalise([
        row("2026-11-02", "ab", "c", 1),
        row("2026-11-01", "a", "bc", 2),
        row("2026-11-01", "a", "bc", 3),
        row("2026-11-01", "a", "ab", 4),
      ]),
    ).to.deep.equal([
      row("2026-11-01", "a", "ab", 4),
      row("2026-11-01", "a", "bc", 5),
      row("2026-11-02", "ab", "c", 1),
    ]);
  });
});

describe("the OCI Usage API's items, checked (signed loopback server)", () => {
  let server: { url: string; requests: SignedRequest<unknown>[]; close: () => void };
  let items: object[] = [];
  let status = 200;
  before(async () => {
    server = await startSignedJsonServer<unknown>(publicKey, () =>
      status === 200
        ? { status, json: { items } }
        : { status, json: { code: "InternalError", message: "x".repeat(300) } },
    );
  });
  after(() => server.close());
  const collect = () =>
    collectOciCosts(
      { endpoint: server.url, tenancyId: "t", tagNamespace: "multicloud", start: "2026-11-01", end: "2026-11-02" },
      signer,
    );
  const item = (over: object) => ({
    timeUsageStarted: "2026-11-01T00:00:00.000Z",
    service: "Database",
    computedAmount: 1,
    currency: "EUR",
    ...over,
  });

  it("takes the cost centre only from this namespace's cost_center tag with a value, and sends JSON", async () => {
    items = [
      item({ tags: [{ namespace: "other", key: "cost_center", value: "CC-X" }] }),
      item({ tags: [{ namespace: "multicloud", key: "owner", value: "CC-Y" }] }),
      item({ tags: [{ namespace: "multicloud", key: "cost_center", value: "" }] }),
      item({ tags: [{ namespace: "multicloud", key: "cost_center", value: "CC-1" }] }),
    ];
    expect((await collect()).map((r) => r.costCenter)).to.deep.equal([UNTAGGED, UNTAGGED, UNTAGGED, "CC-1"]);
    expect(server.requests[server.requests.length - 1].headers["content-type"]).to.equal("application/json");
  });

  it("refuses an item without a service or a currency, naming it, and quotes at most 200 characters of an error answer", async () => {
    items = [item({ service: undefined })];
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      "OCI usage 2026-11-01 ?: an item without a service or a currency",
    );
    items = [item({ timeUsageStarted: undefined })];
    expect(await collect().catch((e: Error) => e.message)).to.equal(
      "OCI usage ? Database: day outside 2026-11-01 … 2026-11-02",
    );
    status = 500;
    const message = await collect().catch((e: Error) => e.message);
    status = 200;
    expect(message).to.equal(
      `the OCI Usage API answered HTTP 500: ${JSON.stringify({ code: "InternalError", message: "x".repeat(300) }).slice(0, 200)}`,
    );
  });

  it("per resource: refuses items outside the week, without an id or amount, or in two currencies", async () => {
    const database: InventoryItem = { kind: "autonomousDatabase", id: "ocid1.db", label: "db", ecpus: 2 };
    const costs = () =>
      ociResourceCosts(
        { endpoint: server.url, tenancyId: "t", today: "2026-11-08", days: 7 },
        [database],
        signer,
      ).catch((e: Error) => e.message);
    const usage = (over: object) => ({
      timeUsageStarted: "2026-11-03T00:00:00.000Z",
      resourceId: "ocid1.db",
      computedAmount: 2,
      currency: "EUR",
      ...over,
    });
    items = [usage({ timeUsageStarted: "2026-11-08T00:00:00.000Z" })];
    expect(await costs()).to.equal("OCI usage by resource 2026-11-08 ocid1.db: day outside 2026-11-01 … 2026-11-08");
    items = [usage({ timeUsageStarted: undefined, resourceId: undefined })];
    expect(await costs()).to.equal("OCI usage by resource ? ?: day outside 2026-11-01 … 2026-11-08");
    items = [usage({ resourceId: undefined })];
    expect(await costs()).to.equal(
      "OCI usage by resource 2026-11-03 ?: an item without a resource id, a currency or a numeric amount",
    );
    items = [usage({ computedAmount: "n/a" })];
    expect(await costs()).to.equal(
      "OCI usage by resource 2026-11-03 ocid1.db: an item without a resource id, a currency or a numeric amount",
    );
    items = [usage({}), usage({ currency: "USD" })];
    expect(await costs()).to.equal("OCI usage by resource 2026-11-03 ocid1.db: billed in EUR and USD");
    items = [usage({ computedAmount: "2.5" }), usage({})];
    expect(
      Object.fromEntries(
        (
          await ociResourceCosts(
            { endpoint: server.url, tenancyId: "t", today: "2026-11-08", days: 7 },
            [database],
            signer,
          )
        ).measured,
      ),
    ).to.deep.equal({ "ocid1.db": { amount: 4.5, currency: "EUR", source: "OCI Usage API by resource" } });
    status = 502;
    expect(await costs()).to.match(/^the OCI Usage API answered HTTP 502 to the per-resource query: /);
    status = 200;
  });

  it("stops a database with a POST signed as OCI verifies, body empty", async () => {
    server.requests.length = 0;
    const outcomes = await carryOut(
      [{ id: "ocid1.autonomousdatabase.oc1.fra.db", label: "db", action: "stop database", reason: "idle" }],
      { autoScaling: new AutoScalingClient({ region: "eu-west-1" }), oci: { signer, databaseEndpoint: server.url } },
    );
    expect(outcomes).to.deep.equal([
      { id: "ocid1.autonomousdatabase.oc1.fra.db", action: "stop database", outcome: "done" },
    ]);
    const [stop] = server.requests;
    expect(stop).to.deep.include({
      url: "/20160918/autonomousDatabases/ocid1.autonomousdatabase.oc1.fra.db/actions/stop",
      method: "POST",
      body: undefined,
    });
    expect(stop.headers["content-type"]).to.equal("application/json");
    expect(stop.signature).to.deep.include({ digestOk: true, signatureOk: true });
  });
});

describe("idle spend and per-resource cost at their edges", () => {
  const endpoint: InventoryItem = {
    kind: "sagemakerEndpoint",
    id: "ep",
    instanceType: "ml.m5.large",
    instanceCount: 2,
  };
  const nodes: InventoryItem = { kind: "eksNodes", id: "asg", instanceType: "m7i.large", nodes: 3 };
  const database: InventoryItem = { kind: "autonomousDatabase", id: "ocid1.db", label: "db", ecpus: 2 };

  it("prices an endpoint by its instance count, judges only the last 7 days, a day at the threshold is not idle, a week of exactly the minimum is", () => {
    expect(dailyCost(endpoint)).to.be.closeTo(24 * UNIT_PRICES_PER_HOUR["ml.m5.large"] * 2, 1e-12);
    const busyThenIdle = [50, 1, 1, 1, 1, 1, 1, 1];
    const found = findIdle([nodes], new Map([[nodes.id, busyThenIdle]]));
    expect(found.map((f) => f.utilisation)).to.deep.equal([[1, 1, 1, 1, 1, 1, 1]]);
    expect(findIdle([nodes], new Map([[nodes.id, [1, 1, 1, 10, 1, 1, 1]]]))).to.deep.equal([]);
    const minimum = {
      measured: new Map([[database.id, { amount: 10, currency: "EUR", source: "OCI Usage API by resource" as const }]]),
      fallbacks: new Map<string, string>(),
    };
    expect(
      findIdle([database], new Map([[database.id, [1, 1, 1, 1, 1, 1, 1]]]), minimum).map((f) => f.weeklyCost),
    ).to.deep.equal([10]);
  });

  describe("Cost Explorer resource-level data", () => {
    let ce: ReturnType<typeof mockClient>;
    let asg: ReturnType<typeof mockClient>;
    beforeEach(() => {
      ce = mockClient(CostExplorerClient);
      asg = mockClient(AutoScalingClient);
    });
    afterEach(() => {
      ce.restore();
      asg.restore();
    });
    const clients = () => ({
      costExplorer: new CostExplorerClient({ region: "us-east-1" }),
      autoScaling: new AutoScalingClient({ region: "eu-west-1" }),
    });
    const day = (groups: object[]) => ({
      ResultsByTime: [{ TimePeriod: { Start: "2026-11-07", End: "2026-11-08" }, Groups: groups }],
    });

    it("asks nothing for databases alone, and no Auto Scaling group for an endpoint alone", async () => {
      expect((await awsResourceCosts(clients(), [database], "2026-11-08", 7)).measured.size).to.equal(0);
      expect(ce.calls()).to.have.length(0);
      ce.on(GetCostAndUsageWithResourcesCommand).resolves(
        day([
          {
            Keys: ["arn:aws:sagemaker:eu-west-1:1:endpoint/ep"],
            Metrics: { UnblendedCost: { Amount: "4", Unit: "USD" } },
          },
        ]),
      );
      expect(
        Object.fromEntries((await awsResourceCosts(clients(), [endpoint], "2026-11-08", 7)).measured),
      ).to.deep.equal({ ep: { amount: 4, currency: "USD", source: "Cost Explorer resource-level" } });
      expect(asg.calls()).to.have.length(0);
      expect(resourceIdMatches(database, "ocid1.db", new Set(["ocid1.db"]))).to.equal(false);
    });

    it("says when the node group has no instances, when its instances bill in two currencies, and why a call failed", async () => {
      asg
        .on(DescribeAutoScalingGroupsCommand)
        .resolves({ AutoScalingGroups: [{ AutoScalingGroupName: "asg", Instances: [] }] as never });
      ce.on(GetCostAndUsageWithResourcesCommand).resolves(
        day([
          {
            Keys: ["arn:aws:sagemaker:eu-west-1:1:endpoint/ep"],
            Metrics: { UnblendedCost: { Amount: "4", Unit: "USD" } },
          },
        ]),
      );
      expect((await awsResourceCosts(clients(), [nodes, endpoint], "2026-11-08", 7)).fallbacks.get("asg")).to.equal(
        "the node group has no instances now",
      );
      asg.on(DescribeAutoScalingGroupsCommand).resolves({
        AutoScalingGroups: [
          { AutoScalingGroupName: "asg", Instances: [{ InstanceId: "i-1" }, { InstanceId: "i-2" }] },
        ] as never,
      });
      ce.on(GetCostAndUsageWithResourcesCommand).resolves(
        day([
          { Keys: ["i-1"], Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } } },
          { Keys: ["i-2"], Metrics: { UnblendedCost: { Amount: "1", Unit: "EUR" } } },
        ]),
      );
      const mixed = await awsResourceCosts(clients(), [nodes, endpoint], "2026-11-08", 7);
      expect(Object.fromEntries(mixed.fallbacks)).to.deep.equal({
        asg: "its resources are billed in USD and EUR",
        ep: "not in Cost Explorer's resource-level data for the week",
      });
      ce.on(GetCostAndUsageWithResourcesCommand).resolves(
        day([
          { Keys: ["i-1"], Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } } },
          { Keys: ["i-1"], Metrics: { UnblendedCost: { Amount: "1", Unit: "EUR" } } },
        ]),
      );
      expect((await awsResourceCosts(clients(), [nodes], "2026-11-08", 7)).fallbacks.get("asg")).to.equal(
        "Cost Explorer resource-level data could not be read (Error: Cost Explorer resource-level data: i-1 is billed in USD and EUR)",
      );
      ce.on(GetCostAndUsageWithResourcesCommand).resolves({ ResultsByTime: [{ Groups: [] }] });
      expect((await awsResourceCosts(clients(), [nodes], "2026-11-08", 7)).fallbacks.get("asg")).to.equal(
        'Cost Explorer resource-level data could not be read (Error: Cost Explorer resource-level data answered day "", outside 2026-11-01 … 2026-11-08)',
      );
      ce.on(GetCostAndUsageWithResourcesCommand).resolves(
        day([{ Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } } }]),
      );
      expect((await awsResourceCosts(clients(), [nodes], "2026-11-08", 7)).fallbacks.get("asg")).to.equal(
        "Cost Explorer resource-level data could not be read (Error: Cost Explorer resource-level data 2026-11-07: a group without a resource id, a currency or a numeric amount)",
      );
      ce.on(GetCostAndUsageWithResourcesCommand).rejects({ message: "no name" });
      expect((await awsResourceCosts(clients(), [nodes], "2026-11-08", 7)).fallbacks.get("asg")).to.equal(
        "Cost Explorer resource-level data could not be read (Error: no name)",
      );
    });
  });
});

describe("the table's reads and writes in flight (mapInFlight)", () => {
  it("runs every item once, never more than the limit at a time, and returns results in the items' order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (delays, limit) => {
          let running = 0;
          let most = 0;
          const seen: number[] = [];
          const results = await mapInFlight(delays, limit, async (delay) => {
            running++;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, delay));
            seen.push(delay);
            running--;
            return delay * 10;
          });
          expect(results).to.deep.equal(delays.map((d) => d * 10));
          expect(seen).to.have.length(delays.length);
          expect(most).to.be.at.most(limit);
          if (delays.length >= limit) expect(most).to.equal(limit);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it("fails with the first failure", async () => {
    const error = await mapInFlight([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error("two failed");
      return n;
    }).catch((e: Error) => e.message);
    expect(error).to.equal("two failed");
  });
});

describe("cost pages of the wrong shape: refused naming the field", () => {
  const days = new Set(["2026-11-01"]);
  const range = "2026-11-01 … 2026-11-02";
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as Error).message;
    }
    return "accepted";
  };
  const group = (over: Record<string, unknown> = {}) => ({
    Keys: ["Amazon S3", "cost_center$CC-1"],
    Metrics: { UnblendedCost: { Amount: "1.5", Unit: "USD" } },
    ...over,
  });
  const page = (groups: unknown, extra: Record<string, unknown> = {}) => ({
    ResultsByTime: [{ TimePeriod: { Start: "2026-11-01" }, Groups: groups }],
    ...extra,
  });

  it("Cost Explorer: lists that are not lists, a currency that is not ISO 4217, a tag key or token that is not text", () => {
    expect(refusal(() => awsCostPageRows("<html>", days, range))).to.equal(
      'Cost Explorer answered "<html>", not a page',
    );
    expect(refusal(() => awsCostPageRows({ ResultsByTime: {} }, days, range))).to.equal(
      "Cost Explorer: ResultsByTime is an object, not a list",
    );
    expect(refusal(() => awsCostPageRows(page(7), days, range))).to.equal(
      "Cost Explorer 2026-11-01: Groups is a number, not a list",
    );
    expect(refusal(() => awsCostPageRows(page([group({ Keys: "Amazon S3" })]), days, range))).to.equal(
      'Cost Explorer 2026-11-01: Keys is "Amazon S3", not a list',
    );
    expect(
      refusal(() =>
        awsCostPageRows(page([group({ Metrics: { UnblendedCost: { Amount: "1", Unit: "usd" } } })]), days, range),
      ),
    ).to.equal('Cost Explorer 2026-11-01 Amazon S3: currency "usd" is not an ISO 4217 code');
    expect(refusal(() => awsCostPageRows(page([group({ Keys: ["Amazon S3", 7] })]), days, range))).to.equal(
      "Cost Explorer 2026-11-01 Amazon S3: tag key a number is not text",
    );
    expect(
      refusal(() =>
        awsCostPageRows(page([group({ Metrics: { UnblendedCost: { Amount: 10n, Unit: "USD" } } })]), days, range),
      ),
    ).to.equal("Cost Explorer 2026-11-01 Amazon S3: amount a bigint is not a number");
    expect(refusal(() => awsCostPageRows(page([], { NextPageToken: 3 }), days, range))).to.equal(
      "Cost Explorer answered NextPageToken a number, not text",
    );
    expect(awsCostPageRows(page([group()], { NextPageToken: "" }), days, range)).to.deep.equal({
      rows: [
        { date: "2026-11-01", cloud: "aws", service: "Amazon S3", costCenter: "CC-1", amount: 1.5, currency: "USD" },
      ],
    });
    expect(awsCostPageRows(page([group()], { NextPageToken: "t2" }), days, range).nextPageToken).to.equal("t2");
  });

  it("Usage API: a body that is not JSON or has no list, items of the wrong kind, a currency that is not ISO 4217", () => {
    expect(refusal(() => usagePageItems("<html>busy</html>", " to the per-resource query"))).to.equal(
      "the OCI Usage API answered to the per-resource query a body that is not JSON: <html>busy</html>",
    );
    expect(refusal(() => usagePageItems("[1]", ""))).to.equal("the OCI Usage API answered a list, not an object");
    expect(refusal(() => usagePageItems('{"items": "x"}', ""))).to.equal(
      'the OCI Usage API\'s answer: items is "x", not a list',
    );
    expect(usagePageItems("{}", "")).to.deep.equal([]);
    const item = {
      timeUsageStarted: "2026-11-01T00:00:00.000Z",
      service: "Database",
      computedAmount: 2,
      currency: "EUR",
    };
    expect(refusal(() => ociUsageRow({ ...item, tags: {} }, days, range, "multicloud"))).to.equal(
      "OCI usage 2026-11-01 Database: tags is an object, not a list",
    );
    expect(refusal(() => ociUsageRow({ ...item, currency: "€" }, days, range, "multicloud"))).to.equal(
      'OCI usage 2026-11-01 Database: currency "€" is not an ISO 4217 code',
    );
    expect(refusal(() => ociUsageRow({ ...item, timeUsageStarted: 20261101 }, days, range, "multicloud"))).to.equal(
      "OCI usage ? Database: day outside 2026-11-01 … 2026-11-02",
    );
    expect(
      ociUsageRow(
        { ...item, tags: [7, { namespace: "multicloud", key: "cost_center", value: "CC-2" }] },
        days,
        range,
        "multicloud",
      ),
    ).to.deep.equal({
      date: "2026-11-01",
      cloud: "oci",
      service: "Database",
      costCenter: "CC-2",
      amount: 2,
      currency: "EUR",
    });
    const byResource = { timeUsageStarted: "2026-11-01T00:00:00Z", resourceId: "ocid1.db", currency: "EUR" };
    for (const computedAmount of [null, "", " ", [], "abc"])
      expect(
        refusal(() => resourceUsageItem({ ...byResource, computedAmount }, days, range)),
        String(computedAmount),
      ).to.equal(
        "OCI usage by resource 2026-11-01 ocid1.db: an item without a resource id, a currency or a numeric amount",
      );
    expect(
      refusal(() => resourceUsageItem({ ...byResource, computedAmount: 1, currency: "eur" }, days, range)),
    ).to.equal('OCI usage by resource 2026-11-01 ocid1.db: currency "eur" is not an ISO 4217 code');
  });
});
