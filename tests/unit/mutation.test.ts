/** The mutation-testing setup itself: the fixed file list, its scoring, and where it runs. */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { MUTATION_AREAS } from "../mutation/areas";
import { mutationTable, MutantOutcome, scoreOf, survivorList } from "../mutation/score";
import { REPO_ROOT } from "../../offline/stacks";

const outcome = (status: string, file = "a.ts", line = 1): MutantOutcome => ({
  file,
  line,
  mutator: "StringLiteral",
  replacement: '""',
  status,
});

describe("mutation testing setup", () => {
  it("mutates existing files, each in one area, none with a Stryker disable comment; every spec exists", () => {
    const files = MUTATION_AREAS.flatMap((a) => a.mutate);
    expect(new Set(files).size, "a file in two areas").to.equal(files.length);
    for (const file of files) {
      expect(existsSync(path.join(REPO_ROOT, file)), file).to.equal(true);
      expect(readFileSync(path.join(REPO_ROOT, file), "utf8"), file).to.not.match(/Stryker (disable|restore)/i);
    }
    for (const spec of MUTATION_AREAS.flatMap((a) => a.spec))
      expect(existsSync(path.join(REPO_ROOT, spec)), spec).to.equal(true);
    expect(MUTATION_AREAS.find((a) => a.name === "config-cidr")?.minimumScore).to.equal(90);
    expect(MUTATION_AREAS.filter((a) => a.name !== "config-cidr").every((a) => a.minimumScore === 85)).to.equal(true);
  });

  it("scores as Stryker does: detected over valid, type errors left out", () => {
    expect(
      scoreOf([
        outcome("Killed"),
        outcome("Timeout"),
        outcome("Survived"),
        outcome("NoCoverage"),
        outcome("CompileError"),
        outcome("RuntimeError"),
      ]),
    ).to.equal(60);
    expect(scoreOf([outcome("CompileError")]), "nothing valid to kill").to.equal(100);
    const table = mutationTable([
      {
        area: "x",
        minimumScore: 90,
        seconds: 12,
        mutants: [outcome("Killed", "b.ts"), outcome("Survived", "a.ts", 7), outcome("Killed", "a.ts")],
      },
    ]);
    expect(table.split("\n").slice(2)).to.deep.equal([
      "| `a.ts` | 1 | 1 | 0 | 0 | 0 | 50.0 |",
      "| `b.ts` | 1 | 0 | 0 | 0 | 0 | 100.0 |",
      "| **x** (bar 90 %, 12 s) | 2 | 1 | 0 | 0 | 0 | 66.7 |",
      "| **overall** (bar 85 %) | 2 | 1 | 0 | 0 | 0 | 66.7 |",
    ]);
    expect(
      survivorList([
        {
          area: "x",
          minimumScore: 90,
          seconds: 1,
          mutants: [outcome("Survived", "a.ts", 7), outcome("NoCoverage", "b.ts", 3), outcome("Killed")],
        },
      ]),
    ).to.equal('survived a.ts:7 StringLiteral → ""\nuncovered b.ts:3 StringLiteral → ""');
  });

  it("runs weekly in its own workflow, one job per area (every area, none twice), not in .ci/run", () => {
    const workflow = parse(readFileSync(path.join(REPO_ROOT, ".github/workflows/mutation.yml"), "utf8")) as {
      on: { schedule: { cron: string }[] };
      jobs: Record<string, { steps: { run?: string }[]; strategy?: { matrix: { area: string[] } } }>;
    };
    expect(workflow.on.schedule[0].cron).to.match(/^\d+ \d+ \* \* [0-6]$/);
    expect(
      workflow.jobs.mutation.steps.some((s) => s.run?.startsWith("npm run test:mutation -- ${{ matrix.area }}")),
    ).to.equal(true);
    expect(workflow.jobs.mutation.strategy?.matrix.area).to.deep.equal(MUTATION_AREAS.map((a) => a.name));
    expect(workflow.jobs.fuzz.steps.some((s) => s.run?.startsWith("FUZZ_RUNS="))).to.equal(true);
    expect(readFileSync(path.join(REPO_ROOT, ".ci/run"), "utf8")).to.not.contain("mutation");
  });
});
