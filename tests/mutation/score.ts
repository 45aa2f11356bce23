/** Mutation results as the docs show them: per file, per area, overall; and the survivors to judge. */

export interface MutantOutcome {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  /** Stryker's status: Killed, Survived, Timeout, NoCoverage, CompileError, RuntimeError, Ignored. */
  readonly status: string;
}

export interface AreaResult {
  readonly area: string;
  readonly minimumScore: number;
  readonly seconds: number;
  readonly mutants: readonly MutantOutcome[];
}

const count = (mutants: readonly MutantOutcome[], ...statuses: string[]) =>
  mutants.filter((m) => statuses.includes(m.status)).length;

/**
 * Stryker's mutation score: detected (killed, timed out, runtime error) over valid mutants
 * (detected + survived + no coverage). Mutants the type checker rejects are not valid code.
 */
export function scoreOf(mutants: readonly MutantOutcome[]): number {
  const detected = count(mutants, "Killed", "Timeout", "RuntimeError");
  const valid = detected + count(mutants, "Survived", "NoCoverage");
  return valid === 0 ? 100 : (100 * detected) / valid;
}

function row(label: string, mutants: readonly MutantOutcome[]): string {
  const cells = [
    count(mutants, "Killed"),
    count(mutants, "Survived"),
    count(mutants, "Timeout"),
    count(mutants, "NoCoverage"),
    count(mutants, "CompileError"),
  ];
  return `| ${label} | ${cells.join(" | ")} | ${scoreOf(mutants).toFixed(1)} |`;
}

/** The Markdown table: one row per file, a row per area, the config-and-CIDR row and the overall row. */
export function mutationTable(areas: readonly AreaResult[]): string {
  const lines = [
    "| File | Killed | Survived | Timed out | No coverage | Type errors (not counted) | Score % |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const area of areas) {
    const files = [...new Set(area.mutants.map((m) => m.file))].sort();
    for (const file of files)
      lines.push(
        row(
          `\`${file}\``,
          area.mutants.filter((m) => m.file === file),
        ),
      );
    lines.push(row(`**${area.area}** (bar ${area.minimumScore} %, ${area.seconds} s)`, area.mutants));
  }
  lines.push(
    row(
      "**overall** (bar 85 %)",
      areas.flatMap((a) => a.mutants),
    ),
  );
  return lines.join("\n");
}

/** Survivors and uncovered mutants, file:line mutator → replacement, for judging (equivalent or a missing test). */
export function survivorList(areas: readonly AreaResult[]): string {
  return areas
    .flatMap((a) => a.mutants)
    .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
    .map(
      (m) =>
        `${m.status === "NoCoverage" ? "uncovered" : "survived"} ${m.file}:${m.line} ${m.mutator} → ${m.replacement.replace(/\s+/g, " ").slice(0, 100)}`,
    )
    .join("\n");
}
