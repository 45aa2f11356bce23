/**
 * Coverage per top folder, from the c8 summary of the one `npm test` run in `.ci/run`:
 * `npm run coverage:check` prints the table (docs/ci.md holds a copy) and fails when a folder's
 * line or branch coverage is more than TOLERANCE points below the committed baseline;
 * `npm run coverage:check -- --write` records the current figures as the new baseline.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const FOLDERS = ["components", "functions", "policy", "offline"] as const;
export type Folder = (typeof FOLDERS)[number];
/** Points a folder may drop below its baseline before CI fails. */
export const TOLERANCE = 2;

interface Counts {
  readonly total: number;
  readonly covered: number;
}
/** What c8's json-summary reporter writes: per absolute file path (and "total"), counts by kind. */
export type CoverageSummary = Record<string, { lines: Counts; branches: Counts }>;
export interface FolderCoverage {
  readonly files: number;
  readonly lines: Counts;
  readonly branches: Counts;
}
export type Baseline = Record<Folder, { lines: number; branches: number }>;

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SUMMARY = path.join(REPO_ROOT, "reports", "coverage", "coverage-summary.json");
const BASELINE = path.join(__dirname, "baseline.json");

/** Percentage with one decimal; a folder with nothing to count is fully covered. */
export const percent = (c: Counts): number => (c.total === 0 ? 100 : Math.floor((1000 * c.covered) / c.total) / 10);

/** Sums the summary's files by the top folder they sit in under `root`; other files are left out. */
export function folderTotals(summary: CoverageSummary, root: string): Record<Folder, FolderCoverage> {
  const totals = Object.fromEntries(
    FOLDERS.map((f) => [f, { files: 0, lines: { total: 0, covered: 0 }, branches: { total: 0, covered: 0 } }]),
  ) as Record<
    Folder,
    { files: number; lines: { total: number; covered: number }; branches: { total: number; covered: number } }
  >;
  for (const [file, counts] of Object.entries(summary)) {
    if (file === "total") continue;
    const top = path.relative(root, file).split(path.sep)[0] as Folder;
    if (!FOLDERS.includes(top)) continue;
    const t = totals[top];
    t.files++;
    for (const kind of ["lines", "branches"] as const) {
      t[kind].total += counts[kind].total;
      t[kind].covered += counts[kind].covered;
    }
  }
  return totals;
}

/** One line per folder and kind that dropped more than `tolerance` points below the baseline. */
export function regressions(
  current: Record<Folder, FolderCoverage>,
  baseline: Baseline,
  tolerance = TOLERANCE,
): string[] {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    for (const kind of ["lines", "branches"] as const) {
      const now = percent(current[folder][kind]);
      const floor = Math.round((baseline[folder][kind] - tolerance) * 10) / 10;
      if (now < floor) {
        found.push(
          `${folder}/ ${kind} coverage ${now} % is below ${floor} % (baseline ${baseline[folder][kind]} % less ${tolerance} points): add tests, or lower tests/coverage/baseline.json in the same change and say why`,
        );
      }
    }
  }
  return found;
}

export function table(current: Record<Folder, FolderCoverage>): string {
  const rows = FOLDERS.map((f) => {
    const c = current[f];
    return `| \`${f}/\` | ${c.files} | ${percent(c.lines)} % (${c.lines.covered}/${c.lines.total}) | ${percent(c.branches)} % (${c.branches.covered}/${c.branches.total}) |`;
  });
  return ["| Folder | Files | Lines | Branches |", "|---|---:|---:|---:|", ...rows].join("\n");
}

function main(): number {
  if (!existsSync(SUMMARY)) {
    console.error(
      `no coverage summary at ${path.relative(REPO_ROOT, SUMMARY)}: run the tests under c8 first (npx c8 npm test; .ci/run does)`,
    );
    return 1;
  }
  const current = folderTotals(JSON.parse(readFileSync(SUMMARY, "utf8")) as CoverageSummary, REPO_ROOT);
  console.log(table(current));
  if (process.argv.includes("--write")) {
    const baseline = Object.fromEntries(
      FOLDERS.map((f) => [f, { lines: percent(current[f].lines), branches: percent(current[f].branches) }]),
    );
    writeFileSync(BASELINE, `${JSON.stringify(baseline, null, 2)}\n`);
    console.log(`baseline written to ${path.relative(REPO_ROOT, BASELINE)}`);
    return 0;
  }
  const found = regressions(current, JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline);
  for (const line of found) console.error(line);
  return found.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
