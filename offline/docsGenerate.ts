/** npm run docs:generate: rewrites the generated sections of the docs (config error reference, cloud rules, replacements, first-up order, figures). */
import path from "node:path";
import { CLOUD_RULES_SECTION, cloudRulesTable } from "./cloudRules";
import { CONFIG_ERRORS_SECTION, configErrorTable } from "./configReference";
import { FIGURES_SECTION, figuresMarkdown } from "./docFigures";
import { writeSection } from "./docSections";
import { RunResult, runProgram } from "./engine";
import { loadStackConfig, REPO_ROOT } from "./stacks";
import { REPLACEMENTS_SECTION, replacementsMarkdown, UP_ORDER_SECTION, upOrder, upOrderMarkdown } from "./upOrder";

/** The first-up order of the three committed stacks, from their offline runs. */
export async function upOrderSection(
  runStack: (stack: string) => Promise<RunResult> = (stack) => runProgram({ stack, ...loadStackConfig(stack) }),
): Promise<string> {
  const parts: string[] = [];
  for (const stack of ["dev", "prod", "org"]) {
    const run = await runStack(stack);
    if (run.error) throw run.error;
    parts.push(upOrderMarkdown(stack, upOrder(run.resources)));
  }
  return parts.join("\n\n");
}

async function main(): Promise<void> {
  for (const [section, body] of [
    [CONFIG_ERRORS_SECTION, configErrorTable()],
    [CLOUD_RULES_SECTION, cloudRulesTable()],
    [REPLACEMENTS_SECTION, replacementsMarkdown()],
    [UP_ORDER_SECTION, await upOrderSection()],
    [FIGURES_SECTION, figuresMarkdown()],
  ] as const) {
    writeSection(section, body);
    console.log(`updated ${path.relative(REPO_ROOT, section.file)} (${section.begin})`);
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
