/**
 * npm run test:mutation [-- area ...]: Stryker over each area of MUTATION_AREAS (all when none is
 * named), then the per-file table (killed, survived, timed out, no coverage) and the survivors, in
 * reports/mutation/. Exits non-zero when an area or the whole falls below its bar.
 * `--incremental` reuses earlier results for unchanged code and tests (local iteration);
 * `--report` prints the last results without running anything.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MutantResult, PartialStrykerOptions } from "@stryker-mutator/api/core";
import { MUTATION_AREAS } from "./areas";
import { AreaResult, MutantOutcome, mutationTable, scoreOf, survivorList } from "./score";

const REPORT_DIR = "reports/mutation";

/** Stryker's core is ESM with an exports map the project's (CommonJS) resolution cannot type; this is the part used. */
interface StrykerRunner {
  runMutationTest(): Promise<MutantResult[]>;
}
type StrykerClass = new (options: PartialStrykerOptions) => StrykerRunner;

/**
 * The type checker rejects mutants that are not valid TypeScript. Checking each against the whole
 * program (Pulumi's SDK types included) takes seconds; a tsconfig rooted at the area's tests checks
 * only what they import, with the project's compiler options.
 */
function areaTsconfig(area: (typeof MUTATION_AREAS)[number]): string {
  const file = join("tests/mutation", `tsconfig.${area.name}.json`);
  // The tests' own declarations of untyped packages (s3rver, …) come along: the tests import them.
  const declarations = readdirSync("tests/support")
    .filter((f) => f.endsWith(".d.ts"))
    .map((f) => `tests/support/${f}`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        extends: "../../tsconfig.json",
        include: [],
        files: [...area.spec, ...area.mutate, ...declarations].map((f) => `../../${f}`),
      },
      null,
      1,
    ),
  );
  return file;
}

function options(area: (typeof MUTATION_AREAS)[number], incremental: boolean): PartialStrykerOptions {
  return {
    packageManager: "npm",
    testRunner: "mocha",
    // tsx compiles the mutated TypeScript inside the test runner's worker.
    testRunnerNodeArgs: ["--import", "tsx"],
    mochaOptions: { config: "tests/mutation/mocharc.json", spec: [...area.spec] },
    // MUTATION_TYPECHECK=off skips the checker (faster; type-invalid mutants then run and count as
    // killed or survived). Only for comparing with code whose tests are too slow to type-check per mutant.
    checkers: process.env.MUTATION_TYPECHECK === "off" ? [] : ["typescript"],
    tsconfigFile: areaTsconfig(area),
    coverageAnalysis: "perTest",
    concurrency: 2,
    timeoutMS: 20_000,
    mutate: [...area.mutate],
    tempDirName: ".stryker-tmp",
    incremental,
    incrementalFile: join(REPORT_DIR, `${area.name}.incremental.json`),
    reporters: ["progress-append-only", "html"],
    htmlReporter: { fileName: join(REPORT_DIR, `${area.name}.html`) },
    cleanTempDir: "always",
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const incremental = args.includes("--incremental");
  // --report: no run, the table and survivors of the last results.
  const reportOnly = args.includes("--report");
  const named = args.filter((a) => !a.startsWith("--"));
  const unknown = named.filter((n) => !MUTATION_AREAS.some((a) => a.name === n));
  if (unknown.length)
    throw new Error(`unknown area(s) ${unknown.join(", ")}; areas: ${MUTATION_AREAS.map((a) => a.name).join(", ")}`);
  mkdirSync(REPORT_DIR, { recursive: true });
  const resultsFile = join(REPORT_DIR, "results.json");
  const readResults = (): Record<string, AreaResult> =>
    existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as Record<string, AreaResult>) : {};
  // Naming areas re-runs those and keeps the others' last results (read again before each write:
  // another run of other areas may finish meanwhile), so the table stays whole. A full run starts afresh.
  const fresh: Record<string, AreaResult> = {};
  let results: Record<string, AreaResult> = named.length || reportOnly ? readResults() : {};

  for (const area of MUTATION_AREAS.filter((a) => !reportOnly && (named.length === 0 || named.includes(a.name)))) {
    const started = Date.now();
    const core = "@stryker-mutator/core"; // a variable: TypeScript does not try to resolve it
    const { Stryker } = (await import(core)) as { Stryker: StrykerClass };
    const mutants = await new Stryker(options(area, incremental)).runMutationTest();
    const outcomes: MutantOutcome[] = mutants.map((m) => ({
      file: m.fileName.replace(`${process.cwd()}/`, ""),
      line: m.location.start.line,
      mutator: m.mutatorName,
      replacement: m.replacement ?? "",
      status: m.status,
    }));
    fresh[area.name] = {
      area: area.name,
      minimumScore: area.minimumScore,
      seconds: Math.round((Date.now() - started) / 1000),
      mutants: outcomes,
    };
    results = { ...(named.length ? readResults() : results), ...fresh };
    writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  }

  const areas = MUTATION_AREAS.map((a) => results[a.name]).filter((a): a is AreaResult => a !== undefined);
  console.log(mutationTable(areas));
  console.log(survivorList(areas));
  const low = areas
    .filter((a) => scoreOf(a.mutants) < a.minimumScore)
    .map((a) => `${a.area} ${scoreOf(a.mutants).toFixed(1)} % < ${a.minimumScore} %`);
  const overall = scoreOf(areas.flatMap((a) => a.mutants));
  if (overall < 85) low.push(`overall ${overall.toFixed(1)} % < 85 %`);
  if (low.length) {
    console.error(`mutation score below the bar: ${low.join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
