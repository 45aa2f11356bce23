/**
 * The daily FinOps report from the cost table: month-to-date and month-end forecast against the
 * budgets, the top movers of the week, the anomalies of the last days (per cloud × service × cost
 * centre), as Markdown with an SVG chart (per cloud: daily spend, the 30-day forecast with its
 * 80 % band, anomaly days marked) and a short text summary for the FinOps list. Pure: rows in,
 * text out. Amounts are per cloud in that cloud's currency — never summed across currencies.
 */
import { anomalyEvents, AnomalySettings, DEFAULT_ANOMALY_SETTINGS, detectAnomalies } from "./anomaly";
import { Cloud, CostRow, daysBetween } from "./collect";
import { fitHoltWinters, forecast, ForecastPoint, SEASON } from "./forecast";
import type { IdleFinding, RemediationAction, RemediationMode } from "./idle";
import type { RemediationOutcome } from "./remediate";

export interface ReportInput {
  /** The cost table, any order; the report reads the days up to `today` (exclusive). */
  readonly rows: readonly CostRow[];
  /** The first day the report may read (it starts at the first day with data) and the report's day (the last complete day is the one before). */
  readonly fromDay: string;
  readonly today: string;
  /** Monthly budgets per cloud, in that cloud's currency. */
  readonly budgets: Readonly<Record<Cloud, { readonly limit: number; readonly currency: string }>>;
  /** Anomalies starting this many days back or fewer are reported. */
  readonly anomalyDays: number;
  readonly stack: string;
  readonly settings?: AnomalySettings;
}

export interface ReportAnomaly {
  readonly cloud: Cloud;
  readonly service: string;
  readonly costCenter: string;
  readonly startDay: string;
  readonly days: number;
  readonly excess: number;
  readonly currency: string;
}

export interface CloudFigures {
  readonly cloud: Cloud;
  readonly currency: string;
  readonly monthToDate: number;
  readonly budget: number;
  /** Month-end total: month to date plus the forecast of the remaining days, with its 80 % band. */
  readonly monthEnd?: { readonly mean: number; readonly lower: number; readonly upper: number };
  /** The next 30 days' total, with its 80 % band (the sum of the daily bands: conservative). */
  readonly next30Days?: { readonly mean: number; readonly lower: number; readonly upper: number };
  readonly daily: readonly number[];
  readonly forecast: readonly ForecastPoint[];
}

export interface CostReport {
  readonly markdown: string;
  readonly svg: string;
  readonly summary: string;
  readonly clouds: readonly CloudFigures[];
  readonly anomalies: readonly ReportAnomaly[];
  readonly movers: readonly { cloud: Cloud; service: string; costCenter: string; change: number; currency: string }[];
}

const CLOUDS: readonly Cloud[] = ["aws", "oci"];
const money = (amount: number, currency: string) =>
  `${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
const band = (b: { mean: number; lower: number; upper: number }, currency: string) =>
  `${money(b.mean, currency)} (${money(b.lower, currency)} – ${money(b.upper, currency)})`;

export function buildReport(input: ReportInput): CostReport {
  // The history starts at the first day with spend: empty days before it (before the account spent) say nothing of its pattern.
  const firstData = input.rows.reduce<string | undefined>(
    (min, r) => (r.date >= input.fromDay && r.date < input.today && (!min || r.date < min) ? r.date : min),
    undefined,
  );
  const days = daysBetween(firstData ?? input.fromDay, input.today);
  const index = new Map(days.map((d, i) => [d, i]));
  const monthStart = `${input.today.slice(0, 7)}-01`;
  // Days left in the month after the last complete day (today included).
  const monthEndExclusive = (() => {
    const [y, m] = input.today.split("-").map(Number);
    return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  })();
  const remaining = daysBetween(input.today, monthEndExclusive).length;

  const currencyOf = new Map<Cloud, string>();
  const perSeries = new Map<
    string,
    { cloud: Cloud; service: string; costCenter: string; currency: string; values: number[] }
  >();
  const perCloud = new Map<Cloud, number[]>(CLOUDS.map((c) => [c, days.map(() => 0)]));
  for (const row of input.rows) {
    const i = index.get(row.date);
    if (i === undefined) continue;
    const known = currencyOf.get(row.cloud);
    if (known && known !== row.currency)
      throw new Error(`${row.cloud} reports costs in ${known} and ${row.currency}; one currency per cloud is expected`);
    currencyOf.set(row.cloud, row.currency);
    const key = [row.cloud, row.service, row.costCenter].join("\u0000");
    const series = perSeries.get(key) ?? {
      cloud: row.cloud,
      service: row.service,
      costCenter: row.costCenter,
      currency: row.currency,
      values: days.map(() => 0),
    };
    series.values[i] += row.amount;
    perSeries.set(key, series);
    perCloud.get(row.cloud)![i] += row.amount;
  }

  const anomalies: ReportAnomaly[] = [];
  const firstReported = days.length - input.anomalyDays;
  for (const s of perSeries.values()) {
    for (const event of anomalyEvents(detectAnomalies(s.values, input.settings ?? DEFAULT_ANOMALY_SETTINGS))) {
      if (event.startDay >= firstReported)
        anomalies.push({
          cloud: s.cloud,
          service: s.service,
          costCenter: s.costCenter,
          startDay: days[event.startDay],
          days: event.endDay - event.startDay + 1,
          excess: event.excess,
          currency: s.currency,
        });
    }
  }
  anomalies.sort((a, b) => b.excess - a.excess);

  const movers = [...perSeries.values()]
    .filter((s) => s.values.length >= 2 * SEASON)
    .map((s) => {
      const last = s.values.slice(-SEASON).reduce((a, b) => a + b, 0);
      const previous = s.values.slice(-2 * SEASON, -SEASON).reduce((a, b) => a + b, 0);
      return {
        cloud: s.cloud,
        service: s.service,
        costCenter: s.costCenter,
        change: last - previous,
        currency: s.currency,
      };
    })
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    .slice(0, 5);

  const clouds: CloudFigures[] = CLOUDS.filter((c) => currencyOf.has(c)).map((cloud) => {
    const daily = perCloud.get(cloud)!;
    const currency = currencyOf.get(cloud)!;
    const monthToDate = days.reduce((sum, d, i) => (d >= monthStart ? sum + daily[i] : sum), 0);
    const points = daily.length >= 4 * SEASON ? forecast(fitHoltWinters(daily), 30, 0.8) : [];
    const rest = points.slice(0, remaining);
    // The band of a sum of days is not the sum of daily bands; summing them is conservative (wider), which the docs say.
    const monthEnd = points.length
      ? {
          mean: monthToDate + rest.reduce((a, p) => a + p.mean, 0),
          lower: monthToDate + rest.reduce((a, p) => a + p.lower, 0),
          upper: monthToDate + rest.reduce((a, p) => a + p.upper, 0),
        }
      : undefined;
    const next30Days = points.length
      ? {
          mean: points.reduce((a, p) => a + p.mean, 0),
          lower: points.reduce((a, p) => a + p.lower, 0),
          upper: points.reduce((a, p) => a + p.upper, 0),
        }
      : undefined;
    return {
      cloud,
      currency,
      monthToDate,
      budget: input.budgets[cloud].limit,
      ...(monthEnd ? { monthEnd, next30Days } : {}),
      daily,
      forecast: points,
    };
  });
  for (const c of clouds)
    if (c.currency !== input.budgets[c.cloud].currency)
      throw new Error(`${c.cloud} costs are in ${c.currency} but its budget is in ${input.budgets[c.cloud].currency}`);

  const svg = renderChart(days, clouds, anomalies);
  const lines = [
    `# Cost report ${input.stack}, ${input.today}`,
    "",
    "| cloud | month to date | budget | month-end forecast (80 % band) | forecast vs budget | next 30 days (80 % band) |",
    "|---|---|---|---|---|---|",
    ...clouds.map(
      (c) =>
        `| ${c.cloud.toUpperCase()} | ${money(c.monthToDate, c.currency)} | ${money(c.budget, c.currency)} | ${c.monthEnd ? band(c.monthEnd, c.currency) : "not enough history (28 days)"} | ${c.monthEnd ? `${((100 * c.monthEnd.mean) / c.budget).toFixed(0)} %` : "—"} | ${c.next30Days ? band(c.next30Days, c.currency) : "—"} |`,
    ),
    "",
    `## Anomalies (started in the last ${input.anomalyDays} days)`,
    "",
    ...(anomalies.length
      ? [
          "| cloud | service | cost centre | from | days | above expected |",
          "|---|---|---|---|---|---|",
          ...anomalies.map(
            (a) =>
              `| ${a.cloud.toUpperCase()} | ${a.service} | ${a.costCenter} | ${a.startDay} | ${a.days} | ${money(a.excess, a.currency)} |`,
          ),
        ]
      : ["None."]),
    "",
    "## Top movers (last 7 days vs the 7 before)",
    "",
    ...(movers.length
      ? [
          "| cloud | service | cost centre | change |",
          "|---|---|---|---|",
          ...movers.map(
            (m) =>
              `| ${m.cloud.toUpperCase()} | ${m.service} | ${m.costCenter} | ${m.change >= 0 ? "+" : ""}${money(m.change, m.currency)} |`,
          ),
        ]
      : ["Not enough history."]),
    "",
    "![daily spend per cloud, forecast band and anomalies](chart.svg)",
    "",
  ];
  const summary = [
    `${input.stack} costs on ${input.today}:`,
    ...clouds.map(
      (c) =>
        `${c.cloud.toUpperCase()} month to date ${money(c.monthToDate, c.currency)} of ${money(c.budget, c.currency)}${c.monthEnd ? `, month-end forecast ${money(c.monthEnd.mean, c.currency)} (${((100 * c.monthEnd.mean) / c.budget).toFixed(0)} % of budget)` : ""}${c.next30Days ? `, next 30 days ${money(c.next30Days.mean, c.currency)}` : ""}.`,
    ),
    `${anomalies.length} anomal${anomalies.length === 1 ? "y" : "ies"}${anomalies.length ? `, largest: ${anomalies[0].cloud.toUpperCase()} ${anomalies[0].service} (${anomalies[0].costCenter}) ${money(anomalies[0].excess, anomalies[0].currency)} above expected from ${anomalies[0].startDay}` : ""}.`,
    ...(movers[0]
      ? [
          `Top mover: ${movers[0].cloud.toUpperCase()} ${movers[0].service} ${movers[0].change >= 0 ? "+" : ""}${money(movers[0].change, movers[0].currency)} week on week.`,
        ]
      : []),
  ].join("\n");
  return { markdown: lines.join("\n"), svg, summary, clouds, anomalies, movers };
}

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One panel per cloud (each its own currency): daily spend, forecast band and mean, anomaly days. */
export function renderChart(
  days: readonly string[],
  clouds: readonly CloudFigures[],
  anomalies: readonly ReportAnomaly[],
): string {
  const width = 900;
  const panelHeight = 260;
  const margin = { left: 80, right: 20, top: 30, bottom: 50 };
  const shown = Math.min(days.length, 60);
  const first = days.length - shown;
  const parts: string[] = [];
  clouds.forEach((c, p) => {
    const top = p * panelHeight;
    const points = c.forecast;
    const total = shown + points.length;
    const values = [...c.daily.slice(first), ...points.map((f) => f.upper)];
    const max = Math.max(1, ...values) * 1.1;
    const x = (i: number) => margin.left + (i * (width - margin.left - margin.right)) / Math.max(1, total - 1);
    const y = (v: number) => top + margin.top + (panelHeight - margin.top - margin.bottom) * (1 - v / max);
    const bottom = top + panelHeight - margin.bottom;
    parts.push(`<g class="panel" data-cloud="${c.cloud}">`);
    parts.push(
      `<text x="${margin.left}" y="${top + 18}" font-size="14" font-weight="bold">${c.cloud.toUpperCase()} daily spend (${escapeXml(c.currency)})</text>`,
    );
    parts.push(
      `<line class="axis" x1="${margin.left}" y1="${bottom}" x2="${width - margin.right}" y2="${bottom}" stroke="black"/>`,
    );
    parts.push(
      `<line class="axis" x1="${margin.left}" y1="${top + margin.top}" x2="${margin.left}" y2="${bottom}" stroke="black"/>`,
    );
    parts.push(
      `<text class="axis-label" x="${(margin.left + width - margin.right) / 2}" y="${bottom + 35}" text-anchor="middle" font-size="12">day (UTC)</text>`,
    );
    parts.push(
      `<text class="axis-label" x="15" y="${(top + margin.top + bottom) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 15 ${(top + margin.top + bottom) / 2})">spend per day (${escapeXml(c.currency)})</text>`,
    );
    for (const tick of [0, 0.5, 1])
      parts.push(
        `<text class="tick" x="${margin.left - 6}" y="${y(max * tick) + 4}" text-anchor="end" font-size="10">${(max * tick).toFixed(0)}</text>`,
      );
    for (const i of [0, shown - 1])
      parts.push(
        `<text class="tick" x="${x(i)}" y="${bottom + 15}" text-anchor="middle" font-size="10">${days[first + i]}</text>`,
      );
    if (points.length) {
      const band = [
        ...points.map((f, k) => `${x(shown + k).toFixed(1)},${y(f.upper).toFixed(1)}`),
        ...[...points]
          .reverse()
          .map((f, k) => `${x(shown + points.length - 1 - k).toFixed(1)},${y(f.lower).toFixed(1)}`),
      ].join(" ");
      parts.push(`<polygon class="forecast-band" points="${band}" fill="#9ecae1" fill-opacity="0.5"/>`);
      parts.push(
        `<polyline class="forecast" points="${points.map((f, k) => `${x(shown + k).toFixed(1)},${y(f.mean).toFixed(1)}`).join(" ")}" fill="none" stroke="#3182bd" stroke-dasharray="4 3"/>`,
      );
    }
    parts.push(
      `<polyline class="actual" points="${c.daily
        .slice(first)
        .map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`)
        .join(" ")}" fill="none" stroke="#08519c" stroke-width="1.5"/>`,
    );
    for (const a of anomalies.filter((a) => a.cloud === c.cloud)) {
      const i = days.indexOf(a.startDay) - first;
      if (i >= 0)
        parts.push(
          `<circle class="anomaly" cx="${x(i).toFixed(1)}" cy="${y(c.daily[first + i]).toFixed(1)}" r="5" fill="#de2d26"><title>${escapeXml(`${a.service} (${a.costCenter}) from ${a.startDay}`)}</title></circle>`,
        );
    }
    parts.push("</g>");
  });
  const height = Math.max(1, clouds.length) * panelHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="daily spend per cloud with forecast and anomalies">${parts.join("")}</svg>`;
}

/** The report's idle-spend and remediation sections (Markdown), appended after the figures. */
export function idleSection(args: {
  idle: readonly IdleFinding[];
  mode: RemediationMode;
  actions: readonly RemediationAction[];
  outcomes?: readonly RemediationOutcome[];
  currencyOf: (kind: IdleFinding["kind"]) => string;
}): string {
  const lines = [
    "## Idle resources (last 7 days)",
    "",
    ...(args.idle.length
      ? [
          "| resource | kind | utilisation | cost / week | cost source |",
          "|---|---|---|---|---|",
          ...args.idle.map(
            (f) =>
              `| ${f.label} | ${f.kind} | ${f.metric}: ${f.utilisation.map((v) => v.toFixed(1)).join(", ")} | ${money(f.weeklyCost, f.currency ?? args.currencyOf(f.kind))} | ${f.costSource}${f.fallbackReason ? ` (${f.fallbackReason})` : ""} |`,
          ),
        ]
      : ["None."]),
    "",
    `## Remediation (${args.mode === "off" ? "off" : args.mode === "dryRun" ? "dry run: nothing was changed" : "act: only what the previous run listed"})`,
    "",
  ];
  if (args.mode === "off") lines.push("Off (multicloud:budget.report.remediation).");
  else if (args.actions.length === 0)
    lines.push("Nothing would be stopped (production, nothing idle, or no cloud forecast over budget).");
  else {
    lines.push("| resource | action | why | outcome |", "|---|---|---|---|");
    for (const a of args.actions)
      lines.push(
        `| ${a.label} | ${a.action} | ${a.reason} | ${args.outcomes?.find((o) => o.id === a.id)?.outcome ?? "would be done (dry run)"} |`,
      );
  }
  return lines.join("\n");
}
