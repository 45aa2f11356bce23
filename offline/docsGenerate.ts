/** npm run docs:generate: rewrites the generated sections of the docs (config error reference, cloud rules). */
import path from "node:path";
import { CLOUD_RULES_SECTION, cloudRulesTable } from "./cloudRules";
import { CONFIG_ERRORS_SECTION, configErrorTable } from "./configReference";
import { writeSection } from "./docSections";
import { REPO_ROOT } from "./stacks";

for (const [section, body] of [
  [CONFIG_ERRORS_SECTION, configErrorTable()],
  [CLOUD_RULES_SECTION, cloudRulesTable()],
] as const) {
  writeSection(section, body);
  console.log(`updated ${path.relative(REPO_ROOT, section.file)} (${section.begin})`);
}
