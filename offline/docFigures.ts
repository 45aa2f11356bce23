/**
 * The figures the docs quote that code can count — policies, cloud rules, config keys, areas — as
 * one generated section of docs/verification.md (npm run docs:generate; a test fails when stale).
 * Resource counts per stack are in docs/architecture.md's generated first-up order.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { configKeyPaths } from "../components/config/platform";
import { policies } from "../policy/policies";
import { CLOUD_RULES } from "./cloudRules";
import { DocSection } from "./docSections";
import { REPO_ROOT } from "./stacks";

export const FIGURES_SECTION: DocSection = {
  file: path.join(REPO_ROOT, "docs/verification.md"),
  begin: "<!-- figures:begin (npm run docs:generate) -->",
  end: "<!-- figures:end -->",
};

/** The areas: the folders of components/ that hold an area's components (config and shared are layers). */
export function areaFolders(root = path.join(REPO_ROOT, "components")): string[] {
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .filter((name) => name !== "config" && name !== "shared")
    .sort();
}

export function figuresMarkdown(): string {
  const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").length;
  const prodOnly = policies.filter(
    (p) => p.enforcementLevel === "advisory" && p.prodEnforcementLevel === "mandatory",
  ).length;
  const advisory = policies.length - mandatory - prodOnly;
  const types = new Set(CLOUD_RULES.map((r) => r.type)).size;
  const environmentKeys = configKeyPaths("multicloud", "environment").length;
  const orgKeys = configKeyPaths("multicloud", "org").length;
  const areas = areaFolders();
  return [
    "| figure | count |",
    "|---|---|",
    `| policies in the pack | ${policies.length} (${mandatory} mandatory everywhere, ${prodOnly} advisory in dev and mandatory in prod and org, ${advisory} advisory) |`,
    `| cloud rules the offline engine refuses by | ${CLOUD_RULES.length}, over ${types} resource types |`,
    `| config keys | ${environmentKeys} per environment stack, ${orgKeys} in the org stack |`,
    `| areas (\`components/<area>/\`) | ${areas.length}: ${areas.join(", ")} |`,
  ].join("\n");
}
